"""The vector store: the only module that speaks to Chroma (embedded or a server)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

from yt_transcript.ingest.errors import DiskFull, StoreUnavailable
from yt_transcript.ingest.models import Chunk


class VectorStore:
    """Chunk vectors in one Chroma collection per embedding model."""

    def __init__(self, *, path: Path | None = None, url: str | None = None, model_name: str = "model"):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        self.location = url or str(path)
        try:
            if url:
                parsed = urlparse(url if "://" in url else f"http://{url}")
                self._client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
                self._client.heartbeat()
            else:
                assert path is not None
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            # One collection per model: vectors of different models must never be compared.
            self._collection = self._client.get_or_create_collection(
                collection_name(model_name),
                embedding_function=None,  # we always pass vectors; Chroma's default would download a model
                configuration={"hnsw": {"space": "cosine"}},
            )
        except _store_failures(opening=True) as exc:
            raise StoreUnavailable(f"cannot open the vector store at {self.location} ({_short(exc)})") from exc
        self._max_batch = max(1, int(self._client.get_max_batch_size()))

    def upsert(self, chunks: list[Chunk], embeddings) -> None:
        """Write chunks with their vectors; ids are deterministic, so a repeat is an update."""
        for i in range(0, len(chunks), self._max_batch):
            batch = chunks[i:i + self._max_batch]
            self._call(
                self._collection.upsert,
                ids=[c.chunk_id for c in batch],
                embeddings=embeddings[i:i + self._max_batch],
                documents=[c.text for c in batch],
                metadatas=[_metadata(c) for c in batch],
            )

    def delete_video(self, video_id: str, keep_generation: str | None = None) -> None:
        """Delete a video's chunks, except those of keep_generation."""
        where: dict = {"video_id": video_id}
        if keep_generation is not None:
            where = {"$and": [where, {"generation": {"$ne": keep_generation}}]}
        self._call(self._collection.delete, where=where)

    def query(self, vector: list[float], n: int, video_ids: Iterable[str] | None = None) -> list[tuple[Chunk, float]]:
        """The n nearest chunks with their cosine similarity, optionally within some videos."""
        ids = list(video_ids) if video_ids is not None else None
        if ids is not None and not ids:
            return []
        where = None
        if ids is not None:
            where = {"video_id": ids[0]} if len(ids) == 1 else {"video_id": {"$in": ids}}
        # Chroma trims n_results to what it holds; asking count() first would cost a round trip.
        result = self._call(
            self._collection.query,
            query_embeddings=[vector],
            n_results=n,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        out = []
        for cid, doc, meta, dist in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
        ):
            # A process killed right after a delete can leave the ids in embedded Chroma's vector index
            # while their records are gone; such a ghost is no chunk at all.
            if meta is not None and doc is not None:
                out.append((_chunk(cid, doc, meta), 1.0 - float(dist)))
        return out

    def count(self, video_id: str | None = None) -> int:
        """Number of chunks stored, in all or for one video."""
        if video_id is None:
            return int(self._call(self._collection.count))
        got = self._call(self._collection.get, where={"video_id": video_id}, include=[])
        return len(got["ids"])

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except _store_failures() as exc:
            if _disk_full(exc):
                raise DiskFull(f"no space left for the vector store at {self.location}") from exc
            raise StoreUnavailable(f"vector store at {self.location} failed ({_short(exc)})") from exc


def _disk_full(exc: BaseException) -> bool:
    import errno

    text = str(exc).lower()
    return getattr(exc, "errno", None) == errno.ENOSPC or "no space left" in text or "disk is full" in text


def _store_failures(opening: bool = False) -> tuple[type[BaseException], ...]:
    """What a store that is down, unreachable or refusing raises; our own bugs (TypeError, ...) are not here.

    Chroma's HTTP client reports a refused connection while opening as a ValueError, so that counts then.
    """
    import sqlite3

    import httpx
    from chromadb.errors import ChromaError

    failures = (ChromaError, httpx.HTTPError, ConnectionError, TimeoutError, OSError, sqlite3.Error)
    return (*failures, ValueError) if opening else failures


def collection_name(model_name: str) -> str:
    """A valid Chroma collection name for a model (3-512 chars of [a-zA-Z0-9._-])."""
    slug = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in model_name.lower()).strip("-._")
    return f"chunks-{slug or 'model'}"[:512]


def _metadata(chunk: Chunk) -> dict:
    meta = {
        "video_id": chunk.video_id,
        "generation": chunk.generation,
        "index": chunk.index,
        "start_s": chunk.start_s,
        "end_s": chunk.end_s,
    }
    if chunk.chapter:
        meta["chapter"] = chunk.chapter
    return meta


def _chunk(chunk_id: str, text: str, meta: dict) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        video_id=meta["video_id"],
        generation=meta["generation"],
        index=int(meta["index"]),
        text=text,
        start_s=float(meta["start_s"]),
        end_s=float(meta["end_s"]),
        chapter=meta.get("chapter"),
    )


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__
