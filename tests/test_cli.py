"""The command line as users call it, with the fake embedder and a fake yt-dlp."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from yt_transcript.ingest.models import NO_CLOSE_MATCH
from yt_transcript.ingest.youtube import YouTubeClient
from yt_transcript.ui.cli import cli

from .conftest import REPO, SAMPLE_VTT, FakeEmbedder, FakeYoutubeDL


@pytest.fixture
def run(tmp_path):
    embedder = FakeEmbedder()
    listing = {"https://www.youtube.com/@empty/videos": {"title": "Empty", "entries": []}}
    factories = {
        "embedder": lambda settings: embedder,
        "youtube": lambda settings: YouTubeClient(retries=0, ytdlp_factory=lambda o: FakeYoutubeDL(listing, o)),
    }
    home = tmp_path / "home"

    def invoke(*args):
        return CliRunner().invoke(cli, ["--home", str(home), *args], obj=dict(factories), catch_exceptions=False)

    invoke.home = home
    return invoke


def test_ingest_list_search_export_remove(run):
    result = run("ingest", str(SAMPLE_VTT))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok    yttSample01") and "chunks in" in result.stdout

    listed = json.loads(run("list", "--json").stdout)
    assert listed[0]["video_id"] == "yttSample01" and listed[0]["chunks"] > 0 and len(listed[0]["chapters"]) == 6
    assert "yttSample01  0:03:16  How to Study" in run("list").stdout
    assert "6 chapters;" in run("list").stdout

    hits = json.loads(run("search", "Ebbinghaus forgetting curve", "-k", "2", "--json").stdout)
    assert len(hits) == 2
    assert set(hits[0]) >= {"video_id", "title", "start", "end", "text", "score", "url"}
    assert hits[0]["url"] == f"https://www.youtube.com/watch?v=yttSample01&t={int(hits[0]['start'])}s"

    text = run("search", "Ebbinghaus forgetting curve", "--video", "yttSample01").stdout
    assert "[0:00:" in text and "https://www.youtube.com/watch?v=yttSample01&t=" in text
    text = text.removeprefix(NO_CLOSE_MATCH + "\n\n")  # the fake embedder's relevance means nothing
    shown = " ".join(text.split("\n\n")[0].split("\n")[2:]).split()  # the top hit's words, unwrapped
    match = hits[0]["match"].split()
    if shown[0] == "…":  # text before the matching sentence was cut
        shown = shown[1:]
    assert shown[:len(match)] == match  # shown from the sentence the link plays

    srt = run("export", "yttSample01", "--format", "srt").stdout
    assert srt.startswith("1\n00:00:00,000 --> ")

    assert "removed yttSample01" in run("remove", "yttSample01").stdout
    assert json.loads(run("list", "--json").stdout) == []


def test_search_says_when_nothing_matches_closely(run, monkeypatch):
    """Below the relevance `ask` needs to call something found, search says so before the nearest passages."""
    run("ingest", str(SAMPLE_VTT))
    best = max(hit["relevance"] for hit in json.loads(run("search", "sourdough bread", "--json").stdout))
    monkeypatch.setenv("YT_TRANSCRIPT_RELEVANCE_THRESHOLD", repr(best + 1e-4))  # just above the best: not found
    assert run("search", "sourdough bread").stdout.startswith(NO_CLOSE_MATCH + "\n\n1. ")
    monkeypatch.setenv("YT_TRANSCRIPT_RELEVANCE_THRESHOLD", repr(best - 1e-4))  # just below: found
    assert run("search", "sourdough bread").stdout.startswith("1. ")


def test_batch_reports_each_source_and_fails_overall(run, tmp_path):
    bad = tmp_path / "bad.srt"
    bad.write_text("")
    result = run("ingest", str(bad), str(SAMPLE_VTT), "not a video!", "@empty")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("FAIL") and "the file is empty" in lines[0]
    assert lines[1].startswith("ok    yttSample01")
    assert lines[2].startswith("FAIL  not a video!:") and "Pass a YouTube URL" in lines[2]
    assert lines[3].startswith("FAIL") and "no videos" in lines[3]


@pytest.mark.parametrize(
    "args, message",
    [
        (["remove", "zzzzzzzzzzz"], "Error: video 'zzzzzzzzzzz' is not in the library"),
        (["export", "zzzzzzzzzzz"], "is not in the library"),
        (["--chroma-url", "http://127.0.0.1:9", "ingest", str(SAMPLE_VTT)], "cannot open the vector store"),
    ],
)
def test_errors_are_one_line_without_traceback(run, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.stderr or message in result.stdout
    assert "Traceback" not in result.output


def test_search_unknown_video(run):
    run("ingest", str(SAMPLE_VTT))
    result = run("search", "memory", "--video", "zzzzzzzzzzz")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "not in the library" in result.stderr


def test_find_lists_every_place_a_word_is_said(run):
    run("ingest", str(SAMPLE_VTT))
    out = run("find", "yttSample01", "Ebbinghaus").stdout
    assert out.startswith("Said ") and "Ebbinghaus" in out.splitlines()[1]
    data = json.loads(run("find", "yttSample01", "ebbinghaus", "--json").stdout)
    assert data["said"] and all("ebbinghaus" in p["text"].lower() for p in data["said"])
    result = run("find", "zzzzzzzzzzz", "memory")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "not in the library" in result.stderr


@pytest.mark.parametrize("ref", ["https://www.youtube.com/watch?v=yttSample01&t=42s", "youtu.be/yttSample01",
                                 "yttSample01"])
def test_a_video_can_be_named_by_its_youtube_link(run, ref):
    run("ingest", str(SAMPLE_VTT))
    assert run("find", ref, "Ebbinghaus").stdout.startswith("Said ")
    assert "yttSample01" in run("search", "spacing", "--video", ref, "-k", "1").stdout


def test_a_name_that_is_no_link_stays_as_typed(run):
    run("ingest", str(SAMPLE_VTT))
    result = run("find", "my lecture notes", "memory")
    assert result.exit_code == 1 and "'my lecture notes' is not in the library" in result.stderr


def test_list_shows_detected_chapter_counts_once_worked_out(run, tmp_path):
    talk = tmp_path / "nochapters.en.vtt"
    cues = "".join(f"\n{i // 60:02d}:{i % 60:02d}.000 --> {(i + 5) // 60:02d}:{(i + 5) % 60:02d}.000\n"
                   f"{'Gravity pulls planets around the sun.' if i < 300 else 'Bread rises when yeast ferments sugar.'}\n"
                   for i in range(0, 600, 5))
    talk.write_text("WEBVTT\n" + cues)
    run("ingest", str(talk), "--video-id", "nochapters1")
    line = next(x for x in run("list").stdout.splitlines() if x.startswith("nochapters1"))
    assert "detected chapters" in line  # counted after ingest, said as detected


def test_search_empty_library(run):
    result = run("search", "anything")
    assert result.exit_code == 1 and "library is empty" in result.stderr


def test_export_as_written_keeps_the_caption_lines(run, tmp_path):
    vtt = tmp_path / "asr-talk.en.vtt"
    vtt.write_text("WEBVTT\n\n" + "".join(
        f"00:00:{3 * i:02d}.000 --> 00:00:{3 * i + 3:02d}.000\n{line}\n\n" for i, line in enumerate(
            ["okay so today we talk about memory uh", "and how we forget things over time",
             "so the forgetting curve was measured", "by hermann ebbinghaus on himself"])), encoding="utf-8")
    assert run("ingest", str(vtt), "--video-id", "asrtalk0001").exit_code == 0
    read = run("export", "asrtalk0001").stdout
    written = run("export", "asrtalk0001", "--as-written").stdout
    assert " uh" not in read and ". " in read  # sentences, the filler out
    assert "okay so today we talk about memory uh and how we forget" in written


def test_export_to_file(run, tmp_path):
    run("ingest", str(SAMPLE_VTT))
    out = tmp_path / "notes.md"
    assert run("export", "yttSample01", "--format", "md", "-o", str(out)).exit_code == 0
    assert out.read_text().startswith("# How to Study from Video Lectures")


def test_help_imports_nothing_heavy():
    code = ("import sys; from yt_transcript.ui.cli import cli; heavy = [m for m in ('chromadb', 'sentence_transformers', 'torch', "
            "'yt_dlp', 'youtube_transcript_api', 'pydantic_settings', 'faster_whisper', 'ctranslate2', 'av') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    help_text = subprocess.run([sys.executable, "-m", "yt_transcript.ui.cli", "--help"], capture_output=True, text=True).stdout
    assert "ingest" in help_text and "search" in help_text


@pytest.mark.skipif(os.name != "posix", reason="on POSIX the command becomes the server")
def test_stopping_ui_stops_the_study_room(tmp_path):
    """`yt-transcript ui` is the server's own process: stopping it leaves no server behind on the port."""
    import urllib.request

    from .conftest import _free_port, start_http_server

    port = _free_port()
    cli_path = str(Path(sys.executable).with_name("yt-transcript"))
    proc = start_http_server([cli_path, "--home", str(tmp_path / "home"), "ui", "--port", str(port)],
                             f"http://127.0.0.1:{port}/_stcore/health", tmp_path / "ui.log", 90,
                             env={**os.environ, "BROWSER": "true"})  # no browser window from a test
    proc.terminate()
    proc.wait(30)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read()


