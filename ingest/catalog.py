"""The library catalog: each video's metadata, cleaned transcript and active chunk generation, in SQLite.

It lives in the data home beside the embedded vectors, so export, summaries and the UI
never refetch from YouTube. Each write is one transaction, so a crash leaves either the
old record or the new one, never half of either.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from yt_transcript.ingest.errors import CatalogBusy, CatalogUnreadable, DiskFull, StoreError
from yt_transcript.ingest.models import (
    Answer, Chapter, Chunk, Citation, Snippet, Transcript, VideoMeta, VideoRecord,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS videos (
    video_id     TEXT PRIMARY KEY,
    meta_json    TEXT NOT NULL,
    snippets_json TEXT NOT NULL,
    generation   TEXT NOT NULL,
    chunk_count  INTEGER NOT NULL,
    embed_model  TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
-- The current generation's chunks: their text for the lexical index, vectors for filtered
-- dense search, and sentence units for pointing at the moment that matches.
CREATE TABLE IF NOT EXISTS chunks (
    rowid      INTEGER PRIMARY KEY,
    chunk_id   TEXT NOT NULL UNIQUE,
    video_id   TEXT NOT NULL,
    idx        INTEGER NOT NULL,
    start_s    REAL NOT NULL,
    end_s      REAL NOT NULL,
    chapter    TEXT,
    text       TEXT NOT NULL,
    units_json TEXT NOT NULL,
    vector     BLOB NOT NULL,   -- float32, L2-normalised
    unit_vectors BLOB NOT NULL  -- float16, one row per unit
);
CREATE INDEX IF NOT EXISTS chunks_video ON chunks(video_id, idx);
-- Generated summaries, keyed by transcript generation, model and prompt version.
CREATE TABLE IF NOT EXISTS summaries (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- Playlists and channels ever ingested, so a sync can list them again.
CREATE TABLE IF NOT EXISTS listings (
    source     TEXT PRIMARY KEY,  -- the playlist id or channel URL, as parsed
    kind       TEXT NOT NULL,     -- "playlist" or "channel"
    title      TEXT NOT NULL,
    languages  TEXT,              -- the language priority and translation it was ingested with, so a sync
    translate  TEXT,              -- fetches the same track and does not mistake another language for a change
    added_at   TEXT NOT NULL,
    synced_at  TEXT
);
-- Questions asked about one video and their answers, kept for its study notes (oldest first).
CREATE TABLE IF NOT EXISTS answers (
    id          INTEGER PRIMARY KEY,
    video_id    TEXT NOT NULL,
    question    TEXT NOT NULL,
    answer_json TEXT NOT NULL,  -- text, model, kind, grounded and the resolved citations
    asked_at    TEXT NOT NULL,
    UNIQUE (video_id, question)  -- asking again replaces the earlier answer
);
-- The student's own notes on one video, as they typed them. Kept when the video is removed: they are the one
-- thing the library cannot make again, and they return with the video.
CREATE TABLE IF NOT EXISTS own_notes (
    video_id   TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Phrases a video says whose content words' initials may be an acronym's (rag/expansion.py), per transcript
-- generation, and which generations have been read for them.
CREATE TABLE IF NOT EXISTS initialisms (
    video_id   TEXT NOT NULL,
    generation TEXT NOT NULL,
    letters    TEXT NOT NULL,     -- the initials of the content words: "rlhf"
    phrase     TEXT NOT NULL,     -- the wordings' common key (word starts), so "perceptron(s)" are one phrase
    wording    TEXT NOT NULL,     -- as said: "reinforcement learning from human feedback"
    said       INTEGER NOT NULL,  -- times this video says it
    defined    INTEGER NOT NULL   -- of those, times with the letters said beside it
);
CREATE INDEX IF NOT EXISTS initialisms_letters ON initialisms(letters);
CREATE TABLE IF NOT EXISTS initialisms_read (
    video_id   TEXT PRIMARY KEY,
    generation TEXT NOT NULL
);
-- Porter stemming and unicode61 case/punctuation folding make ASR's casing and punctuation irrelevant.
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, content='chunks', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
"""


