"""Rank the moments that answer a query: dense and lexical retrieval fused, sentence-level timestamps,
adjacent hits merged, and no single video crowding out the rest."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from yt_transcript.ingest.chunking import chunk_id
from yt_transcript.ingest.embedding import Embedder
from yt_transcript.ingest.errors import ChannelNotIndexed, EmbeddingModelMismatch, NoUploadDates, VideoNotIndexed
from yt_transcript.ingest.models import Chunk, SearchHit, VideoRecord
from yt_transcript.ingest.storage import Storage, closest_id
from yt_transcript.rag.expansion import expand_query
from yt_transcript.rag.stopwords import STOPWORDS

_RRF_K = 60  # reciprocal rank fusion constant (Cormack et al.); rank differences matter, not scores
_LIBRARY_CANDIDATES, _FILTERED_CANDIDATES = 100, 50  # chunks each retriever proposes
_MERGE_GAP_S = 30.0  # hits of one video closer than this are one passage
_SENTENCE_MARK = re.compile(r"[.!?]\s")  # a chunk without one is unpunctuated ASR
_FRAGMENT_WORDS = 15  # unpunctuated caption lines are joined to about this many words before matching
# A hit shows at least this many words from its match on, read into the next chunk if need be, to the end of
# a sentence or caption line, and at most _READ_ON_MORE words further.
_READ_ON_WORDS, _READ_ON_MORE = 25, 15
_SENTENCE_END = re.compile(r"[.!?][\"')\]\u201d]*$")


@dataclass
class SearchOptions:
    """How to search; the defaults are what the CLI uses."""

    video_ids: list[str] | None = None
    channel: str | None = None
    since: str | None = None  # ISO date, inclusive, on the upload date
    until: str | None = None  # ISO date, inclusive
    k: int = 5
    dense: bool = True
    lexical: bool = True
    rerank: bool = True  # add a ranking by best-matching sentence to the fusion
    locate: bool = True  # point at the best sentence, not the chunk start
    merge: bool = True
    diversify: bool = True
    candidates: int | None = None  # per retriever; None: 100 library-wide, 50 within a filter
    locate_lexical_weight: float = 0.5  # weight of the query's rare words against meaning when locating
    expand: bool = True  # add each acronym's spoken form, as the videos say it (rag/expansion)

    @property
    def one_video(self) -> str | None:
        """The video searched when it is just one (its notes keep the answers; "he" is most likely its speaker)."""
        return self.video_ids[0] if self.video_ids and len(set(self.video_ids)) == 1 else None


def close_matches(hits: list[SearchHit], threshold: float) -> list[SearchHit]:
    """The hits whose best sentence is relevant enough to count as found (RetrievalSettings.relevance_threshold):
    `ask` answers from these only, and a search with none says so."""
    return [h for h in hits if h.relevance >= threshold]


def search(storage: Storage, embedder: Embedder, query: str, options: SearchOptions, *,
           _again: bool = False) -> list[SearchHit]:
    """The options.k moments that best match the query, best first."""
    opts = options
    records = {r.meta.video_id: r for r in storage.records()}
    searchable = _select(records, opts, embedder.name)
    if not searchable or not query.strip():
        return []
    restrict = None if len(searchable) == len(records) else sorted(searchable)
    if opts.expand:
        query = expand_query(storage, query, restrict)
    qvec = np.asarray(embedder.embed_query(query), dtype=np.float32)
    # Library-wide, many videos compete for the pool: a deeper one lets the sentence ranking reach the right
    # one (dev set, library-wide: hit@5 0.968 -> 0.979 on ~2-minute passages; within one video no change).
    n = opts.candidates or (_LIBRARY_CANDIDATES if restrict is None else _FILTERED_CANDIDATES)

    rankings: list[list[str]] = []
    if opts.dense:
        rankings.append(storage.dense_search(embedder.name, qvec, n, restrict, records))
    if opts.lexical:
        rankings.append(storage.lexical_search(_lexical_terms(storage, query), n, restrict))
    fused = _rrf(rankings)
    pool = [cid for cid, _ in sorted(fused.items(), key=lambda kv: -kv[1])][: max(n, 4 * opts.k)]
    chunks = storage.chunks(pool)
    found = [cid for cid in pool if cid in chunks and chunks[cid][0].video_id in searchable]
    if pool and not found and not _again:
        # Every candidate was replaced between the index lookup and the read: a re-ingest committed in
        # between. Its new generation is in place now, so asking again finds it (never an empty answer).
        return search(storage, embedder, query, options, _again=True)
    pool = found

    terms = content_terms(query)
    idf = _pool_idf(terms, [chunks[cid][0].text for cid in pool])
    best_unit = {cid: _best_unit(qvec, *chunks[cid], terms, idf, opts.locate_lexical_weight)
                 for cid in pool}
    if opts.rerank and pool:
        by_sentence = sorted(pool, key=lambda cid: -best_unit[cid][1])
        fused = _rrf(rankings + [by_sentence])
    pool.sort(key=lambda cid: -fused.get(cid, 0.0))

    hits = []
    for cid in pool:
        chunk, _ = chunks[cid]
        start, sim, match = best_unit[cid] if opts.locate else (chunk.start_s, best_unit[cid][1], None)
        meta = records[chunk.video_id].meta
        hits.append(SearchHit(chunk.video_id, meta.title, meta.channel, start, chunk.end_s, chunk.text,
                              fused.get(cid, 0.0), chunk.chapter, chunk_id=cid, chunk_start_s=chunk.start_s,
                              relevance=sim, match=match))
    if opts.merge:
        hits = _merge(hits)
    if opts.diversify and (opts.video_ids is None or len(opts.video_ids) > 1):
        hits = _diversify(hits, opts.k)
    hits = hits[: opts.k]
    _read_on(storage, hits, chunks)
    for hit in hits:  # the fillers and stutters known are English ones
        if records[hit.video_id].meta.english and not _SENTENCE_MARK.search(hit.text):
            _as_read(hit)
    return hits


def _as_read(hit: SearchHit) -> None:
    """An unpunctuated hit's text as the transcript reads it, fillers and stutters out (sentences.as_read),
    with its matching sentence still marked: "uh so um i think" is shown "so I think"."""
    from yt_transcript.rag.sentences import as_read

    a, b = hit.match or (0, 0)
    before, matched, after = (as_read(part) for part in (hit.text[:a], hit.text[a:b], hit.text[b:]))
    head = f"{before} " if before and matched else before
    hit.text = " ".join(part for part in (head + matched, after) if part)
    # A match of fillers only is left with nothing to point at: the hit then shows from its start.
    hit.match = (len(head), len(head) + len(matched)) if hit.match and matched else None


def _select(records: dict[str, VideoRecord], opts: SearchOptions, model: str) -> set[str]:
    for video_id in opts.video_ids or []:
        if video_id not in records:
            raise VideoNotIndexed(video_id, closest_id(video_id, list(records)))
    wanted = set(opts.video_ids) if opts.video_ids else set(records)
    if opts.channel:
        name = opts.channel.casefold().lstrip("@")
        wanted = {v for v in wanted if records[v].meta.channel.casefold().lstrip("@") == name}
        if not wanted:
            raise ChannelNotIndexed(opts.channel, sorted({r.meta.channel for r in records.values() if r.meta.channel}))
    if opts.since or opts.until:
        if wanted and not any(records[v].meta.upload_date for v in wanted):
            raise NoUploadDates(len(wanted))  # "No matching passages" would blame the words, not the dates
        since, until = opts.since or "0000", opts.until or "9999"
        wanted = {v for v in wanted if records[v].meta.upload_date and since <= records[v].meta.upload_date <= until}
    searchable = {v for v in wanted if records[v].embed_model == model}
    if wanted and not searchable:
        raise EmbeddingModelMismatch(
            f"these videos were embedded with {records[next(iter(wanted))].embed_model!r}, not {model!r}"
        )
    return searchable


def _match_terms(query: str) -> list[str]:
    """Words and phrases to look up: the query's content words (ASR text rarely holds every word of a
    question), plus each pair of adjacent content words as a phrase: a chunk that says "tiny shakespeare"
    outranks one that says "tiny" and "shakespeare" apart (dev set: hit@1 0.781 -> 0.808 library-wide)."""
    words = _query_words(query)
    content = [base for base, _ in words if _is_content(base)] or [base for base, _ in words]
    # The index splits "Moravec's paradox" into "moravec s paradox": a possessive's phrase keeps its "s".
    phrases = [f"{a} {'s ' if tail == 's' else ''}{b}" for (a, tail), (b, _) in zip(words, words[1:])
               if _is_content(a) and _is_content(b)]
    return list(dict.fromkeys(content + phrases))


_TOKEN = re.compile(r"\w+(?:'\w+)?")
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u00b4`]")  # typed or pasted for "'"


def _query_words(query: str) -> list[tuple[str, str]]:
    """(word, what follows its apostrophe) for each word of the query. A contraction stays whole ("doesn't"):
    its fragments alone ("t", "re") would match most of a library. A possessive's "s" is dropped, so
    "Moravec's" looks up "moravec"."""
    out = []
    for token in _TOKEN.findall(_APOSTROPHES.sub("'", query.lower())):
        base, _, tail = token.partition("'")
        out.append((token if tail and tail != "s" else base, tail))
    return out


def _is_content(word: str) -> bool:
    """Not a stopword; a contraction counts when its first part does ("doesn't", looked up as the phrase
    the index holds; never "you're")."""
    return word.partition("'")[0] not in STOPWORDS


def _lexical_terms(storage: Storage, query: str) -> dict[str, int]:
    """The query's lexical terms, re-spelt the way captions write them, with how many chunks each matches."""
    counts = storage.term_counts(_match_terms(query))
    counts.update(_respellings(list(counts), counts, storage.term_counts))
    return counts


