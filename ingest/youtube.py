"""Talk to YouTube: transcripts through youtube-transcript-api, listings and metadata through yt-dlp."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yt_transcript.ingest import errors
from yt_transcript.ingest.models import Snippet
from yt_transcript.ingest.sources import Source, is_video_id
from yt_transcript.ingest.timecodes import watch_url


@dataclass
class FetchedTrack:
    """A transcript track as YouTube served it."""

    snippets: list[Snippet]
    language_code: str
    language: str  # human-readable name, e.g. "English (auto-generated)"
    is_generated: bool
    translated_from: str | None = None  # language code of the original track when translated

    @property
    def kind(self) -> str:
        """'auto' for YouTube's speech recognition, else 'manual'."""
        return "auto" if self.is_generated else "manual"


class YouTubeClient:
    """Fetches transcripts, metadata and listings, retrying politely when rate-limited."""

    def __init__(
        self,
        *,
        proxy: str | None = None,
        retries: int = 3,
        backoff_s: float = 2.0,
        ytdlp_factory: Callable[[dict], Any] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.proxy = proxy
        self.retries = retries
        self.backoff_s = backoff_s
        self._ytdlp_factory = ytdlp_factory
        self._sleep = sleep

    # --- transcripts -------------------------------------------------------------------

    def fetch_transcript(
        self, video_id: str, languages: list[str], translate: str | None = None
    ) -> FetchedTrack:
        """Fetch the best track by language priority (manual beats auto-generated within a language)."""
        if not is_video_id(video_id):
            raise errors.InvalidSource(f"{video_id}: not a valid video id (expected 11 characters)")
        return self._with_retries(video_id, lambda: self._fetch_once(video_id, languages, translate))

    def _fetch_once(self, video_id: str, languages: list[str], translate: str | None) -> FetchedTrack:
        import youtube_transcript_api as yta

        proxy_config = (
            yta.proxies.GenericProxyConfig(http_url=self.proxy, https_url=self.proxy) if self.proxy else None
        )
        api = yta.YouTubeTranscriptApi(proxy_config=proxy_config)
        tracks = api.list(video_id)
        try:
            track = tracks.find_transcript(languages)
        except yta.NoTranscriptFound:
            available = sorted(
                {f"{t.language_code}{' (auto)' if t.is_generated else ''}" for t in tracks}
            )
            if translate:
                # Any track will do when the user asked for a translation anyway.
                track = next(iter(tracks), None)
                if track is None:
                    raise errors.TranscriptsDisabled(f"{video_id}: the video has no transcripts") from None
            else:
                raise errors.NoTranscriptInLanguages(video_id, languages, available) from None
        translated_from = None
        if translate and translate != track.language_code:
            if not track.is_translatable:
                raise errors.TranslationUnavailable(
                    f"{video_id}: the {track.language_code} track cannot be translated"
                )
            codes = {lang.language_code for lang in track.translation_languages}
            if translate not in codes:
                raise errors.TranslationUnavailable(
                    f"{video_id}: YouTube cannot translate into {translate!r}"
                )
            translated_from = track.language_code
            track = track.translate(translate)
        fetched = track.fetch()
        snippets = [Snippet(s.text, float(s.start), float(s.start) + float(s.duration)) for s in fetched.snippets]
        return FetchedTrack(snippets, fetched.language_code, fetched.language, fetched.is_generated, translated_from)

    def _with_retries(self, video_id: str, call: Callable[[], Any]) -> Any:
        import requests
        import youtube_transcript_api as yta

        delay = self.backoff_s
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                return call()
            except errors.YtTranscriptError:
                raise
            except yta.IpBlocked as exc:
                # A 429 or a reCAPTCHA page: YouTube wants us to slow down.
                if last:
                    raise errors.RateLimited(
                        f"{video_id}: YouTube is rate-limiting this IP (gave up after {self.retries} retries)"
                    ) from exc
            except yta.YouTubeRequestFailed as exc:
                # The library raises it while handling requests' HTTPError, so that is the context.
                response = getattr(exc.__context__, "response", None)
                code = getattr(response, "status_code", None)
                if last or (code is not None and code < 500):
                    raise errors.YouTubeFailed(f"{video_id}: YouTube request failed ({exc.reason})") from exc
            except requests.exceptions.ConnectionError as exc:
                if last or _cannot_connect(exc):  # no DNS or a refused port: waiting will not change that
                    raise errors.NetworkError(f"{video_id}: cannot reach YouTube") from exc
            except yta.CouldNotRetrieveTranscript as exc:
                raise map_transcript_error(exc, video_id) from exc
            except requests.exceptions.RequestException as exc:  # a bad proxy URL, a broken reply, ...
                raise errors.NetworkError(f"{video_id}: the request to YouTube failed ({type(exc).__name__})",
                                          video_id=video_id) from exc
            self._sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    # --- metadata and listings (yt-dlp) ------------------------------------------------

    def _ytdlp(self, extra: dict) -> Any:
        options = {
            "quiet": True,
            "no_warnings": True,
            "noprogress": True,
            "skip_download": True,
            # Metadata does not need playable formats; YouTube often withholds them from scripts.
            "ignore_no_formats_error": True,
            # yt-dlp prints its own "ERROR:" lines even when quiet; ours say it once, in our words.
            "logger": _SilentLogger(),
            **({"proxy": self.proxy} if self.proxy else {}),
            **extra,
        }
        if self._ytdlp_factory is not None:
            return self._ytdlp_factory(options)
        from yt_dlp import YoutubeDL

        return YoutubeDL(options)

    def fetch_info(self, video_id: str) -> dict:
        """The yt-dlp info dict of one video (title, channel, chapters, ...)."""
        try:
            with self._ytdlp({}) as ydl:
                info = ydl.extract_info(watch_url(video_id), download=False)
        except Exception as exc:  # yt-dlp raises DownloadError for everything
            raise map_ytdlp_error(exc, video_id) from exc
        return ydl.sanitize_info(info) if hasattr(ydl, "sanitize_info") else info

    def download_audio(self, video_id: str, folder: Path,
                       progress: Callable[[str, float, float], None] | None = None) -> tuple[Path, dict]:
        """Download a video's best audio-only format (any container; PyAV decodes them all) into `folder`.
        Returns the file and the video's info dict. Progress is reported in megabytes."""
        label = f"downloading audio {video_id} (MB)"

        def hook(status: dict) -> None:
            if progress is not None and status.get("status") in {"downloading", "finished"}:
                done = status.get("downloaded_bytes") or 0
                total = status.get("total_bytes") or status.get("total_bytes_estimate") or done
                progress(label, round(done / 1e6, 1), round(max(total, done) / 1e6, 1))

        options = {
            "skip_download": False,
            "ignore_no_formats_error": False,
            "format": "bestaudio/best",  # audio only when YouTube offers it (it does): a fraction of the video
            "outtmpl": {"default": str(Path(folder) / "%(id)s.%(ext)s")},
            "noplaylist": True,
            "progress_hooks": [hook],
        }
        try:
            with self._ytdlp(options) as ydl:
                info = ydl.extract_info(watch_url(video_id), download=True)
        except Exception as exc:
            mapped = map_ytdlp_error(exc, video_id)
            if isinstance(mapped, (errors.YouTubeFailed, errors.NetworkError)):
                mapped = errors.AudioDownloadFailed(
                    f"{video_id}: could not download the audio ({_first_line(exc)[:200]})", video_id=video_id)
            raise mapped from exc
        files = [Path(d["filepath"]) for d in info.get("requested_downloads") or [] if d.get("filepath")]
        files = [f for f in files if f.is_file()] or sorted(p for p in Path(folder).iterdir() if p.is_file())
        if not files:
            raise errors.AudioDownloadFailed(f"{video_id}: yt-dlp finished without an audio file", video_id=video_id)
        return files[0], (ydl.sanitize_info(info) if hasattr(ydl, "sanitize_info") else info)

    def list_videos(self, source: Source, limit: int | None = None) -> tuple[str, list[str]]:
        """Video ids of a playlist, or a channel's newest uploads. Returns (listing title, ids)."""
        if source.kind == "playlist":
            url = f"https://www.youtube.com/playlist?list={source.value}"
        elif source.kind == "channel":
            url = source.value.rstrip("/") + "/videos"
        else:
            raise errors.InvalidSource(f"{source.raw}: a {source.kind} has no videos to list")
        extra: dict = {"extract_flat": "in_playlist"}
        if limit:
            extra["playlistend"] = limit
        try:
            with self._ytdlp(extra) as ydl:
                info = ydl.extract_info(url, download=False)
        except Exception as exc:
            raise map_ytdlp_error(exc, source.raw, listing=True) from exc
        ids: list[str] = []
        for entry in _flatten(info):
            vid = entry.get("id")
            if isinstance(vid, str) and vid not in ids and entry.get("ie_key", "Youtube") == "Youtube":
                ids.append(vid)
        if limit:
            ids = ids[:limit]
        if not ids:
            raise errors.ListingFailed(f"{source.raw}: the listing has no videos")
        return str(info.get("title") or source.raw), ids


class _SilentLogger:
    """Swallows yt-dlp's messages; failures still reach us as exceptions."""

    def debug(self, message: str) -> None:
        pass

    info = warning = error = debug


def _cannot_connect(exc: BaseException) -> bool:
    """True when the host name does not resolve or the connection is refused (offline, blocked DNS, no route)."""
    import socket

    from urllib3.exceptions import NameResolutionError, NewConnectionError

    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (NameResolutionError, NewConnectionError, socket.gaierror, ConnectionRefusedError)):
            return True
        stack += [getattr(current, "reason", None), current.__cause__, current.__context__,
                  *[a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]]
    return False


