"""Find chapters in a transcript that has none: topic segmentation over sentence embeddings.

Chapters are the talk's most coherent split (`optimal_cuts`, a penalty per chapter choosing their number);
TextTiling (`texttiling`) places a given number of chapters and is kept as the baseline the benchmark reports
(tests/benchmarks/eval_chapters.py)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from yt_transcript.ingest.models import Chapter
from yt_transcript.rag.stopwords import STOPWORDS



@dataclass(frozen=True)
class Unit:
    """A sentence-like unit with its vector."""

    start_s: float  # seconds
    text: str


def blocks(units: list[Unit], vectors: np.ndarray, block_s: float) -> tuple[list[float], np.ndarray]:
    """Average unit vectors over consecutive blocks of about block_s seconds. Returns (block starts, vectors)."""
    starts: list[float] = []
    rows: list[np.ndarray] = []
    current: list[int] = []
    for i, unit in enumerate(units):
        if current and unit.start_s - units[current[0]].start_s >= block_s:
            starts.append(units[current[0]].start_s)
            rows.append(vectors[current].mean(axis=0))
            current = []
        current.append(i)
    if current:
        starts.append(units[current[0]].start_s)
        rows.append(vectors[current].mean(axis=0))
    matrix = np.stack(rows) if rows else np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 1))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return starts, matrix / np.where(norms == 0, 1, norms)


def depth_scores(matrix: np.ndarray, window: int) -> np.ndarray:
    """TextTiling depth at each gap between blocks: how far similarity dips below the peaks around it."""
    n = len(matrix)
    sims = np.zeros(max(0, n - 1))
    for gap in range(1, n):
        left = matrix[max(0, gap - window):gap].mean(axis=0)
        right = matrix[gap:gap + window].mean(axis=0)
        sims[gap - 1] = float(left @ right / ((np.linalg.norm(left) * np.linalg.norm(right)) or 1.0))
    depths = np.zeros_like(sims)
    for i, s in enumerate(sims):
        lpeak = s
        for j in range(i - 1, -1, -1):
            if sims[j] < lpeak:
                break
            lpeak = sims[j]
        rpeak = s
        for j in range(i + 1, len(sims)):
            if sims[j] < rpeak:
                break
            rpeak = sims[j]
        depths[i] = (lpeak - s) + (rpeak - s)
    return depths


def _pick(depths: np.ndarray, starts: list[float], min_gap_s: float, count: int | None, cutoff: float) -> list[int]:
    """Gaps (block indexes) chosen as boundaries, deepest first, at least min_gap_s apart."""
    chosen: list[int] = []
    for gap in np.argsort(-depths):
        if count is not None and len(chosen) >= count:
            break
        if count is None and depths[gap] < cutoff:
            break
        t = starts[gap + 1]
        if t < min_gap_s or (starts[-1] - t) < min_gap_s / 2:
            continue
        if all(abs(t - starts[c + 1]) >= min_gap_s for c in chosen):
            chosen.append(int(gap))
    return sorted(chosen)


@dataclass(frozen=True)
class SegmentParams:
    """How chapters are found. Lengths are shares of the video, so one setting serves a 10-minute explainer
    and a 3-hour lecture.

    Chapters are the talk's most coherent split (`optimal_cuts`): each costs `penalty`, so the count follows
    how distinct the video's parts are, not its length. The defaults are the setting leave-one-video-out chose
    in most folds over the dev videos with creator chapters (tests/benchmarks/eval_chapters.py). TextTiling
    (window, cutoff and the weighed signals below) places a given count, and is kept as the baseline.
    """

    block_share: float = 1 / 250  # sentence vectors are averaged over blocks this long (10-60 s)
    penalty: float = 1.5  # a chapter is split off when it makes its blocks this much more coherent (in blocks)
    min_gap_share: float = 1 / 60  # chapters are at least this long
    refine: float = 1.0  # each boundary then moves to the sharpest change of topic within this many blocks
    window_share: float = 1 / 40  # TextTiling: each gap compares this much talk on either side (>= 3 blocks)
    cutoff: float = 0.25  # TextTiling: a gap is a boundary this many standard deviations above the mean score
    lexical: float = 0.0  # TextTiling: weight of the vocabulary shift next to the vector depth
    cues: float = 0.0  # TextTiling: weight of a transition phrase ("okay so next", "moving on") at the gap
    pauses: float = 0.0  # TextTiling: weight of the silence at the gap


# Phrases speakers use to move to the next part of a talk.
_TRANSITIONS = re.compile(
    r"^(?:(?:and |so |okay |ok |alright |all right |right )+)?(?:"
    r"let's (?:now )?(?:move on|turn|talk about|look at|get (?:in)?to|switch|go (?:back )?to)|"
    r"moving on|next (?:up|thing|step|topic|we)|the next (?:thing|step|topic|part|question|section)|"
    r"now let's|now we(?:'re| are) going to|now that we|that's (?:it|all) for|in this (?:section|part)|"
    r"(?:so|okay|ok|alright) now|let me (?:now )?(?:show|talk|turn|move)|"
    r"(?:first|second|third|finally|lastly)[, ]|another (?:thing|way|example|topic)|"
    r"next[, ]|now[, ]|okay so|ok so|alright so|all right so)",
    re.IGNORECASE,
)


def transition_strength(text: str) -> float:
    """1 when a unit opens with a transition phrase, else 0."""
    return 1.0 if _TRANSITIONS.match(text.strip().lower()) else 0.0


def lexical_matrix(units: list[Unit], starts: list[float]) -> np.ndarray:
    """Word counts per block (content words only), L2-normalised: the vocabulary TextTiling compares."""
    vocab: dict[str, int] = {}
    rows: list[Counter] = [Counter() for _ in starts]
    b = 0
    for unit in units:
        while b + 1 < len(starts) and unit.start_s >= starts[b + 1]:
            b += 1
        for w in re.findall(r"[a-z][a-z'-]+", unit.text.lower()):
            if w not in STOPWORDS and len(w) > 2:
                rows[b][vocab.setdefault(w, len(vocab))] += 1
    matrix = np.zeros((len(starts), max(1, len(vocab))), dtype=np.float32)
    for i, row in enumerate(rows):
        for j, c in row.items():
            matrix[i, j] = c
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def gap_pauses(units: list[Unit], starts: list[float]) -> np.ndarray:
    """The longest silence near each block gap: a unit lasting longer than its words need at the usual pace."""
    if len(units) < 2:
        return np.zeros(max(0, len(starts) - 1))
    spans = np.array([b.start_s - a.start_s for a, b in zip(units, units[1:])])
    words = np.array([max(1, len(u.text.split())) for u in units[:-1]])
    pace = float(np.median(spans / words))
    slack = np.maximum(0.0, spans - words * pace)
    ends = np.array([u.start_s for u in units[1:]])  # a unit's silence falls just before the next unit
    out = np.zeros(max(0, len(starts) - 1))
    for g in range(1, len(starts)):
        lo, hi = np.searchsorted(ends, [starts[g] - 10.0, starts[g] + 10.0])
        out[g - 1] = float(slack[lo:hi].max()) if hi > lo else 0.0
    return out


def gap_cues(units: list[Unit], starts: list[float]) -> np.ndarray:
    """Whether a transition phrase opens a unit near each block gap."""
    times = np.array([u.start_s for u in units])
    strength = np.array([transition_strength(u.text) for u in units])
    out = np.zeros(max(0, len(starts) - 1))
    for g in range(1, len(starts)):
        lo, hi = np.searchsorted(times, [starts[g] - 10.0, starts[g] + 10.0])
        out[g - 1] = float(strength[lo:hi].max()) if hi > lo else 0.0
    return out


def _z(values: np.ndarray) -> np.ndarray:
    return (values - values.mean()) / (values.std() or 1.0) if len(values) else values


@dataclass
class GapSignals:
    """Per block gap: vector depth, vocabulary depth, transition cue and pause; computed once, weighed later."""

    starts: list[float]
    block_s: float
    vector_depth: np.ndarray
    lexical_depth: np.ndarray
    cues: np.ndarray
    pauses: np.ndarray
    unit_change: np.ndarray  # per unit: how unlike the block before it is to the block after it


def unit_change(units: list[Unit], vectors: np.ndarray, half_s: float) -> np.ndarray:
    """At each unit start, 1 - cosine between the mean vectors of the half_s seconds before and after it.

    Blocks are tens of seconds long, so a gap between blocks only says roughly where the topic turns; this
    says at which sentence it does.
    """
    times = np.array([u.start_s for u in units])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    total = np.vstack([np.zeros((1, vectors.shape[1])), np.cumsum(vectors / np.where(norms == 0, 1, norms), axis=0)])
    out = np.zeros(len(units))
    before = np.searchsorted(times, times - half_s)
    after = np.searchsorted(times, times + half_s)
    for i in range(1, len(units)):
        left, right = total[i] - total[before[i]], total[after[i]] - total[i]
        scale = float(np.linalg.norm(left) * np.linalg.norm(right))
        out[i] = 1.0 - float(left @ right) / scale if scale else 0.0
    return out


def _block_seconds(duration_s: float, params: SegmentParams) -> float:
    return min(60.0, max(10.0, duration_s * params.block_share))


def _min_gap(block_s: float, duration_s: float, params: SegmentParams) -> float:
    return max(3 * block_s, duration_s * params.min_gap_share)


def _placed(times: np.ndarray, change: np.ndarray | None, chosen: list[float], block_s: float,
            params: SegmentParams) -> list[float]:
    """Chapter starts from the block starts chosen: each moved to the sharpest change of topic near it (refine),
    else to its nearest unit."""
    if params.refine:
        return [0.0] + sorted({_sharpest(times, change, t, params.refine * block_s) for t in chosen})
    return [0.0] + sorted({_nearest(times, t) for t in chosen})


def gap_signals(units: list[Unit], vectors: np.ndarray, duration_s: float, params: SegmentParams) -> GapSignals | None:
    block_s = _block_seconds(duration_s, params)
    starts, matrix = blocks(units, vectors, block_s)
    if len(starts) < 4:
        return None
    window = max(3, round(duration_s * params.window_share / block_s))
    lexical = depth_scores(lexical_matrix(units, starts), window) if params.lexical else np.zeros(len(starts) - 1)
    return GapSignals(starts, block_s, depth_scores(matrix, window), lexical,
                      gap_cues(units, starts) if params.cues else np.zeros(len(starts) - 1),
                      gap_pauses(units, starts) if params.pauses else np.zeros(len(starts) - 1),
                      unit_change(units, vectors, block_s))


def boundaries_from_signals(signals: GapSignals, units: list[Unit], duration_s: float, params: SegmentParams,
                            count: int | None = None) -> list[float]:
    """Chapter starts from weighed gap signals: each signal standardised within the video, so the count
    follows how much this video's gaps stand out, not a share of its length."""
    score = (_z(signals.vector_depth) + params.lexical * _z(signals.lexical_depth) + params.cues * signals.cues
             + params.pauses * _z(np.log1p(signals.pauses)))
    cutoff = float(score.mean() + params.cutoff * score.std())
    min_gap = _min_gap(signals.block_s, duration_s, params)
    gaps = _pick(score, signals.starts, min_gap, None if count is None else count - 1, cutoff)
    times = np.array([u.start_s for u in units])
    return _placed(times, signals.unit_change, [signals.starts[g + 1] for g in gaps], signals.block_s, params)


