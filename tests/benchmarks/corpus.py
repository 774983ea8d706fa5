"""Build a library from ../shared/data/corpus.json (real transcripts, titles from the manifest)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import SHARED  # noqa: E402

if TYPE_CHECKING:
    from yt_transcript import Library


_CHANNELS = {"crash-course": "CrashCourse", "karpathy": "Andrej Karpathy", "lex-fridman": "Lex Fridman",
             "anthropic": "Anthropic"}


def channel_of(row: dict) -> str:
    """A corpus row's channel, as YouTube names it (the manifest has none; its folders say whose it is)."""
    return next((name for key, name in _CHANNELS.items() if key in row["transcript"]), "")


def ingest_corpus(library: Library, *, exclude: set[str] = frozenset(), quiet: bool = False) -> list:
    """Ingest every corpus transcript (skipping `exclude` ids) into the library and return the results.

    The library embeds with its own embedder: open it with `embedder=` to use a model already loaded.
    """
    results = []
    for row in json.loads((SHARED / "corpus.json").read_text()):
        if row["video_id"] in exclude:
            continue
        channel = channel_of(row)
        t0 = time.perf_counter()
        [out] = library.ingest(str(SHARED / row["transcript"]), video_id=row["video_id"], title=row["title"],
                               channel=channel)
        results.append(out)
        if not quiet:
            r = out.results[0]
            print(f"{'ok' if r.ok else 'FAIL'} {row['video_id']} {r.chunks} chunks {time.perf_counter() - t0:.1f}s",
                  flush=True)
    return results


if __name__ == "__main__":
    from yt_transcript import Library, Settings
    from yt_transcript.ingest.embedding import SentenceTransformerEmbedder

    settings = Settings(home=Path(sys.argv[1]))
    ingest_corpus(Library(settings, embedder=SentenceTransformerEmbedder(settings.embed_model)),
                  exclude={"7xTGNNLPyMI"} if "--no-deep-dive" in sys.argv else set())
