"""Export a stored transcript as txt, md, srt, vtt or json."""

from __future__ import annotations

import json

from yt_transcript.ingest.errors import InvalidChoice
from yt_transcript.ingest.models import Chapter, Snippet, Transcript
from yt_transcript.ingest.timecodes import format_hms, watch_url

FORMATS = ("txt", "md", "srt", "vtt", "json")
_PARAGRAPH_S = 45.0  # a reading paragraph spans about this many seconds of speech


def export_transcript(transcript: Transcript, fmt: str) -> str:
    """Render the cleaned, timestamped transcript in one of FORMATS."""
    if fmt == "json":
        return _json(transcript)
    if fmt in {"srt", "vtt"}:
        return _captions(transcript, fmt)
    if fmt == "md":
        return _markdown(transcript)
    if fmt == "txt":
        return _text(transcript)
    raise InvalidChoice("format", fmt, list(FORMATS))


def paragraphs(snippets: list[Snippet], chapters: list[Chapter]) -> list[tuple[Chapter | None, list[Snippet]]]:
    """Group snippets into paragraphs that close at a sentence end after ~45 s, never across chapters."""
    starts = [c.start_s for c in chapters]
    out: list[tuple[Chapter | None, list[Snippet]]] = []
    k = -1
    for snip in snippets:
        new_k = k
        while new_k + 1 < len(starts) and snip.start_s >= starts[new_k + 1]:
            new_k += 1
        chapter = chapters[new_k] if new_k >= 0 else None
        if not out or new_k != k:
            out.append((chapter, [snip]))
        else:
            para = out[-1][1]
            long_enough = snip.start_s - para[0].start_s >= _PARAGRAPH_S
            if long_enough and para[-1].text.rstrip().endswith((".", "?", "!")) or snip.start_s - para[0].start_s >= 2 * _PARAGRAPH_S:
                out.append((chapter, [snip]))
            else:
                para.append(snip)
        k = new_k
    return out


def _link(transcript: Transcript, seconds: float) -> str | None:
    return watch_url(transcript.meta.video_id, seconds) if transcript.meta.is_youtube else None


def _markdown(transcript: Transcript) -> str:
    meta = transcript.meta
    lines = [f"# {meta.title}", ""]
    facts = [
        ("Channel", meta.channel),
        ("Published", meta.upload_date),
        ("Duration", format_hms(meta.duration_s) if meta.duration_s else None),
        ("Language", meta.language),
        ("Captions", meta.caption_kind),
        ("Video", _link(transcript, 0) and watch_url(meta.video_id)),
    ]
    lines += [f"- **{name}:** {value}" for name, value in facts if value]
    current: Chapter | None = None
    for chapter, para in paragraphs(transcript.snippets, meta.chapters):
        if chapter is not None and chapter is not current:
            stamp = format_hms(chapter.start_s)
            link = _link(transcript, chapter.start_s)
            lines += ["", f"## [{chapter.title} ({stamp})]({link})" if link else f"## {chapter.title} ({stamp})"]
            current = chapter
        stamp = format_hms(para[0].start_s)
        link = _link(transcript, para[0].start_s)
        lead = f"[{stamp}]({link})" if link else f"[{stamp}]"
        lines += ["", f"{lead} " + " ".join(s.text for s in para)]
    return "\n".join(lines) + "\n"


def _text(transcript: Transcript) -> str:
    meta = transcript.meta
    lines = [meta.title]
    if meta.is_youtube:
        lines.append(watch_url(meta.video_id))
    current: Chapter | None = None
    for chapter, para in paragraphs(transcript.snippets, meta.chapters):
        if chapter is not None and chapter is not current:
            lines += ["", f"{chapter.title} ({format_hms(chapter.start_s)})"]
            current = chapter
        lines += ["", f"[{format_hms(para[0].start_s)}] " + " ".join(s.text for s in para)]
    return "\n".join(lines) + "\n"


def _captions(transcript: Transcript, fmt: str) -> str:
    # youtube-transcript-api's formatters already write correct SRT/WebVTT; reuse them.
    from youtube_transcript_api import FetchedTranscript, FetchedTranscriptSnippet
    from youtube_transcript_api.formatters import SRTFormatter, WebVTTFormatter

    meta = transcript.meta
    fetched = FetchedTranscript(
        snippets=[FetchedTranscriptSnippet(s.text, s.start_s, max(0.0, s.end_s - s.start_s)) for s in transcript.snippets],
        video_id=meta.video_id,
        language=meta.language or "",
        language_code=meta.language or "",
        is_generated=meta.caption_kind == "auto",
    )
    formatter = SRTFormatter() if fmt == "srt" else WebVTTFormatter()
    return formatter.format_transcript(fetched)


def _json(transcript: Transcript) -> str:
    return json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2) + "\n"
