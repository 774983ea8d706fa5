"""Ingest: fetch or read transcripts, clean them, cut them into chunks, embed and store them."""
