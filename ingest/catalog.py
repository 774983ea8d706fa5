"""The library catalog: each video's metadata, cleaned transcript and active chunk generation, in SQLite.

It lives in the data home beside the embedded vectors, so export, summaries and the UI
never refetch from YouTube. Each write is one transaction, so a crash leaves either the
old record or the new one, never half of either.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from ingest.models import Chapter, Snippet, Transcript, VideoMeta, VideoRecord

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
"""


class Catalog:
    """SQLite-backed record of what the library holds."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # WAL lets the app read while the CLI ingests; the timeout rides out a writer's lock.
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def commit_video(self, transcript: Transcript, generation: str, chunk_count: int, embed_model: str) -> None:
        """Make this transcript and chunk generation the video's current version, atomically."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        meta = asdict(transcript.meta)
        snippets = [[s.start_s, s.end_s, s.text] for s in transcript.snippets]
        with self._db:
            self._db.execute(
                """INSERT INTO videos VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(video_id) DO UPDATE SET meta_json=excluded.meta_json,
                     snippets_json=excluded.snippets_json, generation=excluded.generation,
                     chunk_count=excluded.chunk_count, embed_model=excluded.embed_model,
                     updated_at=excluded.updated_at""",
                (transcript.meta.video_id, json.dumps(meta), json.dumps(snippets), generation,
                 chunk_count, embed_model, now, now),
            )

    def remove(self, video_id: str) -> bool:
        """Forget a video; True if it was there."""
        with self._db:
            return self._db.execute("DELETE FROM videos WHERE video_id = ?", (video_id,)).rowcount > 0

    def get(self, video_id: str) -> VideoRecord | None:
        """The record of one video, or None."""
        row = self._db.execute(
            "SELECT meta_json, generation, chunk_count, embed_model, added_at, updated_at FROM videos WHERE video_id = ?",
            (video_id,),
        ).fetchone()
        return _record(*row) if row else None

    def transcript(self, video_id: str) -> Transcript | None:
        """The stored cleaned transcript of one video, or None."""
        row = self._db.execute(
            "SELECT meta_json, snippets_json FROM videos WHERE video_id = ?", (video_id,)
        ).fetchone()
        if not row:
            return None
        snippets = [Snippet(text, start, end) for start, end, text in json.loads(row[1])]
        return Transcript(_meta(json.loads(row[0])), snippets)

    def records(self) -> list[VideoRecord]:
        """All videos, most recently added first."""
        rows = self._db.execute(
            "SELECT meta_json, generation, chunk_count, embed_model, added_at, updated_at FROM videos "
            "ORDER BY added_at DESC, video_id"
        ).fetchall()
        return [_record(*row) for row in rows]

    def active_generations(self) -> dict[str, str]:
        """video_id -> the generation whose chunks are current."""
        return dict(self._db.execute("SELECT video_id, generation FROM videos").fetchall())


def _meta(data: dict) -> VideoMeta:
    data = dict(data)
    data["chapters"] = [Chapter(**c) for c in data.get("chapters", [])]
    known = VideoMeta.__dataclass_fields__
    return VideoMeta(**{k: v for k, v in data.items() if k in known})


def _record(meta_json: str, generation: str, chunk_count: int, embed_model: str, added: str, updated: str) -> VideoRecord:
    return VideoRecord(_meta(json.loads(meta_json)), generation, chunk_count, embed_model, added, updated)
