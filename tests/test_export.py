import json

import pytest

from yt_transcript.ingest.captions import read_caption_file
from yt_transcript.ingest.cleaning import clean_snippets
from yt_transcript.ingest.errors import InvalidChoice
from yt_transcript.ingest.export import export_transcript
from yt_transcript.ingest.models import Chapter, Snippet, Transcript, VideoMeta


@pytest.fixture
def transcript():
    meta = VideoMeta("abcdefghijk", "A Talk", channel="Chan", language="en", duration_s=130,
                     chapters=[Chapter("Start", 0, 60), Chapter("Middle", 60, 130)])
    snippets = [Snippet("Hello there.", 0.0, 2.5), Snippet("Second line & more", 2.5, 61.0),
                Snippet("Now the middle.", 61.0, 65.25), Snippet("Last <words>", 65.25, 130.0)]
    return Transcript(meta, snippets)


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_caption_formats_round_trip(tmp_path, transcript, fmt):
    path = tmp_path / f"out.{fmt}"
    path.write_text(export_transcript(transcript, fmt))
    back = clean_snippets(read_caption_file(path).snippets)
    assert [(s.text, s.start_s, s.end_s) for s in back] == [
        (s.text, s.start_s, s.end_s) for s in transcript.snippets if s.text != "Last <words>"
    ] + [("Last", 65.25, 130.0)]  # "<words>" reads as a tag in caption formats


def test_json_has_everything(transcript):
    data = json.loads(export_transcript(transcript, "json"))
    assert data["video_id"] == "abcdefghijk" and data["url"] == "https://www.youtube.com/watch?v=abcdefghijk"
    assert data["snippets"][2] == {"start": 61.0, "end": 65.25, "text": "Now the middle."}
    assert [c["title"] for c in data["chapters"]] == ["Start", "Middle"]


def test_markdown_links_every_timestamp(transcript):
    md = export_transcript(transcript, "md")
    assert md.startswith("# A Talk\n")
    assert "## [Start (0:00:00)](https://www.youtube.com/watch?v=abcdefghijk&t=0s)" in md
    assert "## [Middle (0:01:00)](https://www.youtube.com/watch?v=abcdefghijk&t=60s)" in md
    assert "[0:01:01](https://www.youtube.com/watch?v=abcdefghijk&t=61s) Now the middle. Last <words>" in md


def test_text_has_chapter_headings_and_times(transcript):
    txt = export_transcript(transcript, "txt")
    assert "Middle (0:01:00)" in txt and "[0:00:00] Hello there. Second line & more" in txt


def test_local_video_has_no_links(transcript):
    transcript.meta.video_id = "local-talk"
    assert "youtube.com" not in export_transcript(transcript, "md")


def test_long_chapter_is_split_into_paragraphs():
    snippets = [Snippet(f"Sentence {i}.", i * 10.0, i * 10.0 + 10) for i in range(30)]
    txt = export_transcript(Transcript(VideoMeta("local-x", "T"), snippets), "txt")
    assert txt.count("\n[") >= 5


def test_unknown_format(transcript):
    with pytest.raises(InvalidChoice, match="unknown format 'docx'. Choose one of: txt, md, srt, vtt, json"):
        export_transcript(transcript, "docx")