_PER_VIDEO_LEXICAL_MAX = 50  # filters over more videos than this search the whole index and filter


_BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another process's write lock before giving up


def sqlite_failure(exc: sqlite3.Error, path: Path) -> StoreError:
    """Our error for a SQLite failure that is not our bug: a lock held too long, a full disk, a bad file."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return CatalogBusy(f"the library catalog {path} stayed locked for {_BUSY_TIMEOUT_S:.0f} s", path=path)
    if "full" in text or "no space" in text:
        return DiskFull(f"no space left to write {path}", path=path)
    return CatalogUnreadable(f"cannot use the library catalog {path} ({exc})", path=path)


def _mapped(method):
    """One call at a time per catalog, and SQLite's operational failures as our errors.

    The app shares one catalog connection between sessions (threads): without the lock, one thread's
    `with self._db:` could commit or see another's half-written transaction. Programming errors stay
    what they are.
    """
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            with self.__dict__.setdefault("_lock", threading.RLock()):  # __init__ is wrapped too
                return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if type(exc) not in (sqlite3.OperationalError, sqlite3.DatabaseError):  # IntegrityError etc.: a bug
                raise
            raise sqlite_failure(exc, self.path) from exc
    return call


class Catalog:
    """SQLite-backed record of what the library holds."""

    @_mapped
    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        if read_only:
            self._db = _open_read_only(path)
        else:
            # WAL lets the app read while the CLI ingests; the timeout rides out a writer's lock.
            self._db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        self._records_cache: tuple[tuple[int, int], list[VideoRecord]] | None = None

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    @_mapped
    def commit_video(
        self,
        transcript: Transcript,
        chunks: list[Chunk],
        vectors: np.ndarray,
        unit_vectors: list[np.ndarray],
        embed_model: str,
    ) -> None:
        """Make this transcript and chunk generation the video's current version, atomically."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        meta = asdict(transcript.meta)
        snippets = [[s.start_s, s.end_s, s.text] for s in transcript.snippets]
        generation = chunks[0].generation if chunks else "empty"
        chunk_count = len(chunks)
        rows = [
            (c.chunk_id, c.video_id, c.index, c.start_s, c.end_s, c.chapter, c.text, json.dumps(c.units),
             np.asarray(v, dtype=np.float32).tobytes(), np.asarray(u, dtype=np.float16).tobytes())
            for c, v, u in zip(chunks, vectors, unit_vectors)
        ]
        with self._db:
            self._delete_chunks(transcript.meta.video_id)
            self._db.executemany(
                "INSERT INTO chunks (chunk_id, video_id, idx, start_s, end_s, chapter, text, units_json, vector, "
                "unit_vectors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._db.execute(
                "INSERT INTO chunks_fts (rowid, text) SELECT rowid, text FROM chunks WHERE video_id = ?",
                (transcript.meta.video_id,),
            )
            self._db.execute(
                """INSERT INTO videos VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(video_id) DO UPDATE SET meta_json=excluded.meta_json,
                     snippets_json=excluded.snippets_json, generation=excluded.generation,
                     chunk_count=excluded.chunk_count, embed_model=excluded.embed_model,
                     updated_at=excluded.updated_at""",
                (transcript.meta.video_id, json.dumps(meta), json.dumps(snippets), generation,
                 chunk_count, embed_model, now, now),
            )

    def _delete_chunks(self, video_id: str) -> None:
        # External-content FTS rows are deleted by handing back their old text.
        self._db.execute(
            "INSERT INTO chunks_fts (chunks_fts, rowid, text) SELECT 'delete', rowid, text FROM chunks WHERE video_id = ?",
            (video_id,),
        )
        self._db.execute("DELETE FROM chunks WHERE video_id = ?", (video_id,))

    @_mapped
    def remove(self, video_id: str) -> bool:
        """Forget a video and its chunks; True if it was there."""
        with self._db:
            self._delete_chunks(video_id)
            self._db.execute("DELETE FROM answers WHERE video_id = ?", (video_id,))
            self._db.execute("DELETE FROM initialisms WHERE video_id = ?", (video_id,))
            self._db.execute("DELETE FROM initialisms_read WHERE video_id = ?", (video_id,))
            return self._db.execute("DELETE FROM videos WHERE video_id = ?", (video_id,)).rowcount > 0

    @_mapped
    def rename(self, video_id: str, title: str | None = None, channel: str | None = None) -> bool:
        """Change a video's title and/or channel (None keeps it); True if the video is there."""
        row = self._db.execute("SELECT meta_json FROM videos WHERE video_id = ?", (video_id,)).fetchone()
        if row is None:
            return False
        meta = json.loads(row[0])
        meta.update({k: v for k, v in (("title", title), ("channel", channel)) if v is not None})
        with self._db:
            self._db.execute("UPDATE videos SET meta_json = ? WHERE video_id = ?", (json.dumps(meta), video_id))
        return True

    @_mapped
    def get(self, video_id: str) -> VideoRecord | None:
        """The record of one video, or None."""
        row = self._db.execute(
            "SELECT meta_json, generation, chunk_count, embed_model, added_at, updated_at FROM videos WHERE video_id = ?",
            (video_id,),
        ).fetchone()
        return _record(*row) if row else None

    @_mapped
    def transcript(self, video_id: str) -> Transcript | None:
        """The stored cleaned transcript of one video, or None."""
        row = self._db.execute(
            "SELECT meta_json, snippets_json FROM videos WHERE video_id = ?", (video_id,)
        ).fetchone()
        if not row:
            return None
        snippets = [Snippet(text, start, end) for start, end, text in json.loads(row[1])]
        return Transcript(_meta(json.loads(row[0])), snippets)

    @_mapped
    def records(self) -> list[VideoRecord]:
        """All videos, most recently added first (cached until this or another process writes)."""
        version = (self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes)
        if self._records_cache is not None and self._records_cache[0] == version:
            return list(self._records_cache[1])
        rows = self._db.execute(
            "SELECT meta_json, generation, chunk_count, embed_model, added_at, updated_at FROM videos "
            "ORDER BY added_at DESC, video_id"
        ).fetchall()
        records = [_record(*row) for row in rows]
        self._records_cache = (version, records)
        return list(records)

    @_mapped
    def lexical_search(self, terms: list[str], n: int, video_ids: list[str] | None = None) -> list[str]:
        """Chunk ids ranked by FTS5 bm25 for any of the terms (words or phrases), optionally within some videos."""
        if not terms:
            return []
        match = " OR ".join(_fts_phrase(t) for t in terms)
        try:
            if self.uses_video_ranges(video_ids):
                return self._lexical_per_video(match, n, video_ids)
            sql = ("SELECT c.chunk_id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
                   "WHERE chunks_fts MATCH ?")
            params: list = [match]
            if video_ids is not None:
                sql += f" AND c.video_id IN ({','.join('?' * len(video_ids))})"
                params += video_ids
            sql += " ORDER BY bm25(chunks_fts) LIMIT ?"
            return [row[0] for row in self._db.execute(sql, [*params, n])]
        except sqlite3.OperationalError:  # a query FTS5 cannot parse finds nothing
            return []

    @_mapped
    def unread_initialisms(self) -> list[tuple[str, str]]:
        """(video id, generation) of the videos whose current transcript has not been read for initialisms."""
        return self._db.execute(
            "SELECT v.video_id, v.generation FROM videos v LEFT JOIN initialisms_read r "
            "ON r.video_id = v.video_id AND r.generation = v.generation WHERE r.video_id IS NULL").fetchall()

    @_mapped
    def save_initialisms(self, video_id: str, generation: str, rows: list[tuple[str, str, str, int, int]]) -> None:
        """Replace a video's initialisms with rows of (letters, phrase, wording, said, defined)."""
        with self._db:
            self._db.execute("DELETE FROM initialisms WHERE video_id = ?", (video_id,))
            self._db.executemany("INSERT INTO initialisms VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 [(video_id, generation, *row) for row in rows])
            self._db.execute("INSERT OR REPLACE INTO initialisms_read VALUES (?, ?)", (video_id, generation))

    @_mapped
    def initialisms(self, letters: str) -> list[tuple[str, str, int, int]]:
        """(phrase, wording, said, defined) summed over the library's current transcripts, for these initials."""
        try:
            return self._db.execute(
                "SELECT i.phrase, i.wording, SUM(i.said), SUM(i.defined) FROM initialisms i JOIN videos v "
                "ON v.video_id = i.video_id AND v.generation = i.generation WHERE i.letters = ? "
                "GROUP BY i.phrase, i.wording", (letters,)).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc) and self.read_only:  # a read-only catalog from before initialisms
                return []
            raise

    @_mapped
    def match_counts(self, terms: list[str], video_ids: list[str] | None = None) -> dict[str, int]:
        """How many chunks each term (a word or phrase) matches, stemmed as the index is, optionally within
        some videos."""
        sql, scopes = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", [[]]
        if self.uses_video_ranges(video_ids):  # read only their rows, as _lexical_per_video does
            sql = ("SELECT count(*) FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
                   "WHERE chunks_fts MATCH ? AND chunks_fts.rowid BETWEEN ? AND ? AND c.video_id = ?")
            scopes = [[lo, hi, video_id] for video_id, lo, hi in self._db.execute(
                f"SELECT video_id, min(rowid), max(rowid) FROM chunks WHERE video_id IN "
                f"({','.join('?' * len(video_ids))}) GROUP BY video_id", video_ids)]
        elif video_ids is not None:
            sql = ("SELECT count(*) FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
                   f"WHERE chunks_fts MATCH ? AND c.video_id IN ({','.join('?' * len(video_ids))})")
            scopes = [list(video_ids)]
        counts = {}
        for term in terms:
            try:
                counts[term] = sum(self._db.execute(sql, [_fts_phrase(term), *scope]).fetchone()[0]
                                   for scope in scopes)
            except sqlite3.OperationalError:
                counts[term] = 0
        return counts

    @_mapped
    def uses_video_ranges(self, video_ids: list[str] | None) -> bool:
        """Whether a lexical search over these videos reads only their rowid ranges (cheap at any size)."""
        return video_ids is not None and len(video_ids) <= _PER_VIDEO_LEXICAL_MAX

    def _lexical_per_video(self, match: str, n: int, video_ids: list[str]) -> list[str]:
        # A video's chunks are inserted in one transaction, so their rowids form one range; FTS5
        # reads only that range instead of every match in the library (0.1 ms instead of 12 ms at
        # 100k chunks). bm25 uses whole-table statistics, so scores from separate ranges compare.
        ranges = self._db.execute(
            f"SELECT video_id, min(rowid), max(rowid) FROM chunks WHERE video_id IN "
            f"({','.join('?' * len(video_ids))}) GROUP BY video_id", video_ids
        ).fetchall()
        scored: list[tuple[float, str]] = []
        for video_id, lo, hi in ranges:
            scored += self._db.execute(
                "SELECT bm25(chunks_fts), c.chunk_id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
                "WHERE chunks_fts MATCH ? AND chunks_fts.rowid BETWEEN ? AND ? AND c.video_id = ? "
                "ORDER BY bm25(chunks_fts) LIMIT ?",
                (match, lo, hi, video_id, n),
            ).fetchall()
        return [cid for _, cid in sorted(scored)[:n]]

    @_mapped
    def chunk_vectors(self, video_ids: list[str]) -> tuple[list[str], np.ndarray]:
        """Chunk ids and their vectors (rows of a float32 matrix) for some videos."""
        rows = self._db.execute(
            f"SELECT chunk_id, vector FROM chunks WHERE video_id IN ({','.join('?' * len(video_ids))})", video_ids
        ).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])

    @_mapped
    def chunk_count(self, video_ids: list[str]) -> int:
        """Number of current chunks in some videos."""
        return sum(
            r[0] for r in self._db.execute(
                f"SELECT chunk_count FROM videos WHERE video_id IN ({','.join('?' * len(video_ids))})", video_ids
            )
        )

    @_mapped
    def chunks(self, chunk_ids: list[str]) -> dict[str, tuple[Chunk, np.ndarray]]:
        """Current chunks by id, each with its unit vectors (one row per unit)."""
        if not chunk_ids:
            return {}
        rows = self._db.execute(
            "SELECT c.chunk_id, c.video_id, v.generation, c.idx, c.start_s, c.end_s, c.chapter, c.text, "
            f"c.units_json, c.unit_vectors FROM chunks c JOIN videos v USING (video_id) "
            f"WHERE c.chunk_id IN ({','.join('?' * len(chunk_ids))})",
            chunk_ids,
        ).fetchall()
        out = {}
        for cid, vid, gen, idx, start, end, chapter, text, units, blob in rows:
            unit_list = tuple(tuple(u) for u in json.loads(units))
            vectors = np.frombuffer(blob, dtype=np.float16).astype(np.float32).reshape(len(unit_list), -1) \
                if unit_list else np.zeros((0, 0), dtype=np.float32)
            out[cid] = (Chunk(cid, vid, gen, idx, text, start, end, chapter, unit_list), vectors)
        return out

    @_mapped
    def video_units(self, video_id: str) -> tuple[list[tuple[float, str]], np.ndarray]:
        """A video's sentence units in time order, each once, with their vectors: ([(start_s, text)], matrix)."""
        rows = self._db.execute(
            "SELECT text, units_json, unit_vectors FROM chunks WHERE video_id = ? ORDER BY idx", (video_id,)
        ).fetchall()
        units: list[tuple[float, str]] = []
        vectors: list[np.ndarray] = []
        seen: set[float] = set()
        for text, units_json, blob in rows:
            spans = json.loads(units_json)
            matrix = np.frombuffer(blob, dtype=np.float16).astype(np.float32).reshape(len(spans), -1) \
                if spans else np.zeros((0, 0), dtype=np.float32)
            for (start, a, b), vector in zip(spans, matrix):
                if start not in seen:  # overlapping chunks repeat their edge sentences
                    seen.add(start)
                    units.append((start, text[a:b]))
                    vectors.append(vector)
        order = sorted(range(len(units)), key=lambda i: units[i][0])
        matrix = np.stack([vectors[i] for i in order]) if vectors else np.zeros((0, 0), dtype=np.float32)
        return [units[i] for i in order], matrix

    @_mapped
    def remember_listing(self, source: str, kind: str, title: str, languages: list[str] | None,
                         translate: str | None) -> None:
        """Keep a playlist or channel that was ingested (and how), so a sync can list it again."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        langs = ",".join(languages) if languages else None
        with self._db:
            self._db.execute(
                "INSERT INTO listings (source, kind, title, languages, translate, added_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(source) DO UPDATE SET title = excluded.title, languages = excluded.languages, "
                "translate = excluded.translate", (source, kind, title, langs, translate, now))

    @_mapped
    def listings(self) -> list[tuple[str, str, str, str | None, str | None, str | None]]:
        """Every remembered listing: (source, kind, title, synced_at, languages, translate), oldest first."""
        try:
            return self._db.execute("SELECT source, kind, title, synced_at, languages, translate FROM listings "
                                    "ORDER BY added_at, source").fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc) and self.read_only:  # a read-only catalog from before listings
                return []
            raise

    @_mapped
    def mark_synced(self, source: str) -> None:
        """Record that a listing was synced to the end."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._db:
            self._db.execute("UPDATE listings SET synced_at = ? WHERE source = ?", (now, source))

    @_mapped
    def cached(self, key: str) -> str | None:
        """A cached summary, or None."""
        row = self._db.execute("SELECT value FROM summaries WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @_mapped
    def cache(self, key: str, value: str) -> None:
        """Store a summary."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO summaries VALUES (?, ?, ?)", (key, value, now))

    @_mapped
    def save_answer(self, video_id: str, answer: Answer) -> None:
        """Keep a question about one video with its answer; the same question again replaces it."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        data = {"text": answer.text, "model": answer.model, "kind": answer.kind, "grounded": answer.grounded,
                "citations": [asdict(c) for c in answer.citations]}
        with self._db:  # a new row, so the rowid order is the order of asking
            self._db.execute("DELETE FROM answers WHERE video_id = ? AND question = ?", (video_id, answer.question))
            self._db.execute("INSERT INTO answers (video_id, question, answer_json, asked_at) VALUES (?, ?, ?, ?)",
                             (video_id, answer.question, json.dumps(data, ensure_ascii=False), now))

    @_mapped
    def answers(self, video_id: str) -> list[Answer]:
        """The kept questions about one video with their answers, in the order they were (last) asked."""
        try:
            rows = self._db.execute(
                "SELECT question, answer_json FROM answers WHERE video_id = ? ORDER BY id", (video_id,)
            ).fetchall()
        except sqlite3.OperationalError:  # a read-only catalog from before answers were kept has no table
            return []
        out = []
        for question, answer_json in rows:
            data = json.loads(answer_json)
            citations = [Citation(**c) for c in data["citations"]]
            out.append(Answer(question, data["text"], data["model"], data["kind"], citations, data["grounded"]))
        return out


    @_mapped
    def forget_answer(self, video_id: str, question: str) -> bool:
        """Drop a kept question about one video; True if it was there."""
        with self._db:
            return self._db.execute("DELETE FROM answers WHERE video_id = ? AND question = ?",
                                    (video_id, question)).rowcount > 0

    @_mapped
    def own_note(self, video_id: str) -> str:
        """The student's own notes on one video ("" for none)."""
        try:
            row = self._db.execute("SELECT text FROM own_notes WHERE video_id = ?", (video_id,)).fetchone()
        except sqlite3.OperationalError as exc:  # a read-only catalog from before own notes were kept has no table
            if "no such table" in str(exc):
                return ""
            raise
        return row[0] if row else ""

    @_mapped
    def save_own_note(self, video_id: str, text: str) -> None:
        """Keep the student's own notes on one video; empty text drops them."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._db:
            if text.strip():
                self._db.execute("INSERT OR REPLACE INTO own_notes VALUES (?, ?, ?)", (video_id, text, now))
            else:
                self._db.execute("DELETE FROM own_notes WHERE video_id = ?", (video_id,))


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Read a catalog in a folder we cannot write.

    A writer that has not closed yet leaves its latest transactions in the WAL, which a plain read-only
    connection reads through the existing -shm file. When that cannot open (no -shm file, which SQLite
    cannot create here), the file is read as immutable: right after a clean close, which checkpoints the
    WAL, that sees everything; it does not see later writes by another process, so a long-lived reader of
    a home that someone else still writes should be restarted to see them.
    """
    uri = path.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        db.execute("SELECT count(*) FROM videos").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)


def _fts_phrase(term: str) -> str:
    """A word or phrase as one FTS5 phrase: quoted, so no query syntax in it ever applies."""
    return '"' + term.replace('"', '""') + '"'


def _meta(data: dict) -> VideoMeta:
    data = dict(data)
    data["chapters"] = [Chapter(**c) for c in data.get("chapters", [])]
    known = VideoMeta.__dataclass_fields__
    return VideoMeta(**{k: v for k, v in data.items() if k in known})


def _record(meta_json: str, generation: str, chunk_count: int, embed_model: str, added: str, updated: str) -> VideoRecord:
    return VideoRecord(_meta(json.loads(meta_json)), generation, chunk_count, embed_model, added, updated)
