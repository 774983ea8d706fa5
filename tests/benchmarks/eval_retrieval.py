"""Dev-set figures for each retrieval variant, plus the chapter-title check.

Run: python tests/benchmarks/eval_retrieval.py HOME   (HOME is built from ../shared on first use; needs ../shared)
Prints hit@1 / hit@5 / MRR@10 on tests/data/retrieval_dev.jsonl, library-wide and within each question's video,
scored on our gold windows (strict) and on the ~2-minute passages holding them (as the private set is scored;
see peers.py), then the same for the questions on lower-case, unpunctuated ASR (ids "yl"), the private set's kind.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.corpus import ingest_corpus  # noqa: E402
from tests.benchmarks.peers import passages, widen  # noqa: E402

VARIANTS = {
    "dense, chunk start": dict(lexical=False, rerank=False, locate=False, merge=False, diversify=False),
    "dense": dict(lexical=False, rerank=False),
    "lexical (FTS5 bm25, words ORed)": dict(dense=False, rerank=False),
    "hybrid (RRF)": dict(rerank=False),
    "hybrid + sentence rerank": dict(),
    "hybrid + sentence rerank, no diversify": dict(diversify=False),
    "hybrid + sentence rerank, dense-only locate": dict(locate_lexical_weight=0.0),
    "hybrid + sentence rerank, locate weight 1.0": dict(locate_lexical_weight=1.0),
}


def chapter_title_check(library) -> dict:
    """Query each creator chapter title library-wide; a hit when the top result lands in that chapter."""
    hits = total = 0
    for record in library.videos():
        chapters = record.meta.chapters
        for chapter in chapters:
            total += 1
            top = library.search(chapter.title, k=1) if chapter.title.strip() else []  # blank: a miss, not an error
            end = chapter.end_s if chapter.end_s is not None else float("inf")
            hits += bool(top) and top[0].video_id == record.meta.video_id and chapter.start_s <= top[0].start_s < end
    return {"chapters": total, "hit@1": round(hits / total, 4) if total else 0.0}


def main() -> None:
    from yt_transcript import Library, SearchOptions, Settings
    from yt_transcript.ingest.embedding import SentenceTransformerEmbedder
    from yt_transcript.rag.evaluate import evaluate_retrieval, load_questions

    home = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/yt-transcript-devlib")
    settings = Settings(home=home)
    embedder = SentenceTransformerEmbedder(settings.embed_model)
    library = Library(settings, embedder=embedder)  # the same model ingests and embeds the queries
    if not library.videos():
        print(f"building the dev library in {home} ...", flush=True)
        ingest_corpus(library, exclude={"7xTGNNLPyMI"}, quiet=True)
    questions = load_questions(REPO / "tests" / "data" / "retrieval_dev.jsonl")
    print(f"{len(library.videos())} videos, {sum(r.chunk_count for r in library.videos())} chunks, "
          f"{len(questions)} questions")
    spans = {v: passages(library.transcript(v).snippets) for v in {q.video_id for q in questions}}
    sets = {"all": questions, "asr": [q for q in questions if q.id.startswith("yl")]}
    rows = {}
    for subset, qs in sets.items():
        print(f"-- {subset}: {len(qs)} questions; strict hit@1/hit@5/MRR, then passage hit@1/hit@5/MRR")
        for name, kwargs in VARIANTS.items():
            for scope, each in (("library", False), ("video", True)):
                t0 = time.perf_counter()
                options = SearchOptions(**kwargs)
                report = evaluate_retrieval(library.storage, embedder, qs, each_video=each, options=options)
                ms = (time.perf_counter() - t0) / len(qs) * 1000
                wide = evaluate_retrieval(library.storage, embedder, [widen(q, spans[q.video_id]) for q in qs],
                                          each_video=each, options=options)
                rows[(subset, name, scope)] = report
                print(f"{name:42s} {scope:8s} {report['hit@1']:.3f} / {report['hit@5']:.3f} / {report['mrr@10']:.3f}"
                      f"   {wide['hit@1']:.3f} / {wide['hit@5']:.3f} / {wide['mrr@10']:.3f}  ({ms:.0f} ms/query)",
                      flush=True)
    print("chapter-title check (library-wide, default search):", json.dumps(chapter_title_check(library)))
    if "--misses" in sys.argv:
        for miss in rows[("all", "hybrid + sentence rerank", "library")]["misses"]:
            print(json.dumps(miss))


if __name__ == "__main__":
    main()
