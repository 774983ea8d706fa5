"""Build a library from ../shared/data/corpus.json (real transcripts, titles from the manifest)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import SHARED  # noqa: E402


def ingest_corpus(library, embedder, settings, *, exclude: set[str] = frozenset(), quiet: bool = False) -> list:
    """Ingest every corpus transcript (skipping `exclude` ids) and return the results."""
    from ingest.pipeline import IngestOptions, Ingestor

    channels = {"crash-course": "CrashCourse", "karpathy": "Andrej Karpathy", "lex-fridman": "Lex Fridman",
                "anthropic": "Anthropic"}
    ingestor = Ingestor(settings, library, lambda: embedder)
    results = []
    for row in json.loads((SHARED / "corpus.json").read_text()):
        if row["video_id"] in exclude:
            continue
        channel = next((name for key, name in channels.items() if key in row["transcript"]), "")
        t0 = time.perf_counter()
        out = ingestor.ingest(str(SHARED / row["transcript"]),
                              IngestOptions(video_id=row["video_id"], title=row["title"], channel=channel))
        results.append(out)
        if not quiet:
            r = out.results[0]
            print(f"{'ok' if r.ok else 'FAIL'} {row['video_id']} {r.chunks} chunks {time.perf_counter() - t0:.1f}s",
                  flush=True)
    return results


if __name__ == "__main__":
    from ingest.embedding import SentenceTransformerEmbedder
    from ingest.library import Library
    from ingest.settings import Settings

    settings = Settings(home=Path(sys.argv[1]))
    ingest_corpus(Library(settings), SentenceTransformerEmbedder(settings.embed_model), settings,
                  exclude={"7xTGNNLPyMI"} if "--no-deep-dive" in sys.argv else set())