@pytest.mark.chroma_server
def test_end_to_end_against_a_chroma_server(run, chroma_server, monkeypatch):
    from yt_transcript.ingest import storage

    monkeypatch.setattr(storage, "_EXACT_MAX", 0)  # search through the server, as a library past 10k chunks does
    assert run("--chroma-url", chroma_server, "ingest", str(SAMPLE_VTT)).exit_code == 0
    hits = json.loads(run("--chroma-url", chroma_server, "search", "spacing and interleaving", "--json").stdout)
    assert hits and hits[0]["video_id"] == "yttSample01"
    assert run("--chroma-url", chroma_server, "remove", "yttSample01").exit_code == 0
    # The embedded store under the same home never saw these vectors.
    assert json.loads(run("list", "--json").stdout) == []


def test_eval_retrieval_command(run, tmp_path):
    run("ingest", str(SAMPLE_VTT))
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "s1", "question": "Who measured how fast we forget nonsense syllables?",
                    "video_id": "yttSample01", "gold": [[36, 50]], "extra": 1}) + "\n"
        + json.dumps({"id": "s2", "question": "Why should you mix topics in one session?",
                      "video_id": "yttSample01", "gold": [[136, 162]]}) + "\n")
    report = json.loads(run("eval", "retrieval", "--questions", str(questions), "--json").stdout)
    assert report["n"] == 2 and set(report) == {"n", "hit@1", "hit@5", "mrr@10", "misses"}
    text = run("eval", "retrieval", "--questions", str(questions), "--video", "yttSample01").stdout
    assert text.strip().splitlines()[-1].startswith("n=2  hit@1=")
    bad = run("eval", "retrieval", "--questions", str(questions), "--video", "zzzzzzzzzzz")
    assert bad.exit_code == 1 and "not in the library" in bad.stderr


