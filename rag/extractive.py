"""The offline answer: the sentences of the retrieved passages that best answer the question, quoted."""

from __future__ import annotations

import re
from dataclasses import replace

from yt_transcript.ingest.embedding import Embedder
from yt_transcript.ingest.models import SearchHit
from yt_transcript.ingest.storage import Storage
from yt_transcript.rag.citations import source_id
from yt_transcript.rag.retrieve import rank_sentences

LABEL = "Quotes from the video (no language model configured, so this is not a generated answer):"
_FILLERS = re.compile(r"\b(?:um+|uh+|erm|you know|I mean|sort of|kind of)\b[,.]?\s*", re.IGNORECASE)
_MIN_GAP_S = 8.0  # two quotes closer than this repeat each other


def clean_quote(text: str) -> str:
    """Drop spoken fillers and tidy spacing; fix the casing lower-case ASR loses (sentence starts, "I")."""
    text = _FILLERS.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,")
    if text == text.lower():  # only all-lower-case ASR; cased captions may say "i" for a loop index
        text = re.sub(r"\bi\b(?=['\s.,?!]|$)", "I", text)
        text = re.sub(r"([.?!]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text[:1].upper() + text[1:] if text else text


def extractive_answer(
    storage: Storage, embedder: Embedder, question: str, hits: list[SearchHit], max_quotes: int = 3
) -> tuple[str, list[SearchHit]]:
    """Quotes in time order, each followed by its source id. Returns (text, one source per quote).

    Each quote is its own source, starting at its own sentence, so its link lands on the quote.
    """
    chosen = []
    for sentence in rank_sentences(storage, embedder, question, hits):
        hit = hits[sentence.hit_index]
        if any(hits[c.hit_index].video_id == hit.video_id and abs(c.start_s - sentence.start_s) < _MIN_GAP_S
               for c in chosen):
            continue
        chosen.append(sentence)
        if len(chosen) == max_quotes:
            break
    chosen.sort(key=lambda s: (hits[s.hit_index].video_id, s.start_s))
    sources = [replace(hits[s.hit_index], start_s=s.start_s, text=s.text) for s in chosen]
    lines = [f'- "{clean_quote(s.text)}" [{source_id(n)}]' for n, s in enumerate(chosen, 1)]
    return LABEL + "\n" + "\n".join(lines), sources
