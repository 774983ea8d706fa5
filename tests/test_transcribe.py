"""Local transcription: audio and video files, and YouTube videos without a transcript, through the real tiny.en
model on speech espeak-ng makes during the test (skipped with a reason when espeak-ng or the whisper extra is
absent; .ci/run installs both)."""

from __future__ import annotations

import copy
import html
import http.server
import json
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest
import responses
from click.testing import CliRunner

from yt_transcript import Library, Settings
from yt_transcript.ingest import errors, transcribe
from yt_transcript.ingest.models import Snippet
from yt_transcript.ingest.sources import MEDIA_SUFFIXES, parse_source
from yt_transcript.ingest.transcribe import Word, WhisperTranscriber, words_to_snippets, write_json_atomic
from yt_transcript.ingest.youtube import YouTubeClient
from yt_transcript.ui.cli import cli

from .conftest import SHARED, YTA_ASSETS, FakeEmbedder, needs_shared
from .speech import build_clip, encode_audio, needs_av, needs_espeak, needs_whisper, silent_video, write_wav

LINES = [
    ("Spacing means spreading your study sessions out over several days.", "en-us", 160),
    ("Interleaving means mixing different topics inside one session.", "en-gb", 185),
    ("Both of them feel slower while you do them.", "en-us", 145),
]
GAPS = [2.5, 2.5]


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """Three sentences by two voices at three speeds, 2.5 s apart, with their true start times."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng; .ci/run installs it)")
    return build_clip(tmp_path_factory.mktemp("speech") / "study-tips.wav", LINES, GAPS)


@pytest.fixture
def lib(tmp_path):
    library = Library(Settings(home=tmp_path / "home", retries=0, backoff_s=0.0), embedder=FakeEmbedder(),
                      youtube=YouTubeClient(retries=0))
    yield library
    library.close()


def words(*spec: tuple[str, float, float]) -> list[Word]:
    return [Word(text, start, end) for text, start, end in spec]


# --- snippets, sources, settings, the cache: no model needed -----------------------------------------------

def test_snippets_close_at_sentence_ends_and_pauses_not_at_short_gaps():
    got = words_to_snippets(words(
        (" Spacing", 1.0, 1.4), (" works.", 1.4, 1.9),  # a sentence end
        (" Then", 2.1, 2.3), (" we", 2.3, 2.4), (" wait", 2.5, 2.8),  # a short gap (0.1 s) is not a pause
        (" and", 3.9, 4.0), (" rest", 4.0, 4.4),  # 1.1 s pause before "and": a new line
    ))
    assert got == [Snippet("Spacing works.", 1.0, 1.9), Snippet("Then we wait", 2.1, 2.8),
                   Snippet("and rest", 3.9, 4.4)]


def test_long_runs_close_at_a_clause_end_past_the_soft_limit_and_anywhere_at_the_hard_one():
    run = [Word(f" w{i}", i * 0.5, i * 0.5 + 0.4) for i in range(60)]  # 30 s of words, no punctuation
    run[30] = Word(" w30,", 15.0, 15.4)  # a comma past the soft limits
    got = words_to_snippets(run)
    assert got[0].text.endswith("w30,") and got[0].start_s == 0.0
    assert all(s.end_s - s.start_s <= transcribe.HARD_MAX_S + 0.5 for s in got)
    assert all(len(s.text.split()) <= transcribe.HARD_MAX_WORDS for s in got)
    assert " ".join(s.text for s in got).split() == [w.text.strip() for w in run]  # nothing lost or repeated


@pytest.mark.parametrize("suffix", MEDIA_SUFFIXES)
def test_audio_and_video_files_are_media_sources(tmp_path, suffix):
    path = tmp_path / f"talk{suffix.upper()}"
    path.write_bytes(b"x")
    assert parse_source(str(path)).kind == "media"
    with pytest.raises(errors.InvalidSource, match="no such audio or video file"):
        parse_source(str(tmp_path / f"missing{suffix}"))


def test_whisper_setting_takes_three_modes(tmp_path, lib):
    assert Settings.load(home=tmp_path).ingest.whisper == "never"  # without asking, no download happens
    assert Settings.load(home=tmp_path, whisper="always").ingest.whisper == "always"
    with pytest.raises(errors.InvalidSetting, match="whisper"):
        Settings.load(home=tmp_path, whisper="sometimes")
    [outcome] = lib.ingest("dQw4w9WgXcQ", whisper="sometimes")
    assert isinstance(outcome.results[0].error, errors.InvalidChoice)


def test_cache_writes_are_atomic(tmp_path, monkeypatch):
    target = tmp_path / "cache" / "entry.json"
    write_json_atomic(target, {"words": [["old", 0, 1]]})

    def broken_dump(data, handle, **kw):
        handle.write('{"words": [["half')  # a crash part-way through writing
        raise KeyboardInterrupt

    monkeypatch.setattr(transcribe.json, "dump", broken_dump)
    with pytest.raises(KeyboardInterrupt):
        write_json_atomic(target, {"words": [["new", 0, 1]]})
    assert json.loads(target.read_text()) == {"words": [["old", 0, 1]]}
    assert [p.name for p in target.parent.iterdir()] == ["entry.json"]  # no temporary file left behind


def test_missing_extra_is_one_line_saying_what_to_install(tmp_path, lib, monkeypatch):
    wav = tmp_path / "talk.wav"
    write_wav(wav, (np.sin(np.arange(22_050) / 5) * 8000).astype(np.int16))
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # import fails as if it were not installed
    [outcome] = lib.ingest(str(wav))
    error = outcome.results[0].error
    assert isinstance(error, errors.WhisperNotInstalled) and isinstance(error, errors.ModelError)
    assert 'pip install -e ".[whisper]"' in str(error) and "\n" not in str(error)
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "cli-home"), "ingest", str(wav)],
                                obj={"embedder": lambda s: FakeEmbedder()})
    [line] = result.stdout.splitlines()
    assert result.exit_code == 1 and line.startswith("FAIL  ") and line.endswith(str(error).split(". ", 1)[1])


def test_zero_length_file_is_one_line_even_without_the_extra(tmp_path, lib):
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    [outcome] = lib.ingest(str(empty))
    assert isinstance(outcome.results[0].error, errors.EmptyMediaFile)
    assert "the file is empty (0 bytes)" in outcome.results[0].detail and lib.videos() == []


# --- bad input, through the real decoder ------------------------------------------------------------------

@needs_whisper
@needs_av
def test_bad_media_files_get_one_line_each(tmp_path):
    (tmp_path / "corrupt.mp3").write_bytes(np.random.default_rng(7).bytes(40_000))
    (tmp_path / "empty.wav").write_bytes(b"")
    silent_video(tmp_path / "no-sound.mp4")
    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", str(tmp_path / "corrupt.mp3"),
                                      str(tmp_path / "empty.wav"), str(tmp_path / "no-sound.mp4")],
                                obj={"embedder": lambda s: FakeEmbedder()})
    lines = result.stdout.splitlines()
    assert result.exit_code == 1 and len(lines) == 3, result.output
    assert lines[0].startswith("FAIL  ") and "corrupt.mp3: cannot decode the audio" in lines[0]
    assert "empty.wav: the file is empty (0 bytes)" in lines[1]
    assert "no-sound.mp4: the file has no audio track" in lines[2]
    assert all("Traceback" not in line for line in result.output.splitlines())
    with Library.open(home, embedder=FakeEmbedder()) as library:
        assert library.videos() == []


@needs_whisper
def test_english_only_model_refuses_another_language_in_one_line(tmp_path, lib, clip):
    [outcome] = lib.ingest(str(clip.path), language="de")
    error = outcome.results[0].error
    assert isinstance(error, errors.WhisperLanguageUnsupported)
    assert "YT_TRANSCRIPT_WHISPER_MODEL" in str(error) and "\n" not in str(error)


@needs_whisper
def test_a_model_name_that_cannot_be_downloaded_says_so(tmp_path, clip):
    # The tests have no network, like a laptop offline: a name other than the bundled one must download.
    with Library(Settings(home=tmp_path / "home", whisper_model="base.en"), embedder=FakeEmbedder()) as library:
        [outcome] = library.ingest(str(clip.path))
    error = outcome.results[0].error
    assert isinstance(error, errors.WhisperModelUnavailable)
    assert "cannot download the Whisper model 'base.en'" in str(error) and "YT_TRANSCRIPT_WHISPER_MODEL" in str(error)


# --- the real model on real speech ------------------------------------------------------------------------

@needs_whisper
@needs_espeak
def test_real_model_transcribes_an_espeak_clip(tmp_path, clip):
    result = WhisperTranscriber(cache_dir=tmp_path / "cache").transcribe_file(clip.path)
    assert result.language == "en" and result.model == "tiny.en" and not result.cached
    assert abs(result.duration_s - clip.duration_s) < 0.05
    said = " ".join(w.text for w in result.words).lower()
    for word in ("study", "sessions", "days", "mixing", "different", "topics", "session", "slower"):
        assert word in said, said
    snippets = result.snippets
    assert len(snippets) == 3, snippets  # one per sentence: they end with a full stop and a pause
    for snippet, spoken in zip(snippets, clip.sentences):
        assert abs(snippet.start_s - spoken.start_s) < 1.5, (snippet, spoken)
    assert 0 < result.real_time_factor < 1.5


@needs_whisper
@needs_espeak
def test_ingest_an_audio_file_end_to_end(lib, clip, tmp_path):
    m4a = encode_audio(clip.path, tmp_path / "study-tips.m4a")
    seen: list[tuple[str, float, float]] = []
    [outcome] = lib.ingest(str(m4a), progress=lambda stage, done, total: seen.append((stage, done, total)))
    result = outcome.results[0]
    assert outcome.kind == "media" and result.ok, result.detail
    assert result.video_id == "local-study-tips" and result.title == "study-tips"
    assert result.detail.startswith("m4a file, whisper:tiny.en, en, 0:00:") and "real-time factor" in result.detail
    meta = lib.video("local-study-tips").meta
    assert meta.caption_kind == "whisper:tiny.en" and meta.language == "en"
    assert abs(meta.duration_s - clip.duration_s) < 0.2
    minutes = [(done, total) for stage, done, total in seen if stage == "transcribing study-tips.m4a (audio min)"]
    assert minutes[0][0] == 0 and minutes[-1][0] == minutes[-1][1]
    assert abs(minutes[-1][1] - clip.duration_s / 60) <= 0.1
    assert [d for d, _ in minutes] == sorted(d for d, _ in minutes)  # audio minutes only go forward
    hit = lib.search("mixing topics in one session", k=1)[0]
    assert abs(hit.start_s - clip.sentences[1].start_s) < 1.5


@needs_whisper
@needs_espeak
def test_reingest_never_transcribes_again(lib, clip, tmp_path, monkeypatch):
    [first] = lib.ingest(str(clip.path))
    assert first.ok and "from the transcript cache" not in first.results[0].detail

    def no_model(self):
        raise AssertionError("the model was loaded for a file transcribed before")

    monkeypatch.setattr(WhisperTranscriber, "load", no_model)
    copy_ = tmp_path / "renamed copy.wav"
    shutil.copy(clip.path, copy_)  # the cache goes by content, not by name
    [again] = lib.ingest(str(clip.path))
    [renamed] = lib.ingest(str(copy_))
    assert again.ok and again.results[0].detail.endswith("from the transcript cache")
    assert renamed.ok and lib.transcript("local-renamed-copy").snippets == lib.transcript("local-study-tips").snippets
    cache = lib.settings.home / "transcriptions"
    assert len(list(cache.glob("*.json"))) == 1 and not list(cache.glob(".*"))


@needs_whisper
@needs_espeak
def test_fetch_takes_a_transcribed_file_from_the_library(lib, clip, monkeypatch):
    record = lib.fetch(str(clip.path))  # the one-liner's way in: `yt-transcript talk.wav`
    assert record.meta.caption_kind == "whisper:tiny.en" and record.chunk_count >= 1
    monkeypatch.setattr(Library, "ingest", lambda *a, **k: pytest.fail("a file already in the library was ingested"))
    assert lib.fetch(str(clip.path)).generation == record.generation


@needs_whisper
@needs_espeak
def test_interrupted_transcription_loses_nothing_and_resumes(lib, clip, monkeypatch):
    monkeypatch.setattr(transcribe, "CHECKPOINT_EVERY_S", 0.0)  # checkpoint after every segment
    stage = "transcribing study-tips.wav (audio min)"
    reports: list[float] = []
    heard: list[float] = []  # seconds of audio handed to the model by each run
    load = WhisperTranscriber.load

    def spying_load(self):
        model = load(self)
        if not hasattr(model, "heard"):
            real = model.transcribe
            model.heard = heard
            model.transcribe = lambda audio, **kw: (heard.append(len(audio) / 16_000), real(audio, **kw))[1]
        return model

    monkeypatch.setattr(WhisperTranscriber, "load", spying_load)

    def ctrl_c_after_first_segment(label, done, total):
        if label == stage:
            reports.append(done)
            if done > 0:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lib.ingest(str(clip.path), progress=ctrl_c_after_first_segment)
    assert lib.videos() == []  # nothing half-indexed
    cache = lib.settings.home / "transcriptions"
    assert [p.name.endswith(".partial.json") for p in cache.iterdir()] == [True]  # finished segments kept
    reports.clear()
    [outcome] = lib.ingest(str(clip.path), progress=lambda label, done, total: reports.append(done)
                           if label == stage else None)
    assert outcome.ok
    assert len(heard) == 2 and heard[1] < heard[0] - 2  # went on from the checkpoint, not from the start
    text = " ".join(s.text for s in lib.transcript("local-study-tips").snippets).lower()
    assert "study" in text and "topics" in text and "slower" in text
    assert sorted(p.suffix for p in cache.iterdir()) == [".json"]  # the checkpoint is gone once complete


@needs_whisper
@needs_espeak
def test_cli_ingest_and_list_show_the_model_and_real_time_factor(tmp_path, clip):
    def invoke(*args):
        return CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), *args],
                                  obj={"embedder": lambda s: FakeEmbedder()}, catch_exceptions=False)

    result = invoke("ingest", str(clip.path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok    local-study-tips") and "'study-tips': 1 chunks in" in result.stdout
    assert "(wav file, whisper:tiny.en, en, 0:00:" in result.stdout and "real-time factor 0." in result.stdout
    assert "whisper:tiny.en" in invoke("list").stdout


# --- YouTube videos without a transcript ----------------------------------------------------------------

VIDEO = "vo4pMVb0R6M"
WATCH = "https://www.youtube.com/watch"
PLAYER = "https://www.youtube.com/youtubei/v1/player"
# yt-dlp's answer for one video, minus what its format selection adds: the test selects again.
_SELECTED = {"requested_formats", "requested_downloads", "format", "format_id", "ext", "protocol", "url",
             "format_note", "filesize_approx", "tbr", "width", "height", "resolution", "fps", "vcodec", "acodec",
             "requested_subtitles", "_has_drm"}


class _AudioServer(http.server.ThreadingHTTPServer):
    """Serves the clip on loopback as YouTube's formats would: .m4a (AAC) and .webm (Opus); logs each request."""

    def __init__(self, files: dict[str, bytes]):
        self.files, self.requests = files, []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler):  # noqa: N805
                self.requests.append(handler.path)
                body = self.files.get(Path(handler.path.split("?")[0]).suffix)
                if body is None:
                    handler.send_error(404)
                    return
                handler.send_response(200)
                handler.send_header("Content-Type", "application/octet-stream")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def audio_server(clip, tmp_path):
    files = {".m4a": encode_audio(clip.path, tmp_path / "a.m4a").read_bytes(),
             ".webm": encode_audio(clip.path, tmp_path / "a.webm", "libopus").read_bytes()}
    server = _AudioServer(files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _loopback_ytdlp(base_url: str):
    """A real yt_dlp.YoutubeDL whose YouTube page is the recorded info dict, with every format's URL on loopback:
    format selection, the HTTP download and the file naming are yt-dlp's own."""
    from yt_dlp import YoutubeDL

    info = json.loads((SHARED / "yt-dlp-info" / f"{VIDEO}.ytdlp-extract-info.json").read_text(encoding="utf-8"))
    page = {k: v for k, v in info.items() if k not in _SELECTED}
    for fmt in page["formats"]:
        fmt["url"] = f"{base_url}/videoplayback/{fmt['format_id']}.{fmt['ext']}"

    class RecordedYouTube(YoutubeDL):
        def extract_info(self, url, download=True, **kwargs):
            assert url == f"{WATCH}?v={VIDEO}", url
            return self.process_ie_result(copy.deepcopy(page), download=download)

    return lambda options: RecordedYouTube(options)


@pytest.fixture
def no_captions():
    """youtube-transcript-api sees YouTube's recorded answer for a video whose captions are turned off."""
    assets = YTA_ASSETS
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, WATCH, body=(assets / "youtube.html.static").read_text(encoding="utf-8"))
        mock.add(responses.POST, PLAYER, content_type="application/json",
                 body=(assets / "youtube_transcripts_disabled.innertube.json.static").read_text(encoding="utf-8"))
        mock.add_passthru("http://127.0.0.1")  # yt-dlp's download goes to the loopback server
        yield mock