def test_ask_offline_quotes_with_sources(run):
    run("ingest", str(SAMPLE_VTT))
    result = run("ask", "Who measured how fast we forget nonsense syllables?")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Quotes from the video")
    assert "Sources:" in result.stdout and "https://www.youtube.com/watch?v=yttSample01&t=" in result.stdout
    data = json.loads(run("ask", "Who measured how fast we forget nonsense syllables?", "--json").stdout)
    assert data["model"] == "extractive" and data["citations"][0]["url"].startswith("https://www.youtube.com/")


def test_ask_with_a_model_streams_and_flags_ungrounded(tmp_path):
    from .conftest import make_fake_chat_model

    home = tmp_path / "home"
    embedder = FakeEmbedder()
    obj = {"embedder": lambda s: embedder}
    CliRunner().invoke(cli, ["--home", str(home), "ingest", str(SAMPLE_VTT)], obj=dict(obj))
    llm = make_fake_chat_model("Nobody knows [S99].")
    obj["llm"] = lambda s: llm
    result = CliRunner().invoke(cli, ["--home", str(home), "ask", "Who measured forgetting of nonsense syllables?"],
                                obj=obj)
    assert result.exit_code == 0
    assert result.stdout.startswith("Nobody knows [S99].")  # streamed as written
    assert "not grounded" in result.stderr and "S99" in result.stderr


