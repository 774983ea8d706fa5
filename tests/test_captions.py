import json

import pytest

from yt_transcript.ingest.captions import read_caption_file
from yt_transcript.ingest.cleaning import clean_snippets, clean_text
from yt_transcript.ingest.errors import CaptionFileError
from yt_transcript.ingest.models import Snippet

from .conftest import SHARED, load_json, needs_shared

ROLLING_VTT = """WEBVTT
Kind: captions
Language: en

00:00:00.719 --> 00:00:02.750 align:start position:0%
 
hi<00:00:00.880><c> everyone</c><00:00:01.880><c> so</c><00:00:02.040><c> welcome</c>

00:00:02.750 --> 00:00:02.760 align:start position:0%
hi everyone so welcome
 

00:00:02.760 --> 00:00:05.390 align:start position:0%
hi everyone so welcome
to<00:00:02.960><c> the</c><00:00:03.120><c> talk</c>

00:00:05.390 --> 00:00:05.400 align:start position:0%
to the talk
 

00:00:05.400 --> 00:00:08.070 align:start position:0%
to the talk
[Music]<00:00:06.080><c> so</c><00:00:06.480><c> first</c>
"""

PLAIN_VTT = """WEBVTT

NOTE this is a comment
that spans lines

intro
00:00:00.000 --> 00:00:03.690
- Basically, this entire
roundtable session

00:00:03.690 --> 00:00:06.450 line:90%
is just gonna be &amp; focused.

01:02.000 --> 01:04.000
short time code.
"""

SRT = """1
00:00:00,040 --> 00:00:02,080
I see the danger

2
00:00:02,080 --> 00:00:06,680
of power to <i>proprietary</i>
AI systems

3
00:00:06,680 --> 00:00:08,240
[Music]
"""

YTA_JSON = json.dumps([{"text": "It’s 1961.", "start": 0, "duration": 1},
                       {"text": "You’re wandering around", "start": 1, "duration": 4}])
WHISPER_JSON = json.dumps({"text": "...", "language": "en", "segments": [
    {"id": 0, "start": 0.0, "end": 4.38, "text": " Hello, my name is Andre"},
    {"id": 1, "start": 4.38, "end": 9.12, "text": " and I train nets."}]})


@pytest.mark.parametrize(
    "name, content, expected, language, kind",
    [
        ("rolling.en.vtt", ROLLING_VTT,
         # "so" comes a second after "everyone" (a pause: the line splits there); "so first" has no first word.
         [Snippet("hi everyone", 0.719, 1.88), Snippet("so welcome", 1.88, 2.75), Snippet("to the talk", 2.76, 5.39),
          Snippet("so first", 6.08, 8.07)], "en", "auto"),
        ("plain.vtt", PLAIN_VTT,
         [Snippet("- Basically, this entire roundtable session", 0.0, 3.69),
          Snippet("is just gonna be & focused.", 3.69, 6.45), Snippet("short time code.", 62.0, 64.0)], None, "unknown"),
        ("talk.srt", SRT,
         [Snippet("I see the danger", 0.04, 2.08), Snippet("of power to proprietary AI systems", 2.08, 6.68)],
         None, "unknown"),
        ("yta.json", YTA_JSON, [Snippet("It’s 1961.", 0.0, 1.0), Snippet("You’re wandering around", 1.0, 5.0)],
         None, "unknown"),
        ("whisper.json", WHISPER_JSON,
         [Snippet("Hello, my name is Andre", 0.0, 4.38), Snippet("and I train nets.", 4.38, 9.12)], "en", "whisper"),
        # The original CLI's "{id}_transcript.txt": a line lasts until the next; the last as long as its words.
        ("f0RbwrBcFmc_transcript.txt", "[2.2s] hey this is Lance\n\n[3.9s] probably heard\n[911.2s] listening\n",
         [Snippet("hey this is Lance", 2.2, 3.9), Snippet("probably heard", 3.9, 911.2),
          Snippet("listening", 911.2, 912.2)], None, "unknown"),
        ("whole.txt", "[0s] zero\n[12.25s] twelve and a quarter", [Snippet("zero", 0.0, 12.25),
         Snippet("twelve and a quarter", 12.25, 13.85)], None, "unknown"),
    ],
)
def test_parsers(tmp_path, name, content, expected, language, kind):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    parsed = read_caption_file(path)
    assert clean_snippets(parsed.snippets) == expected
    assert parsed.language == language
    assert parsed.kind == kind


