"""The original CLI's contract: `yt-transcript SOURCE [--summarize] [--markdown] ...`, tested against its own files."""

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from yt_transcript.ingest.models import Snippet
from yt_transcript.ingest.youtube import FetchedTrack
from yt_transcript.ui.cli import cli

from .conftest import SAMPLE_VTT, SHARED, FakeEmbedder

EXAMPLES = SHARED / "seed-cli-examples"
needs_examples = pytest.mark.skipif(not (EXAMPLES / "f0RbwrBcFmc_transcript.txt").is_file(),
                                    reason=f"the original CLI's example files are not at {EXAMPLES}")
# The original's section heading: ### [title](https://youtube.com/watch?v=ID&t=SECONDS) (h:mm:ss)
HEADING = re.compile(r"^### \[[^\]]+\]\(https://youtube\.com/watch\?v=([\w-]{11})&t=(\d+)\) \((\d+:\d\d:\d\d)\)$")


class CountingYouTube:
    """Answers for one video and counts the calls, so a test can see when the network would be used."""

    def __init__(self):
        self.calls = 0

    def fetch_transcript(self, video_id, languages, translate=None):
        self.calls += 1
        lines = ["spacing beats cramming for long term memory", "because forgetting follows a curve"]
        return FetchedTrack([Snippet(t, i * 4.0, i * 4.0 + 4) for i, t in enumerate(lines)], "en", "English", False)

    def fetch_info(self, video_id):
        self.calls += 1
        return {"id": video_id, "title": "Study talk", "channel": "Teacher", "duration": 8}


@pytest.fixture
def one(tmp_path, monkeypatch):
    """Run the CLI in a scratch folder, as the original's users do."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    youtube = CountingYouTube()
    factories = {"embedder": lambda s: FakeEmbedder(), "youtube": lambda s: youtube}

    def invoke(*args):
        return CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), *args], obj=dict(factories))

    invoke.work, invoke.youtube = work, youtube
    return invoke


@needs_examples
def test_transcript_file_prints_and_saves_the_same_lines(one, tmp_path):
    source = tmp_path / "in" / "f0RbwrBcFmc_transcript.txt"
    source.parent.mkdir()
    shutil.copy(EXAMPLES / "f0RbwrBcFmc_transcript.txt", source)
    original = source.read_text(encoding="utf-8")
    result = one(str(source))
    assert result.exit_code == 0, result.output
    assert result.stdout == original  # every "[12.3s] text" line, as the original printed it
    assert (one.work / "f0RbwrBcFmc_transcript.txt").read_text(encoding="utf-8") == original


@needs_examples
def test_summarize_markdown_writes_the_original_layout(one, tmp_path):
    shutil.copy(EXAMPLES / "f0RbwrBcFmc_transcript.txt", one.work / "f0RbwrBcFmc_transcript.txt")
    result = one("f0RbwrBcFmc_transcript.txt", "--summarize", "--markdown")
    assert result.exit_code == 0, result.output
    ours = (one.work / "f0RbwrBcFmc_summary.md").read_text(encoding="utf-8")
    assert result.stdout == ours
    theirs = (EXAMPLES / "f0RbwrBcFmc_summary.md").read_text(encoding="utf-8")
    for text in (theirs, ours):  # the same skeleton in both files
        lines = text.splitlines()
        assert lines[0].startswith("# ") and "Video: https://youtube.com/watch?v=f0RbwrBcFmc" in lines
        assert "## Summary" in lines
    headings = [HEADING.match(line) for line in ours.splitlines() if line.startswith("### ")]
    assert len(headings) >= 2 and all(headings)
    for match in headings:
        h, m, s = map(int, match.group(3).split(":"))
        assert match.group(1) == "f0RbwrBcFmc" and int(match.group(2)) == h * 3600 + m * 60 + s
    # A paragraph under each heading.
    sections = re.split(r"^### .*$", ours, flags=re.M)[1:]
    assert all(len(section.split()) >= 8 for section in sections)


def test_a_second_run_reads_the_library_and_no_cache_fetches_again(one):
    first = one("dQw4w9WgXcQ")
    assert first.exit_code == 0, first.output
    assert first.stdout == "[0.0s] spacing beats cramming for long term memory\n[4.0s] because forgetting follows a curve\n"
    calls = one.youtube.calls
    assert one("https://youtu.be/dQw4w9WgXcQ", "--no-save-transcript").stdout == first.stdout
    assert one.youtube.calls == calls  # no network the second time
    assert one("dQw4w9WgXcQ", "--no-cache").exit_code == 0 and one.youtube.calls > calls
    listed = json.loads(one("list", "--json").stdout)  # it is in the library, for search and the app
    assert [v["video_id"] for v in listed] == ["dQw4w9WgXcQ"] and listed[0]["title"] == "Study talk"


def test_flags_summarize_chapters_output_and_transcript_file(one):
    result = one(str(SAMPLE_VTT), "--chapters", "--transcript-file", "talk.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ["0:00:00 Why lectures slip away", "0:00:36 The forgetting curve"]
    assert (one.work / "talk.txt").read_text().startswith("[0.0s] Hello and welcome.")
    assert not (one.work / "yttSample01_transcript.txt").exists()
    text = one(str(SAMPLE_VTT), "--summarize", "--no-save-transcript")
    assert text.stdout.startswith("How to Study from Video Lectures") and "The forgetting curve (0:00:36)" in text.stdout
    one(str(SAMPLE_VTT), "--summarize", "-o", "notes.md")
    assert (one.work / "notes.md").read_text().startswith("# How to Study from Video Lectures")


def test_original_cache_files_and_commands_still_work(one):
    cache = one.work / "dQw4w9WgXcQ.json"  # ~/.yt-transcript-cache/{id}.json: youtube-transcript-api JSON
    cache.write_text(json.dumps([{"text": "hello from the cache", "start": 1.5, "duration": 2.0}]))
    assert one("ingest", str(cache)).stdout.startswith("ok    dQw4w9WgXcQ")
    assert one("--home", str(one.work / "other"), "list").stdout.startswith("The library is empty")
    assert "Usage" in CliRunner().invoke(cli, ["--help"]).output


@pytest.mark.parametrize("args, message", [
    (["missing_transcript.txt"], "no such caption file"),
    (["https://www.youtube.com/@somebody"], "holds many videos"),
])
def test_bad_sources_are_one_line(one, args, message):
    result = one(*args)
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_bad_transcript_file_names_the_line(one):
    (one.work / "x_transcript.txt").write_text("[1.0s] fine\nnot a caption line\n")
    result = one("x_transcript.txt")
    assert result.exit_code == 1 and "line 2: expected '[12.3s] text'" in result.stderr