def _respellings(terms: list[str], counts: dict[str, int],
                 count: Callable[[list[str]], dict[str, int]]) -> dict[str, int]:
    """Compounds the captions spell otherwise, with their match counts.

    ASR and caption writers split and join words at will: the Deep Dive lecture says "data set" 61 times and
    "dataset" never, "pre-training" and never "pretraining", "deep seek", "chat gpt"; another video in the
    library may spell them whole. So each long query word is also tried as every split into two words that
    are not stopwords ("dataset" -> "data set"; "nowhere" never becomes "now here"), and each adjacent pair
    joined ("data set" -> "dataset"); the most frequent split and any joined form that occurs are added.
    """
    found: dict[str, int] = {}
    for term in terms:
        words = term.split()
        if len(words) == 1 and len(words[0]) >= 6 and words[0].isalpha():
            word = words[0]
            splits = count([f"{word[:i]} {word[i:]}" for i in range(2, len(word) - 1)
                            if word[:i] not in STOPWORDS and word[i:] not in STOPWORDS])
            best = max(splits, key=splits.get, default=None)
            if best and splits[best]:
                found[best] = splits[best]
        elif len(words) == 2:
            joined = "".join(words)
            if joined not in counts:
                n = count([joined])[joined]
                if n:
                    found[joined] = n
    return found


