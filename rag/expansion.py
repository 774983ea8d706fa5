"""Spell out the acronyms in a query the way the library's speakers say them.

A viewer types "RLHF"; the Deep Dive lecture says "reinforcement learning from human feedback", and its
captions write the letters as "rhf", "rlf" or "RF", so neither the words nor the meaning of the query
reach the passage that defines it. The phrase is mined from the library itself: each transcript is read
once for the phrases whose content words' initials could be an acronym (kept in the catalog), and a query's
letters look up the phrase the library says most often.
"""

from __future__ import annotations

import re
from collections import Counter

from yt_transcript.ingest.errors import YtTranscriptError
from yt_transcript.ingest.storage import Storage
from yt_transcript.rag.stopwords import STOPWORDS

_TYPED_ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")  # "RLHF", "LLMs"
# Typed lower-case: three to five letters and no vowel ("rlhf", "llm"); two would take "vs", "mr", "km".
_LOWER_ACRONYM = re.compile(r"\b([b-df-hj-np-tv-xz]{3,5})s?\b")
# May stand inside an expansion ("bag of words", "learning from human feedback"); articles and "to" may not,
# or "create a neural network" reads as CNN and "ability to iterate" as AI.
_GLUE = frozenset("of from for and in with on by".split())
_LONGEST = 6  # content words in a phrase an acronym may spell
_MIN_SAID, _MIN_DEFINED = 3, 2  # sayings an expansion needs in the library, alone or with the acronym beside it
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


def tally(text: str) -> list[tuple[str, str, str, int, int]]:
    """The phrases of one transcript whose content words' initials may spell an acronym, as rows of
    (letters, phrase, wording, said, defined): how often the wording is said, and how often with the letters
    themselves said beside it. Between two content words one short function word may stand ("learning from
    human"); wordings that differ only in a word's ending or that function word share a phrase key ("with/from
    human feedback", "perceptron/perceptrons"). Only phrases said twice, or once beside their letters, are
    kept: a phrase said once is mostly a chance run of initials ("good prompt though")."""
    words = re.findall(r"[\w']+", text.lower())
    said: Counter = Counter()
    defined: Counter = Counter()
    for i in range(len(words)):
        for end in _chain(words, i):
            phrase = words[i:end]
            content = [w for w in phrase if w not in _GLUE]
            letters = "".join(w[0] for w in content)
            row = (letters, " ".join(w[:4] for w in content), " ".join(phrase))
            said[row] += 1
            beside = words[max(0, i - _BESIDE):i] + words[end:end + _BESIDE]
            defined[row] += letters in beside or letters + "s" in beside
    times: Counter = Counter()
    beside: Counter = Counter()
    for row, n in said.items():
        times[row[:2]] += n
        beside[row[:2]] += defined[row]
    return [(*row, n, defined[row]) for row, n in said.items() if times[row[:2]] >= 2 or beside[row[:2]]]


def _chain(words: list[str], i: int) -> list[int]:
    """Where phrases of 2 to 6 content words that start at word i end (exclusive): each next content word
    follows at once or after one function word."""
    if not _content(words[i]):
        return []
    ends, j = [], i
    while len(ends) < _LONGEST - 1:
        k = j + 1
        if k + 1 < len(words) and words[k] in _GLUE:
            k += 1
        if k >= len(words) or not _content(words[k]):
            break
        j = k
        ends.append(k + 1)
    return ends


def spoken_form(rows: list[tuple[str, str, int, int]]) -> list[str]:
    """From the library's (phrase, wording, said, defined) rows for some letters: the wordings of the phrase
    said most often, commonest first; [] when none is clear. Initials coincide by chance, so the winner must
    be said three times, or twice with the letters said beside it once, as a speaker does who defines it; and
    twice as often as any other phrase."""
    said: Counter = Counter()
    defined: Counter = Counter()
    wordings: dict[str, Counter] = {}
    for phrase, wording, n, beside in rows:
        said[phrase] += n
        defined[phrase] += beside
        wordings.setdefault(phrase, Counter())[wording] += n
    ranked = said.most_common(2)
    if not ranked:
        return []
    best, n = ranked[0]
    if n < _MIN_SAID and not (n >= _MIN_DEFINED and defined[best]):
        return []
    if len(ranked) > 1 and n < _DOMINANCE * ranked[1][1]:
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
    letters_wanted = acronyms(query)
    if not letters_wanted:
        return query
    read_library(storage)
    added = []
    for letters in letters_wanted:
        wordings = spoken_form(storage.initialisms(letters))
        said = storage.term_counts([letters, *wordings], video_ids)
        forms = sorted((w for w in wordings if said[w]), key=lambda w: -said[w])
        if forms and sum(said[w] for w in forms) > said[letters] and forms[0] not in query.lower():
            added.append(forms[0])
    return f"{query} ({'; '.join(added)})" if added else query


def read_library(storage: Storage) -> None:
    """Read each video not read yet for its initialisms, and keep them: a look-up is then one indexed query
    (at 100k chunks, mining the passages at query time cost 150-450 ms an acronym). Library.ingest reads the
    new videos; a home from before reads its videos on the first acronym searched (~30 ms an hour of talk).
    A read-only home keeps nothing, so it reads none and spells out only what was kept before.

    A search must not fail for this: a video removed meanwhile, or a catalog another process is writing,
    leaves that video unread until the next look-up."""
    for video_id, generation in storage.unread_initialisms():
        try:
            snippets = storage.transcript(video_id).snippets
            storage.save_initialisms(video_id, generation, tally(" ".join(s.text for s in snippets)))
        except YtTranscriptError:
            continue


def _content(word: str) -> bool:
    # Three letters at least: "we're" tokenises to "we're", but "re" and "s" fragments must never count.
    return len(word) >= 3 and word.isalpha() and word not in STOPWORDS and word not in _GLUE