def test_crlf_and_bom(tmp_path):
    path = tmp_path / "win.srt"
    path.write_bytes(("\ufeff" + SRT).replace("\n", "\r\n").encode("utf-8"))
    assert [s.text for s in clean_snippets(read_caption_file(path).snippets)][0] == "I see the danger"


def test_srt_without_blank_separator(tmp_path):
    path = tmp_path / "tight.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nfirst\n2\n00:00:02,000 --> 00:00:03,000\nsecond\n")
    assert [s.text for s in read_caption_file(path).snippets] == ["first", "second"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.vtt", "", "the file is empty"),
        ("blank.srt", "\n\n  \n", "the file is empty"),
        ("noheader.vtt", "00:00:01.000 --> 00:00:02.000\nhi\n", "line 1: expected the 'WEBVTT' header"),
        ("nocues.srt", "just some text\nwithout timing\n", "no cues found"),
        ("badtime.srt", "1\n00:00:01,000 --> 00:0x:02,000\nhi\n", "line 2: malformed cue timing"),
        ("onlymusic.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n[Music]\n", "no caption text"),
        ("broken.json", '[{"text": "a", "start": 0,\n "duration": }]', "line 2: invalid JSON"),
        ("wrongshape.json", '{"foo": 1}', "expected a list"),
        ("missing.json", '[{"text": "a"}]', "item 0: expected an object with 'text' and 'start'"),
        ("nonnum.json", '[{"text": "a", "start": "x"}]', "item 0: 'start'/'end'/'duration' must be numbers"),
        ("emptylist.json", "[]", "holds no captions"),
        ("inf.json", '[{"text": "a", "start": Infinity}]', "item 0: times must be finite seconds"),
        ("nan.json", '[{"text": "a", "start": 1, "duration": NaN}]', "item 0: times must be finite seconds"),
        ("negative.json", '{"segments": [{"text": "a", "start": -2, "end": 1}]}', "item 0: times must be finite"),
        ("badclock.vtt", "WEBVTT\n\n00:99:99.999 --> 00:00:08.000\nhi\n", "line 3: bad time code '00:99:99.999'"),
        ("prose_transcript.txt", "Dear diary,\ntoday I", "line 1: expected '\\[12.3s\\] text'"),
        ("backwards_transcript.txt", "[5.0s] later\n[1.0s] earlier", "line 2: 1.0s comes before the line above"),
        ("minutes_transcript.txt", "[1:05s] no", "line 1: expected"),
    ],
)
def test_bad_files_say_which_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CaptionFileError, match=message):
        read_caption_file(path)


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.srt"
    path.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\ncaf\xe9\n")
    with pytest.raises(CaptionFileError, match="line 3: not UTF-8"):
        read_caption_file(path)


@needs_shared
def test_deep_dive_rolling_vtt_dedupes_to_reference_word_count():
    parsed = read_caption_file(SHARED / "transcripts/karpathy-deep-dive/7xTGNNLPyMI.en-orig.vtt")
    snippets = clean_snippets(parsed.snippets)
    assert sum(len(s.text.split()) for s in snippets) == 41_116
    texts = [s.text for s in snippets]
    # A line shown again is not kept twice (a one-word piece may repeat: the speaker's "so ... so").
    assert not any(a == b and len(a.split()) > 1 for a, b in zip(texts, texts[1:])), "a rolling line was kept twice"
    # Lines split where the speaker pauses: "hi everyone" ... "so I've wanted".
    assert snippets[:2] == [Snippet("hi everyone", 0.719, 1.88), Snippet("so I've wanted to make this", 1.88, 2.75)]
    assert snippets[2].start_s == 2.76  # the time it was first spoken, not when it scrolled up
    assert all(a.end_s <= b.start_s for a, b in zip(snippets, snippets[1:]))


