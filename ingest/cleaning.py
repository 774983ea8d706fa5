"""Clean caption text and repair snippet times."""

from __future__ import annotations

import html
import re

from yt_transcript.ingest.models import Snippet

# Markup seen in captions: VTT voice/class/timestamp tags, <i>/<b>/<font>. "x < y" is left alone.
_TAG = re.compile(r"</?(?:[a-zA-Z][^<>]*|\d{1,2}:\d{2}[^<>]*)>")
# Non-speech annotations: [Music], [Applause], [ __ ] (YouTube's bleep), ♪ lyrics markers.
_ANNOTATION = re.compile(r"\[[^\[\]]{0,40}\]|[♪♫]+")
_SPACE = re.compile(r"\s+")
# Speaker-change chevrons in broadcast captions; a lone "-" turn mark is kept.
_CHEVRONS = re.compile(r"(^|\s)>>+\s*")


def clean_text(text: str) -> str:
    """Strip markup, entities and [Music]-style tags; collapse white space."""
    text = strip_markup(text)
    # A line left with only punctuation ("-", "...") carried no words.
    return text if re.search(r"\w", text) else ""


def strip_markup(text: str) -> str:
    """clean_text for a piece of a line: a lone "*" or "&lt;" between two words is kept."""
    text = html.unescape(html.unescape(text))  # some exports double-escape: &amp;#39;
    text = _TAG.sub("", text)
    text = _ANNOTATION.sub(" ", text)
    text = _CHEVRONS.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


def repair_times(snippets: list[Snippet]) -> list[Snippet]:
    """Sort by start and make every snippet end no later than the next one starts."""
    ordered = sorted(snippets, key=lambda s: s.start_s)
    repaired: list[Snippet] = []
    for i, snip in enumerate(ordered):
        start = max(0.0, snip.start_s)
        end = max(start, snip.end_s)
        nxt = ordered[i + 1].start_s if i + 1 < len(ordered) else None
        if nxt is not None and nxt >= start:
            if end > nxt or end == start:
                end = nxt
        repaired.append(Snippet(snip.text, round(start, 3), round(end, 3)))
    return repaired


def clean_snippets(snippets: list[Snippet]) -> list[Snippet]:
    """Clean every snippet's text, drop the empty ones, and repair overlapping times."""
    cleaned = [Snippet(t, s.start_s, s.end_s) for s in snippets if (t := clean_text(s.text))]
    return repair_times(cleaned)
