"""Search latency at 10k and 100k chunks: p50/p95, library-wide and with a video filter, query embedding included.

Run: python tests/benchmarks/bench_search.py DEV_HOME [OUT_DIR]
DEV_HOME is a library built from ../shared (eval_retrieval.py builds one). Its real chunks and vectors are
replicated under new video ids (with a little noise, so the ANN index is not full of exact twins) until the
store holds 10k, then 100k chunks. Prints numbers; asserts nothing.

History (2026-11-30, this 2-core machine, /tmp/devlib96 replicated): with acronyms mined at query time (an
FTS5 NEAR of one-letter prefixes), 100k chunks library-wide p50/p95 92/410 ms, acronym queries 328/641 ms.
With each transcript read once for them (rag/expansion.read_library, kept in the catalog): 93/169 ms,
acronym queries 55/101 ms; 10k: 49/73 ms. The read itself: 17.3 s for the 1,064 replicated videos (615 h).
Then (same day) no one-letter lexical terms from contractions and possessives ("s" alone matched 65% of the
100k chunks) and each chunk's text read once to score its windows (rag/retrieve._window_overlaps): 100k
library-wide 74/112 ms, one video 14/40, one channel 66/91, acronyms 53/85; 10k library-wide 34/52 ms.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def fill(target: "Storage", source: "Storage", total: int, rng: np.random.Generator, model: str) -> None:  # noqa: F821
    """Replicate the source library's chunks into target until it holds `total` chunks."""
    records = source.records()
    have = sum(r.chunk_count for r in target.records())
    copy = len(target.records()) // max(1, len(records))
    while have < total:
        for record in records:
            if have >= total:
                break
            vid = f"{record.meta.video_id}-r{copy}"
            transcript = source.transcript(record.meta.video_id)
            transcript.meta = replace(transcript.meta, video_id=vid)
            ids = [f"{record.meta.video_id}:{record.generation}:{i:05d}" for i in range(record.chunk_count)]
            found = source.catalog.chunks(ids)
            chunks, units = [], []
            for cid in ids:
                chunk, unit_vecs = found[cid]
                chunks.append(replace(chunk, chunk_id=f"{vid}:{chunk.generation}:{chunk.index:05d}", video_id=vid))
                units.append(unit_vecs.tolist())
            _, matrix = source.catalog.chunk_vectors([record.meta.video_id])
            order = {cid: i for i, cid in enumerate(source.catalog.chunk_vectors([record.meta.video_id])[0])}
            matrix = matrix[[order[c] for c in ids]] + rng.normal(0, 0.01, (len(ids), matrix.shape[1]))
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            target.save(transcript, chunks, matrix.astype(np.float32).tolist(), units, model)
            have += len(chunks)
        copy += 1


ACRONYM_QUERIES = ["What is RLHF?", "how does BPE work", "what is an LLM", "SFT vs RLHF", "What does GPT stand for?",
                   "why use MCTS in AlphaGo", "what is rlhf", "CNN or RNN for text", "what is PTSD", "how is DNA copied"]


def timings(fn, queries) -> tuple[float, float]:
    samples = []
    for q in queries:
        t0 = time.perf_counter()
        fn(q)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    from yt_transcript.ingest.embedding import load_fast_embedder
    from yt_transcript.ingest.settings import Settings
    from yt_transcript.ingest.storage import Storage
    from yt_transcript.rag.evaluate import load_questions
    from yt_transcript.rag.expansion import read_library
    from yt_transcript.rag.retrieve import SearchOptions, search

    # Storage and rag's search, not Library.search: only the search path itself is timed.
    source = Storage(Settings(home=Path(sys.argv[1])))
    model = source.records()[0].embed_model
    embedder = load_fast_embedder(model, Path(sys.argv[1]))
    print(f"query embedder: {type(embedder).__name__}")
    questions = load_questions(REPO / "tests" / "data" / "retrieval_dev.jsonl")
    queries = [q.question for q in questions]
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp())
    target = Storage(Settings(home=out))
    rng = np.random.default_rng(0)
    for total in (10_000, 100_000):
        t0 = time.perf_counter()
        fill(target, source, total, rng, model)
        n = sum(r.chunk_count for r in target.records())
        print(f"\n== {n} chunks in {len(target.records())} videos (filled in {time.perf_counter() - t0:.0f} s)")
        one = target.records()[len(target.records()) // 2].meta.video_id
        t0 = time.perf_counter()
        read_library(target)  # what Library.ingest does after each ingest (fill() saves to storage directly)
        print(f"read for acronyms in {time.perf_counter() - t0:.1f} s")
        for _ in range(3):  # warm caches, as a long-running app would be
            search(target, embedder, queries[0], SearchOptions())
        for label, kwargs in (("library-wide", {}), ("one video", {"video_ids": [one]}),
                              ("one channel", {"channel": "CrashCourse"})):
            p50, p95 = timings(lambda q: search(target, embedder, q, SearchOptions(k=5, **kwargs)), queries)
            print(f"{label:13s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   (query embedding included)")
        p50, p95 = timings(lambda q: embedder.embed_query(q), queries)
        print(f"{'embed only':13s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
        # Each acronym costs one more look-up of the whole index (rag/expansion.py: its spoken form).
        p50, p95 = timings(lambda q: search(target, embedder, q, SearchOptions(k=5)), ACRONYM_QUERIES * 4)
        print(f"{'acronyms':13s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   (library-wide, {len(ACRONYM_QUERIES)} queries)")


if __name__ == "__main__":
    main()
