"""Ingest a SOURCE end to end: resolve it to videos, get each transcript (fetched, read from a caption file, or
transcribed locally from audio), clean, chunk, embed, store."""

from __future__ import annotations

import glob
import json
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from yt_transcript.ingest import errors
from yt_transcript.ingest.captions import read_caption_file
from yt_transcript.ingest.chunking import chunk_transcript
from yt_transcript.ingest.cleaning import clean_snippets
from yt_transcript.ingest.embedding import Embedder, export_query_model
from yt_transcript.ingest.metadata import chapters_from_list, meta_from_info
from yt_transcript.ingest.models import Chapter, Chunk, IngestResult, SourceResult, Transcript, VideoMeta
from yt_transcript.ingest.settings import Settings
from yt_transcript.ingest.sources import MEDIA_SUFFIXES, Source, is_video_id, parse_source
from yt_transcript.ingest.storage import Storage
from yt_transcript.ingest.timecodes import watch_url
from yt_transcript.ingest.youtube import YouTubeClient

if TYPE_CHECKING:
    from yt_transcript.ingest.transcribe import Transcription, WhisperTranscriber

Progress = Callable[[str, float, float], None]  # (stage label, done, total); transcription counts audio minutes
WHISPER_MODES = ("auto", "never", "always")


@dataclass
class IngestOptions:
    """Per-run choices."""

    languages: list[str] | None = None  # None: the settings' language priority
    translate: str | None = None
    limit: int | None = None  # newest videos taken from a channel or playlist
    video_id: str | None = None  # local files only
    title: str | None = None  # local files only
    channel: str | None = None  # local files only
    whisper: str | None = None  # YouTube videos without captions: "auto", "never", "always"; None: the setting
    language: str | None = None  # the language spoken, for local transcription; None: detected


