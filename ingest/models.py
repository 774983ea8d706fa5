"""Domain types shared by every stage. Times are seconds from the start of the video."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.sources import is_video_id
from ingest.timecodes import watch_url


@dataclass(frozen=True)
class Snippet:
    """One caption line as spoken."""

    text: str
    start_s: float  # when the line is first spoken, seconds
    end_s: float  # when the next line starts (or the cue ends), seconds


@dataclass(frozen=True)
class Chapter:
    """A titled section of a video."""

    title: str
    start_s: float  # seconds
    end_s: float | None = None  # seconds; None when the video's length is unknown


@dataclass
class VideoMeta:
    """What we keep about a video besides its words."""

    video_id: str
    title: str
    channel: str = ""
    upload_date: str | None = None  # ISO date, YYYY-MM-DD
    duration_s: float | None = None  # seconds
    language: str | None = None  # language code of the transcript, e.g. "en"
    caption_kind: str = "unknown"  # "manual", "auto", "whisper" or "unknown"
    translated_from: str | None = None  # source language code when YouTube translated it
    source: str = ""  # what the user passed: a URL or a file path
    chapters: list[Chapter] = field(default_factory=list)
    chapter_source: str | None = None  # "creator" (yt-dlp), "description", "file" or None
    description: str = ""

    @property
    def is_youtube(self) -> bool:
        """True when the id is a real YouTube id, so deep links make sense."""
        return is_video_id(self.video_id)


@dataclass
class Transcript:
    """A cleaned transcript with its metadata."""

    meta: VideoMeta
    snippets: list[Snippet]

    @property
    def word_count(self) -> int:
        """Number of whitespace-separated words."""
        return sum(len(s.text.split()) for s in self.snippets)


@dataclass(frozen=True)
class Chunk:
    """A passage cut along snippet boundaries, sized for the embedding model."""

    chunk_id: str  # "<video_id>:<generation>:<index>", deterministic
    video_id: str
    generation: str  # hash of transcript + chunking + model; identical input gives identical ids
    index: int
    text: str
    start_s: float  # start of its first snippet, seconds
    end_s: float  # end of its last snippet, seconds
    chapter: str | None = None
    # Sentence-like units that let a hit point at the sentence that matches, not the chunk start:
    # (start_s, char_start, char_end) into `text`, in order.
    units: tuple[tuple[float, int, int], ...] = ()


@dataclass
class VideoRecord:
    """A video as the library holds it: metadata plus index bookkeeping."""

    meta: VideoMeta
    generation: str
    chunk_count: int
    embed_model: str
    added_at: str  # ISO timestamp, UTC
    updated_at: str  # ISO timestamp, UTC


@dataclass
class SearchHit:
    """One ranked passage."""

    video_id: str
    title: str
    channel: str
    start_s: float  # seconds
    end_s: float  # seconds
    text: str
    score: float  # relevance, higher is better (fused reciprocal ranks, not a probability)
    chapter: str | None = None
    chunk_id: str = ""  # the stored chunk the hit comes from
    chunk_start_s: float | None = None  # where that chunk starts, seconds; start_s is the matching sentence
    relevance: float = 0.0  # absolute match of the best sentence: its cosine plus a share of the query's rare words
    match: tuple[int, int] | None = None  # characters of text that start_s points at: the matching sentence

    @property
    def from_match(self) -> str:
        """The text from the matching sentence on: what plays at start_s."""
        return self.text[self.match[0]:] if self.match else self.text

    @property
    def url(self) -> str | None:
        """Deep link to the moment, or None for a local file without a YouTube id."""
        return watch_url(self.video_id, self.start_s) if is_video_id(self.video_id) else None

    def to_dict(self) -> dict:
        """The JSON shape of `search --json`."""
        return {
            "video_id": self.video_id,
            "title": self.title,
            "channel": self.channel,
            "chapter": self.chapter,
            "start": round(self.start_s, 3),
            "end": round(self.end_s, 3),
            "text": self.text,
            "match": self.text[self.match[0]:self.match[1]] if self.match else None,
            "score": round(self.score, 4),
            "url": self.url,
        }


@dataclass
class IngestResult:
    """What happened to one video."""

    video_id: str
    ok: bool
    title: str = ""
    chunks: int = 0
    seconds: float = 0.0  # wall time, seconds
    detail: str = ""  # transcript choice on success, the error message on failure
    error: Exception | None = None