def _sharpest(times: np.ndarray, change: np.ndarray, t: float, reach_s: float) -> float:
    """The unit start within reach_s of t where the topic changes most (t's nearest unit when none is in reach)."""
    lo, hi = np.searchsorted(times, [t - reach_s, t + reach_s], side="right")
    lo = max(1, int(lo))
    if hi <= lo:
        return _nearest(times, t)
    return float(times[lo + int(np.argmax(change[lo:hi]))])


def _nearest(times: np.ndarray, t: float) -> float:
    """snap() over sorted unit start times, by bisection."""
    i = int(np.searchsorted(times, t))
    near = [times[j] for j in (i - 1, i) if 0 <= j < len(times)]
    return float(min(near, key=lambda s: abs(s - t)))


def segment(units: list[Unit], vectors: np.ndarray, duration_s: float, count: int | None = None,
            params: SegmentParams | None = None) -> list[float]:
    """Chapter start times (the first is 0). The number of chapters is chosen by the method unless count is given.

    Without count: the talk's most coherent split into chapters (`optimal_cuts` over blocks of sentence
    vectors). With count: `texttiling` given the number of chapters (the baseline; see SegmentParams).
    """
    params = params or SegmentParams()
    if count is not None:
        return texttiling(units, vectors, duration_s, params, count)
    if not units:
        return [0.0]
    block_s = _block_seconds(duration_s, params)
    starts, matrix = blocks(units, vectors, block_s)
    if len(starts) < 4:
        return [0.0]
    cuts = optimal_cuts(matrix, params.penalty, max(1, round(_min_gap(block_s, duration_s, params) / block_s)))
    change = unit_change(units, vectors, block_s) if params.refine else None
    return _placed(np.array([u.start_s for u in units]), change, [starts[c] for c in cuts], block_s, params)