@needs_shared
@needs_whisper
@needs_espeak
def test_youtube_video_without_transcript_is_transcribed_from_its_audio(tmp_path, monkeypatch, no_captions,
                                                                      audio_server):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the download's temporary folder goes
    base = f"http://127.0.0.1:{audio_server.server_address[1]}"
    youtube = YouTubeClient(retries=0, backoff_s=0.0, ytdlp_factory=_loopback_ytdlp(base))
    with Library(Settings(home=tmp_path / "home"), embedder=FakeEmbedder(), youtube=youtube) as lib:
        # Without asking: the error says that --whisper exists, and nothing is downloaded.
        [refused] = lib.ingest(VIDEO)
        assert isinstance(refused.results[0].error, errors.TranscriptsDisabled)
        assert "--whisper" in refused.results[0].detail and "YT_TRANSCRIPT_WHISPER=auto" in refused.results[0].detail
        assert audio_server.requests == []

        stages: set[str] = set()
        [outcome] = lib.ingest(VIDEO, whisper="auto", progress=lambda stage, done, total: stages.add(stage))
        result = outcome.results[0]
        assert result.ok, result.detail
        assert result.detail.startswith("transcribed locally (transcripts are disabled for this video): "
                                        "whisper:tiny.en, en, 0:00:")
        [requested] = audio_server.requests  # one download: an audio-only format, never the video
        fmt = next(f for f in json.loads((SHARED / "yt-dlp-info" / f"{VIDEO}.ytdlp-extract-info.json").read_text())
                   ["formats"] if requested.endswith(f"/{f['format_id']}.{f['ext']}"))
        assert fmt["vcodec"] == "none" and fmt["acodec"] != "none"
        assert {f"downloading audio {VIDEO} (MB)", f"transcribing {VIDEO}.{fmt['ext']} (audio min)"} <= stages
        assert list(scratch.iterdir()) == []  # the temporary folder and the audio are gone
        meta = lib.video(VIDEO).meta
        assert meta.title == "Intro to Psychology: Crash Course Psychology #1" and meta.channel == "CrashCourse"
        assert meta.caption_kind == "whisper:tiny.en" and meta.url == f"{WATCH}?v={VIDEO}"
        hit = lib.search("different topics inside one session", k=1)[0]
        assert hit.video_id == VIDEO and hit.url.startswith(f"{WATCH}?v={VIDEO}&t=")

        # Again: from the transcript cache, with no second download.
        [again] = lib.ingest(VIDEO, whisper="auto")
        assert again.ok and again.results[0].detail.endswith("from the transcript cache")
        assert len(audio_server.requests) == 1


