"""Parse local caption files: WebVTT (incl. YouTube's rolling auto-captions), SRT,
youtube-transcript-api JSON, Whisper JSON, and the original yt-transcript CLI's `[12.3s] text` files."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from yt_transcript.ingest.cleaning import clean_text, strip_markup
from yt_transcript.ingest.errors import CaptionFileError
from yt_transcript.ingest.models import Snippet
from yt_transcript.ingest.timecodes import parse_clock

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_WORD_TIMING = re.compile(r"(<\d{1,2}:\d{2}:\d{2}\.\d{3}>)")
# A pause in YouTube's word-timed captions: the gap between two word onsets, less the time the first word takes
# to say (in the Deep Dive lecture the median onset gap is 0.06 s plus 0.05 s a letter), of at least 0.3 s:
# about the top tenth of gaps at every word length. A line is split there, so the pause shows as a line end;
# it is where a spoken sentence most often ends, and YouTube's own line breaks fall anywhere.
PAUSE_SPLIT_S = 0.3
_WORD_S, _LETTER_S = 0.06, 0.05
_SECONDS_LINE = re.compile(r"^\[(?P<start>\d+(?:\.\d+)?)s\]\s?(?P<text>.*)$")  # the original CLI's "[12.3s] text"
_LAST_LINE_S_PER_WORD = 0.4  # those files give no end time; the last line is held as long as it takes to say


@dataclass
class ParsedCaptions:
    """Snippets read from a file, before cleaning, with what the file said about itself."""

    snippets: list[Snippet]
    language: str | None = None  # from the file header or Whisper's "language"
    kind: str = "unknown"  # "auto" when word timings mark YouTube ASR, "whisper" for Whisper JSON


@dataclass
class _Cue:
    start_s: float
    end_s: float
    lines: list[str]
    line_no: int


def read_caption_file(path: str | Path) -> ParsedCaptions:
    """Parse a caption file by its extension; raise CaptionFileError naming the bad line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CaptionFileError(f"{path}: cannot read file ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CaptionFileError(f"{path}: line {line}: not UTF-8 text") from exc
    if not text.strip():
        raise CaptionFileError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix == ".json":
        parsed = _parse_json(text, path)
    elif suffix in {".vtt", ".srt"}:
        parsed = _parse_cue_file(text, path, vtt=suffix == ".vtt")
    elif suffix == ".txt":
        parsed = _parse_seconds_lines(text, path)
    else:
        raise CaptionFileError(f"{path}: unsupported caption format {suffix!r}")
    if not any(clean_text(s.text) for s in parsed.snippets):
        raise CaptionFileError(f"{path}: no caption text found")
    return parsed


def _parse_clock(value: str, path: Path, line_no: int) -> float:
    seconds = parse_clock(value)
    if seconds is None:
        raise CaptionFileError(f"{path}: line {line_no}: bad time code {value!r}", path=path, line=line_no)
    return seconds


def _parse_cue_file(text: str, path: Path, *, vtt: bool) -> ParsedCaptions:
    lines = text.splitlines()
    language = None
    start = 0
    if vtt:
        if not lines or not lines[0].startswith("WEBVTT"):
            raise CaptionFileError(f"{path}: line 1: expected the 'WEBVTT' header")
        # Header lines ("Kind: captions", "Language: en") run until the first empty line.
        start = 1
        while start < len(lines) and lines[start].strip():
            key, _, val = lines[start].partition(":")
            if key.strip().lower() == "language" and val.strip():
                language = val.strip()
            start += 1
    cues: list[_Cue] = []
    current: _Cue | None = None
    skipping_block = False
    for idx in range(start, len(lines)):
        line = lines[idx]
        line_no = idx + 1
        if line == "":  # only a truly empty line ends a cue; YouTube puts " " lines inside cues
            current = None
            skipping_block = False
            continue
        if skipping_block:
            continue
        match = _TIMING.match(line)
        if match:
            if current is not None and current.lines and current.lines[-1].strip().isdigit():
                current.lines.pop()  # the next cue's number, where no empty line came before it
            begin = _parse_clock(match["start"], path, line_no)
            end = _parse_clock(match["end"], path, line_no)
            current = _Cue(begin, end, [], line_no)
            cues.append(current)
            continue
        if current is None:
            if vtt and line.split(" ")[0] in {"NOTE", "STYLE", "REGION"}:
                skipping_block = True
            elif "-->" in line:
                raise CaptionFileError(f"{path}: line {line_no}: malformed cue timing {line.strip()!r}")
            # Otherwise a cue number (SRT) or identifier (VTT) before its timing line.
            continue
        current.lines.append(line)
    if not cues:
        raise CaptionFileError(f"{path}: no cues found (expected lines like '00:00:01.000 --> 00:00:04.000')")
    # Word timings mark YouTube's rolling ASR format.
    rolling = any(_WORD_TIMING.search(line) for cue in cues for line in cue.lines)
    return ParsedCaptions(_cues_to_snippets(cues, rolling), language, "auto" if rolling else "unknown")


def _cues_to_snippets(cues: list[_Cue], rolling: bool) -> list[Snippet]:
    """Turn cues into snippets, dropping lines the previous cue already showed.

    YouTube's rolling auto-captions show each line two or three times: once as it is
    spoken (with word timings), then again above the next line. So in a rolling file every
    cue line is its own snippet (split where the speaker pauses, when it has word timings),
    and a repeat keeps the time of the cue that first showed it. In ordinary files a cue's
    lines wrap one caption and are joined.
    """
    snippets: list[Snippet] = []
    previous: set[str] = set()
    for cue in cues:
        lines = cue.lines if rolling else [" ".join(cue.lines)]
        texts = []
        for line in lines:
            text = clean_text(line)
            if not text:
                continue
            texts.append(text)
            if text in previous:
                continue
            if rolling and _WORD_TIMING.search(line):
                snippets.extend(_split_at_pauses(line, cue))
            else:
                snippets.append(Snippet(text, cue.start_s, cue.end_s))
        previous = set(texts)
    return snippets


def _split_at_pauses(line: str, cue: _Cue) -> list[Snippet]:
    """A word-timed line as pieces spoken without a pause, each from its first word's onset to the next's.

    The pieces hold every word of clean_text(line), in order: a timing that steps back or past the cue's end
    is held at the last one (within the cue), so sorting by time cannot reorder the words."""
    parts = _WORD_TIMING.split(line)  # text before the first timing, then (time, text) pairs
    pieces: list[tuple[float, list[str]]] = []
    onset = cue.start_s
    said_by = None  # when the previous word would have been said, had the speaker not paused
    for i in range(0, len(parts), 2):
        clock = parse_clock(parts[i - 1].strip("<>")) if i else None
        onset = min(max(onset, clock if clock is not None else onset), max(cue.end_s, cue.start_s))
        words = strip_markup(parts[i])
        if not words:
            continue
        if said_by is None or onset - said_by >= PAUSE_SPLIT_S:
            pieces.append((onset, []))
        pieces[-1][1].append(words)
        said_by = onset + _WORD_S + _LETTER_S * len(words)
    return [Snippet(" ".join(words), start, pieces[k + 1][0] if k + 1 < len(pieces) else max(cue.end_s, start))
            for k, (start, words) in enumerate(pieces)]


def _parse_seconds_lines(text: str, path: Path) -> ParsedCaptions:
    """`[START_SECONDSs] text` per line; a line lasts until the next one starts."""
    starts: list[tuple[float, str]] = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _SECONDS_LINE.match(line.strip())
        if match is None:
            raise CaptionFileError(f"{path}: line {line_no}: expected '[12.3s] text'", path=path, line=line_no)
        start = float(match["start"])
        if starts and start < starts[-1][0]:
            raise CaptionFileError(f"{path}: line {line_no}: {start}s comes before the line above it",
                                   path=path, line=line_no)
        starts.append((start, match["text"]))
    snippets = []
    for i, (start, words) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else start + max(1.0, _LAST_LINE_S_PER_WORD * len(words.split()))
        snippets.append(Snippet(words, start, end))
    return ParsedCaptions(snippets)


def _parse_json(text: str, path: Path) -> ParsedCaptions:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaptionFileError(f"{path}: line {exc.lineno}: invalid JSON ({exc.msg})") from exc
    if isinstance(data, dict) and isinstance(data.get("segments"), list):
        items, kind, language = data["segments"], "whisper", data.get("language")
    elif isinstance(data, dict) and isinstance(data.get("snippets"), list):
        items, kind, language = data["snippets"], "unknown", data.get("language_code")
    elif isinstance(data, list):
        items, kind, language = data, "unknown", None
    else:
        raise CaptionFileError(
            f"{path}: expected a list of {{text, start, duration}} or Whisper's {{segments: [...]}}"
        )
    snippets = []
    for n, item in enumerate(items):
        if not isinstance(item, dict) or "text" not in item or "start" not in item:
            raise CaptionFileError(f"{path}: item {n}: expected an object with 'text' and 'start'")
        try:
            start = float(item["start"])
            if "end" in item:
                end = float(item["end"])
            else:
                end = start + float(item.get("duration", 0.0))
        except (TypeError, ValueError) as exc:
            raise CaptionFileError(f"{path}: item {n}: 'start'/'end'/'duration' must be numbers") from exc
        if not (math.isfinite(start) and math.isfinite(end)) or start < 0:
            raise CaptionFileError(f"{path}: item {n}: times must be finite seconds from 0 on", path=path, item=n)
        snippets.append(Snippet(str(item["text"]), start, end))
    if not snippets:
        raise CaptionFileError(f"{path}: the file holds no captions")
    return ParsedCaptions(snippets, language if isinstance(language, str) else None, kind)
