"""How often the Transcript tab's restored sentence breaks fall where the speaker's sentence ended.

Run: python tests/benchmarks/reading_breaks.py   (fill the cache first: tests/benchmarks/overview_data.py)
On the punctuated shared videos, rewritten as YouTube's ASR would give them (asr_copy.asr_lines: lower case,
no punctuation, 7-word lines), reading_lines' breaks are scored against the original full stops: precision
(breaks at a real sentence end), recall (sentence ends found), in two halves of the videos (crc32 of the id).
Then the break evidence alone at thresholds, with the sentence length each would give.

The copies keep no pause (every line end is a cut every 7 words), so this is the hard case: real word-timed
ASR also has the speaker's pauses, which the readers of read_boundaries.py found telling.

History (2026-11-30, 24 videos): the shipped DP (sentences of at most 35 words) P 0.388 / 0.462, R 0.512 /
0.575. Allowing longer sentences so weak breaks need not be taken (longest 50-80 words, the length cost
from 25-45 words) moved precision at most +0.03 and cost recall up to 0.06. The evidence thresholded alone
stays under 0.67 precision at every level. So sentences stay as the overview restores them, and the tab
has a toggle for the captions as written.
Then (2026-11-30, a student read "it is a comprehensive. But General audience introduction"): no break after
"a/an/the" + a word ending like an adjective (-ive, -ous, -ful, -ical, -able, -ible; also -al, -ic, -ent,
-ant): P/R 0.388/0.512 | 0.462/0.575 -> 0.388/0.511 | 0.462/0.575 (and 0.387/0.510 | 0.461/0.575). Too rare
to matter: not kept.
Then (2026-11-30) the break reader (rag/breaks.py, each video's odds from a reader learned on the other half):
P/R 0.388/0.512 | 0.462/0.575 -> 0.440/0.596 | 0.521/0.576 (16.5 and 17.4 words a sentence). Kept.
Then no start on a word that continues a clause (sentences._NO_START) without punctuation too: the reader
0.440/0.596 | 0.521/0.576 -> 0.447/0.597 | 0.527/0.577; the table 0.388/0.512 | 0.462/0.575 -> 0.388/0.511 |
0.460/0.572. Kept (the shipped path gains in both halves).
"""

from __future__ import annotations

import re
import sys
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.asr_copy import asr_lines  # noqa: E402
from tests.benchmarks.overview_data import load, rows  # noqa: E402

_END = re.compile(r"[.?!][\"')\]]*$")


def sentence_ends(snippets) -> list[bool]:
    """Per word of the ASR copy (its tokenisation), whether the original sentence ends on it."""
    ends: list[bool] = []
    for s in snippets:
        for token in s.text.split():
            parts = re.sub(r"[^\w\s']", " ", token.lower()).split()
            if parts:
                ends += [False] * (len(parts) - 1) + [bool(_END.search(token))]
    return ends


def table_scores() -> dict[str, np.ndarray]:
    """Per punctuated video, the shipped StartTable's break evidence after each word of its ASR copy."""
    from yt_transcript.rag import sentences as S

    out = {}
    for v in (v for v in (load(r, embed=False) for r in rows()) if v is not None and S.is_punctuated(v.snippets)):
        copy = asr_lines(v.snippets)
        words = S.drop_fillers(S.words_of(copy))
        near = S._punctuated_near(words)
        scores = np.full(sum(len(s.text.split()) for s in copy), -9.0, dtype=np.float32)
        for j in range(1, len(words)):
            scores[words[j - 1].index] = S._break_score(words, j, near)
        out[v.video_id] = scores
    return out


def main() -> None:
    from yt_transcript.rag import sentences as S

    from tests.benchmarks.break_reader import out_of_half_odds

    videos = [v for v in (load(r, embed=False) for r in rows()) if v is not None and S.is_punctuated(v.snippets)]
    print(f"{len(videos)} punctuated videos, as ASR copies")
    odds = out_of_half_odds()  # the break reader, each video's learned on the other half
    halves = {0: [0, 0, 0], 1: [0, 0, 0]}
    read = {0: [0, 0, 0, 0], 1: [0, 0, 0, 0]}
    curves: dict[float, dict[int, list[int]]] = {t: {0: [0, 0, 0], 1: [0, 0, 0]} for t in (0, 1, 2, 3)}
    for v in videos:
        ends, copy = sentence_ends(v.snippets), asr_lines(v.snippets)
        half = zlib.crc32(v.video_id.encode()) % 2

        def real(a: int, b: int) -> bool:  # a sentence end among the caption words from a up to b
            return any(ends[k] for k in range(a, min(b, len(ends))))

        found = S.sentences(copy, markers=True)
        row = halves[half]
        row[0] += sum(real(a.last, b.first) for a, b in zip(found, found[1:]))
        row[1] += len(found) - 1
        row[2] += sum(ends)
        by_reader = S.sentences(copy, S.BreakOdds(odds[v.video_id]), markers=True)
        cell = read[half]
        cell[0] += sum(real(a.last, b.first) for a, b in zip(by_reader, by_reader[1:]))
        cell[1] += len(by_reader) - 1
        cell[2] += sum(ends)
        cell[3] += sum(s.words for s in by_reader)
        words = S.drop_fillers(S.words_of(copy))
        near = S._punctuated_near(words)
        for j in range(1, len(words)):
            score, true = S._break_score(words, j, near), real(words[j - 1].index, words[j].index)
            for t, curve in curves.items():
                curve[half][0] += score >= t and true
                curve[half][1] += score >= t
                curve[half][2] += 1
    print("restored sentences (reading_lines), halves 0 | 1:")
    print("  " + " | ".join(f"precision {tp / max(1, n):.3f} recall {tp / max(1, g):.3f}"
                            for tp, n, g in halves.values()))
    print("restored with the break reader (rag/breaks.py), halves 0 | 1:")
    print("  " + " | ".join(f"precision {tp / max(1, n):.3f} recall {tp / max(1, g):.3f} ({w / max(1, n + 1):.1f} words)"
                            for tp, n, g, w in read.values()))
    print("break evidence alone, threshold: precision, words per sentence (halves 0 | 1)")
    for t, curve in curves.items():
        print(f"  >= {t}: " + " | ".join(f"precision {tp / max(1, n):.3f}, {w / max(1, n):5.1f} words"
                                        for tp, n, w in curve.values()))


if __name__ == "__main__":
    main()
