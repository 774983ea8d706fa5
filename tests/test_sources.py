import pytest

from yt_transcript.ingest.errors import InvalidSource
from yt_transcript.ingest.sources import is_video_id, parse_source

VID = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "raw, kind, value",
    [
        (VID, "video", VID),
        (f"https://www.youtube.com/watch?v={VID}", "video", VID),
        (f"https://www.youtube.com/watch?v={VID}&t=42s", "video", VID),
        (f"https://www.youtube.com/watch?v={VID}&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG", "video", VID),
        (f"https://m.youtube.com/watch?feature=share&v={VID}", "video", VID),
        (f"youtube.com/watch?v={VID}", "video", VID),
        (f"https://youtu.be/{VID}", "video", VID),
        (f"https://youtu.be/{VID}?t=90", "video", VID),
        (f"https://www.youtube.com/shorts/{VID}", "video", VID),
        (f"https://www.youtube.com/embed/{VID}?start=10", "video", VID),
        (f"https://www.youtube.com/live/{VID}?si=abc", "video", VID),
        (f"https://www.youtube-nocookie.com/embed/{VID}", "video", VID),
        ("https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG", "playlist",
         "PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG"),
        ("@crashcourse", "channel", "https://www.youtube.com/@crashcourse"),
        ("https://www.youtube.com/@crashcourse/videos", "channel", "https://www.youtube.com/@crashcourse"),
        ("https://www.youtube.com/channel/UCX6b17PVsYBQ0ip5gyeme-Q", "channel",
         "https://www.youtube.com/channel/UCX6b17PVsYBQ0ip5gyeme-Q"),
        ("https://www.youtube.com/c/crashcourse", "channel", "https://www.youtube.com/c/crashcourse"),
    ],
)
def test_parse_source(raw, kind, value):
    source = parse_source(raw)
    assert (source.kind, source.value) == (kind, value)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not a video",
        "dQw4w9WgXc",  # 10 characters
        "https://vimeo.com/12345",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/playlist?list=",
        "https://youtu.be/",
        "missing-file.vtt",
        "https://www.youtube.com/feed/trending",
    ],
)
def test_invalid_sources_say_why(raw):
    with pytest.raises(InvalidSource) as info:
        parse_source(raw)
    assert "Pass a YouTube URL" in str(info.value)


def test_local_files(tmp_path):
    vtt = tmp_path / "talk.en.vtt"
    vtt.write_text("WEBVTT\n")
    assert parse_source(str(vtt)).kind == "file"
    (tmp_path / "x_transcript.txt").write_text("[1.0s] hi")
    assert parse_source(str(tmp_path / "x_transcript.txt")).kind == "file"  # the original CLI's transcripts
    other = tmp_path / "notes.docx"
    other.write_text("x")
    with pytest.raises(InvalidSource, match="unsupported file type"):
        parse_source(str(other))


@pytest.mark.parametrize("text, ok", [(VID, True), ("a" * 11, True), ("a" * 12, False), ("abc def ghi", False)])
def test_is_video_id(text, ok):
    assert is_video_id(text) is ok


# --- property-based: any string is a source or one InvalidSource -------------------------------------------

from hypothesis import given, strategies as st  # noqa: E402

_ID = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=11, max_size=11)


@pytest.mark.fuzz
@given(st.text(max_size=200))
def test_any_text_is_a_source_or_invalid(text):
    try:
        source = parse_source(text)
    except InvalidSource as exc:
        assert exc.advice and "\n" not in exc.message
        return
    assert source.kind in {"video", "playlist", "channel", "file"} and source.raw == text


@pytest.mark.fuzz
@given(_ID, st.sampled_from(["https://www.youtube.com/watch?v={id}", "https://youtu.be/{id}", "youtu.be/{id}?t=42",
                             "https://m.youtube.com/watch?v={id}&t=1m2s&list=PLx", "https://www.youtube.com/shorts/{id}",
                             "https://www.youtube.com/embed/{id}?start=3", "https://www.youtube.com/live/{id}", "{id}"]))
def test_every_url_form_finds_the_video_id(video_id, form):
    source = parse_source(form.format(id=video_id))
    assert (source.kind, source.value) == ("video", video_id)
