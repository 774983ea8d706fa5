"""Ingest a SOURCE end to end: resolve it to videos, get each transcript, clean, chunk, embed, store."""

from __future__ import annotations

import glob
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from yt_transcript.ingest import errors
from yt_transcript.ingest.captions import read_caption_file
from yt_transcript.ingest.chunking import chunk_transcript
from yt_transcript.ingest.cleaning import clean_snippets
from yt_transcript.ingest.embedding import Embedder, export_query_model
from yt_transcript.ingest.metadata import chapters_from_list, meta_from_info
from yt_transcript.ingest.models import Chapter, Chunk, IngestResult, SourceResult, Transcript, VideoMeta
from yt_transcript.ingest.settings import Settings
from yt_transcript.ingest.sources import Source, is_video_id, parse_source
from yt_transcript.ingest.storage import Storage
from yt_transcript.ingest.timecodes import watch_url
from yt_transcript.ingest.youtube import YouTubeClient

Progress = Callable[[str, int, int], None]  # (stage label, done, total)


@dataclass
class IngestOptions:
    """Per-run choices."""

    languages: list[str] | None = None  # None: the settings' language priority
    translate: str | None = None
    limit: int | None = None  # newest videos taken from a channel or playlist
    video_id: str | None = None  # local files only
    title: str | None = None  # local files only
    channel: str | None = None  # local files only


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
    ):
        self.settings = settings
        self.storage = storage
        self._embedder_factory = embedder  # called only when something reaches the embedding stage
        self._embedder: Embedder | None = None
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
                self.storage.remember_listing(source.value, source.kind, result.label)
            except errors.YtTranscriptError as exc:
                result.error = exc
                result.seconds = time.perf_counter() - started
                return result
            for video_id in video_ids:
                result.results.append(self._one(video_id, lambda v=video_id: self.fetch_youtube(v, options)))
        elif source.kind == "video":
            result.results.append(self._one(source.value, lambda: self.fetch_youtube(source.value, options)))
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

    def _one(self, label: str, fetch: Callable[[], tuple[Transcript, str]]) -> IngestResult:
        started = time.perf_counter()
        try:
            transcript, detail = fetch()
            chunks = self.index(transcript)
        except errors.YtTranscriptError as exc:
            outcome = IngestResult(label, False, detail=str(exc), error=exc)
        else:
            outcome = IngestResult(transcript.meta.video_id, True, transcript.meta.title, chunks, detail=detail)
        outcome.seconds = time.perf_counter() - started
        self.on_result(outcome)
        return outcome

    def fetch_youtube(self, video_id: str, options: IngestOptions, info: dict | None = None) -> tuple[Transcript, str]:
        """Fetch a video's transcript and metadata (unless `info` already holds it) from YouTube."""
        if options.languages is None:
            options = replace(options, languages=self.settings.ingest.language_list)
        track = self.youtube.fetch_transcript(video_id, options.languages, options.translate)
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


# --- local caption files ------------------------------------------------------------------

_LANG_SUFFIX = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def read_local(source: Source, options: IngestOptions) -> tuple[Transcript, str]:
    """Read a caption file plus its .info.json / .chapters.json sidecars."""
    path = Path(source.value)
    parsed = read_caption_file(path)
    stems = _stems(path)
    info = _read_sidecar(path, stems, ".info.json")
    meta = meta_from_info(info, source=str(path)) if info else VideoMeta(video_id="", title="", source=str(path))
    if not meta.chapters:
        listed = _read_sidecar(path, stems, ".chapters.json")
        if isinstance(listed, list):
            meta.chapters = chapters_from_list(listed, meta.duration_s)
            meta.chapter_source = "file" if meta.chapters else None
    name_lang = _language_from_name(path)
    meta.video_id = options.video_id or meta.video_id or _video_id_from_name(stems)
    if not (is_video_id(meta.video_id) or re.fullmatch(r"[A-Za-z0-9_.:-]{3,64}", meta.video_id)):
        raise errors.InvalidSource(f"{meta.video_id!r}: a video id has 3-64 letters, digits, '-', '_', '.' or ':'")
    meta.title = options.title or meta.title or stems[-1].removesuffix("_transcript")
    meta.channel = options.channel or meta.channel
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
                         and p.suffix.lower() in {".vtt", ".srt", ".json", ".txt"}
                         and not p.name.endswith((".info.json", ".chapters.json"))), None)
    return None


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