def _rrf(rankings: list[list[str]]) -> dict[str, float]:
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (_RRF_K + rank + 1)
    return fused


def content_terms(query: str) -> list[str]:
    """The query's content words, cut to a 5-letter prefix: a stemmer's effect without one. A contraction
    gives its first part ("doesn"), as `_words` reads the text."""
    return list(dict.fromkeys(w.partition("'")[0][:5] for w, _ in _query_words(query) if _is_content(w)))


def _words(text: str) -> set[str]:
    """5-letter prefixes of the text's words and of each adjacent pair joined: captions that say "data set"
    or "pre-training" hold the query's "dataset" and "pretraining" (see `_respellings`)."""
    words = re.findall(r"\w+", text.lower())
    # A first word of 5+ letters already gives the pair's prefix.
    return {w[:5] for w in words} | {(a + b)[:5] for a, b in zip(words, words[1:]) if len(a) < 5}


def _pool_idf(terms: list[str], texts: list[str]) -> dict[str, float]:
    """Inverse document frequency of each term among the candidate chunks: rare there, telling here."""
    sets = [_words(t) for t in texts]
    n = len(sets) or 1
    return {t: math.log(1 + n / (1 + sum(t in s for s in sets))) for t in terms}


def _windows(chunk: Chunk, unit_vectors: np.ndarray) -> tuple[list[tuple[float, int, int]], np.ndarray]:
    """(start_s, first char, end char) in the chunk's text and a unit vector for each place a match can start.

    Punctuated text: each sentence unit. Unpunctuated ASR: each caption line joined with the lines after it
    up to about a spoken sentence, since a 7-word line says too little to match a question (dev questions
    on lower-case ASR, one video: hit@1 0.71 -> 0.79).
    """
    units = chunk.units
    if _SENTENCE_MARK.search(chunk.text):
        return list(units), unit_vectors
    words = [len(chunk.text[a:b].split()) for _, a, b in units]
    ends = []
    for i in range(len(units)):
        j, n = i, 0
        while j < len(units) and n < _FRAGMENT_WORDS:
            n += words[j]
            j += 1
        ends.append(j)
    sums = np.vstack([np.zeros((1, unit_vectors.shape[1]), dtype=unit_vectors.dtype), np.cumsum(unit_vectors, 0)])
    vectors = np.stack([sums[j] - sums[i] for i, j in enumerate(ends)])
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    spans = [(units[i][0], units[i][1], units[j - 1][2]) for i, j in enumerate(ends)]
    return spans, vectors