def test_chat_session_reads_turns_until_eof(run):
    run("ingest", str(SAMPLE_VTT))
    result = CliRunner().invoke(cli, ["--home", str(run.home), "chat"],
                                input="What is interleaving?\nwhy?\n/new\nhow do they fix it?\n",
                                obj={"embedder": lambda s: FakeEmbedder()})
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Quotes from the video") == 3
    assert "(searched for: What is interleaving? why?; a new topic? type /new, then ask it again)" in result.stdout
    assert "(a new topic: the next question is read on its own)" in result.stdout
    assert result.stdout.count("(searched for:") == 1  # after /new, "how do they fix it?" borrowed nothing


def test_summarize_command(run):
    run("ingest", str(SAMPLE_VTT))
    md = run("summarize", "yttSample01").stdout
    assert md.startswith("# How to Study from Video Lectures") and "(https://www.youtube.com/watch?v=yttSample01&t=" in md
    data = json.loads(run("summarize", "yttSample01", "--format", "json", "--chapters", "auto").stdout)
    assert data["chapter_source"] == "auto" and data["chapters"]
    bad = run("summarize", "zzzzzzzzzzz")
    assert bad.exit_code == 1 and "not in the library" in bad.stderr


def test_eval_chapters_command(run, tmp_path):
    from .test_evaluate import _manifest

    result = run("eval", "chapters", "--corpus", str(_manifest(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "mean, all videos (n=2)" in result.stdout and "texttiling (true count)" in result.stdout
    data = json.loads(run("eval", "chapters", "--corpus", str(_manifest(tmp_path)), "--json").stdout)
    assert data["n"] == 2 and len(data["videos"]) == 2


# --- the error cases a user meets, each one line with a non-zero exit -----------------------------------

def _one_line(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors_out = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors_out) == 1 and errors_out[0].startswith("Error: ") and message in errors_out[0], result.stderr


@pytest.fixture
def read_only(tmp_path):
    """A read-only bind mount of a folder (root can write anywhere else, so chmod would prove nothing)."""
    source, view = tmp_path / "rw", tmp_path / "ro"
    source.mkdir()
    view.mkdir()
    made = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {made.stderr.decode().strip()}")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield source, view
    finally:
        subprocess.run(["umount", "-l", str(view)], capture_output=True)  # lazy: open handles may remain


def test_read_only_home_still_lists_searches_and_exports(run, read_only):
    source, view = read_only
    home = source / "home"
    assert run("--home", str(home), "ingest", str(SAMPLE_VTT)).exit_code == 0
    ro = ["--home", str(view / "home")]
    assert "yttSample01" in run(*ro, "list").stdout
    assert json.loads(run(*ro, "search", "forgetting curve", "--json").stdout)
    assert run(*ro, "export", "yttSample01").stdout.startswith("How to Study")
    assert run(*ro, "summarize", "yttSample01").exit_code == 0  # nothing is cached, nothing is lost
    _one_line(run(*ro, "remove", "yttSample01"), "is read-only")
    _one_line(run(*ro, "ingest", str(SAMPLE_VTT)), "is read-only")


def test_home_that_cannot_be_used(run, read_only, tmp_path, monkeypatch):
    afile = tmp_path / "a-file"
    afile.write_text("")
    monkeypatch.setenv("YT_TRANSCRIPT_HOME", str(afile))
    result = CliRunner().invoke(cli, ["list"], obj={"embedder": lambda s: FakeEmbedder()})
    _one_line(result, "it is a file, not a folder")
    _, view = read_only
    under = ["--home", str(view / "new" / "home")]
    assert "The library is empty" in run(*under, "list").stdout  # nothing to show, and nothing was created
    _one_line(run(*under, "ingest", str(SAMPLE_VTT)), "cannot create it")


def test_export_to_a_missing_or_read_only_folder(run, read_only, tmp_path):
    run("ingest", str(SAMPLE_VTT))
    _one_line(run("export", "yttSample01", "-o", str(tmp_path / "missing" / "t.txt")), "no folder")
    _one_line(run("export", "yttSample01", "-o", str(read_only[1] / "t.txt")), "cannot write")


@pytest.mark.parametrize("args, message", [
    (["ask", ""], "the question is empty"),
    (["search", "  "], "the search is empty"),
    (["summarize", "yttSample01", "--model", "anthropic:claude"], "unsupported model"),
    (["ask", "Who measured how fast we forget nonsense syllables?", "--model", "openai:m", "--base-url",
      "http://127.0.0.1:9/v1"], "YT_TRANSCRIPT_BASE_URL"),
    (["summarize", "yttSample01", "--model", "openai:m", "--base-url", "http://127.0.0.1:9/v1"],
     "cannot reach the model server"),
])
def test_input_and_model_errors(run, args, message):
    run("ingest", str(SAMPLE_VTT))
    result = run(*args)
    _one_line(result, message)
    assert "ask answers" not in result.stderr  # summarize's advice is not ask's


def test_bad_setting_in_the_environment(run, monkeypatch):
    monkeypatch.setenv("YT_TRANSCRIPT_ASK_PASSAGES", "lots")
    _one_line(run("list"), "setting ask_passages")


def test_offline_listing_prints_only_our_line(tmp_path):
    """yt-dlp's own ERROR lines never reach the terminal: one FAIL line of ours per source."""
    from yt_transcript.ingest.youtube import YouTubeClient

    obj = {"embedder": lambda s: FakeEmbedder(), "youtube": lambda s: YouTubeClient(retries=0)}
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "h"), "ingest", "@nobody-offline-test"], obj=obj)
    assert result.exit_code == 1
    assert "ERROR" not in result.output
    assert result.output.strip().splitlines() == [result.stdout.strip()] and result.stdout.startswith("FAIL  @nobody")


