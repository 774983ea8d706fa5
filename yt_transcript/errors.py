"""Every error yt-transcript raises on purpose (defined in yt_transcript.ingest.errors), importable from here."""

from yt_transcript.ingest.errors import *  # noqa: F401,F403
from yt_transcript.ingest.errors import YtTranscriptError  # noqa: F401