def _scored_windows(qvec: np.ndarray, chunk: Chunk, unit_vectors: np.ndarray, terms: list[str],
                    idf: dict[str, float], lexical_weight: float) -> tuple[list[tuple[float, int, int]], np.ndarray]:
    """Each place a match can start in the chunk, (start_s, first char, end char), and its score: meaning plus
    rare words."""
    spans, vectors = _windows(chunk, unit_vectors)
    scores = vectors @ qvec
    total = sum(idf.values()) or 1.0
    if terms and lexical_weight:
        scores = scores + lexical_weight * _window_overlaps(chunk.text, spans, terms, idf) / total
    return spans, scores


def _window_overlaps(text: str, spans: list[tuple[float, int, int]], terms: list[str],
                     idf: dict[str, float]) -> np.ndarray:
    """For each (start_s, first char, end char) window of the text, the idf of the terms `_words` finds in it.

    The same as testing each term against `_words(text[a:b])` for windows that start and end on word
    boundaries (but for letters whose lower case is longer, such as "İ"), with the text read once: a chunk's
    windows overlap (an ASR line joined with the lines after it), and reading each window again cost ~25 ms
    of a 100k-chunk search."""
    wanted = set(terms)
    found = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"\w+", text)]
    starts = [a for a, _, _ in found]
    ends = [b for _, b, _ in found]
    # Each term's occurrences as (first word, last word): a word's prefix, or a short word joined to the next.
    where: dict[str, list[tuple[int, int]]] = {}
    for i, (_, _, word) in enumerate(found):
        if word[:5] in wanted:
            where.setdefault(word[:5], []).append((i, i))
        if len(word) < 5 and i + 1 < len(found) and (word + found[i + 1][2])[:5] in wanted:
            where.setdefault((word + found[i + 1][2])[:5], []).append((i, i + 1))
    out = np.zeros(len(spans))
    for k, (_, a, b) in enumerate(spans):
        first, stop = bisect_left(starts, a), bisect_right(ends, b)
        out[k] = sum(idf[t] for t in terms if any(first <= i and j < stop for i, j in where.get(t, ())))
    return out


def _best_unit(qvec: np.ndarray, chunk: Chunk, unit_vectors: np.ndarray, terms: list[str],
               idf: dict[str, float], lexical_weight: float) -> tuple[float, float, tuple[int, int] | None]:
    """(start_s, score, character range) of the sentence that best matches: meaning plus the query's rare words."""
    if not chunk.units or unit_vectors.size == 0:
        return chunk.start_s, -1.0, None
    spans, scores = _scored_windows(qvec, chunk, unit_vectors, terms, idf, lexical_weight)
    best = int(np.argmax(scores))
    start, a, b = spans[best]
    return start, float(scores[best]), (a, b)


