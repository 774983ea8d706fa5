"""What `pip install` puts on a machine: one import package, yt_transcript, and the yt-transcript command."""

import subprocess
import sys
import zipfile

from .conftest import REPO


def test_wheel_holds_only_yt_transcript(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path)], check=True, capture_output=True, cwd=tmp_path)
    [wheel] = tmp_path.glob("yt_transcript_library-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"yt_transcript"}
    for sub in ("ingest", "rag", "ui"):
        assert f"yt_transcript/{sub}/__init__.py" in names
    assert "yt_transcript/ingest/samples/study-from-video-lectures.en.vtt" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "yt-transcript = yt_transcript.ui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
