"""Retrieval evaluation: hit@1, hit@5 and MRR@10 of the real search path against gold windows."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from yt_transcript.ingest.embedding import Embedder
from yt_transcript.ingest.errors import ManifestError, QuestionFileError
from yt_transcript.ingest.models import SearchHit
from yt_transcript.ingest.settings import IngestSettings
from yt_transcript.ingest.storage import Storage
from yt_transcript.rag.retrieve import SearchOptions, search

SLACK_S = 15.0  # a click up to 15 s before the answer still lands the user on it


@dataclass
class Question:
    """One evaluation question."""

    id: str
    question: str
    video_id: str
    gold: list[tuple[float, float]]  # windows where the answer is spoken, seconds


def load_questions(path: str | Path) -> list[Question]:
    """Read a JSONL questions file; unknown fields are ignored."""
    questions = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionFileError(f"{path}: cannot read ({exc.strerror})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold = [(float(a), float(b)) for a, b in row["gold"]]
            questions.append(Question(str(row["id"]), str(row["question"]), str(row["video_id"]), gold))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise QuestionFileError(f"{path}: line {n}: {type(exc).__name__}: {exc}") from exc
    if not questions:
        raise QuestionFileError(f"{path}: no questions")
    return questions


def is_hit(question: Question, video_id: str, start_s: float) -> bool:
    """A result hits when it is in the question's video and starts in a gold window (15 s slack before)."""
    return video_id == question.video_id and any(a - SLACK_S <= start_s <= b for a, b in question.gold)


def evaluate_retrieval(
    storage: Storage,
    embedder: Embedder,
    questions: list[Question],
    *,
    video_id: str | None = None,
    each_video: bool = False,
    k: int = 10,
    options: SearchOptions | None = None,
    searcher: Callable[[str, SearchOptions], list[SearchHit]] | None = None,
) -> dict:
    """Run every question through search (or `searcher`, e.g. model search) and score it:
    {"n", "hit@1", "hit@5", "mrr@10", "misses"}."""
    if video_id is not None:
        questions = [q for q in questions if q.video_id == video_id]
    hits1 = hits5 = 0
    rr = 0.0
    misses = []
    for q in questions:
        scope = [video_id] if video_id else ([q.video_id] if each_video else None)
        opts = replace(options or SearchOptions(), video_ids=scope, k=max(k, 10))
        results = searcher(q.question, opts) if searcher else search(storage, embedder, q.question, opts)
        # Ranks are looked for in all k results (so a miss says where it was); the scores stay @1, @5 and @10.
        rank = next((i for i, h in enumerate(results[:max(k, 10)], 1) if is_hit(q, h.video_id, h.start_s)), None)
        hits1 += rank == 1
        hits5 += rank is not None and rank <= 5
        rr += 1.0 / rank if rank and rank <= 10 else 0.0
        if rank != 1:
            top = results[0] if results else None
            misses.append({
                "id": q.id, "question": q.question, "video_id": q.video_id, "gold": q.gold, "rank": rank,
                "top": {"video_id": top.video_id, "start": round(top.start_s, 1)} if top else None,
            })
    n = len(questions)
    return {
        "n": n,
        "hit@1": round(hits1 / n, 4) if n else 0.0,
        "hit@5": round(hits5 / n, 4) if n else 0.0,
        "mrr@10": round(rr / n, 4) if n else 0.0,
        "misses": misses,
    }


# --- chapter detection ----------------------------------------------------------------------------

LONG_VIDEO_S = 30 * 60


def units_with_vectors(snippets, embedder: Embedder, settings: IngestSettings) -> tuple[list, "np.ndarray"]:  # noqa: F821
    """Sentence units of a transcript and their vectors, computed the way ingest computes them (no chapters)."""
    import numpy as np

    from yt_transcript.ingest.chunking import chunk_transcript
    from yt_transcript.rag.chapters import Unit

    chunks = chunk_transcript("eval", snippets, [], embedder.count_tokens, max_tokens=embedder.chunk_budget,
                              target_tokens=settings.chunk_target_tokens, overlap_tokens=settings.chunk_overlap_tokens)
    _, unit_vectors = embedder.embed_with_units([c.text for c in chunks], [[(a, b) for _, a, b in c.units]
                                                                           for c in chunks])
    seen: set[float] = set()
    units, rows = [], []
    for chunk, vectors in zip(chunks, unit_vectors):
        for (start, a, b), vector in zip(chunk.units, vectors):
            if start in seen:  # overlapping chunks repeat their edge sentences
                continue
            seen.add(start)
            units.append(Unit(start, chunk.text[a:b]))
            rows.append(vector)
    order = sorted(range(len(units)), key=lambda i: units[i].start_s)
    return [units[i] for i in order], np.asarray([rows[i] for i in order], dtype=np.float32)


def evaluate_chapters(manifest: str | Path, embedder: Embedder, settings: IngestSettings) -> dict:
    """Hide each video's chapters, detect them, and score boundaries at ±30 s and ±60 s, with two baselines."""
    from yt_transcript.ingest.captions import read_caption_file
    from yt_transcript.ingest.cleaning import clean_snippets
    from yt_transcript.ingest.metadata import chapters_from_list
    from yt_transcript.rag.chapters import SegmentParams, boundary_scores, evenly_spaced, segment

    # TextTiling as first configured (blocks 1/250, windows 1/40, spacing 1/60): a baseline that stays put
    # when our defaults move.
    texttiling = SegmentParams(block_share=1 / 250, window_share=1 / 40, cutoff=0.5, min_gap_share=1 / 60,
                               refine=0.0)

    path = Path(manifest)
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({exc})") from exc
    videos = []
    for row in rows:
        if not row.get("chapters") or not row.get("transcript"):
            continue
        snippets = clean_snippets(read_caption_file(path.parent / row["transcript"]).snippets)
        duration = float(row.get("duration_s") or snippets[-1].end_s)
        truth = [c.start_s for c in chapters_from_list(json.loads((path.parent / row["chapters"]).read_text()),
                                                       duration)]
        units, vectors = units_with_vectors(snippets, embedder, settings)
        methods = {
            "ours": segment(units, vectors, duration),
            "even (true count)": evenly_spaced(duration, len(truth)),
            "texttiling (true count)": segment(units, vectors, duration, count=len(truth), params=texttiling),
        }
        scores = {name: {f"{label}@{tol}": round(value, 3)
                         for tol in (30, 60)
                         for label, value in zip(("p", "r", "f1"), boundary_scores(starts, truth, tol))}
                  for name, starts in methods.items()}
        videos.append({"video_id": row["video_id"], "duration_s": duration, "true_chapters": len(truth),
                       "detected_chapters": len(methods["ours"]), "scores": scores,
                       "true_starts": truth, "detected_starts": methods["ours"]})

    def mean(subset: list[dict]) -> dict:
        if not subset:
            return {}
        names = subset[0]["scores"].keys()
        return {name: {k: round(sum(v["scores"][name][k] for v in subset) / len(subset), 3)
                       for k in subset[0]["scores"][name]} for name in names}

    long = [v for v in videos if v["duration_s"] > LONG_VIDEO_S]
    return {"videos": videos, "mean": mean(videos), "mean_long": mean(long), "n": len(videos), "n_long": len(long)}
