"""Ingest benchmark: end-to-end ingest of the 3.5 h Deep Dive VTT against pure model.encode of the same chunks.

Run: python tests/benchmarks/bench_ingest.py  (needs ../shared/data). Prints numbers; asserts nothing.
Target: ingest / pure-embedding <= 1.3. Also times `yt-transcript --help` in a fresh process (target < 0.5 s),
and the peak memory of `yt-transcript ingest` of the same lecture in a fresh process, model included (target
<= 600 MB), twice: into a new home, and into a home that already holds the model's ONNX export (every ingest
after a home's first one).

History (2026-11-29): 1,047 MB with vectors held as Python lists, 983-1,011 MB as float32 arrays; of that,
loading the model with torch takes ~577 MB, embedding the 573 passages adds ~290 MB whatever the batch size
(16, 32 or 64), and the one-time ONNX export of the query model ~125 MB. Since then, ingest runs on the ONNX
export when the home has one (no torch): 578 MB.
2026-11-30: a home's first ingest makes the export in a child process (export_in_child) and then runs on ONNX
too, so the ingesting process never loads torch (585 MB). The peak printed is the largest process of the tree
(wait4 reports the largest descendant): in a new home that is the export child, 885 MB (was 1,022 MB in one
process). The child's share: importing sentence-transformers 494 MB (torch alone 224 MB), its model 567 MB,
the export ~340 MB more. Exporting from transformers' AutoModel without sentence-transformers peaked at 776 MB,
still over 600, so it was not kept.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import SHARED  # noqa: E402

DEEP_DIVE = SHARED / "transcripts/karpathy-deep-dive/7xTGNNLPyMI.en-orig.vtt"


def peak_memory_mb(exported: bool) -> float:
    """Peak resident memory of a whole `yt-transcript ingest` of the lecture, in its own process (the largest of
    it and its children: a new home's ONNX export runs in one); `exported`: into a home where another ingest
    (the sample talk) already left the ONNX export."""
    import os

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "YT_TRANSCRIPT_HOME": home}
        cli = [sys.executable, "-m", "yt_transcript.ui.cli", "ingest"]
        if exported:
            subprocess.run(cli + [str(REPO / "ingest/samples/study-from-video-lectures.en.vtt")], env=env, check=True,
                           capture_output=True)
        proc = subprocess.Popen(cli + [str(DEEP_DIVE)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        assert status == 0, "ingest failed"
    return usage.ru_maxrss / 1024  # Linux reports kB


def time_ingest(name: str, embedder, home: Path) -> None:
    """End-to-end ingest of the lecture with this embedder, against embedding its chunks alone."""
    from yt_transcript.ingest.pipeline import IngestOptions, Ingestor
    from yt_transcript.ingest.settings import Settings
    from yt_transcript.ingest.storage import Storage

    settings = Settings(home=home)
    storage = Storage(settings)
    storage.vectors(embedder.name)  # open the store up front, as a long-running ingest would
    # The pipeline itself, not Library.ingest: the clock covers ingesting only, and chunk() is re-run below.
    ingestor = Ingestor(settings, storage, lambda: embedder)
    t0 = time.perf_counter()
    result = ingestor.ingest(str(DEEP_DIVE), IngestOptions())
    ingest_s = time.perf_counter() - t0
    assert result.ok, result.results[0].detail
    chunks = result.results[0].chunks
    # Re-cut the same chunks (chunking is deterministic: the generation id proves it).
    transcript = storage.transcript(result.results[0].video_id)
    again = ingestor.chunk(transcript)
    assert len(again) == chunks and again[0].generation == storage.get(transcript.meta.video_id).generation
    texts = [c.text for c in again]
    t0 = time.perf_counter()
    embedder.embed(texts, batch_size=settings.ingest.embed_batch_size)
    encode_s = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    print(f"{name}: {chunks} chunks ({words / chunks:.0f} words each); end-to-end ingest {ingest_s:.1f} s, "
          f"embedding the same chunks alone {encode_s:.1f} s, ratio {ingest_s / encode_s:.2f} (target <= 1.3)",
          flush=True)
    storage.close()


def main() -> None:
    if not DEEP_DIVE.is_file():
        sys.exit(f"needs {DEEP_DIVE}")
    for exported, where in ((False, "a new home"), (True, "a home with the ONNX export")):
        print(f"peak memory of `yt-transcript ingest` (3.5 h lecture, fresh process, {where}): "
              f"{peak_memory_mb(exported):.0f} MB (target <= 600 MB)", flush=True)
    from yt_transcript.ingest.embedding import SentenceTransformerEmbedder, export_onnx, load_fast_embedder, onnx_path_for

    t0 = time.perf_counter()
    full = SentenceTransformerEmbedder()
    full.embed_query("warm up")
    print(f"model load (excluded below): {time.perf_counter() - t0:.1f} s")

    with tempfile.TemporaryDirectory() as home:
        export_onnx(full, onnx_path_for(Path(home), full.model))
        fast = load_fast_embedder(full.model, Path(home))  # what ingest runs on once a home has the export
        for name, embedder in (("onnx (a home's later ingests)", fast), ("torch (a model ONNX cannot export)", full)):
            time_ingest(name, embedder, Path(home) / name.split()[0])
    cmd = [str(Path(sys.executable).with_name("yt-transcript")), "--help"]
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    print(f"yt-transcript --help: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          "(target < 500 ms)")


if __name__ == "__main__":
    main()