def texttiling(units: list[Unit], vectors: np.ndarray, duration_s: float, params: SegmentParams | None = None,
               count: int | None = None) -> list[float]:
    """Chapter starts by TextTiling (what shipped before the optimal split; the baseline): the deepest gaps
    between blocks, with the vocabulary shift, transition phrases and pauses weighed in (see SegmentParams),
    the count chosen by the cutoff unless given."""
    params = params or SegmentParams()
    signals = gap_signals(units, vectors, duration_s, params) if units else None
    return [0.0] if signals is None else boundaries_from_signals(signals, units, duration_s, params, count)


def optimal_cuts(matrix: np.ndarray, penalty: float, min_len: int) -> list[int]:
    """The block indexes where chapters start (after the first) in the split that maximises the coherence of
    its chapters, less `penalty` for each one; chapters are at least min_len blocks long.

    A chapter's coherence is the length of the sum of its blocks' vectors, once the talk's own mean is taken
    out of each and each is set to unit length: a chapter of n blocks that all say the same thing scores n, one
    whose blocks wander scores less (the sum of cosines to the chapter's mean). Taking out the mean matters:
    every block of a talk shares its subject, which would otherwise make the whole talk look like one topic.
    Exact, by dynamic programming over the block gaps (after Utiyama and Isahara's, and Alemi and Ginsparg's,
    segmentation as optimisation).
    """
    n = len(matrix)
    centred = matrix - matrix.mean(axis=0)
    centred = centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    totals = np.vstack([np.zeros((1, matrix.shape[1])), np.cumsum(centred, axis=0)])
    best = np.full(n + 1, -np.inf)
    best[0] = 0.0
    back = np.zeros(n + 1, dtype=int)
    for j in range(min_len, n + 1):
        i = np.arange(0, j - min_len + 1)
        i = i[(i == 0) | (i >= min_len)]  # the chapter before i is long enough too
        values = best[i] + np.linalg.norm(totals[j] - totals[i], axis=1) - penalty
        k = int(np.argmax(values))
        best[j], back[j] = values[k], i[k]
    cuts: list[int] = []
    j = n
    while j > 0:
        j = int(back[j])
        if j:
            cuts.append(j)
    return sorted(cuts)