@needs_shared
@needs_whisper
@needs_espeak
def test_missing_language_falls_back_to_whisper_only_when_asked(tmp_path, monkeypatch, audio_server):
    base = f"http://127.0.0.1:{audio_server.server_address[1]}"
    youtube = YouTubeClient(retries=0, backoff_s=0.0, ytdlp_factory=_loopback_ytdlp(base))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock, \
            Library(Settings(home=tmp_path / "home", whisper="auto"), embedder=FakeEmbedder(),
                    youtube=youtube) as lib:
        mock.add(responses.GET, WATCH, body=(YTA_ASSETS / "youtube.html.static").read_text(encoding="utf-8"))
        mock.add(responses.POST, PLAYER, content_type="application/json",
                 body=(YTA_ASSETS / "youtube.innertube.json.static").read_text(encoding="utf-8"))
        mock.add_passthru("http://127.0.0.1")
        [never] = lib.ingest(VIDEO, languages="fr", whisper="never")
        assert isinstance(never.results[0].error, errors.NoTranscriptInLanguages)
        assert "--whisper" in never.results[0].detail
        [outcome] = lib.ingest(VIDEO, languages="fr")  # the setting says auto
        assert outcome.ok, outcome.results[0].detail
        assert outcome.results[0].detail.startswith("transcribed locally (no transcript in fr; available: ")
        assert lib.video(VIDEO).meta.caption_kind == "whisper:tiny.en"


