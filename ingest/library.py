"""The library: the catalog and the vector store kept consistent with each other."""

from __future__ import annotations

from pathlib import Path

from ingest.catalog import Catalog
from ingest.errors import VideoNotIndexed
from ingest.models import Chunk, Transcript, VideoRecord
from ingest.settings import Settings
from ingest.store import VectorStore


class Library:
    """Everything ingested under one data home.

    A video's chunks carry a generation id. New chunks are written first, then the catalog
    switches the video to the new generation in one transaction, then the old chunks are
    deleted. Searches keep only chunks of the catalog's current generation, so until a
    re-ingest completes the old version stays searchable, and a crash half-way leaves
    only unreferenced chunks that the next ingest of that video removes.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = Path(settings.home)
        self.catalog = Catalog(self.home / "library.sqlite3")
        self._vectors: dict[str, VectorStore] = {}

    def vectors(self, embed_model: str) -> VectorStore:
        """The vectors of one embedding model, opened on first use (listing and export never need them)."""
        if embed_model not in self._vectors:
            self._vectors[embed_model] = VectorStore(
                path=self.home / "chroma", url=self.settings.chroma_url, model_name=embed_model
            )
        return self._vectors[embed_model]

    def save(
        self,
        transcript: Transcript,
        chunks: list[Chunk],
        embeddings: list[list[float]],
        unit_embeddings: list[list[list[float]]],
        embed_model: str,
    ) -> None:
        """Store a video's new version: vectors first, then the catalog switch, then cleanup."""
        video_id = transcript.meta.video_id
        generation = chunks[0].generation if chunks else "empty"
        previous = self.catalog.get(video_id)
        store = self.vectors(embed_model)
        store.upsert(chunks, embeddings)
        self.catalog.commit_video(transcript, chunks, embeddings, unit_embeddings, embed_model)
        store.delete_video(video_id, keep_generation=generation)
        if previous is not None and previous.embed_model != embed_model:
            self.vectors(previous.embed_model).delete_video(video_id)

    def remove(self, video_id: str) -> VideoRecord:
        """Remove a video from search at once, then delete its vectors."""
        record = self.get(video_id)
        self.catalog.remove(video_id)
        self.vectors(record.embed_model).delete_video(video_id)
        return record

    def get(self, video_id: str) -> VideoRecord:
        """One video's record, or VideoNotIndexed."""
        record = self.catalog.get(video_id)
        if record is None:
            raise VideoNotIndexed(video_id)
        return record

    def transcript(self, video_id: str) -> Transcript:
        """One video's stored cleaned transcript, or VideoNotIndexed."""
        transcript = self.catalog.transcript(video_id)
        if transcript is None:
            raise VideoNotIndexed(video_id)
        return transcript

    def records(self) -> list[VideoRecord]:
        """Every video, newest first."""
        return self.catalog.records()

    def close(self) -> None:
        """Release the catalog connection."""
        self.catalog.close()
