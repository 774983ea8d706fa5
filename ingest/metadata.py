"""Video metadata and chapters from yt-dlp info dicts and from descriptions."""

from __future__ import annotations

import re

from yt_transcript.ingest.models import Chapter, VideoMeta
from yt_transcript.ingest.timecodes import parse_clock

# A clock, not inside a longer number or a URL parameter: 0:00, 1:02:03, 12:34.
_STAMP = re.compile(r"(?<![\w:/=.])(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?![\w:])")
# Separators and list markers around a title: "0:00 - Intro", "Intro (1:31)", "1. Intro 0:00".
_EDGE = re.compile(r"^[\s\-–—:|•·*>()\[\]]+|[\s\-–—:|•·*<()\[\]]+$")
_MIN_CHAPTER_S = 10
_MIN_CHAPTERS = 3


def parse_description_chapters(description: str, duration_s: float | None = None) -> list[Chapter]:
    """Chapters from description timestamps by YouTube's rule, or [] when they do not qualify.

    The rule: the first timestamp is 0:00, there are at least three, they ascend, and each
    chapter lasts at least 10 seconds. Timestamps may stand before or after the title.
    """
    found: list[tuple[float, str]] = []
    for line in description.splitlines():
        stamps = list(_STAMP.finditer(line))
        if len(stamps) != 1:  # a line with two clocks is a range or prose, not a chapter
            continue
        stamp = stamps[0]
        start = parse_clock(stamp.group(0))
        if start is None:
            continue
        title = (line[: stamp.start()] + " " + line[stamp.end():]).strip()
        title = re.sub(r"^\d{1,3}[.)]\s+", "", _EDGE.sub("", title))  # "1. Intro"
        title = _EDGE.sub("", title).strip()
        if title:
            found.append((start, title))
    # The list starts at the first 0:00 and runs while the times ascend.
    first = next((i for i, (t, _) in enumerate(found) if t == 0), None)
    if first is None:
        return []
    run = [found[first]]
    for start, title in found[first + 1:]:
        if start <= run[-1][0]:
            break
        run.append((start, title))
    if len(run) < _MIN_CHAPTERS:
        return []
    chapters = _with_ends([Chapter(title, start) for start, title in run], duration_s)
    if any(c.end_s is not None and c.end_s - c.start_s < _MIN_CHAPTER_S for c in chapters):
        return []
    return chapters


def _with_ends(chapters: list[Chapter], duration_s: float | None) -> list[Chapter]:
    ends = [c.start_s for c in chapters[1:]] + [duration_s]
    return [Chapter(c.title, c.start_s, end) for c, end in zip(chapters, ends)]


def chapters_from_info(info: dict) -> tuple[list[Chapter], str | None]:
    """The creator's chapters: yt-dlp's `chapters`, else description timestamps. Returns (chapters, source)."""
    duration = _number(info.get("duration"))
    raw = info.get("chapters") or []
    chapters = [
        Chapter(str(c.get("title") or "").strip() or f"Chapter {i + 1}", float(c["start_time"]),
                _number(c.get("end_time")))
        for i, c in enumerate(raw)
        if isinstance(c, dict) and c.get("start_time") is not None
    ]
    if chapters:
        if chapters[-1].end_s is None:
            chapters = _with_ends(chapters, duration)
        return chapters, "creator"
    chapters = parse_description_chapters(info.get("description") or "", duration)
    return chapters, ("description" if chapters else None)


def chapters_from_list(items: list[dict], duration_s: float | None) -> list[Chapter]:
    """Chapters from a `[{"start": s, "title": ...}]` list (a .chapters.json sidecar)."""
    chapters = sorted(
        (Chapter(str(c["title"]).strip(), float(c["start"])) for c in items if "start" in c and "title" in c),
        key=lambda c: c.start_s,
    )
    return _with_ends(chapters, duration_s)


def meta_from_info(info: dict, *, source: str = "") -> VideoMeta:
    """Build VideoMeta from a yt-dlp info dict (extract_info or a .info.json file)."""
    chapters, chapter_source = chapters_from_info(info)
    upload = str(info.get("upload_date") or "")
    return VideoMeta(
        video_id=str(info.get("id") or ""),
        title=str(info.get("title") or info.get("fulltitle") or info.get("id") or ""),
        channel=str(info.get("channel") or info.get("uploader") or ""),
        upload_date=f"{upload[:4]}-{upload[4:6]}-{upload[6:8]}" if re.fullmatch(r"\d{8}", upload) else None,
        duration_s=_number(info.get("duration")),
        language=info.get("language") if isinstance(info.get("language"), str) else None,
        source=source or str(info.get("webpage_url") or ""),
        chapters=chapters,
        chapter_source=chapter_source,
        description=str(info.get("description") or ""),
    )


def _number(value: object) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