def _flatten(info: dict) -> list[dict]:
    """Entries of a playlist; a channel page nests tabs as playlists of playlists."""
    out: list[dict] = []
    for entry in info.get("entries") or []:
        if not isinstance(entry, dict):
            continue
        if entry.get("_type") == "playlist" or entry.get("entries"):
            out.extend(_flatten(entry))
        else:
            out.append(entry)
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).replace("ERROR: ", "").strip()
    return text.splitlines()[0] if text else type(exc).__name__


def map_transcript_error(exc: Exception, video_id: str) -> errors.YtTranscriptError:
    """Translate a youtube-transcript-api exception into ours (one per cause)."""
    import youtube_transcript_api as yta

    if isinstance(exc, yta.InvalidVideoId):
        return errors.InvalidSource(f"{video_id}: not a valid video id")
    if isinstance(exc, yta.AgeRestricted):
        return errors.AgeRestricted(f"{video_id}: the video is age-restricted")
    if isinstance(exc, yta.TranscriptsDisabled):
        return errors.TranscriptsDisabled(f"{video_id}: transcripts are disabled for this video")
    if isinstance(exc, (yta.RequestBlocked, yta.PoTokenRequired, yta.FailedToCreateConsentCookie)):
        return errors.RequestBlocked(f"{video_id}: YouTube blocked the request")
    if isinstance(exc, yta.VideoUnplayable):
        reason = getattr(exc, "reason", None) or "unplayable"
        return errors.VideoUnavailable(f"{video_id}: the video is unavailable ({reason})")
    if isinstance(exc, yta.VideoUnavailable):
        return errors.VideoUnavailable(f"{video_id}: the video is unavailable or private")
    if isinstance(exc, (yta.NotTranslatable, yta.TranslationLanguageNotAvailable)):
        return errors.TranslationUnavailable(f"{video_id}: translation is not available")
    return errors.YouTubeFailed(f"{video_id}: {type(exc).__name__}")


