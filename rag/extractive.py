"""The offline answer: whole sentences from the retrieved passages that best answer the question, quoted."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from yt_transcript.ingest.embedding import Embedder
from yt_transcript.ingest.models import SearchHit
from yt_transcript.ingest.storage import Storage
from yt_transcript.ingest.timecodes import format_hms
from yt_transcript.rag.breaks import kept_breaks
from yt_transcript.rag.citations import source_id
from yt_transcript.rag.retrieve import content_terms, sentence_match_scores
from yt_transcript.rag.sentences import (
    ASKS,
    BOUNDARY_TIERS,
    MAX_WORDS,
    MIN_WORDS,
    NOT_A_STATEMENT,
    BreakOdds,
    joined,
    readable,
    sentence_vectors,
    sentences,
)
from yt_transcript.rag.stopwords import content_words

def label(videos: int = 1, only: str = "") -> str:
    """The line above the quotes: where they come from, and that no model wrote them. `only`: the one video
    they all come from when the question was asked of many."""
    where = f"one video ({only})" if only else "the video" if videos <= 1 else f"{videos} videos"
    return f"Quotes from {where}, best first (no language model configured, so this is not a generated answer):"


LABEL = label()
_MIN_GAP_S = 8.0  # two quotes closer than this repeat each other
# At most this many quotes from one passage while another passage has one to give: three quotes from the top
# passage leave the reader nothing when search ranked the answer second (measured in viewer_questions.py).
_PASSAGE_MOST = 2
_EDGE_S = 20.0  # read this far past a passage's ends so its first and last sentences are whole
_LONGEST = 2 * MAX_WORDS  # a longer "sentence" is unpunctuated speech we could not split: not a quote
# Words that introduce an explanation: a sentence that defines or gives a reason answers a "what" or "why"
# better than one that only names the topic.
_EXPLAINS = re.compile(r"\b(?:is|are|means|mean|stands for|called|refers to|because|the reason|the idea|so that"
                       r"|in other words|basically)\b", re.IGNORECASE)
_EXPLAINS_BONUS = 0.04
# A sentence that defines what the one before it named, by pointing back ("...model hallucinations. It's when
# llms make stuff up"): neither says it alone, so the two are also a candidate quote, read as one.
_DEFINES_BACK = re.compile(r"^(?:so |and )?(?:(?:it's|it is|that's|that is|this is|which is) (?:when|where|what|"
                           r"basically|just|simply)\b|(?:it|that|this|which) (?:means|refers to)\b)", re.IGNORECASE)
# A question ("But, hey, you think your dreams are nut-bar?") or the speaker working the screen asks or shows;
# it does not answer, though it may say the question's words. Dev quotes flat from 0.03 to 0.1
# (tests/benchmarks/viewer_questions.py); kept for what a student reads first.
_NOT_STATED_COST = 0.06
_UNREADABLE_COST = 0.08  # a fragment or a run-on still may be the only place the answer is said
# A question that says most of the viewer's own words ("What makes a good prompt engineer?", an interviewer
# asking it) restates the question; the answer comes after it. Kept for the reader though dev moved one first
# quote out of its gold window (viewer_questions.py).
_ECHO_COST = 0.2
_ECHO_SHARE = 0.6  # of the viewer's content words, and two at least
# A remark this short answers nothing ("Good question.", "Tough questions here."); on top of _UNREADABLE_COST,
# which any sentence under MIN_WORDS pays, because such a remark borrows its passage's whole score.
_SHORT_WORDS = 4
_SHORT_COST = 0.15
_AFTER_ECHO_BONUS = 0.1  # the sentence after such a question: where the answer starts
# Per place a quote's passage stands in search's order. Search judges which passage answers better than one
# sentence's score does (dev set: its top hit lands in a gold window for 0.83 of questions, the best-scored
# sentence for 0.77), so a quote from a lower passage must score clearly better to come first. Chosen on
# dev-A (first quote in a gold window 0.85 -> 0.91 at 0.1; flat from 0.07 to 0.3), held on dev-B (0.69 -> 0.75).
_RANK_COST = 0.1
_CLOSING = BOUNDARY_TIERS[0][1]  # less evidence of its end than this, and a quote may trail off
_COMPLETED_WORDS = MAX_WORDS + 10  # a quote completed by the next sentence stays this short


@dataclass
class Quote:
    hit_index: int  # which hit (0-based) it comes from
    start_s: float  # seconds
    text: str  # a whole sentence of the cleaned transcript, unedited
    score: float
    # The sentence with the one after it, when this one trails off (little evidence of its end) and the pair
    # ends on more; shown in its place unless another quote shown says the second sentence.
    completed: str | None = None
    completed_end_s: float = 0.0  # seconds


def extractive_answer(
    storage: Storage, embedder: Embedder, question: str, hits: list[SearchHit], max_quotes: int = 3,
    shown: str = "", across: bool = False,
) -> tuple[str, list[SearchHit]]:
    """The best sentences, best first, each with its time and source id. Returns (text, one source per quote).

    Each quote is its own source, starting at its own sentence, so its link lands on the quote. A quote already
    `shown` (the earlier answers of a conversation) gives way to the next best: a follow-up ("why?") read with
    the question before it would otherwise repeat that answer word for word. `across`: the question was asked
    of several videos, so quotes that all come from one name it.
    """
    ranked = rank_quotes(storage, embedder, question, hits)
    fresh = [q for q in ranked if q.text not in shown and (q.completed or q.text) not in shown]
    chosen: list[Quote] = []
    pool = fresh if fresh else ranked
    for capped in (True, False):  # a second pass fills what the cap left empty
        for quote in pool:
            if len(chosen) == max_quotes:
                break
            if quote in chosen or _repeats(quote, chosen, hits):
                continue
            if capped and sum(c.hit_index == quote.hit_index for c in chosen) >= _PASSAGE_MOST:
                continue
            chosen.append(quote)
    chosen.sort(key=pool.index)  # best first, whichever pass took it
    shown = [_shown(q, chosen, hits) for q in chosen]
    sources = [replace(hits[q.hit_index], start_s=q.start_s, text=text, match=None) for q, text in zip(chosen, shown)]
    videos = len({s.video_id for s in sources})
    # From several videos each quote says whose it is: "1:28:00" alone would let a student quote LeCun as Karpathy.
    where = [f"{byline}, " for byline in _bylines(sources)] if videos > 1 else [""] * len(sources)
    lines = [f'- {w}{format_hms(q.start_s)} "{text}" [{source_id(n)}]'
             for n, (q, text, w) in enumerate(zip(chosen, shown, where), 1)]
    only = short_title(sources[0].title) or sources[0].video_id if across and videos == 1 and sources else ""
    return label(videos, only) + "\n" + "\n".join(lines), sources


def _repeats(quote: Quote, chosen: list[Quote], hits: list[SearchHit]) -> bool:
    video = hits[quote.hit_index].video_id
    return any(hits[c.hit_index].video_id == video and abs(c.start_s - quote.start_s) < _MIN_GAP_S for c in chosen)


def _bylines(sources: list[SearchHit]) -> list[str]:
    """Each source's short title, or its cut full title where two videos' short titles would read alike
    ("MIT 6.S191 (2023): Deep Learning" and "MIT 6.S191 (2023): Transformers")."""
    short = {s.video_id: short_title(s.title) or s.video_id for s in sources}
    alike = {v for v in short if sum(short[v] == t for t in short.values()) > 1}
    return [short_title(s.title, split=False) if s.video_id in alike else short[s.video_id] for s in sources]


def short_title(title: str, longest: int = 40, *, split: bool = True) -> str:
    """A video's title as a quote's byline: up to its first ":", "|" or spaced dash ("Yann Lecun: Meta AI, Open
    Source..." is "Yann Lecun"), cut at a word to at most `longest` characters."""
    title = " ".join(title.split())
    head = (re.split(r"\s*[:|]\s|\s[-\u2013\u2014]\s", title, maxsplit=1)[0].strip() if split else "") or title
    return head if len(head) <= longest else head[:longest].rsplit(" ", 1)[0].rstrip(" ,;-") + "…"


def _shown(quote: Quote, chosen: list[Quote], hits: list[SearchHit]) -> str:
    """The quote as the reader sees it: completed by the next sentence unless another quote shown starts there."""
    video = hits[quote.hit_index].video_id
    if quote.completed and not any(
            hits[c.hit_index].video_id == video and quote.start_s < c.start_s <= quote.completed_end_s for c in chosen):
        return quote.completed
    return quote.text


def rank_quotes(storage: Storage, embedder: Embedder, question: str, hits: list[SearchHit]) -> list[Quote]:
    """Every whole sentence spoken in the hits' passages, best answer first.

    Sentences are restored from the caption lines (rag/sentences), so a quote never starts or stops inside a
    line. Each is scored as search scores a place to land (meaning plus the question's rare words), with a
    little credit for explaining, a cost for being unreadable, and one for each passage search ranked above
    its own. Where the overview has read a video's sentence breaks (rag/breaks.py), its quotes use them.
    """
    chunks = storage.chunks([h.chunk_id for h in hits if h.chunk_id])
    qvec = np.asarray(embedder.embed_query(question), dtype=np.float32)
    terms = content_terms(question)
    snippets_of: dict[str, list] = {}
    words_before: dict[str, np.ndarray] = {}  # per video, the caption words before each snippet
    breaks_of: dict[str, BreakOdds | None] = {}
    found: list[tuple[int, object, np.ndarray]] = []
    asked = _content_words(question)
    after_echo: set[tuple[int, float]] = set()  # (hit, start_s) of each sentence that follows an echo
    for i, hit in enumerate(hits):
        if hit.chunk_id not in chunks:
            continue
        chunk, unit_vectors = chunks[hit.chunk_id]
        if not chunk.units or unit_vectors.size == 0:
            continue
        if hit.video_id not in snippets_of:
            snippets_of[hit.video_id] = storage.transcript(hit.video_id).snippets
            words_before[hit.video_id] = np.cumsum([0] + [len(s.text.split()) for s in snippets_of[hit.video_id]])
            breaks_of[hit.video_id] = kept_breaks(storage, hit.video_id)
        every = snippets_of[hit.video_id]
        at = [k for k, s in enumerate(every) if chunk.start_s - _EDGE_S <= s.start_s <= chunk.end_s + _EDGE_S]
        near = every[at[0]:at[-1] + 1] if at else []  # one stretch, so its words are the transcript's from at[0]
        breaks = breaks_of[hit.video_id]
        reader = breaks.shifted(int(words_before[hit.video_id][at[0]])) if breaks is not None and at else None
        inside = [s for s in sentences(near, reader, longest=_LONGEST) if chunk.start_s <= s.start_s < chunk.end_s]
        if not inside:
            continue
        starts = np.asarray([u[0] for u in chunk.units], dtype=np.float64)
        vectors = sentence_vectors(inside, starts, unit_vectors)
        found += [(i, s, v, _completed(near, inside, j)) for j, (s, v) in enumerate(zip(inside, vectors))]
        after_echo |= {(i, inside[j].start_s) for j in range(1, len(inside)) if _echoes(inside[j - 1].text, asked)}
        found += _definitions(i, near, inside, vectors)
    if not found:
        return []
    scores = sentence_match_scores(qvec, np.stack([f[2] for f in found]), [f[1].text for f in found], terms)
    quotes = []
    for (i, sentence, _, completed), score in zip(found, scores):
        if sentence.words > _LONGEST:
            continue
        score += _EXPLAINS_BONUS * bool(_EXPLAINS.search(sentence.text))
        score -= _UNREADABLE_COST * (not readable(sentence) and not MIN_WORDS <= sentence.words <= MAX_WORDS)
        score -= _NOT_STATED_COST * bool(NOT_A_STATEMENT.search(sentence.text))
        score -= _ECHO_COST * _echoes(sentence.text, asked)
        score -= _SHORT_COST * (sentence.words < _SHORT_WORDS)
        score += _AFTER_ECHO_BONUS * ((i, sentence.start_s) in after_echo)
        score -= _RANK_COST * i
        quotes.append(Quote(i, sentence.start_s, sentence.text, float(score),
                            completed.text if completed else None, completed.end_s if completed else 0.0))
    quotes.sort(key=lambda q: -q.score)
    return quotes


def _content_words(text: str) -> set[str]:
    """Lower-case words that are no stopword, a possessive off and a plural s folded ("engineers" is
    "engineer", "GPT's" is "gpt")."""
    words = (re.sub(r"'s$", "", w) for w in content_words(text))
    return {w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w for w in words if w}


def _echoes(text: str, asked: set[str]) -> bool:
    """Whether a sentence asks most of the viewer's question again, in the viewer's own words."""
    shared = len(asked & _content_words(text))
    return ASKS.search(text) is not None and shared >= 2 and shared >= _ECHO_SHARE * len(asked)


def _definitions(hit_index: int, snippets, inside: list, vectors: np.ndarray) -> list:
    """Candidates (as rank_quotes keeps them) for each sentence that defines the one before it by pointing back:
    the two as one quote, its vector their mean."""
    out = []
    for j in range(1, len(inside)):
        if _DEFINES_BACK.match(inside[j].text):
            pair = joined(snippets, inside[j - 1], inside[j])
            if pair is not None:
                mean = vectors[j - 1] + vectors[j]
                out.append((hit_index, pair, mean / (np.linalg.norm(mean) or 1.0), None))
    return out


def _completed(snippets, inside: list, j: int):
    """inside[j] with the sentence after it, when inside[j] trails off and the pair ends on more evidence and
    still reads in a breath; else None."""
    sentence = inside[j]
    if sentence.closing >= _CLOSING or j + 1 >= len(inside):
        return None
    after = inside[j + 1]
    if after.closing <= sentence.closing or sentence.words + after.words > _COMPLETED_WORDS:
        return None
    return joined(snippets, sentence, after)
