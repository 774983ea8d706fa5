"""Do offline titles name the topic? MiniLM cosine between each chapter title and the creator's title.

Run: python tests/benchmarks/titles.py   (fill the cache first: tests/benchmarks/overview_data.py)
On the dev videos with creator chapters: chapters are detected (segment, as `summarize --chapters auto` does);
each detected chapter's title is compared with the title of the creator chapter it overlaps most. Prints the
mean cosine for the first keyword titles (key_phrase_title, "word, word"), for topic_titles by counts alone
(up to extract-12) and by meaning (now), on all dev videos and on the long ones, each also by half (crc32 of
the video id), then the same with the creator's own spans (titles from the right text). Because the cosine is
MiniLM's, the model that now orders the terms, it also prints a measure the model does not make: the share of
titles that share a content word with the creator's. --show prints the long videos' titles side by side.

History (mean cosine; dev split into halves by crc32 of the video id, half 0 / half 1):
- 2026-11-30, kept (extract-13): a chapter's 15 most distinctive terms ordered by MiniLM cosine to the
  chapter's mean vector (titles.CANDIDATES, KeyBERT-like). Detected spans, all: 0.332 -> 0.424 / 0.373 ->
  0.451; long: 0.265 -> 0.296 / 0.304 -> 0.347; creator spans all 0.382 -> 0.472 / 0.373 -> 0.497, long 0.296
  -> 0.349 / 0.292 -> 0.380. The word-sharing measure, which the model does not make, rose with it: detected
  all 0.289 -> 0.416 / 0.431 -> 0.556, long 0.269 -> 0.288 / 0.405 -> 0.486. Tried alongside and not kept:
  adding 0.15, 0.3 or 1.0 x the normalised count weight to the cosine (0.411/0.456, 0.412/0.451,
  0.393/0.419 detected all), a second term chosen MMR-style (0.419/0.460, one half down), 8 or 30 candidates
  (0.406/0.442, 0.422/0.450), one term only (0.383/0.416). Then, kept for the reader: two halves of a
  phrase the chapter says are that phrase ("Neural and Networks" -> "Neural Networks and Inputs"); every
  cell unchanged to three decimals.
- 2026-11-30: "too" is no topic word (a detected title read "Group and Too"): detected all 0.424 -> 0.425 /
  0.451 -> 0.451, long 0.296 -> 0.299 / 0.347; creator spans long 0.349 -> 0.351.
- Tried and not kept: a term that already leads an earlier title of the video gives the lead to the next
  term ("Billion Parameter Model and ..." twice on the Deep Dive): every cell within 0.002 either way; the
  Deep Dive got "Hallucinations and Model" but also "Reward and Scoring Function" and "Neural and Models".
- Tried and not kept: weighing by meaning only the terms said in at most half (0.7, 0.9) of the other
  chapters, the rest after them: detected all 0.424/0.451 -> 0.413/0.433 (0.420/0.438, 0.424/0.447); the
  creators' own titles use the talk's common terms.
- Tried and not kept: subtracting beta x cosine to the talk's mean vector, since the Deep Dive's titles
  repeat "Models": detected all 0.424/0.451 -> 0.413/0.456 (beta 0.3), 0.398/0.444 (0.5), 0.354/0.396
  (0.8); long and creator spans moved the halves in opposite directions.
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
- 2026-11-30, kept (extract-15): no title term holds a word the talk uses as a verb (said mostly after a
  subject, "to" or an auxiliary, and seldom after a determiner: titles._usage), and no half of a phrase stands
  alone ("neural" when the talk says it before "network" 80% of the time or more; "seek" after "deep"); "per",
  "blah" and "another" are no topic words. A student read "Model Knows and Interrogate", "Models and Neural"
  and "Per Token and Model" on the Deep Dive. Detected spans (what `--chapters auto` shows), all: 0.425 ->
  0.426 / 0.451 -> 0.449, long: 0.299 -> 0.298 / 0.347 -> 0.346; shares a word, all 0.416 -> 0.416 / 0.556
  -> 0.575, long 0.288 -> 0.288 / 0.486 -> 0.514. Creator spans: all 0.472 -> 0.463 / 0.497 -> 0.494, long
  0.351 -> 0.339 / 0.380 -> 0.380. Kept for the grammar, flat where titles are shown (creator chapters keep
  the creator's titles). Tried with it and not kept: a word said before a topic word 80% of the time
  ("neural" net or network) may not end a term: detected all 0.418 / 0.448, creator spans 0.462 / 0.480.
  Then prepositions ("inside", "via", "despite"...) are no topic words either (the Deep Dive had "Knowledge
  Inside and Model"): detected all 0.426 -> 0.425 / 0.449, long 0.298 -> 0.297 / 0.346.
  Then (a review found "to tokens" made "tokens" a verb) "to" counts as a verb's company only after "want",
  "need", "how"...: detected all 0.426 / 0.450, long 0.300 / 0.347 (before the change: 0.425 / 0.451, 0.299 /
  0.347); creator spans all 0.464 / 0.495, long 0.338 / 0.380.
  Then reflexive pronouns, "somewhere"/"somehow" and "episode" are no topic words (a student read "Trauma and
  Himself", "Episode and Baggins", "Model and Neuron Somewhere"): detected all 0.426 -> 0.424 / 0.450 -> 0.449,
  long 0.300 / 0.347 unchanged; creator spans all 0.464 -> 0.463 / 0.495. Kept for the grammar.
- 2026-11-30 (extract-16), kept for the reader: two forms of one word name one thing ("Dreaming and Dreams",
  "Dreamt and Dream" on CrashCourse's sleep video; titles._names_again): mean cosine unchanged in every
  cell; shares a word, detected all, half 1 0.575 -> 0.569 (one title), half 0 unchanged.
- Tried and not kept (2026-12-01): single words said in at least 90% (75%) of a video's chapters go after its
  other terms (the Deep Dive titles "Model and Questions", "Models and Google"). Detected spans, all: 0.422 /
  0.439 -> 0.419 / 0.436 (0.413 / 0.429), shares a word 0.452 / 0.553 -> 0.439 / 0.553; long videos unchanged
  to three decimals (the rule fires on the 10-minute explainers, whose creators title with their subject).
  On the Deep Dive it read both ways: "Knowledge and Wikipedia Entry" and "Conversations and System Message",
  but "Questions and Answers" for the hallucinations part and "Human Data Labeler and Exciting".
- 2026-12-01 (extract-25), kept for the reader: the words of the channel's name name no chapter (a student read
  "Anxiety Disorder and Crash" over the outro of a Crash Course episode: a show's intro and outro say its name,
  so it looked distinctive of both; titles._name_said: the name said as a phrase, spaced or not, so "stock market crash" stays a topic). Detected
  all 0.422 / 0.439 -> 0.421 / 0.439, long and shares-a-word unchanged; creator spans all 0.463 / 0.495 ->
  0.461 / 0.493 (the "meaning (extract-23)" row is the method before it). That outro chapter is now "Anxiety
  Disorder and Director", from its credits.
"""