class Ingestor:
    """Runs the ingest pipeline against one library."""

    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        embedder: Callable[[], Embedder],
        youtube: YouTubeClient | None = None,
        progress: Progress | None = None,
        on_result: Callable[[IngestResult], None] | None = None,
        transcriber: Callable[[], WhisperTranscriber] | None = None,
    ):
        self.settings = settings
        self.storage = storage
        self._embedder_factory = embedder  # called only when something reaches the embedding stage
        self._embedder: Embedder | None = None
        self._transcriber_factory = transcriber or (lambda: default_transcriber(settings))
        self._transcriber: WhisperTranscriber | None = None
        self.youtube = youtube or YouTubeClient(
            proxy=settings.ingest.proxy, retries=settings.ingest.retries, backoff_s=settings.ingest.backoff_s
        )
        self.progress = progress or (lambda stage, done, total: None)
        self.on_result = on_result or (lambda result: None)

    @property
    def embedder(self) -> Embedder:
        """The embedding model, loaded on first use."""
        if self._embedder is None:
            self._embedder = self._embedder_factory()
        return self._embedder

    @property
    def transcriber(self) -> WhisperTranscriber:
        """The local Whisper transcriber (its model loads when something needs transcribing)."""
        if self._transcriber is None:
            self._transcriber = self._transcriber_factory()
        return self._transcriber

    def ingest(self, raw: str, options: IngestOptions) -> SourceResult:
        """Ingest one SOURCE; failures are recorded in the result, never raised."""
        started = time.perf_counter()
        if options.languages is None:
            options = replace(options, languages=self.settings.ingest.language_list)
        try:
            source = parse_source(raw)
        except errors.YtTranscriptError as exc:
            return SourceResult(raw, "invalid", error=exc, seconds=time.perf_counter() - started)
        result = SourceResult(raw, source.kind)
        if source.kind == "file" and (owner := _sidecar_owner(Path(source.value))) is not None:
            # `ingest *.json` picks up the .info.json / .chapters.json beside a caption file: they are read
            # with it, so they are skipped, not failures.
            result.kind, result.label = "sidecar", owner.name
            return result
        if source.kind in {"playlist", "channel"}:
            try:
                self.progress(f"listing {source.kind}", 0, 1)
                result.label, video_ids = self.youtube.list_videos(source, options.limit)
                self.progress(f"listing {source.kind}", 1, 1)
                self.storage.remember_listing(source.value, source.kind, result.label, options.languages,
                                              options.translate)
            except errors.YtTranscriptError as exc:
                result.error = exc
                result.seconds = time.perf_counter() - started
                return result
            for video_id in video_ids:
                result.results.append(self._one(video_id, lambda v=video_id: self.fetch_youtube(v, options)))
        elif source.kind == "video":
            result.results.append(self._one(source.value, lambda: self.fetch_youtube(source.value, options)))
        elif source.kind == "media":
            result.results.append(self._one(source.value, lambda: self.read_media(source, options)))
        else:
            result.results.append(self._one(source.value, lambda: read_local(source, options)))
        if self._embedder is not None:
            # The model is loaded now anyway: export its fast query twin once, so later searches start quickly.
            export_query_model(self._embedder, self.settings.home)
        result.seconds = time.perf_counter() - started
        return result

    def add(self, label: str, fetch: Callable[[], tuple[Transcript, str]]) -> IngestResult:
        """Index the transcript `fetch` returns; a failure is recorded in the result, never raised."""
        return self._one(label, fetch)

    def _kept(self, label: str, exc: errors.YtTranscriptError) -> str:
        """The failure, and, for a video the library holds already, that its copy is kept as it was: adding a
        video again refreshes it, and offline that fails with nothing lost."""
        if not isinstance(exc, errors.SourceError):
            return str(exc)
        try:
            title = self.storage.get(label).meta.title
        except errors.YtTranscriptError:
            return str(exc)
        reason = str(exc).removeprefix(f"{label}: ")
        return f"{label}: already in the library as \"{title}\", kept as it was; refreshing it failed: {reason}"

    def _one(self, label: str, fetch: Callable[[], tuple[Transcript, str]]) -> IngestResult:
        started = time.perf_counter()
        try:
            transcript, detail = fetch()
            chunks = self.index(transcript)
        except errors.YtTranscriptError as exc:
            outcome = IngestResult(label, False, detail=self._kept(label, exc), error=exc)
        else:
            outcome = IngestResult(transcript.meta.video_id, True, transcript.meta.title, chunks, detail=detail)
        outcome.seconds = time.perf_counter() - started
        self.on_result(outcome)
        return outcome

    def fetch_youtube(self, video_id: str, options: IngestOptions, info: dict | None = None) -> tuple[Transcript, str]:
        """Fetch a video's transcript and metadata (unless `info` already holds it) from YouTube."""
        if options.languages is None:
            options = replace(options, languages=self.settings.ingest.language_list)
        mode = whisper_mode(options, self.settings)
        if mode == "always":
            return self.transcribe_youtube(video_id, options, info, "YT_TRANSCRIPT_WHISPER=always")
        try:
            track = self.youtube.fetch_transcript(video_id, options.languages, options.translate)
        except (errors.NoTranscriptInLanguages, errors.TranscriptsDisabled) as exc:
            if mode != "auto":
                raise
            return self.transcribe_youtube(video_id, options, info, exc.message.removeprefix(f"{video_id}: "))
        detail = f"{track.language} [{track.language_code}, {track.kind}]"
        if track.translated_from:
            detail += f", translated from {track.translated_from}"
        try:
            meta = meta_from_info(info or self.youtube.fetch_info(video_id), source=watch_url(video_id))
            meta.video_id = video_id
        except errors.YtTranscriptError as exc:
            # The words matter more than the title: keep going and say what is missing.
            meta = VideoMeta(video_id=video_id, title=video_id, source=watch_url(video_id))
            detail += f"; no metadata ({exc.message})"
        meta.language = track.language_code
        meta.caption_kind = track.kind
        meta.translated_from = track.translated_from
        return Transcript(meta, track.snippets), detail

    def transcribe_youtube(self, video_id: str, options: IngestOptions, info: dict | None,
                           why: str) -> tuple[Transcript, str]:
        """Download a video's best audio to a temporary folder (removed afterwards) and transcribe it locally.
        A video transcribed before comes from the transcript cache with no download."""
        transcriber = self.transcriber
        cached = transcriber.lookup(f"youtube:{video_id}", options.language)
        note = ""
        if cached is not None:
            result = cached
            try:
                info = info or self.youtube.fetch_info(video_id)
            except errors.YtTranscriptError as exc:
                info, note = None, f"; no metadata ({exc.message})"
        else:
            with tempfile.TemporaryDirectory(prefix="yt-transcript-audio-") as folder:
                path, downloaded = self.youtube.download_audio(video_id, Path(folder), self.progress)
                result = transcriber.transcribe_file(path, language=options.language, progress=self.progress,
                                                     also_as=[f"youtube:{video_id}"])
            info = info or downloaded
        meta = meta_from_info(info, source=watch_url(video_id)) if info else VideoMeta(
            video_id=video_id, title=video_id, source=watch_url(video_id))
        meta.video_id = video_id
        _set_transcribed(meta, result)
        return Transcript(meta, result.snippets), f"transcribed locally ({why}): {result.describe()}{note}"

    def read_media(self, source: Source, options: IngestOptions) -> tuple[Transcript, str]:
        """Transcribe a local audio or video file (or take its transcript from the cache)."""
        path = Path(source.value)
        meta, _ = _local_meta(path, options)
        result = self.transcriber.transcribe_file(path, language=options.language, progress=self.progress)
        _set_transcribed(meta, result)
        return Transcript(meta, result.snippets), f"{path.suffix[1:].lower()} file, {result.describe()}"

    def index(self, transcript: Transcript) -> int:
        """Clean, chunk, embed and store one transcript; returns the number of chunks."""
        snippets = clean_snippets(transcript.snippets)
        if not snippets:
            raise errors.CaptionFileError(f"{transcript.meta.video_id}: the transcript has no text after cleaning")
        meta = transcript.meta
        if meta.duration_s is None:
            meta.duration_s = snippets[-1].end_s
        meta.chapters = _close_chapters(meta.chapters, meta.duration_s)
        transcript = Transcript(meta, snippets)
        chunks = self.chunk(transcript)
        label = f"embedding {meta.video_id}"
        self.progress(label, 0, len(chunks))
        vectors, unit_vectors = self.embedder.embed_with_units(
            [c.text for c in chunks], [[(a, b) for _, a, b in c.units] for c in chunks],
            self.settings.ingest.embed_batch_size, lambda done, total: self.progress(label, done, total),
        )
        self.storage.save(transcript, chunks, vectors, unit_vectors, self.embedder.name)
        return len(chunks)

    def chunk(self, transcript: Transcript) -> list[Chunk]:
        """Cut a cleaned transcript into chunks sized for this embedder."""
        embedder, s = self.embedder, self.settings.ingest
        return chunk_transcript(
            transcript.meta.video_id,
            transcript.snippets,
            transcript.meta.chapters,
            embedder.count_tokens,
            max_tokens=embedder.chunk_budget,
            target_tokens=s.chunk_target_tokens,
            overlap_tokens=s.chunk_overlap_tokens,
            params=f"{embedder.name}|{s.chunk_target_tokens}|{s.chunk_overlap_tokens}|{embedder.chunk_budget}",
        )


