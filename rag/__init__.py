"""Retrieval and answers over the ingested library."""
