import pytest

from yt_transcript.ingest.metadata import chapters_from_info, chapters_from_list, meta_from_info, parse_description_chapters
from yt_transcript.ingest.models import Chapter

from .conftest import SHARED, load_json, needs_shared

TIME_FIRST = """Intro text.
0:00 Intro
1:31 - Neurons
2:07 | Parts of a Neuron
1:02:03 The end
"""
TITLE_FIRST = """Chapters:
Introduction: Brain Chemicals 00:00
Neurons 1:31
Parts of a Neuron (2:07)
"""
NUMBERED = """1. Welcome (0:00)
2. Setup – 0:45
3. Results: 3:10
"""


@pytest.mark.parametrize(
    "description, duration, expected",
    [
        (TIME_FIRST, 4000, [("Intro", 0), ("Neurons", 91), ("Parts of a Neuron", 127), ("The end", 3723)]),
        (TITLE_FIRST, 600, [("Introduction: Brain Chemicals", 0), ("Neurons", 91), ("Parts of a Neuron", 127)]),
        (NUMBERED, 300, [("Welcome", 0), ("Setup", 45), ("Results", 190)]),
        # YouTube's rule: the first must be 0:00 ...
        ("0:05 A\n1:00 B\n2:00 C\n", 300, []),
        # ... at least three ...
        ("0:00 A\n1:00 B\n", 300, []),
        # ... each at least 10 seconds long.
        ("0:00 A\n0:05 B\n1:00 C\n", 300, []),
        ("0:00 A\n1:00 B\n2:00 C\n", 125, []),  # the last one would last 5 s
        # Timestamps after the list (or a second list) do not extend it once times fall back.
        ("0:00 A\n1:00 B\n2:00 C\nLater: 0:30 D\n", 300, [("A", 0), ("B", 60), ("C", 120)]),
        # A line with two clocks is prose, not a chapter; URLs with t= are ignored.
        ("0:00 A\n1:00 B\n2:00 C\nfrom 3:00 to 4:00 nothing\nhttps://youtu.be/x?t=5:00\n", 300,
         [("A", 0), ("B", 60), ("C", 120)]),
        ("no chapters here", 300, []),
    ],
)
def test_description_chapters(description, duration, expected):
    chapters = parse_description_chapters(description, duration)
    assert [(c.title, c.start_s) for c in chapters] == expected
    if chapters:
        assert chapters[-1].end_s == duration
        assert all(a.end_s == b.start_s for a, b in zip(chapters, chapters[1:]))


def test_ytdlp_chapters_win_over_description():
    info = {"duration": 100, "description": "0:00 X\n0:20 Y\n0:40 Z",
            "chapters": [{"start_time": 0.0, "title": "Real", "end_time": 50.0}, {"start_time": 50.0, "title": "Two"}]}
    chapters, source = chapters_from_info(info)
    assert source == "creator"
    assert chapters == [Chapter("Real", 0.0, 50.0), Chapter("Two", 50.0, 100.0)]


def test_chapters_from_list_sorts_and_closes():
    items = [{"start": 30, "title": "b"}, {"start": 0, "title": "a"}]
    assert chapters_from_list(items, 60) == [Chapter("a", 0.0, 30.0), Chapter("b", 30.0, 60)]


@needs_shared
@pytest.mark.parametrize("name", ["W4N-7AlzK7s.info.trimmed.json", "vo4pMVb0R6M.info.trimmed.json",
                                  "vo4pMVb0R6M.ytdlp-extract-info.json"])
def test_meta_from_real_ytdlp_info(name):
    info = load_json(SHARED / "yt-dlp-info" / name)
    meta = meta_from_info(info)
    assert meta.video_id == info["id"]
    assert meta.title == info["title"]
    assert meta.channel == "CrashCourse"
    assert meta.upload_date == f"{info['upload_date'][:4]}-{info['upload_date'][4:6]}-{info['upload_date'][6:]}"
    assert meta.duration_s == info["duration"]
    assert meta.chapter_source == "creator"
    assert [c.title for c in meta.chapters] == [c["title"] for c in info["chapters"]]
    # The same chapters come out of the title-first description when yt-dlp's list is missing.
    from_description = meta_from_info({**info, "chapters": None})
    assert from_description.chapter_source == "description"
    assert [(c.title, c.start_s) for c in from_description.chapters] == [(c.title, c.start_s) for c in meta.chapters]


@needs_shared
def test_shared_chapter_lists_load():
    corpus = load_json(SHARED / "corpus.json")
    rows = [r for r in corpus if r.get("chapters")]
    assert rows
    for row in rows:
        chapters = chapters_from_list(load_json(SHARED / row["chapters"]), row["duration_s"])
        assert chapters[0].start_s == 0
        assert all(a.start_s < b.start_s for a, b in zip(chapters, chapters[1:]))


# --- property-based: description chapters follow YouTube's rule, or there are none ----------------------------

from hypothesis import given, strategies as st  # noqa: E402


@pytest.mark.fuzz
@given(st.text(max_size=400), st.one_of(st.none(), st.floats(1, 20000)))
def test_any_description_gives_valid_chapters_or_none(description, duration):
    chapters = parse_description_chapters(description, duration)
    if not chapters:
        return
    starts = [c.start_s for c in chapters]
    assert starts[0] == 0 and starts == sorted(set(starts)) and len(chapters) >= 3
    assert all(c.title.strip() and "\n" not in c.title for c in chapters)
    assert all(c.end_s is None or c.end_s - c.start_s >= 10 for c in chapters)


@pytest.mark.fuzz
@given(st.lists(st.tuples(st.integers(10, 900), st.text("abcdefg ", min_size=1, max_size=15).filter(str.strip)),
                min_size=2, max_size=12))
def test_written_chapter_lists_come_back(gaps, ):
    starts, t = [0], 0
    for gap, _ in gaps:
        t += gap
        starts.append(t)
    titles = ["Intro"] + [title.strip() for _, title in gaps]
    lines = [f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d} {title}" for s, title in zip(starts, titles)]
    chapters = parse_description_chapters("Chapters:\n" + "\n".join(lines), starts[-1] + 60.0)
    assert [(c.start_s, c.title) for c in chapters] == [(float(s), title) for s, title in zip(starts, titles)]
