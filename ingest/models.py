"""Domain types, all in one place. Times are seconds from the start of the video.

Each has `to_dict()` (the JSON shape the CLI prints); results a person reads also have `to_markdown()`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from yt_transcript.ingest.sources import is_video_id
from yt_transcript.ingest.timecodes import format_hms, watch_url


def moment(start_s: float, url: str | None) -> str:
    """h:mm:ss, as a Markdown link to the moment when there is one."""
    return f"[{format_hms(start_s)}]({url})" if url else format_hms(start_s)


@dataclass(frozen=True)
class Snippet:
    """One caption line as spoken."""

    text: str
    start_s: float  # when the line is first spoken, seconds
    end_s: float  # when the next line starts (or the cue ends), seconds

    def to_dict(self) -> dict:
        return {"start": self.start_s, "end": self.end_s, "text": self.text}


@dataclass(frozen=True)
class Chapter:
    """A titled section of a video."""

    title: str
    start_s: float  # seconds
    end_s: float | None = None  # seconds; None when the video's length is unknown

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class VideoMeta:
    """What we keep about a video besides its words."""

    video_id: str
    title: str
    channel: str = ""
    upload_date: str | None = None  # ISO date, YYYY-MM-DD
    duration_s: float | None = None  # seconds
    language: str | None = None  # language code of the transcript, e.g. "en"
    caption_kind: str = "unknown"  # "manual", "auto", "whisper:<model>" (transcribed here) or "unknown"
    translated_from: str | None = None  # source language code when YouTube translated it
    source: str = ""  # what the user passed: a URL or a file path
    chapters: list[Chapter] = field(default_factory=list)
    chapter_source: str | None = None  # "creator" (yt-dlp), "description", "file" or None
    description: str = ""

    @property
    def english(self) -> bool:
        """Whether the captions are English ("en", "en-US"; a file that does not say is taken as English):
        the fillers and sentence starts the reading knows are English ones."""
        return (self.language or "en").split("-")[0].lower() == "en"

    @property
    def captions(self) -> str | None:
        """Who wrote the captions, in words ("by the creator", "automatic", "transcribed here"); None if unknown."""
        if self.caption_kind.startswith("whisper"):
            return "transcribed here"
        return {"manual": "by the creator", "auto": "automatic"}.get(self.caption_kind)

    @property
    def is_youtube(self) -> bool:
        """True when the id is a real YouTube id, so deep links make sense."""
        return is_video_id(self.video_id)

    @property
    def url(self) -> str | None:
        """The watch page, or None for a local file without a YouTube id."""
        return watch_url(self.video_id) if self.is_youtube else None

    def to_dict(self) -> dict:
        return {**asdict(self), "url": self.url}


@dataclass
class Transcript:
    """A cleaned transcript with its metadata."""

    meta: VideoMeta
    snippets: list[Snippet]

    def to_dict(self) -> dict:
        return {**self.meta.to_dict(), "snippets": [s.to_dict() for s in self.snippets]}


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

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class VideoRecord:
    """A video as the library holds it: metadata plus index bookkeeping."""

    meta: VideoMeta
    generation: str
    chunk_count: int
    embed_model: str
    added_at: str  # ISO timestamp, UTC
    updated_at: str  # ISO timestamp, UTC

    def to_dict(self) -> dict:
        """The JSON shape of `list --json`: the metadata without the description, plus bookkeeping."""
        meta = self.meta.to_dict()
        meta.pop("description", None)
        return {**meta, "chunks": self.chunk_count, "embed_model": self.embed_model,
                "added_at": self.added_at, "updated_at": self.updated_at}


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
            "relevance": round(self.relevance, 4),  # below YT_TRANSCRIPT_RELEVANCE_THRESHOLD: not a close match
            "url": self.url,
        }

    def to_markdown(self) -> str:
        """A heading with the moment, linked when it is on YouTube, then the text from the matching sentence."""
        where = f" · {self.chapter}" if self.chapter else ""
        return f"**{self.title}{where}** {moment(self.start_s, self.url)}\n\n{self.from_match}\n"


@dataclass
class Occurrence:
    """A place where a video says the words looked for: the caption line they start on."""

    video_id: str
    start_s: float  # seconds: where that line starts
    text: str  # the line, with the lines after it that the words run over
    in_part: bool = False  # the last word looked for is said only as the start of a longer one ("Biopsych")

    @property
    def url(self) -> str | None:
        return watch_url(self.video_id, self.start_s) if is_video_id(self.video_id) else None

    def to_dict(self) -> dict:
        return {"video_id": self.video_id, "start": round(self.start_s, 3), "text": self.text, "url": self.url,
                "in_part": self.in_part}


@dataclass
class Finding:
    """What "find in this video" shows: every place the words are said, then the passages about them."""

    said: list[Occurrence]  # in time order
    related: list[SearchHit]  # close matches by meaning, away from the places above, best first
    nearest: list[SearchHit]  # only when neither finds anything: the best passages, however far

    @property
    def said_line(self) -> str:
        """What heads the places, in the CLI and the app alike ("" when there are none)."""
        if not self.said:
            return ""
        times = f"{len(self.said)} time{'s' if len(self.said) > 1 else ''}"
        return f"Said {times}" + (", as the start of a longer word" if any(o.in_part for o in self.said) else "")

    @property
    def heading(self) -> str:
        """What heads the passages after the places (or says there are none), in the CLI and the app alike."""
        if self.related:
            return "Passages about it:" if self.said else NOT_SAID_RELATED
        if self.nearest:
            return NOT_SAID
        # Said, and nothing elsewhere: say so, or the passages the help promises seem lost.
        return "No other passage of this video is about it." if self.said else "No matching passages."

    def to_dict(self) -> dict:
        return {"said": [o.to_dict() for o in self.said], "related": [h.to_dict() for h in self.related],
                "nearest": [h.to_dict() for h in self.nearest]}


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

    def to_dict(self) -> dict:
        return {"video_id": self.video_id, "ok": self.ok, "title": self.title, "chunks": self.chunks,
                "seconds": round(self.seconds, 3), "detail": self.detail,
                "error": type(self.error).__name__ if self.error else None}


@dataclass
class SourceResult:
    """What happened to one SOURCE argument (one or many videos)."""

    source: str
    # "video", "playlist", "channel", "file", "media" (audio or video to transcribe), "sidecar" or "invalid"
    kind: str
    results: list[IngestResult] = field(default_factory=list)
    label: str = ""  # playlist or channel title
    error: Exception | None = None  # the source itself failed (bad URL, listing failed)
    seconds: float = 0.0  # wall time, seconds

    @property
    def ok(self) -> bool:
        """True when the source and all its videos went in."""
        return self.error is None and all(r.ok for r in self.results)

    def to_dict(self) -> dict:
        return {"source": self.source, "kind": self.kind, "ok": self.ok, "label": self.label,
                "error": str(self.error) if self.error else None, "seconds": round(self.seconds, 3),
                "videos": [r.to_dict() for r in self.results]}


@dataclass
class Citation:
    """A source an answer cites, resolved by code (the model only ever writes its id)."""

    id: str  # "S3"
    video_id: str
    title: str
    start_s: float  # seconds
    url: str | None
    text: str

    def to_dict(self) -> dict:
        """The JSON shape of `ask --json` citations."""
        return {"id": self.id, "video_id": self.video_id, "title": self.title, "start": round(self.start_s, 3),
                "url": self.url, "text": self.text}

    def to_markdown(self) -> str:
        return f"[{self.id}] {self.title} {moment(self.start_s, self.url)}: “{self.text.strip()}”"


@dataclass
class Answer:
    """An answer and where it comes from."""

    question: str
    text: str
    model: str  # "openai:NAME", "extractive" or "none"
    kind: str  # "generated", "extractive" or "not_found"
    citations: list[Citation] = field(default_factory=list)
    grounded: bool = False  # True only when at least one citation resolved to a retrieved passage
    dropped_ids: list[str] = field(default_factory=list)  # cited ids that were never retrieved
    nearest: list[SearchHit] = field(default_factory=list)  # for not_found: the closest passages
    first_token_s: float | None = None  # seconds until the first streamed token
    total_s: float = 0.0  # seconds for the whole answer
    notice: str | None = None  # one line when model search fell back to (part of) the offline ranking
    asked_as: str | None = None  # a follow-up as it was searched, read with the question before it

    def to_dict(self) -> dict:
        """The JSON shape of `ask --json`."""
        return {
            "answer": self.text,
            "model": self.model,
            "kind": self.kind,
            "grounded": self.grounded,
            "citations": [c.to_dict() for c in self.citations],
            "dropped_ids": self.dropped_ids,
            "nearest": [h.to_dict() for h in self.nearest],
            "notice": self.notice,
            "asked_as": self.asked_as,
        }

    def to_markdown(self) -> str:
        """The question, the answer, then its sources (or the nearest passages), each linked to its moment."""
        lines = [f"**Q:** {self.question}", "", self.text, ""]
        lines += [f"- {c.to_markdown()}" for c in self.citations]
        lines += [f"- {hit.title} {moment(hit.start_s, hit.url)}" for hit in self.nearest]
        return "\n".join(lines).rstrip() + "\n"


@dataclass
class ChapterSummary:
    """One chapter of the overview."""

    title: str
    start_s: float  # seconds
    end_s: float  # seconds
    summary: str

    def to_dict(self) -> dict:
        return {"start": self.start_s, "end": self.end_s, "title": self.title, "summary": self.summary}


NO_CLOSE_MATCH = "Nothing in the transcripts matches this closely; these are the nearest passages."
NOT_SAID = "Not said in this video, and nothing matches closely; the nearest passages:"  # Finding.nearest
# Finding.related when the words themselves are never said (a student types "tiktokenizer", the captions
# say "Tik tokenizer"): the passages are about them, and the heading says the words are not there.
NOT_SAID_RELATED = "Not said in these words; passages about it:"
EXTRACTIVE_LABEL = "Extractive overview: the most central sentences of each chapter, quoted (no language model)."


@dataclass
class Overview:
    """A video's chapter-by-chapter summary."""

    video_id: str
    title: str
    chapter_source: str  # "creator" or "auto"
    chapters: list[ChapterSummary]
    tldr: str
    model: str  # "openai:NAME" or "extractive"
    cached: int = 0  # how many parts came from the cache

    def to_dict(self) -> dict:
        """The JSON shape of `summarize --format json`."""
        return {"video_id": self.video_id, "title": self.title, "chapter_source": self.chapter_source,
                "model": self.model, "tldr": self.tldr, "chapters": [c.to_dict() for c in self.chapters]}

    def to_markdown(self) -> str:
        """Title, TL;DR, then a heading per chapter whose timestamp links to its moment."""
        return self._render(markdown=True)

    def to_text(self) -> str:
        """The same as plain text."""
        return self._render(markdown=False)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def _render(self, markdown: bool) -> str:
        linked = markdown and is_video_id(self.video_id)
        lines = [f"# {self.title}" if markdown else self.title, "", "## Summary" if markdown else "Summary", ""]
        if self.model == "extractive":
            lines += [f"_{EXTRACTIVE_LABEL}_" if markdown else EXTRACTIVE_LABEL, ""]
        lines += [self.tldr, ""]
        for c in self.chapters:
            heading = f"{c.title} ({format_hms(c.start_s)})"
            if linked:
                heading = f"[{heading}]({watch_url(self.video_id, c.start_s)})"
            lines += [f"### {heading}" if markdown else heading, c.summary, ""]
        return "\n".join(lines).rstrip() + "\n"