def map_ytdlp_error(exc: Exception, video_id: str, *, listing: bool = False) -> errors.YtTranscriptError:
    """Translate a yt-dlp failure into ours by its message, which is all yt-dlp gives."""
    text = str(exc).lower()
    if listing:
        if "unable to download" in text or "name resolution" in text or "failed to resolve" in text \
                or "connection" in text:
            return errors.NetworkError(f"{video_id}: cannot reach YouTube to list its videos", source=video_id)
        return errors.ListingFailed(f"{video_id}: could not list videos ({_first_line(exc)[:200]})", source=video_id)
    if "private video" in text or "video unavailable" in text or "has been removed" in text:
        return errors.VideoUnavailable(f"{video_id}: the video is unavailable or private")
    if "confirm your age" in text or "age-restricted" in text or "inappropriate" in text:
        return errors.AgeRestricted(f"{video_id}: the video is age-restricted")
    if "not a bot" in text or "http error 403" in text:
        return errors.RequestBlocked(f"{video_id}: YouTube blocked the metadata request")
    if "429" in text or "too many requests" in text:
        return errors.RateLimited(f"{video_id}: YouTube is rate-limiting metadata requests")
    if "unable to download" in text or "name resolution" in text or "connection" in text:
        return errors.NetworkError(f"{video_id}: cannot reach YouTube for metadata")
    return errors.YouTubeFailed(f"{video_id}: metadata request failed ({_first_line(exc)})")
