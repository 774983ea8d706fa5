"""Recognise what a SOURCE argument names: a video, a playlist, a channel or a caption file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from yt_transcript.ingest.errors import InvalidSource

_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_HANDLE = re.compile(r"^@[A-Za-z0-9._-]{3,100}$")
_YT_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com",
             "www.youtube-nocookie.com"}
CAPTION_SUFFIXES = (".vtt", ".srt", ".json", ".txt")  # .txt: the original CLI's "[12.3s] text" files
# Audio and video files, transcribed on this machine (ingest/transcribe.py, the `whisper` extra).
MEDIA_SUFFIXES = (".mp3", ".m4a", ".wav", ".ogg", ".opus", ".flac", ".mp4", ".mkv", ".webm")


@dataclass(frozen=True)
class Source:
    """A parsed SOURCE: kind is 'video', 'playlist', 'channel', 'file' (captions) or 'media' (audio, video)."""

    kind: str
    value: str  # video id, playlist id, channel URL, or file path
    raw: str  # what the user typed


def _label(raw: str) -> str:
    """What the user typed, shown on one line: quoted when it holds line breaks or other control characters."""
    return raw if raw.isprintable() else repr(raw)


def is_video_id(text: str) -> bool:
    """True for an 11-character YouTube video id."""
    return bool(_VIDEO_ID.match(text))


def parse_source(raw: str) -> Source:
    """Classify a SOURCE argument, or raise InvalidSource saying why."""
    text = raw.strip()
    if not text:
        raise InvalidSource("empty source")
    path = _as_path(text)
    if path is not None and (path.suffix.lower() in CAPTION_SUFFIXES + MEDIA_SUFFIXES or path.exists()):
        media = path.suffix.lower() in MEDIA_SUFFIXES
        if not path.is_file():
            raise InvalidSource(f"{_label(text)}: no such {'audio or video' if media else 'caption'} file")
        if path.suffix.lower() not in CAPTION_SUFFIXES + MEDIA_SUFFIXES:
            raise InvalidSource(f"{_label(text)}: unsupported file type {path.suffix or '(none)'}")
        return Source("media" if media else "file", str(path.resolve()), raw)
    if _HANDLE.match(text):
        return Source("channel", f"https://www.youtube.com/{text}", raw)
    if is_video_id(text):
        return Source("video", text, raw)
    return _parse_url(text, raw)


def _as_path(text: str) -> Path | None:
    """The text as a local path, or None when it cannot name one (a NUL byte, an unknown ~user, too long)."""
    try:
        path = Path(text).expanduser()
        path.exists()
        return path
    except (OSError, ValueError, RuntimeError):
        return None


def _parse_url(text: str, raw: str) -> Source:
    url = text if "://" in text else "https://" + text
    try:
        parsed = urlparse(url)
    except ValueError:  # e.g. an unbalanced "[" reads as a broken IPv6 host
        raise InvalidSource(f"{_label(raw)}: not a YouTube URL, video id or caption file") from None
    host = (parsed.hostname or "").lower()
    parts = [p for p in parsed.path.split("/") if p]
    query = parse_qs(parsed.query)
    if host in {"youtu.be", "www.youtu.be"}:
        if parts and is_video_id(parts[0]):
            return Source("video", parts[0], raw)
        raise InvalidSource(f"{_label(raw)}: no video id in this youtu.be link")
    if host not in _YT_HOSTS:
        raise InvalidSource(f"{_label(raw)}: not a YouTube URL, video id or caption file")
    if parts[:1] == ["watch"] or (not parts and "v" in query):
        video = query.get("v", [""])[0]
        if is_video_id(video):
            return Source("video", video, raw)
        raise InvalidSource(f"{_label(raw)}: the v= parameter is not a valid video id")
    if len(parts) >= 2 and parts[0] in {"shorts", "embed", "live", "v", "e"}:
        if is_video_id(parts[1]):
            return Source("video", parts[1], raw)
        raise InvalidSource(f"{_label(raw)}: {parts[1]!r} is not a valid video id")
    if parts[:1] == ["playlist"]:
        playlist = query.get("list", [""])[0]
        if re.fullmatch(r"[A-Za-z0-9_-]{10,}", playlist):
            return Source("playlist", playlist, raw)
        raise InvalidSource(f"{_label(raw)}: the list= parameter is not a valid playlist id")
    if parts and (parts[0].startswith("@") or parts[0] in {"channel", "c", "user"}):
        # Channel tabs (/videos, /streams, /featured) all list from the uploads tab.
        base = parts[:1] if parts[0].startswith("@") else parts[:2]
        if len(base) == (1 if parts[0].startswith("@") else 2):
            return Source("channel", "https://www.youtube.com/" + "/".join(base), raw)
    raise InvalidSource(f"{_label(raw)}: not a video, playlist or channel URL")
