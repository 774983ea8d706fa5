"""Export a stored transcript as txt, md, srt, vtt or json, and a video's study notes for Obsidian."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
import re

from yt_transcript.ingest.errors import InvalidChoice, OutputNotWritable
from yt_transcript.ingest.models import EXTRACTIVE_LABEL, Answer, Chapter, Overview, Snippet, Transcript, VideoMeta
from yt_transcript.ingest.timecodes import format_hms, short_url, watch_url

FORMATS = ("txt", "md", "srt", "vtt", "json")
READING_FORMATS = ("txt", "md")  # read by a person: exported in sentences; the others keep the caption lines
NOTE_FORMATS = ("obsidian",)  # built from the overview and saved answers, not from the transcript alone
_PARAGRAPH_S = 45.0  # a reading paragraph spans about this many seconds of speech


def export_transcript(transcript: Transcript, fmt: str, chapters: list[Chapter] | None = None) -> str:
    """Render the cleaned, timestamped transcript in one of FORMATS. txt and md read under the headings of
    `chapters` when given (e.g. detected ones, for a video without its own), else of the video's chapters."""
    if fmt == "json":
        return _json(transcript)
    if fmt in {"srt", "vtt"}:
        return _captions(transcript, fmt)
    if fmt == "md":
        return _markdown(transcript, transcript.meta.chapters if chapters is None else chapters)
    if fmt == "txt":
        return _text(transcript, transcript.meta.chapters if chapters is None else chapters)
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


def _markdown(transcript: Transcript, chapters: list[Chapter]) -> str:
    meta = transcript.meta
    lines = [f"# {meta.title}", ""]
    facts = [
        ("Channel", meta.channel),
        ("Published", meta.upload_date),
        ("Duration", format_hms(meta.duration_s) if meta.duration_s else None),
        ("Language", meta.language),
        ("Captions", meta.captions),
        ("Chapters", "detected in the transcript" if chapters and not meta.chapters else None),
        ("Video", _link(transcript, 0) and watch_url(meta.video_id)),
    ]
    lines += [f"- **{name}:** {value}" for name, value in facts if value]
    current: Chapter | None = None
    for chapter, para in paragraphs(transcript.snippets, chapters):
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


def _text(transcript: Transcript, chapters: list[Chapter]) -> str:
    meta = transcript.meta
    lines = [meta.title]
    if meta.is_youtube:
        lines.append(watch_url(meta.video_id))
    if chapters and not meta.chapters:
        lines.append("Chapters detected in the transcript")
    current: Chapter | None = None
    for chapter, para in paragraphs(transcript.snippets, chapters):
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
        is_generated=meta.caption_kind == "auto" or meta.caption_kind.startswith("whisper:"),
    )
    formatter = SRTFormatter() if fmt == "srt" else WebVTTFormatter()
    return formatter.format_transcript(fetched)


def _json(transcript: Transcript) -> str:
    return json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2) + "\n"


# --- Obsidian notes --------------------------------------------------------------------------------------

# The ASCII characters Obsidian's Markdown (CommonMark, GFM, HTML, wikilinks and embeds, ==highlights==,
# %%comments%%, $math$, ^block ids, #tags, &entities;) acts on wherever they stand. A backslash before ASCII
# punctuation is a literal in CommonMark, so the words read exactly as spoken, with no syntax. "(", ")", "!"
# and "." act only after "[" (escaped here) or in the places below, so a note's full stops stay plain.
_OBSIDIAN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~$=%^&])")
# A web address or e-mail would become a link: its punctuation is escaped too ("example\.com").
_LINKISH = re.compile(r"\S*(?:://|www\.|@)\S*|\S+\.[A-Za-z]{2,}\b\S*")
_LINK_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=%^&:])")  # ":" too: "http://localhost" has no dot
# What opens a list or rules a line at a line's start: "- ", "+ ", "1. ", "1) ", "---".
_LINE_OPENER = re.compile(r"^([-+]+)(?=\s|$)|^(\d+)([.)])(?=\s|$)")  # "---" would rule a line
_NOT_GROUNDED = "Not grounded: the model cited none of the retrieved passages."


