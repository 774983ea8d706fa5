import json
import re

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


# --- Obsidian notes ------------------------------------------------------------------------------------

EVIL = 'Re: "spaced" #1: ![x](http://example.invalid/t.png) <img src=x> [[Secret]] ==hi== %%c%% $x$\nnext line'


def note(meta, answers=()):
    from yt_transcript.ingest.export import obsidian_note
    from yt_transcript.ingest.models import ChapterSummary, Overview

    overview = Overview(meta.video_id, meta.title, "creator",
                        [ChapterSummary("Start", 0, 60, "Hello there."), ChapterSummary(EVIL, 65.9, 130, EVIL)],
                        tldr=EVIL, model="extractive")
    return obsidian_note(meta, overview, list(answers))


def front_matter(text):
    import yaml

    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def test_obsidian_front_matter_is_valid_yaml_whatever_the_title(transcript):
    meta = transcript.meta
    meta.title, meta.channel, meta.upload_date = EVIL + "\u2028\u0085 tab\t'single' \\ end", 'Chan: "A"', "2024-05-31"
    props, _ = front_matter(note(meta))
    assert props == {"title": meta.title, "channel": 'Chan: "A"', "url": "https://www.youtube.com/watch?v=abcdefghijk",
                     "date": "2024-05-31", "duration": "0:02:10", "tags": ["yt-transcript", "channel/chan-a"]}


def test_obsidian_chapters_link_to_their_moment(transcript):
    _, body = front_matter(note(transcript.meta))
    assert "### [Start (0:00:00)](https://youtu.be/abcdefghijk?t=0)" in body
    assert "(0:01:05)](https://youtu.be/abcdefghijk?t=65)" in body
    assert "## Questions" not in body  # nothing was asked


def test_obsidian_text_from_the_data_renders_as_plain_text(transcript):
    """Rendered as a CommonMark engine with HTML on would: no image, link, tag or markup from the data."""
    markdown_it = pytest.importorskip("markdown_it")
    transcript.meta.title = EVIL
    _, body = front_matter(note(transcript.meta))
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(body)
    tags = re.findall(r"<(\w+)", html)
    assert set(tags) <= {"h1", "h2", "h3", "p", "em", "a"} and "img" not in tags
    assert re.findall(r'(?:href|src)="([^"]*)"', html) == ["https://youtu.be/abcdefghijk?t=0",
                                                           "https://youtu.be/abcdefghijk?t=65"]  # our links only
    assert "![x](http://example.invalid/t.png)" in html  # the words are all there, as text
    assert "&lt;img src=x&gt;" in html and "[[Secret]]" in html and "==hi== %%c%% $x$" in html
    # Obsidian's own syntax (embeds, wikilinks, highlights, comments, math, tags) is escaped too, on one line.
    assert body.split("\n")[1] == ('# Re: "spaced" \\#1: \\!\\[x\\]\\(http\\://example\\.invalid/t\\.png\\) '
                                  '\\<img src\\=x\\> \\[\\[Secret\\]\\] \\=\\=hi\\=\\= \\%\\%c\\%\\% '
                                  '\\$x\\$ next line')


def test_obsidian_local_video_has_no_links(transcript):
    transcript.meta.video_id = "local-talk"
    props, body = front_matter(note(transcript.meta))
    assert "url" not in props and "youtu" not in body and "### Start (0:00:00)" in body


def test_obsidian_questions_list_answers_and_their_moments(transcript):
    from yt_transcript.ingest.models import Answer, Citation

    cited = Citation("S1", "abcdefghijk", "A Talk", 61.0, "https://www.youtube.com/watch?v=abcdefghijk&t=61s",
                     "Now the middle.")
    answers = [Answer("Where is the <b>middle</b>?", "It starts at one minute [S1].\n- not a list", "openai:m",
                      "generated", [cited], grounded=True),
               Answer("Anything else?", "Made up.", "openai:m", "generated", [], grounded=False)]
    _, body = front_matter(note(transcript.meta, answers))
    questions = body.split("## Questions\n", 1)[1]
    # Full stops stay plain: only what could act is escaped (a "- " opening a line would make a list).
    assert questions.startswith("\n### Where is the \\<b\\>middle\\</b\\>?\n\nIt starts at one minute \\[S1\\].\n"
                                "\\- not a list\n\n- \\[S1\\] [0:01:01](https://youtu.be/abcdefghijk?t=61) "
                                "“Now the middle.”\n")
    assert "### Anything else?\n\nMade up.\n\n*Not grounded" in questions