# --- the app --------------------------------------------------------------------------------------------

@needs_whisper
@needs_espeak
def test_app_library_page_takes_audio_files_with_the_same_results_and_errors(clip, tmp_path, monkeypatch):
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from .conftest import REPO

    monkeypatch.setenv("YT_TRANSCRIPT_HOME", str(tmp_path / "home"))
    at = AppTest.from_file(str(REPO / "ui" / "app.py"), default_timeout=120)
    at.session_state["embedder_override"] = FakeEmbedder()
    at.run()
    [uploader] = at.get("file_uploader")
    assert {"mp3", "m4a", "wav", "mp4", "webm"} <= {t.lstrip(".") for t in uploader.proto.type}
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    at.text_area(key="sources").input(f"{clip.path}\n{empty}")
    at.button(key="add").click().run()
    assert not at.exception
    # The app escapes every character of the data as a character reference; the browser shows the text.
    successes, errors_ = [html.unescape(s.value) for s in at.success], [html.unescape(e.value) for e in at.error]
    assert any("Transcribed on this machine (" in s and "whisper:tiny.en" in s and "real-time factor" in s
               for s in successes)
    assert [e for e in errors_ if "empty.mp3" in e] == [
        f"{empty}: the file is empty (0 bytes). Check that the download or copy finished, then add the file again"]
    assert at.dataframe[0].value["captions"][0] == "transcribed here"  # in plain words, not the model id
