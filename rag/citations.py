"""Citations: sources are numbered [S1]..[Sn] for the model; code turns the ids it cites back into moments."""

from __future__ import annotations

import re

from yt_transcript.ingest.models import Citation, SearchHit
from yt_transcript.ingest.timecodes import format_hms

# [S3], [S1, S2], [S1][S2], [s2]; a bare "S3" is prose, not a citation.
_GROUP = re.compile(r"\[\s*(S\d+(?:\s*[,;]\s*S\d+)*)\s*\]", re.IGNORECASE)
_ID = re.compile(r"S(\d+)", re.IGNORECASE)
# What the model must never write itself: clock times and links. We strip them out of answers.
# Links, bare www. hosts and e-mail addresses: a way to send the reader somewhere the sources never named.
_URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_CLOCK = re.compile(r"\[?\(?\b\d{1,2}:\d{2}(?::\d{2})?\b\)?\]?")


def source_id(n: int) -> str:
    """The opaque id of the n-th retrieved passage (1-based)."""
    return f"S{n}"


def format_sources(hits: list[SearchHit]) -> str:
    """Retrieved passages as delimited, numbered blocks for the prompt."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        # The passage is data: it sits between markers the system prompt tells the model to distrust.
        text = hit.text.replace("<<<", "‹‹‹").replace(">>>", "›››")
        blocks.append(f"<<<SOURCE {source_id(n)} | {hit.title} | {format_hms(hit.start_s)}\n{text}\n>>>")
    return "\n\n".join(blocks)


def resolve(answer: str, hits: list[SearchHit]) -> tuple[str, list[Citation], list[str]]:
    """Keep only citations of retrieved ids; returns (clean answer, citations in first-cited order, dropped ids)."""
    valid = {source_id(n): hit for n, hit in enumerate(hits, 1)}
    cited: dict[str, Citation] = {}
    dropped: list[str] = []

    def replace(match: re.Match) -> str:
        keep = []
        for number in _ID.findall(match.group(1)):
            sid = f"S{int(number)}"
            hit = valid.get(sid)
            if hit is None:
                dropped.append(sid)
                continue
            if sid not in cited:
                cited[sid] = Citation(sid, hit.video_id, hit.title, hit.start_s, hit.url, hit.text)
            keep.append(sid)
        return "[" + ", ".join(keep) + "]" if keep else ""

    return _tidy(_CLOCK.sub("", _URL.sub("", _GROUP.sub(replace, answer)))), list(cited.values()), dropped


def cite_each(hits: list[SearchHit]) -> list[Citation]:
    """Citations for text we wrote ourselves (the offline quotes): nothing to strip, every source cited."""
    return [Citation(source_id(n), h.video_id, h.title, h.start_s, h.url, h.text) for n, h in enumerate(hits, 1)]


def strip_unsourced(text: str) -> str:
    """Model text that cites nothing (a summary, a card): no citation ids, links or clock times may remain,
    since only code resolves ids and writes times and links."""
    return _tidy(_CLOCK.sub("", _URL.sub("", _GROUP.sub("", text))))


def _tidy(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", text).strip()