def test_obsidian_export_of_the_sample_talk_holds_the_questions_asked(sample_library, tmp_path):
    question = "Who measured how fast we forget nonsense syllables?"
    answer = sample_library.ask(question, videos=["yttSample01"])
    out = tmp_path / "talk.md"
    text = sample_library.export("yttSample01", "obsidian", to=out)
    assert out.read_text(encoding="utf-8") == text
    props, body = front_matter(text)
    assert props["title"] == "How to Study from Video Lectures (yt-transcript sample talk)"
    assert props["url"] == "https://www.youtube.com/watch?v=yttSample01" and props["duration"] == "0:03:16"
    assert body.count("\n### [") == 6 and "](https://youtu.be/yttSample01?t=136)" in body
    assert f"## Questions\n\n### {question}\n" in body
    assert all(f"(https://youtu.be/yttSample01?t={int(c.start_s)})" in body for c in answer.citations)
    # The offline answer's quotes are written once, as its list of citations with their links; no "\- " lines.
    assert answer.kind == "extractive" and answer.citations and "\n\\- " not in body
    assert all(body.count(f"\\[{c.id}\\] [") == 1 for c in answer.citations)
    with pytest.raises(InvalidChoice, match="Choose one of: txt, md, srt, vtt, json, obsidian"):
        sample_library.export("yttSample01", "docx")


@pytest.mark.parametrize("text, written", [
    ("It was 2.5 times faster (roughly). Wow!", "It was 2.5 times faster (roughly). Wow!"),  # nothing to act on
    ("- not a list", "\\- not a list"),
    ("+ nor this", "\\+ nor this"),
    ("1. not a numbered list", "1\\. not a numbered list"),
    ("3) nor this", "3\\) nor this"),
    ("1.5 billion tokens", "1.5 billion tokens"),  # a number, not a list
    ("---", "\\---"),  # no rule
    ("see example.com or www.x.org", "see example\\.com or www\\.x\\.org"),  # no link
    ("mail me@x.io now", "mail me@x\\.io now"),
    ("see http://localhost:8501/x now", "see http\\://localhost\\:8501/x now"),  # no dot, still no link
    ("a #tag, [[link]] and *stars*", "a \\#tag, \\[\\[link\\]\\] and \\*stars\\*"),
])
def test_plain_paragraphs_escape_only_what_would_act(text, written):
    from yt_transcript.ingest.export import plain_paragraphs

    assert plain_paragraphs(text) == written


@pytest.mark.parametrize("line", ["- item", "+ item", "1. item", "2) item", "---", "===", "> quote", "# head",
                                  "***", "see www.example.com", "a <b>bold</b> word", "`code`", "![i](x.png)",
                                  "see http://localhost:8501/x", "https://example.com/a?b=c"])
def test_a_line_of_the_data_renders_as_one_plain_paragraph(line):
    markdown_it = pytest.importorskip("markdown_it")
    from yt_transcript.ingest.export import plain_paragraphs

    md = markdown_it.MarkdownIt("commonmark", {"html": True, "linkify": False})
    written = plain_paragraphs(line)
    html = md.render(f"words before\n{written}")
    assert re.findall(r"<(\w+)", html) == ["p"]
    assert not re.search(r"(?<!\\)://|www\.", written)  # nothing a linkifier could take for an address


def test_my_notes_sit_inside_their_section_of_the_notes():
    from yt_transcript.ingest.export import obsidian_note
    from yt_transcript.ingest.models import ChapterSummary, Overview

    meta = VideoMeta("abcdefghijk", "Memory")
    overview = Overview(meta.video_id, meta.title, "creator", [ChapterSummary("Start", 0, 60, "Hello there.")],
                        tldr="In short.", model="extractive")
    own = "## Exam\n\nSpacing *works*.\n\n```md\n## not a heading here\n```\n####### seven stays"
    note = obsidian_note(meta, overview, [], own)
    mine = note.split("## My notes\n\n", 1)[1].split("\n## Summary", 1)[0]
    assert mine.startswith("### Exam\n\nSpacing *works*.")  # a section of "My notes", not beside "Summary"
    assert "```md\n## not a heading here\n```" in mine and "####### seven stays" in mine  # code and the rest as written