from __future__ import annotations

import re
import sys
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.corpus import channel_of  # noqa: E402
from tests.benchmarks.overview_data import _embedder, dev_videos, rows  # noqa: E402


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def shared_words(title: str, gold: str) -> bool:
    """A measure that is not the model's: do the two titles share a content word (plural s ignored)?"""
    def words(t: str) -> set[str]:
        return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in re.findall(r"[a-z0-9]+", t.lower())
                if len(w) > 2 and w not in ("and", "the", "for", "with", "via")}
    return bool(words(title) & words(gold))


def main() -> None:
    from tests.benchmarks.previous_methods import key_phrase_title
    from yt_transcript.rag.chapters import segment
    from yt_transcript.rag.titles import topic_titles

    embedder = _embedder()

    def embed(phrases: list[str]) -> np.ndarray:
        return np.asarray(embedder.embed(phrases))

    channels = {row["video_id"]: channel_of(row) for row in rows()}  # a channel's own name names no chapter
    pairs: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for video in dev_videos():
        half = f"half {zlib.crc32(video.video_id.encode()) % 2}"
        truth = [(c.start_s, c.end_s or video.duration_s, c.title) for c in video.truth]
        detected = segment(video.units, video.vectors, video.duration_s)
        spans = {"detected": list(zip(detected, detected[1:] + [video.duration_s])),
                 "creator spans": [(a, b) for a, b, _ in truth]}
        starts = np.array([u.start_s for u in video.units])
        for kind, chosen in spans.items():
            texts = [" ".join(s.text for s in video.snippets if a <= s.start_s < b) for a, b in chosen]
            inside = [(starts >= a) & (starts < b) for a, b in chosen]
            centroids = np.array([video.vectors[m].mean(axis=0) if m.any() else np.zeros(video.vectors.shape[1])
                                  for m in inside])  # as summarize.offline_titles
            made = {"keywords (before)": [key_phrase_title(t, texts[:k] + texts[k + 1:]) for k, t in enumerate(texts)],
                    "counts (extract-12)": topic_titles(texts),
                    "meaning (extract-23)": topic_titles(texts, centroids, embed),
                    "meaning (now)": topic_titles(texts, centroids, embed, channels[video.video_id])}
            for name, titles in made.items():
                for span, title in zip(chosen, titles):
                    gold = max(truth, key=lambda t: overlap(span, (t[0], t[1])))[2]
                    for subset in ("all", "long") if video.long else ("all",):
                        for split in ("dev", half):
                            pairs.setdefault((kind, f"{subset} {split}", name), []).append((title, gold))
    for (kind, subset, name), items in sorted(pairs.items()):
        a = np.asarray(embedder.embed([t for t, _ in items]))
        b = np.asarray(embedder.embed([g for _, g in items]))
        a /= np.linalg.norm(a, axis=1, keepdims=True)
        b /= np.linalg.norm(b, axis=1, keepdims=True)
        shared = np.mean([shared_words(t, g) for t, g in items])
        print(f"{kind:14s} {subset:13s} {name:20s} n={len(items):4d}  mean cosine {float((a * b).sum(1).mean()):.3f}"
              f"  shares a word {shared:.3f}")
    if "--show" in sys.argv:
        before = pairs[("detected", "long dev", "counts (extract-12)")]
        now = pairs[("detected", "long dev", "meaning (now)")]
        for (old, gold), (new, _) in zip(before, now):
            print(f"  {gold[:45]:45s} | {old[:32]:32s} | {new}")


if __name__ == "__main__":
    main()