@pytest.mark.slow
def test_readme_demo_prints_what_the_readme_shows(tmp_path):
    """The README's first command, run for real (real model, ONNX search): its output is the README's."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("What the demo prints", 1)[1].split("```\n", 2)[1].rstrip("\n")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("YT_TRANSCRIPT_")},
           "YT_TRANSCRIPT_HOME": str(tmp_path / "demo")}
    command = [sys.executable, "-m", "yt_transcript.ui.cli"]
    ingested = subprocess.run([*command, "ingest", "ingest/samples/study-from-video-lectures.en.vtt"], cwd=REPO,
                              env=env, capture_output=True, text=True, timeout=300)
    found = subprocess.run([*command, "search", "why is spacing better than cramming", "-k", "2"], cwd=REPO,
                           env=env, capture_output=True, text=True, timeout=300)
    printed = (ingested.stdout + found.stdout).rstrip("\n")
    seconds = re.compile(r"in \d+\.\d s")
    assert seconds.sub("in N s", printed) == seconds.sub("in N s", shown)


# --- study aids: Anki decks and Obsidian notes ---------------------------------------------------------

def test_study_prints_cards_and_writes_an_anki_deck(run, tmp_path):
    import zipfile

    run("ingest", str(SAMPLE_VTT))
    shown = run("study", "yttSample01")
    assert shown.exit_code == 0, shown.output
    first = shown.stdout.split("\n\n")[0].splitlines()
    assert re.fullmatch(r"1\. Why lectures slip away  \[0:00:\d\d\]", first[0])
    assert first[1].startswith("   Q: ") and "_____" in first[1] and first[2].startswith("   A: ")
    assert first[3] == f"   https://www.youtube.com/watch?v=yttSample01&t={int(first[0][-3:-1])}s"

    deck = tmp_path / "talk.apkg"
    written = run("study", "yttSample01", "--anki", str(deck), "--json")
    assert written.exit_code == 0, written.output
    cards = json.loads(written.stdout)
    assert cards and set(cards[0]) == {"chapter", "question", "answer", "start_s", "kind"}
    assert written.stderr.startswith(f"wrote {deck}: {len(cards)} cards")
    with zipfile.ZipFile(deck) as apkg:
        assert "collection.anki2" in apkg.namelist()
    _one_line(run("study", "yttSample01", "--anki", str(tmp_path / "missing" / "t.apkg")), "no folder")
    _one_line(run("study", "nosuchvideo"), "is not in the library")


def test_export_obsidian_lists_questions_asked_about_the_video(run, tmp_path):
    run("ingest", str(SAMPLE_VTT))
    assert run("ask", "Who measured how fast we forget nonsense syllables?", "--video", "yttSample01").exit_code == 0
    out = tmp_path / "talk.md"
    assert run("export", "yttSample01", "--format", "obsidian", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "How to Study from Video Lectures (yt-transcript sample talk)"\n')
    assert "### [Why lectures slip away (0:00:00)](https://youtu.be/yttSample01?t=0)" in text
    assert "## Questions\n\n### Who measured how fast we forget nonsense syllables?\n" in text


def test_a_read_only_home_answers_but_keeps_nothing(run, read_only):
    source, view = read_only
    home = source / "home"
    assert run("--home", str(home), "ingest", str(SAMPLE_VTT)).exit_code == 0
    asked = run("--home", str(view / "home"), "ask", "Who measured how fast we forget nonsense syllables?",
                "--video", "yttSample01")
    assert asked.exit_code == 0 and "Ebbinghaus" in asked.stdout
    exported = run("--home", str(view / "home"), "export", "yttSample01", "--format", "obsidian")
    assert exported.exit_code == 0 and "## Chapters" in exported.stdout and "## Questions" not in exported.stdout


def test_sidecars_are_skipped_not_failures(run):
    """`ingest folder/*` picks up the .info.json beside a caption file: it is read with it, not a failure."""
    info = SAMPLE_VTT.with_name("study-from-video-lectures.info.json")
    result = run("ingest", str(info), str(SAMPLE_VTT))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"skip  {info}: read with {SAMPLE_VTT.name}" and lines[1].startswith("ok    yttSample01")


@pytest.mark.parametrize("typo, meant", [("lsit", "list"), ("serch", "search"), ("summarise", "summarize"),
                                         ("cards", "'study'"), ("flashcards", "'study'"), ("transcripts", "'get'"),
                                         ("summary", "'summarize'")])
def test_a_mistyped_command_is_not_read_as_a_source(run, typo, meant):
    result = run(typo, "7xTGNNLPyMI")  # a word for what a command does, before a source: named, never fetched
    assert result.exit_code == 2 and "No such command" in result.output and meant in result.output


def test_a_word_that_is_no_command_lists_the_commands(run):
    result = run("hello", "7xTGNNLPyMI")  # never fetched as a source, never "get"'s usage
    assert result.exit_code == 2 and "No such command 'hello'. Commands: ask, chat," in result.output
    assert "get [OPTIONS] SOURCE" not in result.output


def test_questions_and_queries_need_no_quotes(run):
    assert run("ingest", str(SAMPLE_VTT)).exit_code == 0
    quoted = run("ask", "Who measured how fast we forget nonsense syllables?", "--json")
    bare = run("ask", "Who", "measured", "how", "fast", "we", "forget", "nonsense", "syllables?", "--json")
    assert quoted.exit_code == bare.exit_code == 0 and json.loads(quoted.stdout) == json.loads(bare.stdout)
    assert run("search", "forgetting", "curve", "-k", "1").stdout == run("search", "forgetting curve", "-k", "1").stdout
    assert run("find", "yttSample01", "nonsense", "syllables").stdout.startswith("Said ")


def test_a_mistyped_video_id_is_told_the_nearest_one(run):
    assert run("ingest", str(SAMPLE_VTT)).exit_code == 0
    for command in (["summarize", "yttSample0"], ["search", "memory", "--video", "yttsample01"]):
        result = run(*command)
        assert result.exit_code == 1 and "Did you mean yttSample01?" in result.output
        assert len(result.output.strip().splitlines()) == 1  # one line
