"""Two processes on one library: the app keeps reading while the CLI ingests (SQLite WAL + Chroma)."""

import subprocess
import sys
import textwrap

from yt_transcript import Library

from .conftest import REPO, SAMPLE_VTT

INGEST = textwrap.dedent("""
    import sys
    from pathlib import Path
    from yt_transcript import Library
    from tests.conftest import FakeEmbedder
    library = Library.open(Path(sys.argv[1]), embedder=FakeEmbedder())
    [outcome] = library.ingest(sys.argv[2], video_id=sys.argv[3], title="Second copy")
    sys.exit(0 if outcome.ok else 1)
""")


def test_reader_sees_another_process_ingest(sample_library, fake_embedder, settings):
    reader = sample_library  # as the app holds it: opened once, kept open
    before = reader.search("Ebbinghaus nonsense syllables", k=10)
    assert before and {h.video_id for h in before} == {"yttSample01"}
    done = subprocess.run([sys.executable, "-c", INGEST, str(settings.home), str(SAMPLE_VTT), "secondCopy1"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # The reader's catalog sees the new video at once, and its words are searchable without a restart.
    assert "secondCopy1" in {r.meta.video_id for r in reader.videos()}
    after = reader.search("Ebbinghaus nonsense syllables", k=10)
    assert "secondCopy1" in {h.video_id for h in after}
    assert reader.search("Ebbinghaus", videos=["secondCopy1"], k=3)
    # And a fresh process sees both, intact.
    fresh = Library(settings)
    assert {r.meta.video_id for r in fresh.videos()} == {"yttSample01", "secondCopy1"}