@dataclass
class Card:
    """A flashcard; a quiz asks its question and checks the answer."""

    chapter: str
    question: str  # for cloze cards, the sentence with a blank
    answer: str
    start_s: float  # the moment it comes from, seconds
    kind: str  # "cloze" or "model"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class AnkiDeck:
    """A video's flashcards written as an Anki package (.apkg). Its ids are derived from the video and each
    card's moment, so importing a newer export updates the notes already in Anki instead of adding copies."""

    path: str
    video_id: str
    deck_id: int
    model_id: int  # the Anki note type, the same for every deck we write
    cards: list[Card]
    guids: list[str]  # one per card, in order: what Anki matches notes on when a deck is imported again

    def to_dict(self) -> dict:
        return {"path": self.path, "video_id": self.video_id, "deck_id": self.deck_id, "model_id": self.model_id,
                "notes": len(self.cards), "cards": [{**c.to_dict(), "guid": g} for c, g in zip(self.cards, self.guids)]}


@dataclass
class SyncOutcome:
    """What a sync did with one upload of a channel or playlist."""

    video_id: str
    action: str  # "added", "updated", "unchanged", "skipped" or "failed" ("would add"/"would update" in a dry run)
    detail: str = ""  # why: the error, or what was skipped for

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SyncReport:
    """One sync of every remembered channel and playlist."""

    listings: list[dict] = field(default_factory=list)  # {"source", "kind", "title", "error"} per listing
    outcomes: list[SyncOutcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: str) -> int:
        return sum(o.action == action for o in self.outcomes)

    @property
    def ok(self) -> bool:
        """True when every listing was listed and no upload failed."""
        return not any(entry["error"] for entry in self.listings) and not self.count("failed")

    def to_dict(self) -> dict:
        return {"dry_run": self.dry_run, "listings": self.listings, "outcomes": [o.to_dict() for o in self.outcomes],
                "counts": {a: self.count(a) for a in ("added", "updated", "unchanged", "skipped", "failed",
                                                       "would add", "would update")}}