@needs_shared
def test_word_timed_lines_keep_every_word_in_order():
    from yt_transcript.ingest.captions import _Cue, _split_at_pauses

    text = (SHARED / "transcripts/karpathy-deep-dive/7xTGNNLPyMI.en-orig.vtt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "<c>" in line]
    assert len(lines) > 4000
    for line in lines:
        pieces = _split_at_pauses(line, _Cue(100.0, 103.0, [line], 0))
        assert " ".join(p.text for p in pieces) == clean_text(line)
        assert all(a.start_s <= b.start_s for a, b in zip(pieces, pieces[1:]))


@needs_shared
def test_every_corpus_transcript_parses():
    corpus = load_json(SHARED / "corpus.json")
    for row in corpus:
        snippets = clean_snippets(read_caption_file(SHARED / row["transcript"]).snippets)
        words = sum(len(s.text.split()) for s in snippets)
        assert words > 100, row["video_id"]
        # The transcript covers the video: last words within a few minutes of its end.
        assert snippets[-1].end_s > 0.8 * row["duration_s"], row["video_id"]


@pytest.mark.parametrize(
    "timed, expected",
    [
        # (line as YouTube writes it, cue start 10.0 s) -> pieces spoken without a pause
        ("so<00:00:10.200><c> we</c><00:00:10.400><c> go</c>", [("so we go", 10.0, 12.0)]),
        # "go" ends by 10.6 s (0.06 s + 0.05 s a letter); "now" 1 s later is after a pause
        ("so<00:00:10.200><c> we</c><00:00:10.400><c> go</c><00:00:11.600><c> now</c>",
         [("so we go", 10.0, 11.6), ("now", 11.6, 12.0)]),
        # a long word takes longer to say: 0.7 s after "comprehensive" is no pause
        ("a<00:00:10.100><c> comprehensive</c><00:00:10.800><c> guide</c>", [("a comprehensive guide", 10.0, 12.0)]),
        # a lone symbol is a word, written as an entity or not; markup and [Music] are not
        ("2<00:00:10.200><c> *</c><00:00:10.400><c> 2</c><00:00:10.500><c> [Music]</c>", [("2 * 2", 10.0, 12.0)]),
        ("x<00:00:10.100><c> &lt;</c><00:00:10.200><c> y</c><00:00:10.300><c> **</c><00:00:10.400><c> z</c>",
         [("x < y ** z", 10.0, 12.0)]),
        # "so" is said by 10.16 s: 0.29 s later is no pause, 0.31 s is
        ("so<00:00:10.450><c> now</c>", [("so now", 10.0, 12.0)]),
        ("so<00:00:10.470><c> now</c>", [("so", 10.0, 10.47), ("now", 10.47, 12.0)]),
        # timings that step back or run past the cue keep the words in order, within the cue
        ("a<00:00:15.000><c> b</c><00:00:11.000><c> c</c><00:00:11.800><c> d</c>",
         [("a", 10.0, 12.0), ("b c d", 12.0, 12.0)]),
        ("a<00:00:10.100><c> b</c><00:00:09.000><c> c</c>", [("a b c", 10.0, 12.0)]),
    ],
)
def test_word_timed_lines_split_at_pauses(tmp_path, timed, expected):
    path = tmp_path / "rolling.vtt"
    path.write_text(f"WEBVTT\n\n00:00:10.000 --> 00:00:12.000\n \n{timed}\n")
    assert read_caption_file(path).snippets == [Snippet(*e) for e in expected]


# --- property-based: the original CLI's "[12.3s] text" files ----------------------------------------------

from hypothesis import given, strategies as st  # noqa: E402

_words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=40)


@pytest.mark.fuzz
@given(st.lists(st.tuples(st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 1)), _words), min_size=1,
                max_size=30))
def test_seconds_lines_round_trip(tmp_path_factory, rows):
    rows = sorted(rows, key=lambda r: r[0])
    rows = [(start, text.strip()) for start, text in rows if text.strip()]
    path = tmp_path_factory.mktemp("p") / "x_transcript.txt"
    path.write_text("".join(f"[{start:.1f}s] {text}\n" for start, text in rows), encoding="utf-8")
    try:
        parsed = read_caption_file(path)
    except CaptionFileError as exc:  # only when no line holds a word ([Music]-style tags, punctuation)
        assert str(path) in str(exc) and ("empty" in str(exc) or "no caption text" in str(exc))
        return
    assert [(s.start_s, s.text) for s in parsed.snippets] == rows
    assert all(0 <= s.start_s <= s.end_s < float("inf") for s in parsed.snippets)
    assert all(a.end_s == b.start_s for a, b in zip(parsed.snippets, parsed.snippets[1:]))