def snap(t: float, units: list[Unit]) -> float:
    """The start of the sentence unit nearest to t."""
    return min((u.start_s for u in units), key=lambda s: abs(s - t))


def evenly_spaced(duration_s: float, count: int) -> list[float]:
    """Baseline: count chapters of equal length."""
    return [duration_s * i / count for i in range(count)]


def chapters_from_starts(starts: list[float], duration_s: float, titles: list[str]) -> list[Chapter]:
    """Chapter objects from start times and titles."""
    ends = starts[1:] + [duration_s]
    return [Chapter(title, round(s, 3), round(e, 3)) for s, e, title in zip(starts, ends, titles)]


def boundary_scores(predicted: list[float], truth: list[float], tolerance_s: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of chapter boundaries (starts after 0:00), matched one to one within tolerance."""
    pred = sorted(t for t in predicted if t > 0)
    gold = sorted(t for t in truth if t > 0)
    used: set[int] = set()
    hits = 0
    for p in pred:
        best = None
        for i, g in enumerate(gold):
            if i not in used and abs(p - g) <= tolerance_s and (best is None or abs(p - g) < abs(p - gold[best])):
                best = i
        if best is not None:
            used.add(best)
            hits += 1
    precision = hits / len(pred) if pred else (1.0 if not gold else 0.0)
    recall = hits / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
