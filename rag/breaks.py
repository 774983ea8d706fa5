"""Where sentences end in unpunctuated speech, read from the embedding model's middle layer.

YouTube's ASR has no full stops, and the words around a gap alone are weak evidence of one (rag/sentences.py's
StartTable). A transformer reading the whole stretch knows more: a linear reader over MiniLM's layer-4 token
vectors (rag/break_weights.py, learned by tests/benchmarks/break_reader.py from punctuated dev captions made to
look like ASR) gives, per word, the log-odds that a sentence ends after it.
"""

from __future__ import annotations

import base64
import contextlib
import re
import zlib
from collections.abc import Callable, Iterator

import numpy as np

from yt_transcript.ingest import errors
from yt_transcript.ingest.embedding import READING_LAYER, Embedder
from yt_transcript.ingest.models import Transcript
from yt_transcript.ingest.storage import Storage
from yt_transcript.rag import break_weights
from yt_transcript.rag.sentences import ODDS_LEAN, ODDS_WEIGHT, BreakOdds, is_punctuated, words_of

WINDOW_WORDS = 96  # words the model reads at once (~130 word pieces: well inside its 256)
KEPT_WORDS = 64  # the middle of each window, which has context on both sides, is what is kept
BATCH = 16
# Everything that shapes the odds and how sentences weigh them: kept odds, overviews, cards and reading lines
# made with them are keyed by it, so new weights (break_reader.py --learn) or windows never serve stale ones.
ODDS_VERSION = "odds-" + format(zlib.crc32(repr((
    break_weights.MODEL, break_weights.LAYER, break_weights.INTERCEPT, break_weights.END, break_weights.NEXT,
    WINDOW_WORDS, KEPT_WORDS, ODDS_WEIGHT, ODDS_LEAN)).encode()), "08x")


def break_odds(words: list[str], embedder: Embedder) -> np.ndarray | None:
    """Per word, the log-odds that a sentence ends after it; None when the embedder is not the model the
    reader was learned on, or cannot show its layers."""
    if not usable(embedder):
        return None
    end = np.asarray(break_weights.END, dtype=np.float32)
    following = np.asarray(break_weights.NEXT, dtype=np.float32)
    dims = len(end)
    odds = np.full(len(words), break_weights.INTERCEPT, dtype=np.float32)
    for index, features in word_features(words, embedder):
        if features is None:
            return None
        if len(index):
            odds[index] += features[:, :dims] @ end + features[:, dims:] @ following
    return odds


def usable(embedder: Embedder) -> bool:
    """Whether the reader's weights apply to this embedder's vectors."""
    return embedder.name == break_weights.MODEL and READING_LAYER == break_weights.LAYER


def word_features(words: list[str], embedder: Embedder) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """(word positions, features) per batch of windows: a word's feature is its last word piece's vector next
    to the following word's first (zeros where the window ends). None features: the model gives no layers."""
    margin = (WINDOW_WORDS - KEPT_WORDS) // 2
    windows = [(max(0, lo - margin), lo, min(lo + KEPT_WORDS, len(words)), min(len(words), lo + KEPT_WORDS + margin))
               for lo in range(0, len(words), KEPT_WORDS)]
    for b in range(0, len(windows), BATCH):
        batch = windows[b:b + BATCH]
        texts, word_starts = zip(*(_joined(words[first:stop]) for first, _, _, stop in batch))
        states = embedder.layer_states(list(texts))
        if states is None:
            yield np.zeros(0, dtype=np.int64), None
            return
        index, rows = [], []
        for (first, lo, hi, stop), starts, (token_starts, _, vectors) in zip(batch, word_starts, states):
            word_of = np.searchsorted(starts, token_starts, side="right") - 1  # a word piece's word
            dims = vectors.shape[1]
            for k in range(lo - first, hi - first):
                own, nxt = np.flatnonzero(word_of == k), np.flatnonzero(word_of == k + 1)
                if not len(own):  # cut off by the model's length limit: the prior stands
                    continue
                row = np.zeros(2 * dims, dtype=np.float32)
                row[:dims] = vectors[own[-1]]
                if len(nxt):
                    row[dims:] = vectors[nxt[0]]
                index.append(first + k)
                rows.append(row)
        yield np.asarray(index, dtype=np.int64), (np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32))


def _joined(words: list[str]) -> tuple[str, np.ndarray]:
    """The words as one text, and each word's char start in it."""
    starts, at = [], 0
    for word in words:
        starts.append(at)
        at += len(word) + 1
    return " ".join(words), np.asarray(starts)


def odds_key(generation: str) -> str:
    """Where a transcript version's odds are kept in the catalog's cache."""
    return f"break-odds\x1f{ODDS_VERSION}\x1f{generation}"


def reads(transcript: Transcript, model: str) -> bool:
    """Whether the reader reads this transcript (English, without punctuation) with this embedding model."""
    return (model == break_weights.MODEL and transcript.meta.english and bool(transcript.snippets)
            and not is_punctuated(transcript.snippets))


def kept_breaks(storage: Storage, video_id: str, generation: str | None = None) -> BreakOdds | None:
    """The odds already worked out for the stored transcript (or that version of it), if any; never reads
    the model."""
    kept = storage.cached(odds_key(generation or storage.get(video_id).generation))
    return None if kept is None else BreakOdds(_unpacked(kept))


def read_breaks(storage: Storage, transcript: Transcript, generation: str, load: Callable[[], Embedder]
                ) -> BreakOdds | None:
    """The odds for a stored transcript the reader reads (`reads`), worked out once and kept; None when the
    model cannot read them. `load` gives the embedder, called only when there is something to read. Keeping
    them is best effort: a home that cannot keep them still gets them."""
    kept = kept_breaks(storage, transcript.meta.video_id, generation)
    if kept is not None:
        return kept
    embedder = load()
    if not usable(embedder):
        return None
    odds = break_odds([reading_form(w.token) for w in words_of(transcript.snippets)], embedder)
    if odds is None:
        return None
    packed = base64.b64encode(odds.astype("<f2").tobytes()).decode()
    with contextlib.suppress(errors.StoreError, OSError):
        storage.cache(odds_key(generation), packed)
    return BreakOdds(_unpacked(packed))  # as kept: the first reading and every later one split alike


def reading_form(token: str) -> str:
    """A caption word as the reader learned words: lower case, punctuation but apostrophes as spaces
    (tests/benchmarks/asr_copy.asr_lines)."""
    return " ".join(re.sub(r"[^\w\s']", " ", token.lower()).split())


def _unpacked(packed: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(packed), dtype="<f2").astype(np.float32)
