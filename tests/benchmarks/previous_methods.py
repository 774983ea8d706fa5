"""Methods the library used before, kept only so benchmarks can print them beside the current ones."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from yt_transcript.rag.stopwords import STOPWORDS

_FILLERS = re.compile(r"\b(?:um+|uh+|erm|you know|I mean|sort of|kind of)\b[,.]?\s*", re.IGNORECASE)


def clean_quote(text: str) -> str:
    """Drop spoken fillers and tidy spacing; fix the casing lower-case ASR loses (sentence starts, "I").
    It edited inside quotes ("what I mean by that is" became "what by that is"), hence rag/sentences."""
    text = _FILLERS.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,")
    if text == text.lower():  # only all-lower-case ASR; cased captions may say "i" for a loop index
        text = re.sub(r"\bi\b(?=['\s.,?!]|$)", "I", text)
        text = re.sub(r"([.?!]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text[:1].upper() + text[1:] if text else text


def rejoin_sentences(units: list, vectors: np.ndarray, max_words: int = 45) -> list[tuple[str, np.ndarray]]:
    """Caption units joined back into sentences (Whisper and ASR lines often stop mid-sentence); the flashcards'."""
    out: list[tuple[str, np.ndarray]] = []
    text, rows = "", []
    for unit, vector in zip(units, vectors):
        text = f"{text} {unit.text}".strip()
        rows.append(vector)
        if unit.text.rstrip().endswith((".", "?", "!")) or len(text.split()) >= max_words:
            out.append((text, np.mean(rows, axis=0)))
            text, rows = "", []
    if text:
        out.append((text, np.mean(rows, axis=0)))
    return out


def key_phrase_title(text: str, other_texts: list[str], max_words: int = 4) -> str:
    """A short title from the words that set this chapter apart from the rest (TF-IDF over chapters)."""
    def terms(t: str) -> list[str]:
        tokens = re.findall(r"[a-zA-Z][a-zA-Z'-]+", t.lower())
        keep = [w if w not in STOPWORDS and len(w) > 2 else None for w in tokens]
        # Bigrams only of words that stood next to each other in the speech.
        return [w for w in keep if w] + [f"{a} {b}" for a, b in zip(keep, keep[1:]) if a and b and a != b]

    counts = Counter(terms(text))
    docs = [set(terms(t)) for t in other_texts]
    n = len(docs) + 1

    def weight(term: str) -> float:
        df = 1 + sum(term in d for d in docs)
        return counts[term] * math.log(1 + n / df) * (1.6 if " " in term else 1.0)

    ranked = sorted(counts, key=lambda term: -weight(term))
    picked: list[str] = []
    for term in ranked:
        if any(set(term.split()) & set(p.split()) for p in picked):
            continue
        picked.append(term)
        if sum(len(p.split()) for p in picked) >= max_words or len(picked) == 2:
            break
    title = ", ".join(picked) or "Untitled"
    return title[:1].upper() + title[1:]
