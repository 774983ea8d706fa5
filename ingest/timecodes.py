"""Timestamps in and out: h:mm:ss labels, caption time codes, deep links."""

from __future__ import annotations

import re

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,9}))?$")


def format_hms(seconds: float) -> str:
    """Format seconds as h:mm:ss (hours always shown), e.g. 0:01:05."""
    total = int(max(0.0, seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def parse_clock(text: str) -> float | None:
    """Parse 'h:mm:ss', 'mm:ss', 'hh:mm:ss.mmm' or 'hh:mm:ss,mmm' into seconds; None if it is not one.

    The one clock parser: caption cue times, description chapters and user input all come through here.
    Seconds must be below 60, and minutes too when hours are given.
    """
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hours, minutes, secs, frac = match.groups()
    if int(secs) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    if frac:
        value += int(frac) / 10 ** len(frac)
    return float(value)


def original_watch_url(video_id: str, start_s: float | None = None) -> str:
    """The link the original yt-transcript CLI wrote: https://youtube.com/watch?v=ID&t=SECONDS."""
    url = f"https://youtube.com/watch?v={video_id}"
    return url if start_s is None else f"{url}&t={int(max(0.0, start_s))}"


def watch_url(video_id: str, start_s: float | None = None) -> str:
    """Deep link to a moment: https://www.youtube.com/watch?v=ID&t=SECONDSs."""
    url = f"https://www.youtube.com/watch?v={video_id}"
    if start_s is not None:
        url += f"&t={int(max(0.0, start_s))}s"
    return url


def short_url(video_id: str, start_s: float) -> str:
    """Short deep link to a moment, https://youtu.be/ID?t=SECONDS: the form Obsidian notes use."""
    return f"https://youtu.be/{video_id}?t={int(max(0.0, start_s))}"