def _close_chapters(chapters: list[Chapter], duration_s: float) -> list[Chapter]:
    return [c if c.end_s is not None else replace(c, end_s=duration_s) for c in chapters]


# --- local transcription -------------------------------------------------------------------------------

def default_transcriber(settings: Settings) -> WhisperTranscriber:
    """The settings' Whisper model, caching transcripts under the data home."""
    from yt_transcript.ingest.transcribe import WhisperTranscriber

    return WhisperTranscriber(settings.ingest.whisper_model, transcript_cache_dir(settings))


def transcript_cache_dir(settings: Settings) -> Path:
    """Where local transcriptions are cached, by content hash: never transcribed twice."""
    return settings.home / "transcriptions"


def whisper_mode(options: IngestOptions, settings: Settings) -> str:
    """When to transcribe a YouTube video locally: this run's choice, else the setting."""
    mode = options.whisper or settings.ingest.whisper
    if mode not in WHISPER_MODES:
        raise errors.InvalidChoice("whisper mode", mode, list(WHISPER_MODES))
    return mode


def cached_media(source: Source, options: IngestOptions, transcriber: WhisperTranscriber) -> Transcript | None:
    """An audio or video file's transcript from the cache, with its metadata; None when it was never transcribed."""
    path = Path(source.value)
    result = transcriber.lookup_file(path, options.language)
    if result is None:
        return None
    meta, _ = _local_meta(path, options)
    _set_transcribed(meta, result)
    return Transcript(meta, result.snippets)


def _set_transcribed(meta: VideoMeta, result: Transcription) -> None:
    meta.language = result.language
    meta.caption_kind = result.caption_kind
    meta.translated_from = None
    meta.duration_s = meta.duration_s or round(result.duration_s, 3)


# --- local caption files ------------------------------------------------------------------