def _nested(markdown: str) -> str:
    """The student's Markdown under "## My notes": each of its headings one level down ("## Exam" becomes
    "### Exam"), so their sections sit inside it, not beside "## Summary". Code blocks are left as written."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


def obsidian_note(meta: VideoMeta, overview: Overview, answers: list[Answer], own: str = "") -> str:
    """Study notes for an Obsidian vault: YAML properties, the student's `own` notes (as they wrote them, their
    Markdown theirs, headings one level down), the chapter overview with a link to each chapter's moment, then
    the questions asked about the video. Text from the data renders as plain text."""
    lines = ["---", *_properties(meta), "---", "", f"# {plain(meta.title)}", ""]
    if own.strip():
        lines += ["## My notes", "", _nested(own.strip()), ""]
    lines += ["## Summary", ""]
    if overview.model == "extractive":
        lines += [f"*{plain(EXTRACTIVE_LABEL)}*", ""]
    lines += [plain_paragraphs(overview.tldr), "", "## Chapters", ""]
    for chapter in overview.chapters:
        heading = f"{plain(chapter.title)} ({format_hms(chapter.start_s)})"
        if meta.is_youtube:
            heading = f"[{heading}]({short_url(meta.video_id, chapter.start_s)})"
        lines += [f"### {heading}", "", plain_paragraphs(chapter.summary), ""]
    if answers:
        lines += ["## Questions", ""]
        for answer in answers:
            lines += _obsidian_answer(answer)
    return "\n".join(lines).rstrip() + "\n"


def plain(text: str) -> str:
    """Text from the data as one line of literal Markdown: no link, image, embed, tag, HTML or formatting."""
    line = " ".join(text.split())
    out, at = [], 0
    for link in _LINKISH.finditer(line):
        out += [_OBSIDIAN_SPECIAL.sub(r"\\\1", line[at:link.start()]), _LINK_SPECIAL.sub(r"\\\1", link.group())]
        at = link.end()
    return "".join(out) + _OBSIDIAN_SPECIAL.sub(r"\\\1", line[at:])


def plain_paragraphs(text: str) -> str:
    """Like `plain`, line by line: the data's line breaks and paragraphs stay (an answer may list quotes),
    while a line starting with '-', '1.' or '>' is still words, not a list or a quote."""
    paragraphs = [[_LINE_OPENER.sub(_inert_opener, plain(line)) for line in part.splitlines() if line.strip()]
                  for part in re.split(r"\n\s*\n", text)]
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)


def _inert_opener(m: re.Match) -> str:
    return f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}"  # "\---", "1\."


def tag_slug(text: str, fallback: str = "untitled") -> str:
    """A tag for Anki or Obsidian, which allow no spaces: lower-case words (any script) joined by hyphens."""
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-") or fallback


def _properties(meta: VideoMeta) -> list[str]:
    """The YAML front matter lines; unknown values are left out rather than written empty."""
    values = {
        "title": meta.title,
        "channel": meta.channel or None,
        "url": meta.url,
        "date": meta.upload_date,
        "duration": format_hms(meta.duration_s) if meta.duration_s else None,
    }
    lines = [f"{key}: {_yaml_string(value)}" for key, value in values.items() if value is not None]
    tags = ["yt-transcript"] + ([f"channel/{tag_slug(meta.channel)}"] if meta.channel else [])
    return lines + ["tags:"] + [f"  - {_yaml_string(tag)}" for tag in tags]


def _yaml_string(value: str) -> str:
    """A YAML double-quoted scalar: quotes, colons, # and newlines stay inside the string.

    JSON's escapes are all YAML escapes; what JSON leaves raw but YAML reads as a line break or forbids
    (U+0085, U+2028, the C1 controls, ...) is escaped as \\uXXXX too.
    """
    quoted = json.dumps(value, ensure_ascii=False)
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
                   for c in quoted)


def _obsidian_answer(answer: Answer) -> list[str]:
    text = answer.text
    if answer.kind != "generated" and answer.citations:
        # An offline answer's "- time "quote"" lines are its citations, which follow as a real list with links.
        text = "\n".join(line for line in text.splitlines() if not line.startswith("- "))
    lines = [f"### {plain(answer.question)}", "", plain_paragraphs(text), ""]
    if answer.kind == "generated" and not answer.grounded:
        lines += [f"*{plain(_NOT_GROUNDED)}*", ""]
    for c in answer.citations:
        stamp = format_hms(c.start_s)
        link = f"[{stamp}]({short_url(c.video_id, c.start_s)})" if c.url else stamp
        lines.append(f"- {plain(f'[{c.id}]')} {link} “{plain(c.text)}”")
    return lines + ([""] if answer.citations else [])


def write_output(path: Path, data: str | bytes) -> None:
    """Write a file the user asked for, whole or not at all (a .part file renamed into place), or raise
    OutputNotWritable saying why in one line."""
    if not path.parent.is_dir():
        raise OutputNotWritable(path, f"no folder {path.parent}")
    partial = path.with_name(path.name + ".part")
    try:
        if isinstance(data, bytes):
            partial.write_bytes(data)
        else:
            partial.write_text(data, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise OutputNotWritable(path, exc.strerror or type(exc).__name__) from None
