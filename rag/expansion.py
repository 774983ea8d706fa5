"""Spell out the acronyms in a query the way the library's speakers say them.

A viewer types "RLHF"; the Deep Dive lecture says "reinforcement learning from human feedback", and its
captions write the letters as "rhf", "rlf" or "RF", so neither the words nor the meaning of the query
reach the passage that defines it. The phrase is mined from the library itself, at query time: the
passages where words starting with those letters stand together, and the phrase among them said most often.
"""

from __future__ import annotations

import re
from collections import Counter

from yt_transcript.ingest.storage import Storage
from yt_transcript.rag.stopwords import STOPWORDS

_TYPED_ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")  # "RLHF", "LLMs"
# Typed lower-case: three to five letters and no vowel ("rlhf", "llm"); two would take "vs", "mr", "km".
_LOWER_ACRONYM = re.compile(r"\b([b-df-hj-np-tv-xz]{3,5})s?\b")
# May stand inside an expansion ("bag of words", "learning from human feedback"); articles and "to" may not,
# or "create a neural network" reads as CNN and "ability to iterate" as AI.
_GLUE = frozenset("of from for and in with on by".split())
_SAMPLE = 300  # passages read per acronym, best bm25 first: a phrase said often is in them
_MIN_SAID, _MIN_DEFINED = 3, 2  # distinct sayings an expansion needs, alone or with the acronym beside it
_BESIDE = 8  # words either side of a saying where the acronym counts as said beside it
_DOMINANCE = 2.0  # the winner is said at least twice as often as any other reading
_MOST = 3  # acronyms looked up per query


def acronyms(query: str) -> list[str]:
    """The query's acronyms, lower-case and without a plural s: typed in capitals, or lower-case without a
    vowel (almost no English word of three to five letters has none). In a sentence typed all in capitals
    ("HOW DOES THIS WORK") no word stands out as one, and at most _MOST are looked up (each costs a query of
    the whole index)."""
    shouted = not re.search(r"[a-z]", query) and len(query.split()) > 1
    typed = [] if shouted else _TYPED_ACRONYM.findall(query)
    return list(dict.fromkeys(a.lower() for a in typed + _LOWER_ACRONYM.findall(query)))[:_MOST]


def spelled_out(letters: str, texts: list[str]) -> list[str]:
    """The wordings of the phrase the texts say most often whose content words begin with `letters`, in
    order, commonest wording first; [] when there is no such phrase.

    Between two content words one short function word may stand ("learning from human"). Readings that
    differ only in a word's ending or in that function word count as one ("with/from human feedback",
    "perceptron/perceptrons"); all wordings of the winner are returned. Initials coincide by chance
    ("good prompt though" for GPT), so the winner must be said three times, or twice with the acronym itself
    said beside it once, as a speaker does who defines it; and twice as often as any other reading.
    """
    places: dict[tuple, list[tuple]] = {}
    defined: set[tuple] = set()
    wordings: dict[tuple, Counter] = {}
    for text in texts:
        words = re.findall(r"[\w']+", text.lower())
        for i in range(len(words)):
            phrase = _reading(words, i, letters)
            if not phrase:
                continue
            key = tuple(w[:4] for w in phrase if w not in _GLUE)
            end = i + len(phrase)
            places.setdefault(key, []).append((tuple(words[max(0, i - 3):i]), tuple(phrase), tuple(words[end:end + 3])))
            wordings.setdefault(key, Counter())[" ".join(phrase)] += 1
            beside = words[max(0, i - _BESIDE):i] + words[end:end + _BESIDE]
            if letters in beside or letters + "s" in beside:
                defined.add(key)
    said = {key: _sayings(found) for key, found in places.items()}
    ranked = sorted(said, key=lambda k: -said[k])[:2]
    if not ranked:
        return []
    best = ranked[0]
    if said[best] < _MIN_SAID and not (said[best] >= _MIN_DEFINED and best in defined):
        return []
    if len(ranked) > 1 and said[best] < _DOMINANCE * said[ranked[1]]:
        return []
    return [wording for wording, _ in wordings[best].most_common()]


def expand_query(storage: Storage, query: str, video_ids: list[str] | None) -> str:
    """The query with each acronym's spoken form added in brackets, where the videos in scope say that
    form more often than the acronym: "What is RLHF? (reinforcement learning from human feedback)".

    The form is learnt from the whole library (one lecture may define it only twice), in the wording the
    videos in scope use. Where they say the acronym itself (a talk full of "LLMs"), the query already
    matches what they say, and the long form only pulls it towards every passage that uses it (dev set,
    within the video: hit@1 0.83 -> 0.80 with every acronym expanded).
    """
    added = []
    for letters in acronyms(query):
        wordings = spelled_out(letters, storage.texts_with_initials(letters, _SAMPLE))
        said = storage.term_counts([letters, *wordings], video_ids)
        forms = sorted((w for w in wordings if said[w]), key=lambda w: -said[w])
        if forms and sum(said[w] for w in forms) > said[letters] and forms[0] not in query.lower():
            added.append(forms[0])
    return f"{query} ({'; '.join(added)})" if added else query


def _sayings(places: list[tuple]) -> int:
    """How many different sayings these are, each (up to three words before, the phrase, up to three after).
    Chunks overlap, and a chunk's edge may cut the words around a saying short, so two places whose words
    agree as far as both reach are one saying."""
    distinct: list[tuple] = []
    for before, phrase, after in sorted(set(places), key=lambda p: -len(p[0]) - len(p[2])):
        if not any(phrase == seen[1] and _agree(before[::-1], seen[0][::-1]) and _agree(after, seen[2])
                   for seen in distinct):
            distinct.append((before, phrase, after))
    return len(distinct)


def _agree(a: tuple, b: tuple) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _reading(words: list[str], i: int, letters: str) -> list[str] | None:
    """The words from i on whose content words start with `letters`, with at most one function word
    between two of them, or None."""
    if not _content(words[i], letters[0]):
        return None
    phrase, j = [words[i]], i
    for letter in letters[1:]:
        k = j + 1
        if k + 1 < len(words) and words[k] in _GLUE and not _content(words[k], letter):
            k += 1
        if k >= len(words) or not _content(words[k], letter):
            return None
        phrase += words[j + 1:k + 1]
        j = k
    return phrase


def _content(word: str, letter: str) -> bool:
    # Three letters at least: "we're" tokenises to "we're", but "re" and "s" fragments must never count.
    return word[0] == letter and len(word) >= 3 and word.isalpha() and word not in STOPWORDS and word not in _GLUE