@pytest.mark.fuzz
@given(st.text(max_size=300))
def test_any_text_file_parses_or_names_a_line(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("p") / "y_transcript.txt"
    path.write_text(text, encoding="utf-8")
    try:
        parsed = read_caption_file(path)
    except CaptionFileError as exc:
        assert str(path) in str(exc)
        return
    starts = [s.start_s for s in parsed.snippets]
    assert starts == sorted(starts) and all(s >= 0 for s in starts)


# --- property-based: every caption parser gives a sane transcript or one of our errors ----------------------

_TIME = st.floats(0, 36000, allow_nan=False).map(lambda x: round(x, 3))
_LINE = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1,
                max_size=30).filter(lambda t: t.strip() and "-->" not in t)


def _clock(seconds: float, comma: bool) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def _sane(snippets) -> None:
    cleaned = clean_snippets(snippets)
    starts = [s.start_s for s in cleaned]
    assert starts == sorted(starts)
    assert all(0 <= s.start_s <= s.end_s < float("inf") for s in cleaned)
    assert all(a.end_s <= b.start_s for a, b in zip(cleaned, cleaned[1:]))


def _parses_sanely_or_names_the_file(path) -> None:
    try:
        parsed = read_caption_file(path)
    except CaptionFileError as exc:
        assert str(exc).startswith(str(path))
        return
    _sane(parsed.snippets)


@pytest.mark.fuzz
@given(st.lists(st.tuples(_TIME, _TIME, _LINE), min_size=1, max_size=15), st.booleans(), st.booleans())
def test_generated_cue_files_parse_to_ordered_finite_times(tmp_path_factory, cues, vtt, rolling):
    """Well-formed VTT (plain or rolling, with word timings) and SRT, with any times and text."""
    blocks = []
    for n, (a, b, text) in enumerate(cues, 1):
        start, end = min(a, b), max(a, b)
        body = f"{text}<{_clock(start, False)}><c> more</c>" if vtt and rolling else text
        timing = f"{_clock(start, not vtt)} --> {_clock(end, not vtt)}"
        blocks.append(f"{timing}\n{body}" if vtt else f"{n}\n{timing}\n{body}")
    content = ("WEBVTT\n\n" if vtt else "") + "\n\n".join(blocks) + "\n"
    path = tmp_path_factory.mktemp("cues") / ("c.vtt" if vtt else "c.srt")
    path.write_text(content, encoding="utf-8")
    try:
        parsed = read_caption_file(path)
    except CaptionFileError as exc:
        assert "no caption text" in str(exc)  # only when every line cleans away ([Music], punctuation)
        return
    _sane(parsed.snippets)
    assert parsed.kind == ("auto" if vtt and rolling else "unknown")


@pytest.mark.fuzz
@given(st.text(max_size=400), st.sampled_from(["x.vtt", "x.srt", "x.json", "x_transcript.txt"]))
def test_any_text_in_any_caption_format_parses_or_raises_ours(tmp_path_factory, text, name):
    path = tmp_path_factory.mktemp("any") / name
    path.write_text(text, encoding="utf-8")
    _parses_sanely_or_names_the_file(path)


_NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6), st.text(max_size=5),
                    st.none())


@pytest.mark.fuzz
@given(st.lists(st.fixed_dictionaries({"text": st.text("ab c", min_size=1, max_size=8)},
                                      optional={"start": _NUMBER, "duration": _NUMBER, "end": _NUMBER}),
                max_size=8),
       st.booleans())
def test_json_captions_with_any_values(tmp_path_factory, items, whisper):
    """youtube-transcript-api and Whisper JSON with strange numbers: NaN, infinities, negatives, strings."""
    data = {"segments": items, "language": "en"} if whisper else items
    path = tmp_path_factory.mktemp("json") / "x.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _parses_sanely_or_names_the_file(path)
