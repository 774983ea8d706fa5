"""Are the offline cloze cards worth learning? Blank quality on every video of a library home.

Run: python tests/benchmarks/cards.py HOME [--show N] [--seed S]
     (the shared dev videos: HOME=/tmp/devlib96, 51 videos already ingested; the home is only read)
For every video, the offline cards (`study_cards` with no model) are made, and the script prints:
- cards, and videos with none;
- the share of blanks that are stopwords or fillers (goal 0), judged by JUDGE below: the shared stopword list,
  the sentence fillers, the words the offline titles refuse as topics, and the spoken fillers and generic words
  the issue found as blanks ("basically", "conversations", "called", "finally", "interesting"...);
- the share whose answer recurs elsewhere in its chapter (found at least twice in the chapter's text, the
  card's own sentence being one; a plural counts);
- the share of multi-word answers, of numbers, and of capitalised names;
- the mean question length in words, the share over 35 words, and the share starting mid-clause;
- the 15 most frequent answers, and N sample cards (default 10, a seeded random choice).

History: 2026-11-30, cards drawn from the best-bounded sentences first (rag/sentences.quotable_tiers, a wider
tier only when a chapter gives too few cards), and no blank in or of a garbled number: on /tmp/devlib96,
1254 -> 1254 cards, answers recurring 0.654 -> 0.651, multi-word 0.328 -> 0.317, numbers 0.090 -> 0.089,
stopword blanks 0 -> 0.
Then no capitalised term with a capitalised word beside it (half a name, "Chachi [PT]", "[El] Marina"): the
dev library's cards are unchanged (1254, same shares); the Deep Dive's "Chachi" and "Marina" cards are gone.
Then no blank of four or more bare digits unless a year (a token id such as 13659): 1254 cards, recurring
0.651 -> 0.648, numbers 0.089 -> 0.088; the Deep Dive's cards "11799" and "13659" now blank "neural network"
and "coin".
2026-11-30 (cards-6): a blank among the chapter's first 8 terms by the offline titles' ranking (distinctive,
then closest to the chapter's meaning) weighs twice (rag/study.TOPICAL_TERMS, TOPICAL_BOOST; set once, not
tuned): 1251 -> 1249 cards, answers recurring 0.644 -> 0.716, numbers 0.086 -> 0.052 (the Deep Dive's "256"
and "177" oranges are gone), capitalised 0.258 -> 0.238, multi-word 0.320 -> 0.292. (This script runs
without the embedding model, so here the ranking is by counts; the app and CLI order by meaning too.)
Then (cards-7) no card from a line where the channel speaks of itself (sponsor, subscribe, Patreon): 1249 ->
1242 cards, recurring 0.716 -> 0.719; "laptop decal" is no longer among the most frequent answers.
2026-11-30: --read splits the unpunctuated videos with the break reader (rag/breaks.py), as the app and CLI
do now; on a copy of /tmp/devlib96: 1242 -> 1246 cards, answers recurring 0.719 -> 0.724, numbers 0.052 ->
0.054, capitalised 0.236 -> 0.233, questions starting mid-clause (surface check) 0.002 -> 0.005 (3 -> 6).
2026-11-30 (cards-8): with the embedding model (the app and CLI have it; --meaning here), a blank's value is
scaled by its cosine to its chapter's mean vector (floor 0.02; rag/study._Meaning), since a student found
the Deep Dive's cards testing anecdotes and jokes ("Swiss cheese", "Pelicans", "Buffalo Sabers", "287").
A new measure first, which the model does not make: the share of answers a creator's chapter title of the
video names (a content word in common), on the videos with creator chapters, by half (crc32 of the id).
On a copy of /tmp/devlib96 with --meaning --read: 1247 -> 1244 cards; named by a creator title 0.309 ->
0.348 (halves 0.283 -> 0.312, 0.334 -> 0.382); answers recurring 0.706 -> 0.719; numbers 0.059 -> 0.035;
capitalised 0.245 -> 0.223. The cosine's square root (chosen against the plain cosine, set first): 0.341
(0.305 / 0.374), recurring 0.714: not kept. Tried and not kept: no blank inside an answer already asked in
the sentence ("the _____ network" once "neural network" was asked): named 0.348 -> 0.328 (both halves
down), recurring 0.719 -> 0.713.
Read by a person: the Deep Dive's 52 cards before and after (69 distinct, shuffled together, origin hidden)
went to a fresh helper, told the lecture's topics, to label each a concept worth learning, trivia (an
anecdote's name, a joke, an analogy, a throwaway number, a mis-hearing) or unanswerable: concepts 25 of 52
(0.481) before, 35 of 52 (0.673) after; trivia 26 -> 16. One reader, one video, never tuned on.
Tried after it and not kept: the mean of the cosine to the chapter and to the whole talk (an anecdote's name
sits far from what the talk is about: "Orson kovat" 0.25 to its chapter, -0.01 to the talk): named 0.348 ->
0.358 (halves 0.312 -> 0.312, 0.382 -> 0.401), recurring 0.719 -> 0.718; on the Deep Dive one card of 52
changed ("exciting" -> "Paradigm") and "Orson kovat" stayed. Up on one half only.
Why it stays: in the Deep Dive's hallucinations chapter "hallucination" scores 1.17 against "orson kovat"
5.42: other videos of the library say it (CrashCourse on sleep and schizophrenia), so its library rarity is
0.36, while a name gets x1.5 and a two-word term x1.5. A gentler rarity, 1 / (1 + 5 share) for 1 / (1 + 10
share): named 0.348 -> 0.357 (halves 0.312 -> 0.309, 0.382 -> 0.402), recurring 0.719 -> 0.736, numbers
0.035 -> 0.029. One half down by a card: not kept.
Then library rarity counted among the channel's own other videos only (where it has 5 or more), since
boilerplate is a channel's: named 0.350 -> 0.305 (halves 0.312 -> 0.300, 0.385 -> 0.310), recurring 0.722
-> 0.677, and two filler blanks ("single", "throughout"). Words other channels say too are mostly generic
ones: not kept.
Then (2026-11-30, a copy of the 52-video home, --meaning --read; base 0.350, 0.312 / 0.385, recurring 0.728)
no boost for a capitalised term (study._NAME_BOOST 1.5 -> 1.0), since names led the trivia: named 0.350
(0.298 / 0.399), recurring 0.738, capitalised 0.220 -> 0.181. One half down: not kept.
Then (cards-9, kept) no card from a sentence that is no statement: the speaker working the screen ("let's drag
in", "let me show"; "let's say/call" stay) or a question, punctuated or not (study._NOT_A_STATEMENT), since
the second student met "It knows it's Buffalo Savers let's drag in _____." and "Why don't _____ ever pay for
their drinks". Before it, 80 of the 1,296 cards were such sentences. 1296 -> 1289 cards; named 0.350 ->
0.351 (0.312 -> 0.314 / 0.385 -> 0.385), recurring 0.728 -> 0.728, numbers 0.038 -> 0.043. A blind reader
(a fresh helper, the Deep Dive's 60 distinct cards before and after shuffled, origin hidden): concepts 39 of
52 before, 40 of 52 after (8 cards differ).
Tried after it and not kept: no answer whose words hold or are held by an earlier answer's ("kovats" after
"Orson kovat", "neural" after "neural network"): named 0.351 -> 0.320 (0.289 / 0.349), recurring 0.704.
Creator titles repeat a talk's topic words, and so may its cards.
2026-11-30, after the day's chapter and reading changes (optimal-split chapters, "Dr."/initials, whole written
sentences, extract-18), on a fresh copy of the 52-video home with --meaning --read: 1289 -> 1316 cards;
answers a creator title names 0.351 (0.314 / 0.385) -> 0.362 (0.314 / 0.406); recurring 0.728 -> 0.735;
numbers 0.043 -> 0.046; stopword blanks 0.
2026-12-01 (cards-11, kept for the reader), same command on a fresh copy: a single word the chapter says inside
one phrase of its sentence at least 0.6 of the time is no blank alone (study._half_of_a_phrase; a student met
"_____ nets will become very data efficient" and "The data _____"), and "versus" is no term. With today's
reading changes (extract-20) and the rule off: 1316 cards, named 0.362 (0.314 / 0.406), recurring 0.736,
numbers 0.046. With the rule: 1304 cards, named 0.354 (0.305 / 0.399), recurring 0.757, numbers 0.048,
stopword blanks 0 (without "versus" in the list, one: "versus"). A review then found it vetoed rare words said
once beside another ("transformer architecture"): now the word and the phrase must both recur (cards-12, with
"exciting", "interesting"... no terms, from the docs screenshot's "really cool new and _____"): 1315 cards,
named 0.358 (0.314 / 0.400), recurring 0.735, numbers 0.046; the student's two giveaways stay gone.
Then (cards-14) "both", "inside" and other function words are no part of a blank ("both encode", "pair inside
stats"): every figure the same but multi-word answers 0.284 -> 0.281.
Then (cards-15) a sentence opening on an auxiliary and its subject is a question, as ASR writes one ("Does it make
sense to you that...", sentences.NOT_A_STATEMENT): 1315 cards, recurring 0.735 -> 0.736, multi-word 0.281 ->
0.282, named 0.358 unchanged. Dev and blind quotes (viewer_questions.py) unchanged: 0.91 / 0.82, 0.80 / 0.71.
2026-12-01 (cards-16, extract-27, kept for the reader; a psychology student's session): no card from an outro
("Thank you for watching this episode, which was brought to you by _____", study._OUTRO), none whose blank is
spelt out or abbreviated beside it ("..._____, or BPD", study._spelt_beside), dashes kept inside sentences, and
no chapter term from the channel's name: 1315 -> 1312 cards, recurring 0.736 -> 0.737, named 0.358 (0.315 /
0.399), multi-word 0.282 -> 0.279, numbers 0.046, stopword blanks 0.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import sys
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

# Words a blank should never be, beyond the stopword list: spoken fillers, vague adverbs and adjectives, and
# generic nouns any talk repeats. Kept here, apart from rag/study.py, so the judge is not the thing judged.
_GENERIC = frozenset(
    ["basically", "actually", "really", "literally", "honestly", "obviously", "clearly", "simply", "finally", "eventually", "probably", "maybe", "definitely", "certainly", "exactly", "totally", "truly", "pretty", "quite", "rather", "somewhat", "somehow", "anyway", "anyways", "alright", "interesting", "important", "different", "similar", "certain", "various", "whole", "entire", "general", "particular", "specific", "something", "anything", "everything", "nothing", "someone", "anyone", "everyone", "somebody", "anybody", "everybody", "called", "call", "calls", "calling", "talk", "talked", "talking", "said", "saying", "says", "tell", "told", "telling", "mean", "means", "meant", "conversation", "conversations", "discussion", "question", "questions", "answer", "answers", "people", "person", "guys", "folks", "stuff", "thing", "things", "way", "ways", "time", "times", "today", "yesterday", "tomorrow", "moment", "moments", "example", "examples", "point", "points", "part", "parts", "bunch", "couple", "reason", "reasons", "problem", "problems", "idea", "ideas", "fact", "facts", "there's", "here's", "that's", "what's", "it's", "let's", "i'm", "we're", "you're", "they're", "don't", "doesn't", "didn't", "isn't", "can't", "gonna", "wanna", "gotta", "kinda", "sorta"]
)


@functools.cache
def judge_words() -> frozenset[str]:
    from yt_transcript.rag.sentences import FILLERS
    from yt_transcript.rag.stopwords import NOT_TOPIC, STOPWORDS

    return STOPWORDS | FILLERS | NOT_TOPIC | _GENERIC


def is_filler(answer: str, judge: frozenset[str]) -> bool:
    """A blank that teaches nothing: a single judged word, or a phrase made only of them."""
    words = re.findall(r"[\w']+", answer.lower())
    return not words or all(w in judge for w in words)


def recurs(answer: str, chapter_text: str) -> bool:
    """The answer (or its plural, hyphens and spaces alike) occurs at least twice in the chapter."""
    parts = [re.escape(w) for w in re.findall(r"[\w']+", answer.lower())]
    if not parts:
        return False
    pattern = r"\b" + r"[\s-]*".join(parts) + r"(?:s|es)?\b"
    return len(re.findall(pattern, chapter_text.lower())) >= 2


def named_in_titles(answer: str, titles: list[str]) -> bool:
    """Whether a creator's chapter title of the video names the answer: a content word of the answer (plural s
    aside) in one. Creators title chapters by the concepts they teach ("Tokenization", "Hallucinations"),
    not by the anecdote that illustrates one; a measure the embedding model does not make."""
    def words(text: str) -> set[str]:
        return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in re.findall(r"[a-z0-9]+", text.lower())
                if len(w) > 2 and w not in judge_words()}

    named = set().union(*(words(t) for t in titles)) if titles else set()
    return bool(words(answer) & named)


def chapter_texts(storage, video_id: str) -> list[tuple[float, str]]:
    """(start, text) of each chapter, chosen as study_cards chooses them."""
    from yt_transcript.rag.summarize import chapters_with_units

    _, _, chapters, groups = chapters_with_units(storage, video_id)
    return [(c.start_s, " ".join(u.text for u in g[0])) for c, g in zip(chapters, groups)]


def text_at(chapters: list[tuple[float, str]], t: float) -> str:
    earlier = [text for start, text in chapters if start <= t + 1e-6]
    return earlier[-1] if earlier else (chapters[0][1] if chapters else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home")
    parser.add_argument("--show", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--meaning", action="store_true",
                        help="give study_cards the embedding model, as the app and CLI do (without it, the "
                             "chapters' terms are ranked by counts alone)")
    parser.add_argument("--read", action="store_true",
                        help="split unpunctuated videos with the break reader (rag/breaks.py), as the app does; "
                             "reads them with the embedding model once and keeps the odds in HOME")
    args = parser.parse_args()

    from yt_transcript.rag.sentences import starts_mid_clause
    from yt_transcript.rag.study import study_cards

    from yt_transcript import Library

    judge = judge_words()
    lib = Library.open(args.home)
    rows = []  # (video id, card, chapter text)
    titles: dict[str, list[str]] = {}  # the creator's chapter titles, where the video has them
    empty = 0
    for record in lib.videos():
        vid = record.meta.video_id
        cards = study_cards(lib.storage, vid, None, breaks=lib._breaks(vid) if args.read else None,
                            embed=lib._phrases_like(vid) if args.meaning else None)
        empty += not cards
        chapters = chapter_texts(lib.storage, vid)
        rows += [(vid, card, text_at(chapters, card.start_s)) for card in cards]
        titles[vid] = [c.title for c in record.meta.chapters]
    if not rows:
        print("no cards")
        return
    n = len(rows)
    answers = [card.answer for _, card, _ in rows]
    lengths = [len(card.question.split()) for _, card, _ in rows]

    def share(flags) -> str:
        flags = list(flags)
        return f"{sum(flags) / len(flags):.3f} ({sum(flags)}/{len(flags)})"

    print(f"videos {len(lib.videos())}, with no card {empty}, cards {n}")
    fillers = [a for a in answers if is_filler(a, judge)]
    print(f"blanks that are stopwords or fillers: {share(is_filler(a, judge) for a in answers)}"
          + (f": {', '.join(sorted(set(fillers))[:20])}" if fillers else ""))
    print(f"answers recurring elsewhere in the chapter: {share(recurs(c.answer, t) for _, c, t in rows)}")
    named = [(vid, named_in_titles(c.answer, titles[vid])) for vid, c, _ in rows if titles[vid]]
    halves = [[flag for vid, flag in named if zlib.crc32(vid.encode()) % 2 == h] for h in (0, 1)]
    print(f"answers the creator's chapter titles name (videos with creator chapters; by half): "
          f"{share(f for _, f in named)}; {share(halves[0])} / {share(halves[1])}")
    print(f"multi-word answers: {share(' ' in a.strip() for a in answers)}; "
          f"numbers: {share(any(ch.isdigit() for ch in a) for a in answers)}; "
          f"capitalised: {share(a[:1].isupper() for a in answers)}")
    print(f"question words: mean {sum(lengths) / n:.1f}, over 35 {share(x > 35 for x in lengths)}, "
          f"starting mid-clause {share(starts_mid_clause(c.question) for _, c, _ in rows)}")
    print("most frequent answers:", ", ".join(f"{a} {k}" for a, k in Counter(a.lower() for a in answers)
                                              .most_common(15)))
    for vid, card, _ in random.Random(args.seed).sample(rows, min(args.show, n)):
        print(f"- [{vid} {card.start_s:.0f}s | {card.chapter}] {card.question}  -> {card.answer}")
    lib.close()


if __name__ == "__main__":
    main()
