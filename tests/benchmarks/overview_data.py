"""The corpus as the overview benchmarks need it: caption snippets, sentence units and their vectors, cached.

Embedding is the slow part (MiniLM on two shared cores), so each transcript's `units_with_vectors` is computed
once and kept as an .npz under /tmp; every tuning run after that takes seconds.

Run once to fill the cache: python tests/benchmarks/overview_data.py [--all]
(without --all: the dev videos that have creator chapters, then the Deep Dive lecture).
Only the dev videos' chapters are read; the held-out half has no chapters in the manifest and we look for none.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import SHARED  # noqa: E402

CACHE = Path("/tmp/yt-transcript-overview-cache")
DEEP_DIVE = "7xTGNNLPyMI"
LONG_VIDEO_S = 30 * 60


@dataclass
class Video:
    video_id: str
    title: str
    duration_s: float
    snippets: list  # cleaned caption snippets (Snippet)
    units: list  # rag.chapters.Unit
    vectors: np.ndarray
    truth: list  # creator chapters (Chapter), empty when the manifest holds none

    @property
    def long(self) -> bool:
        return self.duration_s > LONG_VIDEO_S


def rows(with_chapters: bool | None = None) -> list[dict]:
    out = json.loads((SHARED / "corpus.json").read_text())
    if with_chapters is not None:
        out = [r for r in out if bool(r.get("chapters")) == with_chapters]
    return out


_EMBEDDER = None


def _embedder():
    global _EMBEDDER
    if _EMBEDDER is None:
        from yt_transcript.ingest.embedding import SentenceTransformerEmbedder

        from yt_transcript import Settings

        _EMBEDDER = SentenceTransformerEmbedder(Settings().embed_model)
    return _EMBEDDER


def load(row: dict, *, embed: bool = True) -> Video | None:
    """One corpus video; units and vectors from the cache (computed and saved on a miss when embed is set)."""
    from yt_transcript.ingest.captions import read_caption_file
    from yt_transcript.ingest.cleaning import clean_snippets
    from yt_transcript.ingest.metadata import chapters_from_list
    from yt_transcript.rag.chapters import Unit
    from yt_transcript.rag.evaluate import units_with_vectors

    from yt_transcript import Settings

    snippets = clean_snippets(read_caption_file(SHARED / row["transcript"]).snippets)
    duration = float(row.get("duration_s") or snippets[-1].end_s)
    truth = (chapters_from_list(json.loads((SHARED / row["chapters"]).read_text()), duration)
             if row.get("chapters") else [])
    path = CACHE / f"{row['video_id']}.npz"
    if path.is_file():
        data = np.load(path, allow_pickle=False)
        units = [Unit(float(s), str(t)) for s, t in zip(data["starts"], data["texts"])]
        vectors = data["vectors"]
    elif embed:
        units, vectors = units_with_vectors(snippets, _embedder(), Settings().ingest)
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(path, starts=np.array([u.start_s for u in units]), texts=np.array([u.text for u in units]),
                 vectors=vectors)
    else:
        return None
    return Video(row["video_id"], row["title"], duration, snippets, units, vectors, truth)


def dev_videos() -> list[Video]:
    """The dev videos with creator chapters (cached)."""
    return [v for v in (load(r, embed=False) for r in rows(with_chapters=True)) if v is not None]


if __name__ == "__main__":
    todo = rows(with_chapters=True) + [r for r in rows() if r["video_id"] == DEEP_DIVE]
    if "--all" in sys.argv:
        todo += [r for r in rows(with_chapters=False) if r["video_id"] != DEEP_DIVE]
    # Short videos first: the tuning loop can start before the long lectures are done.
    todo.sort(key=lambda r: (r["video_id"] == DEEP_DIVE, r.get("duration_s") or 0))
    for row in todo:
        t0 = time.perf_counter()
        video = load(row)
        print(f"{row['video_id']} {len(video.units)} units {time.perf_counter() - t0:.1f}s", flush=True)
