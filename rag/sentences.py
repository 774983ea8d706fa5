"""Readable sentences from caption lines, punctuated or not, and the few that best cover a stretch of talk.

YouTube's ASR gives lower-case lines with no punctuation, cut wherever the screen filled up. We put sentence
breaks back where the evidence is: a pause (a line that lasts longer than its words need), a line end, and the
words speakers use to start a sentence ("okay so", "now", "but"), never right after a word that needs its
continuation ("the", "of", "to"). Fillers and stutters go; nothing else is changed, added or reordered, so every
sentence is a contiguous stretch of what was said.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from yt_transcript.ingest.models import Snippet
from yt_transcript.rag.stopwords import NOT_TOPIC, STOPWORDS

# Words that carry nothing in speech. "you know" only when it is not a question ("do you know").
FILLERS = frozenset("uh um uhm umm erm er hmm mm".split())
# YouTube's automatic captions also write "uh" as a lone "U" ("things like U malware websites"); written
# captions mean the letter ("space U is the common token"), so it is a filler in unpunctuated captions only.
ASR_FILLERS = FILLERS | {"u"}
_YOU_KNOW_GUARD = frozenset("do did don't didn't if as to whether what how".split())
# Discourse markers that open a spoken sentence; dropped there, they only delay it.
LEADING_MARKERS = frozenset("and so okay ok alright um uh yeah oh right".split())
# A sentence cannot end on these: they need what follows.
_NO_END = frozenset(
    "the a an of to and or but is are was were be been in on at for with from by that this these those my your "
    "our their its his her we you i they it's i'm we're you're they're there's so very can will would could "
    "should going gonna like just not don't as than into about some any every each how what which if because "
    "when where who also then has have had do does did get got make let's let me us them it".split()
)
# Of those, these never end one, whatever the evidence says: a reader read "...predict the next word exactly and.
# So what".
_NEVER_END = frozenset("the a an and or but of".split())
# ...nor start on these: they continue a clause.
_NO_START = frozenset("of to than which is are was were as 's n't or nor".split())
# Words a spoken sentence plausibly opens with; a break before anything else (a noun, an adjective) is
# more likely inside a phrase ("this web / page").
STARTERS = frozenset(
    "i we you they he she it this that these those there here what why how when where if in for now but then "
    "let's let the a an one another my our your once after before because although since today first next "
    "finally also maybe yes no not all each every some most many both as at on with by from imagine think "
    "notice remember suppose consider look see it's that's there's here's i'm we're you're they're i've we've "
    "i'll we'll don't can is are do does did will would could should".split()
)
CONJUNCTIONS = frozenset("and or but because which that than whereas nor so then of to".split())
# Words that end a clause far more often than they open a sentence joined by "and" ("...over there and these").
_CLAUSE_ENDS = frozenset("there here too though it them that well either anyway yet".split())
# How strongly a word (or two) suggests a new sentence starts there. In the punctuated dev captions these
# begin a sentence 25-55% of the times they occur; any other word under 5%.
_CUES = {
    "okay": 1.4, "ok": 1.4, "alright": 1.4, "so": 1.2, "but": 0.9, "now": 0.7, "and": 0.5, "and so": 1.3,
    "so now": 1.5, "okay so": 1.7, "and now": 1.0, "and then": 0.8, "let's": 0.4, "yeah": 0.8,
}
_SO_PHRASES = frozenset("on that far much many forth called".split())
# Least evidence of a sentence start for an extract, in _break_score's units (tests/benchmarks/readability.py).
OPENING_MIN = 2.0
# Evidence that a sentence ends where we cut it (the next break's _break_score), which an extract should have
# when the stretch offers enough such sentences. In unpunctuated ASR the sentences it drops trail off ("...
# because at every step of the way.").
CLOSING_MIN = 0.5
# (least opening, least closing evidence) of the sentences quotable() tries first, in order: readers judged
# cuts with more evidence right far more often (tests/benchmarks/read_boundaries.py).
BOUNDARY_TIERS = ((2.5, 1.0), (OPENING_MIN, CLOSING_MIN))
# Where the captions have no punctuation, the words around a gap decide (StartTable): half their log-odds,
# plus the pause.
START_WEIGHT = 0.5
# Or, where it has read the video, the break reader (rag/breaks.py): its log-odds, leaning a little towards a
# break (the reader is calibrated on how often sentences end; an overview needs them short enough to quote).
# Set on the dev ASR copies (tests/benchmarks/readability.py).
ODDS_WEIGHT, ODDS_LEAN = 1.0, 1.0  # part of rag/breaks.ODDS_VERSION
# Credit in pick() per unit of that evidence (up to 2): on the ASR copies, 0.1 cut mid-clause TL;DR starts from
# 43% to 37% at no cost to relevance worth seeing; more did little.
OPENING_WEIGHT = 0.1
READING_VERSION = "reading-11"  # how sentences are restored: a change re-reads kept transcripts
CUT = -1.0  # the opening evidence of a piece cut from inside a punctuated sentence
READ_WHOLE = 100  # words: a punctuated sentence up to this long is read, and quoted, whole
MIN_WORDS, MAX_WORDS = 8, 35  # an extract says something and can be read in one breath
_CONTENT_WORDS = 2  # words that could be a topic, at least, in a sentence worth quoting
_TURN_MARKS = frozenset(("-", "–", "—", ">>"))
_SENTENCE_END = re.compile(r"[.?!][\"')\]]*$")
# A full stop that ends no sentence: a title before a name ("our consultant is Dr. Ranjit Bhagwat"), "No."
# before a number, or initials before a name ("B.F. Skinner"; not "...in the U.S. He moved", nor "plan A. Then").
_TITLE = re.compile(r"(?:dr|mr|mrs|ms|prof|st|jr|sr|vs|mt|ft)\.", re.IGNORECASE)
_INITIALS = re.compile(r"(?:[A-Z]\.){2,}|[A-HJ-Z]\.")


# Not a statement to learn from or to answer with: the speaker working the screen ("let's drag in...", "let me
# show"; a "let's say" or "let's call" still states something), or a question, punctuated or not: "why" or "how" and an
# auxiliary ("why don't pelicans ever pay..."), or "what/where/when", an auxiliary and its subject ("what does
# this look like when..."; "what would become" is no question), or an auxiliary and its subject opening it.
# "Which" and "who" mostly open a relative clause.
_AUX = r"(?:do|does|did|don't|doesn't|didn't|is|are|was|were|can|could|would|should|will)"
NOT_A_STATEMENT = re.compile(
    r"\blet(?:'s|\u2019s| me| us)\b(?!\s+(?:just\s+)?(?:say|call|define|assume|think|remember|recall)\b)|\?\s*$|"
    rf"\b(?:why|how)\s+{_AUX}\b|"
    rf"\b(?:what|where|when)\s+{_AUX}\s+(?:i|you|we|they|he|she|it|this|that|these|those|the|a|an|your|our|my)\b|"
    # and a sentence that opens on an auxiliary and its subject, as ASR writes a question ("Does it make sense to
    # you that...", "can you explain")
    rf"^[\"'\u201c(]*{_AUX}\s+(?:i|you|we|they|he|she|it|this|that|there)\b",
    re.IGNORECASE)


def _ends_sentence(token: str, following: str = "") -> bool:
    """Whether a sentence ends with this token, given the word after it."""
    if not _SENTENCE_END.search(token) or _TITLE.fullmatch(token):
        return False
    if token.lower() == "no.":
        return not following[:1].isdigit()
    if _INITIALS.fullmatch(token):
        return not (following[:1].isupper() and _norm(following) not in STARTERS)
    return True


@dataclass(frozen=True)
class Sentence:
    start_s: float
    end_s: float
    text: str  # cleaned: fillers and stutters out, cased, ending in punctuation
    first: int = 0  # caption-word positions of its first and last word (see words_of)
    last: int = 0
    opening: float = 6.0  # the evidence that a sentence starts here (_break_score; 6: after a full stop)
    closed: bool = True  # ends at a full stop in the captions, or the captions have none nearby
    closing: float = 6.0  # the evidence that it ends here: _break_score at the gap after it (6: a full stop)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class _Word:
    token: str  # as written in the caption
    norm: str  # lower case, outer punctuation stripped
    time: float
    pause_after: float  # seconds of silence after the word (0 inside a line)
    line_end: bool
    index: int = 0  # position among all caption words, fillers included


def _norm(token: str) -> str:
    return token.lower().strip(".,?!;:\"()[]-–—…")


def words_of(snippets) -> list[_Word]:
    """Caption words with interpolated times and the pause after each line.

    A line starts when its first word is spoken and ends when the next starts, so silence shows up as a line
    lasting longer than its words need at the speaker's usual pace.
    """
    lines = [(s, s.text.split()) for s in snippets if s.text.split()]
    if not lines:
        return []
    pace = float(np.median([(s.end_s - s.start_s) / len(ws) for s, ws in lines])) or 0.3
    out: list[_Word] = []
    for k, (s, ws) in enumerate(lines):
        span = max(0.0, s.end_s - s.start_s)
        gap = max(0.0, lines[k + 1][0].start_s - s.end_s) if k + 1 < len(lines) else 1.0
        slack = max(0.0, span - len(ws) * pace) + gap
        for i, token in enumerate(ws):
            last = i == len(ws) - 1
            out.append(_Word(token, _norm(token), s.start_s + span * i / len(ws), slack if last else 0.0, last,
                             len(out)))
    return out


def drop_fillers(words: list[_Word], asr: bool = False) -> list[_Word]:
    """Without "uh", "um", "you know", cut-off word starts ("p patterns") and stutters ("it's a it's a");
    `asr`: the words are unpunctuated automatic captions (ASR_FILLERS)."""
    fillers = ASR_FILLERS if asr else FILLERS
    kept: list[_Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1].norm if i + 1 < len(words) else ""
        if w.norm in fillers or (not w.norm and not _dash_inside(words, i, asr)):
            _carry(kept, w)
            i += 1
            continue
        if w.norm == "you" and nxt == "know" and (not kept or kept[-1].norm not in _YOU_KNOW_GUARD):
            _carry(kept, words[i + 1])
            i += 2
            continue
        if len(w.norm) == 1 and w.norm not in ("a", "i") and nxt.startswith(w.norm) and len(nxt) > 2:
            i += 1
            continue
        kept.append(w)
        i += 1
    return _drop_stutters(kept)


def _dash_inside(words: list[_Word], i: int, asr: bool) -> bool:
    """A dash inside a written caption line ("the sleeping part -- one night", "bouts of the opposite - of
    extreme mania"): punctuation the writer put there, kept, since without it the words can say the reverse. A
    mark opening a line, or one after a sentence's end ("Coming? - Yes.", "I think so… - Really?"), is a change
    of speaker, which the reading view marks itself."""
    if asr or i == 0 or words[i - 1].line_end:
        return False
    return words[i].token in ("-", "--", "—", "–") and not re.search(r"[.?!…][\"'”’)\]]*$", words[i - 1].token)


def as_read(text: str) -> str:
    """Unpunctuated caption words as a reader reads them: without fillers and stutters, and "I" for "i". Only
    words said, in the order said: nothing is added or moved."""
    kept = drop_fillers(words_of([Snippet(text, 0.0, 1.0)]), asr=True)
    return " ".join("I" + w.token[1:] if w.norm == "i" or w.token.startswith("i'") else w.token for w in kept)


def _carry(kept: list[_Word], dropped: _Word) -> None:
    """A dropped word's sentence end and pause stay with the word before it."""
    if kept:
        if _SENTENCE_END.search(dropped.token) and not _SENTENCE_END.search(kept[-1].token):
            kept[-1].token = kept[-1].token.rstrip(",;:") + dropped.token[-1]
        kept[-1].pause_after = max(kept[-1].pause_after, dropped.pause_after)
        kept[-1].line_end = kept[-1].line_end or dropped.line_end


def _drop_stutters(words: list[_Word]) -> list[_Word]:
    """An immediately repeated run of one to three words keeps only its second copy. A repeat across a
    sentence end is two sentences ("...the same as punishment. Punishment decreases...", "over and over. And
    then"), not a stutter."""
    out: list[_Word] = []
    for w in words:
        out.append(w)
        for n in (3, 2, 1):
            if (len(out) >= 2 * n and [x.norm for x in out[-2 * n:-n]] == [x.norm for x in out[-n:]]
                    and not any(_SENTENCE_END.search(x.token) for x in out[-2 * n:-1])):
                del out[-2 * n:-n]
                break
    return out


def is_punctuated(snippets) -> bool:
    """Captions with sentence punctuation (Whisper, human) rather than raw ASR."""
    lines = [s.text for s in snippets if s.text.strip()]
    return bool(lines) and sum(bool(re.search(r"[.?!]", t)) for t in lines) >= 0.2 * len(lines)


def _break_score(words: list[_Word], j: int, punctuated: list[bool],
                 starts: StartTable | BreakOdds | None = None) -> float:
    """How good a sentence break before words[j] is: evidence for it, less the cost of one more sentence.

    Where the captions are punctuated nearby, their full stops decide; elsewhere the words on either side of
    the gap (the StartTable's log-odds) and the pause do. A pause alone is weak evidence (speakers also pause
    mid-phrase to think).
    """
    prev, cur = words[j - 1], words[j]
    if _ends_sentence(prev.token, cur.token):
        return 6.0
    if _SENTENCE_END.search(prev.token):
        return -6.0  # "Dr." or "B.F.": the sentence goes on
    if not punctuated[j]:
        table = starts or default_starts()
        score = (table.weight * table.evidence(words, j) + min(prev.pause_after, 1.5)
                 + (0.2 if prev.line_end else 0.0))
        # What grammar rules out, whatever the evidence says: no end on "the"/"and", no start on "of"/"than"
        # (the reader read "...in the context window. Of this llm"), no cut inside "and so on" / "so that".
        if prev.norm in _NO_END or cur.norm in _NO_START or _set_phrase(words, j) or _set_phrase(words, j - 1):
            score -= 3.0
        if prev.norm in _NEVER_END:
            score -= 10.0
        return score
    # Inside a punctuated sentence: one more piece, which costs more than a long sentence does (_length_cost),
    # so the speaker's sentence is cut only when it runs past MAX_WORDS; then at a comma and a cue if it can.
    score = -6.0
    score += 0.8 if prev.token.endswith((",", ";", ":")) else -1.5
    score += min(prev.pause_after, 1.5) + (0.2 if prev.line_end else 0.0)
    two = f"{cur.norm} {words[j + 1].norm}" if j + 1 < len(words) else ""
    if not _set_phrase(words, j):
        score += max(_CUES.get(cur.norm, 0.0), _CUES.get(two, 0.0))
    if prev.norm in _NO_END:
        score -= 2.0
    if cur.norm in _NO_START or cur.norm not in STARTERS and cur.norm not in LEADING_MARKERS:
        score -= 1.0
    return score


@dataclass(frozen=True)
class StartTable:
    """Log-odds that a sentence starts at a gap, given the words around it, learned from punctuated captions.

    Features: the word before, the word after, and the two pairs (before+after, after+next). A start is a
    gap after a full stop, or after only sentence openers ("and so") that follow one, since those are dropped.
    Naive Bayes: the features' log-likelihood ratios add to the prior log-odds.
    """

    prior: float
    weights: dict[str, float]
    weight: ClassVar[float] = START_WEIGHT

    def evidence(self, words: list[_Word], j: int) -> float:
        lo = max(j - 1, 0)  # only the words around the gap: the whole transcript here made splitting quadratic
        around = [w.norm for w in words[lo:j + 2]]
        return self.prior + sum(self.weights.get(f, 0.0) for f in _start_features(around, j - lo))


@dataclass(frozen=True)
class BreakOdds:
    """The break reader's log-odds that a sentence ends after each caption word (rag/breaks.py), for captions
    whose first word is word `offset` of the transcript it read."""

    odds: np.ndarray
    offset: int = 0
    weight: ClassVar[float] = ODDS_WEIGHT

    def evidence(self, words: list[_Word], j: int) -> float:
        # The gap runs from the word before to the word after, past any filler dropped between them ("...
        # right uh so"): the reader read those too, and may end the sentence after one.
        a, b = words[j - 1].index + self.offset, words[j].index + self.offset
        if 0 <= a < b <= len(self.odds):
            return float(self.odds[a:b].max()) + ODDS_LEAN
        return default_starts().evidence(words, j) * START_WEIGHT / ODDS_WEIGHT  # a word it never read

    def shifted(self, offset: int) -> BreakOdds:
        """The same odds for a stretch of the captions starting at word `offset`."""
        return BreakOdds(self.odds, self.offset + offset)


def _start_features(norms: list[str], j: int) -> list[str]:
    def at(k: int) -> str:
        return norms[k] if 0 <= k < len(norms) else "<s>"

    return [f"p={at(j - 1)}", f"c={at(j)}", f"cn={at(j)}_{at(j + 1)}", f"pc={at(j - 1)}_{at(j)}"]


def learn_starts(transcripts, min_count: int = 10, min_weight: float = 0.3) -> StartTable:
    """A StartTable from punctuated transcripts (lists of snippets); rare and uninformative features dropped."""
    pos: Counter = Counter()
    neg: Counter = Counter()
    for snippets in transcripts:
        words = drop_fillers(words_of(snippets))
        norms = [re.sub(r"[^\w']", "", w.norm) for w in words]  # as unpunctuated ASR spells them
        ends = [bool(_SENTENCE_END.search(w.token)) for w in words]
        for j in range(1, len(words)):
            k = j
            while k > 0 and not ends[k - 1] and norms[k - 1] in LEADING_MARKERS:
                k -= 1
            (pos if k == 0 or ends[k - 1] else neg).update(_start_features(norms, j))
    n_pos, n_neg = sum(pos.values()) / 4, sum(neg.values()) / 4
    if not n_pos or not n_neg:
        return StartTable(0.0, {})
    p = n_pos / (n_pos + n_neg)
    weights = {}
    for f in set(pos) | set(neg):
        if pos[f] + neg[f] >= min_count:
            w = math.log((pos[f] + 2 * p) / (n_pos + 2 * p)) - math.log((neg[f] + 2 * (1 - p)) / (n_neg + 2 * (1 - p)))
            if abs(w) >= min_weight:
                weights[f] = round(w, 2)
    return StartTable(round(math.log(p / (1 - p)), 3), weights)


_DEFAULT_STARTS: list[StartTable] = []


def default_starts() -> StartTable:
    """The table shipped in rag/sentence_starts.py (built by tests/benchmarks/readability.py --learn)."""
    if not _DEFAULT_STARTS:
        from yt_transcript.rag.sentence_starts import PRIOR, WEIGHTS

        _DEFAULT_STARTS.append(StartTable(PRIOR, WEIGHTS))
    return _DEFAULT_STARTS[0]


def _set_phrase(words: list[_Word], j: int) -> bool:
    """Whether the cue-looking words at j belong to a set phrase ("and so on", "so that", "so far")."""
    after = [w.norm for w in words[j:j + 3]]
    if after[:1] == ["and"]:
        after = after[1:]
    return len(after) > 1 and after[0] == "so" and after[1] in _SO_PHRASES


def _punctuated_near(words: list[_Word], radius: int = 40) -> list[bool]:
    """For each word, whether a sentence-final mark falls within radius words: the captions there are punctuated."""
    ends = np.cumsum([0] + [bool(_SENTENCE_END.search(w.token)) for w in words])
    n = len(words)
    return [bool(ends[min(n, j + radius)] - ends[max(0, j - radius)]) for j in range(n)]


def _length_cost(n: int, longest: int = MAX_WORDS) -> float:
    if n > longest:
        return 50.0 + n  # only when nothing else is possible
    if n < MIN_WORDS:
        return (MIN_WORDS - n) * 0.6
    return max(0, n - 25) * 0.15 if longest <= MAX_WORDS else 0.0  # read whole: length is no reason to cut


def split_sentences(words: list[_Word], starts: StartTable | BreakOdds | None = None,
                    longest: int = MAX_WORDS) -> list[tuple[int, int]]:
    """Word ranges of the sentences: the breaks that best balance evidence and length (dynamic programming).
    A punctuated sentence is cut only past `longest` words; restored ones stay within MAX_WORDS."""
    n = len(words)
    if not n:
        return []
    near = _punctuated_near(words)
    scores = [0.0] + [_break_score(words, j, near, starts) for j in range(1, n)]
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    # A punctuated sentence longer than MAX_WORDS may still need to stand whole: allow it at a high cost.
    reach = max(MAX_WORDS, longest) * 3
    for j in range(1, n + 1):
        for i in range(max(0, j - reach), j):
            cost = best[i] + _length_cost(j - i, longest if near[i] else MAX_WORDS) - (scores[j] if j < n else 0.0)
            if cost < best[j]:
                best[j], back[j] = cost, i
    ranges, j = [], n
    while j > 0:
        ranges.append((back[j], j))
        j = back[j]
    return ranges[::-1]


def _unpaired_quotes_off(text: str) -> str:
    """The text without a quotation mark at its start or end that nothing in it pairs with ('"I'm going to
    send it something...' or '...a picture of a goat as a chart?"'); marks inside it stay as written."""
    straight = text.count('"') % 2 == 1
    if (straight and text.startswith('"')) or (text.startswith("\u201c") and "\u201d" not in text):
        text = text[1:].lstrip()
    elif straight and re.search(r'"$', text):
        text = text[:-1].rstrip()
    if text.endswith("\u201d") and "\u201c" not in text:
        text = text[:-1].rstrip()
    return text


def render(words: list[_Word], punctuated: bool, opening: float, closed: bool,
           closing: float = 6.0, markers: bool = False) -> Sentence | None:
    """The words as a sentence: leading markers off (unless markers), first letter and "I" capitalised,
    closing punctuation."""
    while (not markers and opening != CUT and len(words) > 1 and words[0].norm in LEADING_MARKERS
           and not _set_phrase(words, 0)):
        words = words[1:]
    text = " ".join(w.token for w in words).strip(" ,;:-–—")
    if not markers:  # a quote opened in one sentence and closed in another shows no lone mark at either end
        text = _unpaired_quotes_off(text)
    if not text:
        return None
    if not punctuated or text == text.lower():
        text = re.sub(r"\bi(?=\b|')", "I", text)
    # A piece cut from inside a punctuated sentence is shown as one: "…" where it was cut, the words as written.
    if opening != CUT:  # the first letter, after any opening quote mark ('"Mood disorders," which...')
        text = re.sub(r"^([\"'“‘(]*)(\w)", lambda m: m.group(1) + m.group(2).upper(), text, count=1)
    elif not text.startswith(("…", "...")):
        text = "…" + text
    if not _SENTENCE_END.search(text) and not text.endswith("…"):
        text += "." if closed else "…"
    return Sentence(words[0].time, words[-1].time + 0.5, text, words[0].index, words[-1].index, opening, closed,
                    closing)


def sentences(snippets, starts: StartTable | BreakOdds | None = None, *, markers: bool = False,
              longest: int = MAX_WORDS) -> list[Sentence]:
    """The transcript as readable sentences, in order (starts: where sentences start in unpunctuated
    captions: the break reader's odds, or the shipped table by default). A quote needs no "so" in front; a
    transcript keeps it (markers)."""
    punctuated = is_punctuated(snippets)
    words = drop_fillers(words_of(snippets), asr=not punctuated)
    near = _punctuated_near(words)
    out = []
    for a, b in split_sentences(words, starts, longest):
        opening = 6.0 if a == 0 else _break_score(words, a, near, starts)
        if near[a] and opening < 6.0:
            opening = CUT  # a cut inside a punctuated sentence: no evidence of a start
        closed = (_ends_sentence(words[b - 1].token, words[b].token if b < len(words) else "")
                  or not near[b - 1] or b == len(words))
        closing = 6.0 if b == len(words) else _break_score(words, b, near, starts)
        sentence = render(words[a:b], punctuated, opening, closed, closing, markers)
        if sentence:
            out.append(sentence)
    return out


def reading_lines(snippets: list[Snippet], starts: StartTable | BreakOdds | None = None) -> list[Snippet]:
    """Captions to read, as sentences: where the captions have no punctuation (raw ASR, or stretches of it),
    the sentences restored from it, cased, with full stops; fillers and stutters out, every other word kept.
    One line each, timed from the start of the caption line its first word is in: a word's own time is only
    guessed within its line, and a player started early never misses the first word."""
    if not snippets:
        return snippets
    found = sentences(snippets, starts, markers=True, longest=READ_WHOLE)  # the speaker's sentences, whole
    line_start = [s.start_s for s in snippets for _ in s.text.split()]  # per caption word, as words_of counts
    starts = [line_start[s.first] for s in found]
    ends = starts[1:] + [max(found[-1].end_s, snippets[-1].end_s)] if found else []
    words = words_of(snippets)
    # Captions mark a change of speaker with a dash of its own; the sentence after it keeps it, fillers between.
    turns = [_turn_before(words, s.first) for s in found]
    return [Snippet(("- " if turn else "") + s.text, start, end)
            for s, start, end, turn in zip(found, starts, ends, turns)]


def _turn_before(words: list[_Word], first: int) -> bool:
    k = first - 1
    while k >= 0 and words[k].norm in FILLERS:
        k -= 1
    return k >= 0 and words[k].token in _TURN_MARKS


def joined(snippets, first: Sentence, last: Sentence) -> Sentence | None:
    """first through last (sentences() of the same snippets, last after first) as one sentence, rendered as
    sentences() renders one: a contiguous stretch of the cleaned transcript, the words between kept."""
    punctuated = is_punctuated(snippets)
    words = [w for w in drop_fillers(words_of(snippets), asr=not punctuated) if first.first <= w.index <= last.last]
    return render(words, punctuated, first.opening, last.closed, last.closing) if words else None


_LEAD_WORDS = 4  # a lower-case opening this short, ending a sentence, is the tail of the one before
_READ_ON = 120  # characters a shown match may read on by to meet its sentence's end


def whole_sentences(text: str, match: tuple[int, int] | None) -> tuple[int, int] | None:
    """A search hit's matching characters as a reader is shown them: the match is cut at caption lines, so it
    may open on the last words of the sentence before ("psychologists. Maybe because...") and stop mid-sentence
    ("...for men in their early to"). Where the punctuation says so (_ends_sentence: never at "Dr." or
    "U.S. Army"), it starts after that end and reads on to the sentence's own, at most _READ_ON characters on."""
    if not match:
        return None
    a, b = match
    tokens = list(re.finditer(r"\S+", text))

    def ends(k: int) -> bool:
        return _ends_sentence(tokens[k].group(), tokens[k + 1].group() if k + 1 < len(tokens) else "")

    inside = [k for k, t in enumerate(tokens) if a <= t.start() < b]
    if text[a:a + 1].islower():
        lead = next((k for k in inside[:_LEAD_WORDS] if ends(k) and k + 1 in inside), None)
        a = tokens[lead + 1].start() if lead is not None else a
    if inside and not ends(inside[-1]):
        end = next((k for k in range(inside[-1] + 1, len(tokens)) if tokens[k].start() <= b + _READ_ON and ends(k)),
                   None)
        b = tokens[end].end() if end is not None else b
    return (a, b) if a < b else match


# A statement never opens on one of these: one that does and asks nothing goes on from another speaker's words
# ("...and biological neural networks-" "- Are trying to survive."). "Do" and "have" open orders ("Do the
# exercise"), so they may.
_AUXILIARIES = frozenset("am is are was were does did has can could will would shall should might must".split())
ASKS = re.compile(r"\?[\"'\u201d)\]]*\s*$")  # a sentence that ends asking, a closing mark after the "?"


def starts_mid_clause(text: str) -> bool:
    """A lower-case first word or a conjunction: the extract was cut inside a clause. Or a word that ends
    clauses, then "and"/"but"/"or": the cut came one word late ("There and these are kind of like..."). Or an
    auxiliary in a sentence that asks nothing: it finishes another speaker's sentence."""
    words = [_norm(w) for w in text.split()[:2]]
    if not words:
        return False
    return (text[:1].islower() or text.startswith("…") or words[0] in CONJUNCTIONS
            or (len(words) == 2 and words[0] in _CLAUSE_ENDS and words[1] in ("and", "but", "or"))
            or (words[0] in _AUXILIARIES and not ASKS.search(text)
                and not (len(words) == 2 and text.split()[1][:1].isupper())))  # "Will Smith", "Can Openers"


# --- choosing extracts --------------------------------------------------------------------------------------


def sentence_vectors(found: list[Sentence], unit_starts: np.ndarray, unit_vectors: np.ndarray) -> np.ndarray:
    """Each sentence's vector: the mean of the (normalised) unit vectors spoken within it, or the nearest unit."""
    norms = np.linalg.norm(unit_vectors, axis=1, keepdims=True)
    units = unit_vectors / np.where(norms == 0, 1, norms)
    rows = []
    for s in found:
        lo, hi = np.searchsorted(unit_starts, [s.start_s - 1.0, s.end_s])
        if hi > lo:
            rows.append(units[lo:hi].mean(axis=0))
        else:
            rows.append(units[min(max(0, lo - 1), len(units) - 1)])
    matrix = np.asarray(rows, dtype=np.float32).reshape(len(found), units.shape[1] if units.ndim == 2 else 0)
    n = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(n == 0, 1, n)


def readable(sentence: Sentence) -> bool:
    """Fit to quote on its own: 8 to 35 words, not starting inside a clause, not trailing off, and saying
    something."""
    first = _norm(sentence.text.split()[0])
    return (MIN_WORDS <= sentence.words <= MAX_WORDS and sentence.opening >= OPENING_MIN and sentence.closed
            and (len(first) > 1 or first in ("a", "i"))  # not the tail of a word ASR split ("C so you can")
            and not starts_mid_clause(sentence.text) and _norm(sentence.text.split()[-1]) not in _NO_END
            and says_something(sentence.text))


def says_something(text: str) -> bool:
    """At least _CONTENT_WORDS words that could be a topic: "It's actually kind of subtle and kind of
    interesting" or "This is what you will find on this website" names nothing a reader could learn."""
    return sum(topic_word(_norm(w)) for w in text.split()) >= _CONTENT_WORDS


def topic_word(norm: str) -> bool:
    """Whether a (lower-case) word could name a topic: three letters or more, and no stopword, filler, vague
    word, adverb in -ly or possessive."""
    return (len(norm) > 2 and norm not in STOPWORDS and norm not in NOT_TOPIC and norm not in FILLERS
            and not norm.endswith(("ly", "'s")))


def quotable(found: list[Sentence], idx, count: int = 1) -> list[int]:
    """The sentences of idx fit to quote: the first tier of BOUNDARY_TIERS with count readable sentences whose
    start and end have that much evidence; else the readable ones; else any of quotable length."""
    *bounded, fit, sized = quotable_tiers(found, idx)
    return next((t for t in bounded if len(t) >= count), None) or fit or sized


def quotable_tiers(found: list[Sentence], idx) -> list[list[int]]:
    """The sentences of idx by how fit to quote they are, each tier holding the one before: readable with the
    start and end evidence of each BOUNDARY_TIERS entry, then all readable ones, then any of quotable length."""
    idx = list(idx)
    fit = [i for i in idx if readable(found[i])]
    tiers = [[i for i in fit if found[i].opening >= opening and found[i].closing >= closing]
             for opening, closing in BOUNDARY_TIERS]
    return tiers + [fit, [i for i in idx if MIN_WORDS <= found[i].words <= MAX_WORDS]]


def pick(found: list[Sentence], vectors: np.ndarray, count: int, centre: np.ndarray | None = None,
         redundancy: float = 0.7, opening: float = OPENING_WEIGHT, cost: np.ndarray | None = None) -> list[int]:
    """Indexes (in time order) of up to count readable sentences that represent the stretch and differ from each
    other: maximal marginal relevance against its centroid, so three sentences are not one point made thrice.
    `cost`: per sentence, subtracted from its gain."""
    if not found:
        return []
    candidates = quotable(found, range(len(found)), count) or \
        [max(range(len(found)), key=lambda i: min(found[i].words, MAX_WORDS))]
    centre = vectors.mean(axis=0) if centre is None else centre
    centre = centre / (np.linalg.norm(centre) or 1.0)
    relevance = vectors @ centre
    picked: list[int] = []
    while len(picked) < count and len(picked) < len(candidates):
        def gain(i: int) -> float:
            overlap = max((float(vectors[i] @ vectors[p]) for p in picked), default=0.0)
            # Clearer sentence starts read better: a little credit for the evidence of one.
            return (float(relevance[i]) - redundancy * overlap + opening * min(found[i].opening, 2.0)
                    - (float(cost[i]) if cost is not None else 0.0))

        best = max((i for i in candidates if i not in picked), key=gain)
        picked.append(best)
    return sorted(picked)
