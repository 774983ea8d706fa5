"""Does the offline TL;DR say what the talk covers? Its sentences against the creator's chapter titles.

Run: python tests/benchmarks/tldr.py [--show]   (fill the cache first: tests/benchmarks/overview_data.py)
On the dev videos with creator chapters, as captioned, the TL;DR is made as `summarize` makes it offline (the
creator's chapter starts, no break odds). Printed by half (crc32 of the video id), because a change is chosen
on one half and must hold on the other:
- names its chapter: the share of TL;DR sentences sharing a content word (plural folded) with the creator's
  title of the chapter the sentence is in. "Let's now focus on reinforcement learning" names "Reinforcement
  Learning"; "This has to run for a day or two more now" names nothing. The titles are never seen by the code.
- chapters named: per video, the distinct creator chapters whose titles a TL;DR sentence names, over
  min(3, chapters); the mean over videos.
- mean words per TL;DR sentence (a longer sentence names more by chance, so it is printed alongside).
--show prints each video's TL;DR (and the Deep Dive's, with detected chapters) to read.

History (names its chapter / chapters named, half 0 / half 1):
- 2026-11-30, the measure made (extract-15): 0.405 / 0.556 and 1.310 / 2.167.
- Tried and not kept: a bonus in the TL;DR score for a sentence that opens with a transition phrase
  (chapters.transition_strength: "let's now talk about", "the next step"), weight 0.5 / 1 / 2: 0.405 / 0.556,
  0.429 / 0.556, 0.429 / 0.528; chapters named 1.31 / 2.17, 1.38 / 2.17, 1.33 / 2.00. Up on one half only.
- Tried and not kept (scratch scripts): each third's 15 best candidates embedded on their own (a sentence's
  vector is otherwise borrowed from the units around it) and re-scored by their cosine to the talk's centre,
  weight 1 / 3: 0.476 / 0.528, 0.476 / 0.500; or by their mean positive cosine to every chapter (a recap
  covers many), weight 1 / 3: 0.476 / 0.528, 0.500 / 0.500. Up on half 0, down on half 1 each time.
- Tried and not kept: the first sentence from the talk's opening (the first 5% or 10%, at least a minute),
  where a speaker says what the talk is: 0.381 / 0.583 (chapters named 1.19 / 2.50) both times.
- 2026-11-30: after the reading changes of this day (whole written sentences in the reading view, "Dr."/initials,
  reading-9), the baseline is 0.452 / 0.667 and 1.595 / 2.278.
- 2026-11-30, kept for the reader (extract-18): a TL;DR sentence may not open on a word leaning on the one before
  ("Instead, he had discovered..." opened a student's sleep-episode TL;DR; summarize.LEAN_WEIGHT). Weight 0.5, 1
  and 2 alike: 0.452 / 0.667 unchanged, chapters named 1.595 / 2.278 -> 1.595 / 2.250 (one sentence).
- 2026-12-01, kept for the reader (extract-19): two-word openings lean back too ("For example when you are asking
  questions about code..." was the Deep Dive TL;DR's second sentence; summarize._LEANS_BACK_OPENINGS): 0.452 /
  0.667 -> 0.476 / 0.667, chapters named 1.595 / 2.250 -> 1.595 / 2.278.
- 2026-12-01, kept (extract-25): "these", "those", "they're", "he's" and the like lean back as openers too (a
  student read a Crash Course TL;DR opening "These include depressive disorders..."). After that day's dash and
  quotation-mark changes (unchanged: 0.476 / 0.667, 1.595 / 2.278): 0.476 / 0.694, chapters named 1.595 / 2.306.
- 2026-12-01, kept for the reader (extract-29): a lone concessive clause leans too ("Even though everything is
  looking good on the level of the loss." opened a student's makemore TL;DR; "although", "unless"... with no
  comma, summarize._CONCEDES): 0.476 / 0.694 unchanged, chapters named 1.595 / 2.306 -> 1.548 / 2.306 (one
  video of half 0); readability.py's TL;DRs ending mid-sentence on captions 1.5% -> 0.0%.
"""

from __future__ import annotations

import re
import sys
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.overview_data import DEEP_DIVE, dev_videos, load, rows  # noqa: E402


def _words(text: str) -> set[str]:
    from yt_transcript.rag.stopwords import STOPWORDS

    return {w[:-1] if w.endswith("s") and len(w) > 3 else w
            for w in re.findall(r"[a-z][a-z0-9'-]+", text.lower()) if w not in STOPWORDS and len(w) > 2}


def tldr_sentences(video, chapters):
    from yt_transcript.rag.sentences import sentence_vectors, sentences
    from yt_transcript.rag.summarize import tldr_extract

    found = sentences(video.snippets)
    vectors = sentence_vectors(found, np.array([u.start_s for u in video.units]), video.vectors)
    text = tldr_extract(found, vectors, video.duration_s, chapter_starts=[c.start_s for c in chapters])
    return [s for s in found if s.text in text]


def measure(videos) -> tuple[float, float, float, int]:
    named, covered, words, count = [], [], [], 0
    for video in videos:
        chapters = video.truth
        titles = [_words(c.title) for c in chapters]
        hit_chapters = set()
        for s in tldr_sentences(video, chapters):
            k = max(i for i, c in enumerate(chapters) if c.start_s <= s.start_s or i == 0)
            hit = bool(_words(s.text) & titles[k])
            named.append(hit)
            hit_chapters |= {i for i, t in enumerate(titles) if _words(s.text) & t}
            words.append(len(s.text.split()))
            count += 1
        covered.append(len(hit_chapters) / min(3, len(chapters)))
    return float(np.mean(named)), float(np.mean(covered)), float(np.mean(words)), count


def main() -> None:
    videos = dev_videos()
    halves = [[v for v in videos if zlib.crc32(v.video_id.encode()) % 2 == h] for h in (0, 1)]
    print(f"{len(videos)} dev videos with creator chapters ({len(halves[0])} / {len(halves[1])} by half)")
    print("                 names its chapter   chapters named   words/sentence   sentences")
    for name, group in (("all", videos), ("half 0", halves[0]), ("half 1", halves[1])):
        n, c, w, k = measure(group)
        print(f"  {name:8s}       {n:.3f}               {c:.3f}            {w:.1f}             {k}")
    if "--show" in sys.argv:
        from yt_transcript.rag.chapters import chapters_from_starts, segment

        for video in videos + [load(r, embed=False) for r in rows() if r["video_id"] == DEEP_DIVE]:
            if video is None:
                continue
            chapters = video.truth or chapters_from_starts(segment(video.units, video.vectors, video.duration_s),
                                                           video.duration_s, [""] * 99)
            print(f"\n== {video.title}")
            for s in tldr_sentences(video, chapters):
                print(f"  [{s.start_s:7.0f}] {s.text}")


if __name__ == "__main__":
    main()
