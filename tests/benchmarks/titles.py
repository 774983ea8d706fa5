"""Do offline titles name the topic? MiniLM cosine between each chapter title and the creator's title.

Run: python tests/benchmarks/titles.py   (fill the cache first: tests/benchmarks/overview_data.py)
On the dev videos with creator chapters: chapters are detected (segment, as `summarize --chapters auto` does);
each detected chapter's title is compared with the title of the creator chapter it overlaps most. Prints the
mean cosine for the previous keyword titles (key_phrase_title, "word, word") and for topic_title, on all dev
videos and on the long ones, then the same with the creator's own spans (titles from the right text).
--show prints the titles side by side.

History (mean cosine; dev split into halves by crc32 of the video id, half 0 / half 1):
- 2026-11-30: weighting each term by the share of the chapter's quarters it is said in (a topic runs through
  a chapter, a name from one anecdote does not). Detected spans, all videos: 0.339 -> 0.339 / 0.351 -> 0.366
  (whole dev 0.345 -> 0.352); long: 0.243 -> 0.240 / 0.315 -> 0.328. Creator spans, all: 0.363 -> 0.384 /
  0.360 -> 0.372; long: 0.270 -> 0.297 / 0.302 -> 0.293. Kept: 5 of 8 cells up, one level, the two drops
  under 0.01. (Quarters by token count instead of characters: 0.349 whole dev, one half's detected spans
  down 0.006: not kept.)
- Tried and not kept (2026-11-30, halves as above, detected spans all/long): a stronger penalty for terms said
  in most chapters, since the Deep Dive's titles repeat "Model": idf squared 0.339/0.240 -> 0.312/0.217 and
  0.366/0.328 -> 0.320/0.281; idf x (1 - 0.5 df/n) 0.328/0.231, 0.337/0.296; BM25-style saturated counts were
  not run after those. The creators' own titles use the talk's common terms too ("model", "network").
- 2026-11-30, kept: no title term ending on "-ical/-ous/-ful/-less" (the Deep Dive had "Neural Network and
  Mathematical"): detected all 0.339 -> 0.339 / 0.366 -> 0.367, creator spans 0.384 -> 0.382 / 0.372 -> 0.373;
  neutral, kept for the grammar. With "-ive/-al" too: 0.334 / 0.377, one half down: not kept.
- 2026-11-30, kept: a video's titles made together, none naming the same terms as an earlier one (the Deep
  Dive had "Deep Seek and Model" and "Deep Seek and Models"): every cell unchanged to three decimals.
- Tried and not kept: sublinear counts (1 + log tf): every cell down (detected all 0.300); adding the second
  term only when it weighs >= 0.3 or 0.5 of the first: changes within +-0.01 either way.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.overview_data import _embedder, dev_videos  # noqa: E402


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def main() -> None:
    from tests.benchmarks.previous_methods import key_phrase_title
    from yt_transcript.rag.chapters import segment
    from yt_transcript.rag.titles import topic_title, topic_titles

    methods = {"keywords (before)": key_phrase_title, "topic_title (now)": topic_title}
    pairs: dict[tuple[str, str, bool], list[tuple[str, str]]] = {}
    for video in dev_videos():
        truth = [(c.start_s, c.end_s or video.duration_s, c.title) for c in video.truth]
        detected = segment(video.units, video.vectors, video.duration_s)
        spans = {"detected": list(zip(detected, detected[1:] + [video.duration_s])),
                 "creator spans": [(a, b) for a, b, _ in truth]}
        for kind, chosen in spans.items():
            texts = [" ".join(s.text for s in video.snippets if a <= s.start_s < b) for a, b in chosen]
            for name, fn in methods.items():
                now = topic_titles(texts) if fn is topic_title else None  # a video's titles are made together
                for k, (span, text) in enumerate(zip(chosen, texts)):
                    title = now[k] if now else fn(text, texts[:k] + texts[k + 1:])
                    gold = max(truth, key=lambda t: overlap(span, (t[0], t[1])))[2]
                    for subset in ("all", "long") if video.long else ("all",):
                        pairs.setdefault((kind, name, subset), []).append((title, gold))
    embedder = _embedder()
    for (kind, name, subset), items in sorted(pairs.items()):
        a = np.asarray(embedder.embed([t for t, _ in items]))
        b = np.asarray(embedder.embed([g for _, g in items]))
        a /= np.linalg.norm(a, axis=1, keepdims=True)
        b /= np.linalg.norm(b, axis=1, keepdims=True)
        print(f"{kind:14s} {subset:5s} {name:18s} n={len(items):4d}  mean cosine {float((a * b).sum(1).mean()):.3f}")
    if "--show" in sys.argv:
        before = pairs[("detected", "keywords (before)", "long")]
        now = pairs[("detected", "topic_title (now)", "long")]
        for (old, gold), (new, _) in zip(before, now):
            print(f"  {gold[:45]:45s} | {old[:32]:32s} | {new}")


if __name__ == "__main__":
    main()