_LANG_SUFFIX = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def read_local(source: Source, options: IngestOptions) -> tuple[Transcript, str]:
    """Read a caption file plus its .info.json / .chapters.json sidecars."""
    path = Path(source.value)
    parsed = read_caption_file(path)
    meta, info = _local_meta(path, options)
    name_lang = _language_from_name(path)
    meta.language = parsed.language or name_lang or meta.language
    kind = parsed.kind
    if kind == "unknown" and (_lang_part(path) or "").lower().endswith("-auto"):
        kind = "auto"  # yt-dlp and our own exports name ASR tracks "<id>.<lang>-auto.<ext>"
    if kind == "unknown" and info and meta.language:
        # yt-dlp lists the uploader's tracks under "subtitles" and YouTube's ASR under "automatic_captions".
        if meta.language in (info.get("subtitles") or {}):
            kind = "manual"
        elif meta.language in (info.get("automatic_captions") or {}):
            kind = "auto"
    meta.caption_kind = kind
    detail = f"{path.suffix[1:]} file, {kind} captions" + (f", {meta.language}" if meta.language else "")
    if meta.chapter_source:
        detail += f", {len(meta.chapters)} chapters"
    return Transcript(meta, parsed.snippets), detail


def _sidecar_owner(path: Path) -> Path | None:
    """The caption file a yt-dlp .info.json or our .chapters.json belongs to, if one lies beside it."""
    for suffix in (".info.json", ".chapters.json"):
        if path.name.endswith(suffix):
            stem = path.name[: -len(suffix)]
            return next((p for p in sorted(path.parent.glob(f"{glob.escape(stem)}.*")) if p != path
                         and p.suffix.lower() in {".vtt", ".srt", ".json", ".txt", *MEDIA_SUFFIXES}
                         and not p.name.endswith((".info.json", ".chapters.json"))), None)
    return None


def _local_meta(path: Path, options: IngestOptions) -> tuple[VideoMeta, dict | None]:
    """A local file's metadata: its .info.json / .chapters.json sidecars, its name, and the user's overrides."""
    stems = _stems(path)
    info = _read_sidecar(path, stems, ".info.json")
    meta = meta_from_info(info, source=str(path)) if info else VideoMeta(video_id="", title="", source=str(path))
    if not meta.chapters:
        listed = _read_sidecar(path, stems, ".chapters.json")
        if isinstance(listed, list):
            meta.chapters = chapters_from_list(listed, meta.duration_s)
            meta.chapter_source = "file" if meta.chapters else None
    meta.video_id = options.video_id or meta.video_id or _video_id_from_name(stems)
    if not (is_video_id(meta.video_id) or re.fullmatch(r"[A-Za-z0-9_.:-]{3,64}", meta.video_id)):
        raise errors.InvalidSource(f"{meta.video_id!r}: a video id has 3-64 letters, digits, '-', '_', '.' or ':'")
    meta.title = options.title or meta.title or stems[-1].removesuffix("_transcript")
    meta.channel = options.channel or meta.channel
    return meta, info


def _stems(path: Path) -> list[str]:
    """'X.en-orig.vtt' -> ['X.en-orig', 'X']: yt-dlp names sidecars after the video, subtitles after video+lang."""
    name = path.name[: -len(path.suffix)]
    stems = [name]
    while "." in name:
        name = name.rsplit(".", 1)[0]
        stems.append(name)
    return stems


def _read_sidecar(path: Path, stems: list[str], suffix: str) -> dict | list | None:
    for stem in stems:
        candidate = path.with_name(stem + suffix)
        if candidate.is_file():
            try:
                return json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise errors.CaptionFileError(f"{candidate}: unreadable sidecar ({exc})") from exc
    return None


def _lang_part(path: Path) -> str | None:
    parts = path.name.split(".")
    return parts[-2] if len(parts) >= 3 else None


def _language_from_name(path: Path) -> str | None:
    code = _lang_part(path)
    if code is None:
        return None
    for tag in ("-orig", "-auto"):
        code = code.removesuffix(tag)
    return code if _LANG_SUFFIX.match(code) else None


def _video_id_from_name(stems: list[str]) -> str:
    base = stems[-1]
    # The original CLI saved "{id}_transcript.txt" and cached "{id}.json".
    for name in (base, base.removesuffix("_transcript")):
        if is_video_id(name):
            return name
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-")[:50] or "talk"
    return f"local-{slug}"
