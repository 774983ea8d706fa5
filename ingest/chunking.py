"""Cut a transcript into overlapping, timestamped chunks that fit the embedding model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from yt_transcript.ingest.models import Chapter, Chunk, Snippet

CHUNKER_VERSION = "2"  # bump when the algorithm changes, so re-ingest writes a new generation

TokenCounter = Callable[[list[str]], list[int]]


def transcript_generation(video_id: str, snippets: list[Snippet], chapters: list[Chapter], params: str) -> str:
    """A short hash of everything that shapes the chunks: same input, same chunk ids."""
    digest = hashlib.sha1(f"{CHUNKER_VERSION}|{params}|{video_id}".encode())
    for s in snippets:
        digest.update(f"{s.start_s:.3f}|{s.end_s:.3f}|{s.text}\n".encode())
    for c in chapters:
        digest.update(f"C{c.start_s:.3f}|{c.title}\n".encode())
    return digest.hexdigest()[:12]


def chunk_id(video_id: str, generation: str, index: int) -> str:
    """The id of a video's index-th chunk in one generation: the same input always gets the same id."""
    return f"{video_id}:{generation}:{index:05d}"


def split_long_snippets(snippets: list[Snippet], counts: list[int], max_tokens: int) -> tuple[list[Snippet], list[int]]:
    """Split any snippet longer than max_tokens word pieces at word boundaries, interpolating times."""
    out: list[Snippet] = []
    out_counts: list[int] = []
    for snip, count in zip(snippets, counts):
        if count <= max_tokens:
            out.append(snip)
            out_counts.append(count)
            continue
        words = snip.text.split()
        pieces = -(-count // max_tokens) + 1  # one spare piece: word pieces per word vary
        per = max(1, -(-len(words) // pieces))
        duration = snip.end_s - snip.start_s
        for i in range(0, len(words), per):
            part = words[i:i + per]
            start = snip.start_s + duration * i / len(words)
            end = snip.start_s + duration * min(len(words), i + per) / len(words)
            out.append(Snippet(" ".join(part), round(start, 3), round(end, 3)))
            out_counts.append(-(-count * len(part) // len(words)))
    return out, out_counts


def chunk_transcript(
    video_id: str,
    snippets: list[Snippet],
    chapters: list[Chapter],
    count_tokens: TokenCounter,
    *,
    max_tokens: int,
    target_tokens: int = 128,
    overlap_tokens: int = 32,
    params: str = "",
) -> list[Chunk]:
    """Group whole snippets into chunks of about target_tokens word pieces (never above max_tokens).

    A chunk never crosses a chapter boundary, so each carries one chapter title. The last
    snippets of a chunk, up to overlap_tokens, open the next one, so an answer spoken across
    a cut is still found whole in one chunk.
    """
    if not snippets:
        return []
    target_tokens = min(target_tokens, max_tokens)
    counts = count_tokens([s.text for s in snippets])
    snippets, counts = split_long_snippets(snippets, counts, max_tokens)
    generation = transcript_generation(video_id, snippets, chapters, params)
    chapter_of = _chapter_index(snippets, chapters)

    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i, count in enumerate(counts):
        new_chapter = bool(current) and chapter_of[i] != chapter_of[current[-1]]
        if current and (new_chapter or size + count > max_tokens or size >= target_tokens):
            groups.append(current)
            current = [] if new_chapter else _overlap(current, counts, overlap_tokens, max_tokens - count)
            size = sum(counts[j] for j in current)
        current.append(i)
        size += count
    if current and (not groups or current[-1] != groups[-1][-1]):
        groups.append(current)

    chunks = []
    for index, group in enumerate(groups):
        first, last = snippets[group[0]], snippets[group[-1]]
        ch = chapter_of[group[0]]
        text, units = _join_with_units([snippets[j] for j in group])
        chunks.append(
            Chunk(
                chunk_id=chunk_id(video_id, generation, index),
                video_id=video_id,
                generation=generation,
                index=index,
                text=text,
                start_s=first.start_s,
                end_s=max(last.end_s, first.start_s),
                chapter=chapters[ch].title if ch is not None else None,
                units=units,
            )
        )
    return chunks


# A sentence ends at . ! or ? followed by space; "e.g. this" and "3.5" do not end one.
_SENTENCE_END = re.compile(r"(?<=[^\s.][.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_MIN_UNIT_WORDS = 6  # "Yes." alone is too little to match a question against


def _join_with_units(snippets: list[Snippet]) -> tuple[str, tuple[tuple[float, int, int], ...]]:
    """Join snippet texts and cut them into sentence units with start times.

    Within a snippet, a sentence's start is interpolated by its character position:
    captions carry no finer timing. Unpunctuated ASR lines are units of their own.
    """
    parts: list[str] = []
    units: list[list] = []  # [start_s, char_start, char_end, words]
    offset = 0
    for snip in snippets:
        if parts:
            offset += 1  # the joining space
        text = snip.text
        bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
        for a, b in zip(bounds, bounds[1:]):
            piece = text[a:b].rstrip()
            words = len(piece.split())
            if not words:
                continue
            if units and units[-1][3] < _MIN_UNIT_WORDS:
                units[-1][2] = offset + a + len(piece)
                units[-1][3] += words
            else:
                start = snip.start_s + (snip.end_s - snip.start_s) * a / max(1, len(text))
                units.append([round(start, 3), offset + a, offset + a + len(piece), words])
        parts.append(text)
        offset += len(text)
    return " ".join(parts), tuple((u[0], u[1], u[2]) for u in units)


def _overlap(group: list[int], counts: list[int], overlap_tokens: int, room: int) -> list[int]:
    """The trailing snippets of group that fit in overlap_tokens (and in the room left)."""
    tail: list[int] = []
    size = 0
    # Never carry the whole group over, or chunks would not advance.
    for j in reversed(group[1:]):
        if size + counts[j] > min(overlap_tokens, room):
            break
        tail.insert(0, j)
        size += counts[j]
    return tail


def _chapter_index(snippets: list[Snippet], chapters: list[Chapter]) -> list[int | None]:
    """For each snippet, the index of the chapter its start falls in (None before the first)."""
    starts = [c.start_s for c in chapters]
    out: list[int | None] = []
    k = -1
    for snip in snippets:
        while k + 1 < len(starts) and snip.start_s + 1e-6 >= starts[k + 1]:
            k += 1
        out.append(k if k >= 0 else None)
    return out
