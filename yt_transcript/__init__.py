"""yt-transcript: YouTube talks as a library you can search, question and study.

    from yt_transcript import Library

    lib = Library.open()                      # or Library.open(home, model=..., base_url=...)
    lib.ingest("https://youtu.be/VIDEO_ID")   # URLs, playlists, channels, caption files
    hit = lib.search("spacing", k=2)[0]       # hit.url plays the moment
    print(lib.ask("why is spacing better than cramming?").text)
    print(lib.summarize("VIDEO_ID").to_markdown())

Names are imported on first use, so `import yt_transcript` (and the CLI's --help) stays instant.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_PUBLIC = {
    "Library": "yt_transcript.library",
    "Settings": "yt_transcript.ingest.settings",
    "SearchOptions": "yt_transcript.rag.retrieve",
    "IngestOptions": "yt_transcript.ingest.pipeline",
    "ChatSession": "yt_transcript.rag.chat",
    # results
    "Answer": "yt_transcript.ingest.models",
    "Card": "yt_transcript.ingest.models",
    "Chapter": "yt_transcript.ingest.models",
    "ChapterSummary": "yt_transcript.ingest.models",
    "Citation": "yt_transcript.ingest.models",
    "Finding": "yt_transcript.ingest.models",
    "IngestResult": "yt_transcript.ingest.models",
    "Occurrence": "yt_transcript.ingest.models",
    "Overview": "yt_transcript.ingest.models",
    "SearchHit": "yt_transcript.ingest.models",
    "Snippet": "yt_transcript.ingest.models",
    "SourceResult": "yt_transcript.ingest.models",
    "SyncOutcome": "yt_transcript.ingest.models",
    "SyncReport": "yt_transcript.ingest.models",
    "Transcript": "yt_transcript.ingest.models",
    "VideoMeta": "yt_transcript.ingest.models",
    "VideoRecord": "yt_transcript.ingest.models",
    # errors: the root and one class per concern (every cause is in yt_transcript.errors)
    "YtTranscriptError": "yt_transcript.ingest.errors",
    "SourceError": "yt_transcript.ingest.errors",
    "InputError": "yt_transcript.ingest.errors",
    "StoreError": "yt_transcript.ingest.errors",
    "ModelError": "yt_transcript.ingest.errors",
    # helpers
    "format_hms": "yt_transcript.ingest.timecodes",
    "parse_source": "yt_transcript.ingest.sources",
    "watch_url": "yt_transcript.ingest.timecodes",
}

__all__ = [
    "Answer", "Card", "Chapter", "ChapterSummary", "ChatSession", "Citation", "Finding", "IngestOptions",
    "IngestResult", "InputError", "Library", "ModelError", "Occurrence", "Overview", "SearchHit", "SearchOptions",
    "Settings", "Snippet", "SourceError", "SourceResult", "StoreError", "SyncOutcome", "SyncReport", "Transcript",
    "VideoMeta", "VideoRecord", "YtTranscriptError", "errors", "format_hms", "parse_source", "watch_url",
]


def __getattr__(name: str) -> Any:
    if name == "errors":
        return importlib.import_module("yt_transcript.errors")
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'yt_transcript' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from yt_transcript import errors
    from yt_transcript.ingest.errors import InputError, ModelError, SourceError, StoreError, YtTranscriptError
    from yt_transcript.ingest.models import (
        Answer, Card, Chapter, ChapterSummary, Citation, IngestResult, Overview, SearchHit, Snippet, SourceResult,
        SyncOutcome, SyncReport, Transcript, VideoMeta, VideoRecord,
    )
    from yt_transcript.ingest.pipeline import IngestOptions
    from yt_transcript.ingest.settings import Settings
    from yt_transcript.ingest.sources import parse_source
    from yt_transcript.ingest.timecodes import format_hms, watch_url
    from yt_transcript.library import Library
    from yt_transcript.rag.chat import ChatSession
    from yt_transcript.rag.retrieve import SearchOptions
