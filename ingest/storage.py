"""The library's storage: the catalog and the vector store kept consistent, and the only door to either."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from yt_transcript.ingest.catalog import Catalog
from yt_transcript.ingest.errors import HomeReadOnly, HomeUnusable, StoreError, VideoNotIndexed
from yt_transcript.ingest.models import Answer, Chunk, Transcript, VideoRecord
from yt_transcript.ingest.settings import Settings
from yt_transcript.ingest.store import VectorStore

_BRUTE_FORCE_MAX = 50_000  # filtered searches over fewer chunks than this skip Chroma's slow `where`
# Up to this many chunks to compare, the catalog's vectors are scanned (~30 ms for 5k here): exact, so the same
# query always ranks alike. Chroma's HNSW index is rebuilt in each process and misses different near
# neighbours each time (a library-wide "Schemas" put its answer first in some runs, nowhere in others).
_EXACT_MAX = 10_000
_POST_FILTER_SHARE = 0.05  # a filter keeping at least this share of chunks searches everything, then filters
_LEXICAL_BUDGET = 20_000  # chunk matches bm25 may score per library-wide query (~30 ms here)


def closest_id(video_id: str, ids: list[str]) -> str | None:
    """The id among `ids` nearest a mistyped one (a letter dropped or changed, or its case), if one is."""
    import difflib

    folded = {i.casefold(): i for i in ids}
    if video_id.casefold() in folded:
        return folded[video_id.casefold()]
    near = difflib.get_close_matches(video_id, ids, n=1, cutoff=0.85)
    return near[0] if near else None


class Storage:
    """Everything ingested under one data home.

    A video's chunks carry a generation id. New chunks are written first, then the catalog
    switches the video to the new generation in one transaction, then the old chunks are
    deleted. Searches keep only chunks of the catalog's current generation, so until a
    re-ingest completes the old version stays searchable, and a crash half-way leaves
    only unreferenced chunks that the next ingest of that video removes.

    A read-only home still serves listing, search and export; changes raise HomeReadOnly.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = Path(settings.home)
        self._write_error = _prepare_home(self.home)  # None when the home can be written
        self.read_only = self._write_error is not None
        db = self.home / "library.sqlite3"
        self.catalog: Catalog | None = None
        if not self.read_only or db.is_file():
            self.catalog = Catalog(db, read_only=self.read_only)
        self._vectors: dict[str, VectorStore] = {}

    # --- writing --------------------------------------------------------------------------------

    def save(
        self,
        transcript: Transcript,
        chunks: list[Chunk],
        embeddings: np.ndarray,  # float32, a row per chunk
        unit_embeddings: list[np.ndarray],  # float32, per chunk a row per sentence unit
        embed_model: str,
    ) -> None:
        """Store a video's new version: vectors first, then the catalog switch, then cleanup."""
        catalog = self._writable()
        video_id = transcript.meta.video_id
        generation = chunks[0].generation if chunks else "empty"
        previous = catalog.get(video_id)
        store = self.vectors(embed_model)
        store.upsert(chunks, embeddings)
        catalog.commit_video(transcript, chunks, embeddings, unit_embeddings, embed_model)
        store.delete_video(video_id, keep_generation=generation)
        if previous is not None and previous.embed_model != embed_model:
            self.vectors(previous.embed_model).delete_video(video_id)

    def remove(self, video_id: str) -> VideoRecord:
        """Delete a video's vectors, then its catalog record.

        In this order a crash in between leaves the video listed (and found by its words) until the remove
        is run again, rather than vectors that no record points to and nothing would ever delete.
        """
        record = self.get(video_id)
        catalog = self._writable()
        self.vectors(record.embed_model).delete_video(video_id)
        catalog.remove(video_id)
        return record

    def rename(self, video_id: str, title: str | None = None, channel: str | None = None) -> VideoRecord:
        """Change a video's title and/or channel (None keeps it); returns the updated record."""
        self.get(video_id)
        self._writable().rename(video_id, title, channel)
        return self.get(video_id)

    def cache(self, key: str, value: str) -> None:
        """Keep a generated summary; a read-only home simply does not keep it."""
        if not self.read_only and self.catalog is not None:
            self.catalog.cache(key, value)

    def save_answer(self, video_id: str, answer: Answer) -> None:
        """Keep a question about one video and its answer for the video's notes; a read-only home does not."""
        if not self.read_only and self.catalog is not None:
            self.catalog.save_answer(video_id, answer)

    def remember_listing(self, source: str, kind: str, title: str, languages: list[str] | None = None,
                         translate: str | None = None) -> None:
        """Keep a playlist or channel that was ingested (and with which languages), so a sync can list it again."""
        self._writable().remember_listing(source, kind, title, languages, translate)

    def mark_synced(self, source: str) -> None:
        """Record that a listing was synced to the end."""
        self._writable().mark_synced(source)

    def check_writable(self) -> None:
        """HomeReadOnly before any work starts, when nothing could be saved."""
        self._writable()

    def _writable(self) -> Catalog:
        if self._write_error is not None or self.catalog is None:
            raise self._write_error or HomeReadOnly(self.home)
        return self.catalog

    # --- reading --------------------------------------------------------------------------------

    def vectors(self, embed_model: str) -> VectorStore:
        """The vectors of one embedding model, opened on first use (listing and export never need them)."""
        if embed_model not in self._vectors:
            self._vectors[embed_model] = VectorStore(
                path=self.home / "chroma", url=self.settings.chroma_url, model_name=embed_model
            )
        return self._vectors[embed_model]

    def get(self, video_id: str) -> VideoRecord:
        """One video's record, or VideoNotIndexed."""
        record = self.catalog.get(video_id) if self.catalog else None
        if record is None:
            raise VideoNotIndexed(video_id, self.close_id(video_id))
        return record

    def close_id(self, video_id: str) -> str | None:
        """The library's video id nearest a mistyped one, if any (see closest_id)."""
        return closest_id(video_id, [r.meta.video_id for r in self.records()] if self.catalog else [])

    def transcript(self, video_id: str) -> Transcript:
        """One video's stored cleaned transcript, or VideoNotIndexed."""
        transcript = self.catalog.transcript(video_id) if self.catalog else None
        if transcript is None:
            raise VideoNotIndexed(video_id, self.close_id(video_id))
        return transcript

    def records(self) -> list[VideoRecord]:
        """Every video, newest first."""
        return self.catalog.records() if self.catalog else []

    def listings(self) -> list[tuple[str, str, str, str | None, str | None, str | None]]:
        """Every channel and playlist ever ingested: (source, kind, title, synced_at, languages, translate)."""
        return self.catalog.listings() if self.catalog else []

    def cached(self, key: str) -> str | None:
        """A kept summary, or None."""
        return self.catalog.cached(key) if self.catalog else None

    def answers(self, video_id: str) -> list[Answer]:
        """The kept questions about one video with their answers, oldest first."""
        return self.catalog.answers(video_id) if self.catalog else []

    def forget_answer(self, video_id: str, question: str) -> bool:
        """Drop a kept question about one video; True if it was there."""
        return self._writable().forget_answer(video_id, question)

    def own_note(self, video_id: str) -> str:
        """The student's own notes on one video ("" for none)."""
        return self.catalog.own_note(video_id) if self.catalog else ""

    def save_own_note(self, video_id: str, text: str) -> None:
        """Keep the student's own notes on one video (empty text drops them)."""
        self._writable().save_own_note(video_id, text)

    def chunks(self, chunk_ids: list[str]) -> dict[str, tuple[Chunk, np.ndarray]]:
        """Current chunks by id, each with its unit vectors (one row per unit)."""
        return self.catalog.chunks(chunk_ids) if self.catalog else {}

    def video_units(self, video_id: str) -> tuple[list[tuple[float, str]], np.ndarray]:
        """A video's sentence units in time order, each once, with their vectors: ([(start_s, text)], matrix)."""
        self.get(video_id)
        return self.catalog.video_units(video_id)

    def term_counts(self, terms: list[str], video_ids: list[str] | None = None) -> dict[str, int]:
        """How many chunks each word or phrase matches in the lexical index, optionally within some videos."""
        return self.catalog.match_counts(terms, video_ids) if self.catalog else {t: 0 for t in terms}

    def unread_initialisms(self) -> list[tuple[str, str]]:
        """(video id, generation) of the videos not yet read for phrases that may spell an acronym; none
        on a read-only home, which cannot keep what reading them finds."""
        return self.catalog.unread_initialisms() if self.catalog and not self.read_only else []

    def save_initialisms(self, video_id: str, generation: str, rows: list[tuple[str, str, str, int, int]]) -> None:
        """Keep what reading a video for initialisms found: rows of (letters, phrase, wording, said, defined)."""
        if self.catalog and not self.read_only:
            self.catalog.save_initialisms(video_id, generation, rows)

    def initialisms(self, letters: str) -> list[tuple[str, str, int, int]]:
        """(phrase, wording, said, defined) over the whole library for these initials."""
        return self.catalog.initialisms(letters) if self.catalog else []

    def lexical_search(self, counts: dict[str, int], n: int, video_ids: list[str] | None = None) -> list[str]:
        """Chunk ids ranked by bm25 for any of the terms (with their match counts from `term_counts`).

        Within a few videos the index reads only their rows, so every term is used. Library-wide, bm25
        scores every chunk any term matches, about 1.5 µs each here: at 100k chunks a query holding
        "model" and "take" scores 26k chunks for terms whose weight is near nothing. Rare terms carry
        the ranking, so the commonest are left out once the matches pass a budget.
        """
        if self.catalog is None:
            return []
        terms = [t for t, c in counts.items() if c]
        if not self.catalog.uses_video_ranges(video_ids):
            terms = within_budget(counts, _LEXICAL_BUDGET)
        return self.catalog.lexical_search(terms, n, video_ids)

    def dense_search(self, embed_model: str, query_vector: np.ndarray, n: int, video_ids: list[str] | None,
                     records: dict[str, VideoRecord]) -> list[str]:
        """The n chunk ids nearest the query vector, current generations only, optionally within some videos.

        Up to _EXACT_MAX chunks to compare (the library, or the chosen videos), the catalog's vectors are
        scanned: exact. Beyond, filters pick the cheapest route: a filter that keeps most of the library
        searches the whole index and drops the rest (over-fetching in proportion); a smaller one scans its
        videos' vectors; only a large, selective filter pays for Chroma's `where`. A read-only home scans the
        catalog, which holds every current vector.
        """
        if self.catalog is None:
            return []
        searchable = set(video_ids) if video_ids is not None else set(records)
        fetch, where = n + 10, video_ids  # over-fetch to make room for stale generations dropped below
        total = sum(r.chunk_count for r in records.values()) or 1
        scan = self.read_only or total <= _EXACT_MAX
        if video_ids is not None and not scan:
            selected = self.catalog.chunk_count(video_ids)
            if selected <= _EXACT_MAX:
                scan = True
            elif selected >= _POST_FILTER_SHARE * total:
                fetch, where = int((n + 10) * total / max(selected, 1)) + 10, None
            elif selected <= _BRUTE_FORCE_MAX:
                scan = True
        if scan:
            ids, matrix = self.catalog.chunk_vectors(sorted(searchable))
            if not ids:
                return []
            top = np.argsort(-(matrix @ query_vector))[:n]
            return [ids[i] for i in top]
        out = []
        for chunk, _ in self.vectors(embed_model).query(query_vector.tolist(), fetch, where):
            record = records.get(chunk.video_id)
            if record is not None and record.generation == chunk.generation and chunk.video_id in searchable:
                out.append(chunk.chunk_id)
        return out[:n]

    def close(self) -> None:
        """Release the catalog connection."""
        if self.catalog is not None:
            self.catalog.close()


def within_budget(counts: dict[str, int], budget: int) -> list[str]:
    """The rarest matching terms whose matches add up to the budget (at least two terms)."""
    kept, used = [], 0
    for term in sorted((t for t, c in counts.items() if c), key=lambda t: counts[t]):
        if len(kept) >= 2 and used + counts[term] > budget:
            break
        kept.append(term)
        used += counts[term]
    return kept


def _prepare_home(home: Path) -> StoreError | None:
    """Create the home if needed. None when it can be written; else the error a change will raise.

    A home that exists but is read-only, or that cannot be created, still serves reads (the latter as an
    empty library); a home that is a file cannot be used at all.
    """
    try:
        if home.exists() and not home.is_dir():
            raise HomeUnusable(home, "it is a file, not a folder")
    except PermissionError as exc:  # a parent we may not enter
        raise HomeUnusable(home, exc.strerror or "permission denied") from None
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if home.is_dir():
            return HomeReadOnly(home)
        return HomeUnusable(home, f"cannot create it: {exc.strerror or type(exc).__name__}")
    return None if os.access(home, os.W_OK | os.X_OK) else HomeReadOnly(home)