def _read_on(storage: Storage, hits: list[SearchHit], chunks: dict[str, tuple[Chunk, np.ndarray]]) -> None:
    """Give each hit whose matching sentence sits at the end of its chunk the words spoken next, so what is
    shown from the match on reads to the end of a sentence (or, in unpunctuated captions, runs on a while)
    instead of stopping where the chunk was cut ("... comes up with stuff and the stuff is")."""
    short = [h for h in hits if h.match and h.chunk_id in chunks and len(h.from_match.split()) < _READ_ON_WORDS]
    following = {h.chunk_id: _next_id(chunks[h.chunk_id][0]) for h in short}
    nexts = storage.chunks(sorted(set(following.values()))) if short else {}
    for hit in short:
        if following[hit.chunk_id] not in nexts:
            continue  # the video's last chunk
        after = nexts[following[hit.chunk_id]][0]
        at = _continues_at(chunks[hit.chunk_id][0].text, after.text)
        line_ends = {b for _, _, b in after.units}
        need, cut = _READ_ON_WORDS - len(hit.from_match.split()), None
        for n, word in enumerate(re.finditer(r"\S+", after.text[at:]), 1):
            cut = at + word.end()
            # Stop at a sentence's end; in unpunctuated captions, at a line's end, where the speaker paused.
            if n >= need and (_SENTENCE_END.search(word.group()) or cut in line_ends or n >= need + _READ_ON_MORE):
                break
        if cut is not None:
            hit.text = f"{hit.text} {after.text[at:cut].strip()}"
            hit.end_s = max(hit.end_s, next((u[0] for u in after.units if u[1] >= cut), after.end_s))


def _continues_at(text: str, following: str) -> int:
    """Where `following` (the next chunk) goes on past `text`: chunks are cut along caption lines, and the
    next one opens with the last lines of this one (never at a chapter start), so skip the longest end of
    `text` it opens with. Two words at least: one shared word is more likely chance."""
    for word in re.finditer(r"\S+", text):
        tail = text[word.start():]
        rest = following[len(tail):]
        if len(tail.split()) >= 2 and following.startswith(tail) and (not rest or rest[0].isspace()):
            return len(tail)  # whole words only: "the model" is no overlap of "the models are"
    return 0


def _next_id(chunk: Chunk) -> str:
    return chunk_id(chunk.video_id, chunk.generation, chunk.index + 1)


def _merge(hits: list[SearchHit]) -> list[SearchHit]:
    """Fold hits that point into the same passage of a video into the best-ranked one."""
    kept: list[SearchHit] = []
    for hit in hits:
        twin = next((h for h in kept if h.video_id == hit.video_id and _overlaps(h, hit)), None)
        if twin is None:
            kept.append(hit)
        else:
            twin.end_s = max(twin.end_s, hit.end_s)
    return kept


def _overlaps(a: SearchHit, b: SearchHit) -> bool:
    return abs(a.start_s - b.start_s) < _MERGE_GAP_S


def _diversify(hits: list[SearchHit], k: int) -> list[SearchHit]:
    """At most ~k/3 (at least 2) hits per video in the top k, unless other videos run out."""
    cap = max(2, math.ceil(k / 3))
    chosen, deferred, per_video = [], [], {}
    for hit in hits:
        if per_video.get(hit.video_id, 0) < cap:
            chosen.append(hit)
            per_video[hit.video_id] = per_video.get(hit.video_id, 0) + 1
        else:
            deferred.append(hit)
    return chosen + deferred


def sentence_match_scores(qvec: np.ndarray, vectors: np.ndarray, texts: list[str], terms: list[str],
                          lexical_weight: float = SearchOptions.locate_lexical_weight) -> np.ndarray:
    """How well each sentence matches the query, as search scores a place to land: its cosine plus a share of
    the query's rare words (rare among these sentences)."""
    scores = vectors @ qvec
    idf = _pool_idf(terms, texts)
    total = sum(idf.values()) or 1.0
    if terms and lexical_weight:
        scores = scores + lexical_weight * np.array([sum(idf[t] for t in terms if t in _words(x)) / total
                                                     for x in texts])
    return scores
