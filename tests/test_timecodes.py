import pytest

from yt_transcript.ingest.timecodes import format_hms, parse_clock, watch_url


@pytest.mark.parametrize(
    "seconds, hms",
    [(0, "0:00:00"), (5.9, "0:00:05"), (65, "0:01:05"), (3600, "1:00:00"), (12684.3, "3:31:24"), (-3, "0:00:00")],
)
def test_format(seconds, hms):
    assert format_hms(seconds) == hms


@pytest.mark.parametrize(
    "text, seconds",
    [("0:00", 0.0), ("1:31", 91.0), ("01:31", 91.0), ("1:02:03", 3723.0), ("00:00:02.750", 2.75),
     ("00:01:02,5", 62.5), ("00:00:01.0625", 1.0625), ("1:60", None), ("abc", None), ("1:2", None),
     ("1:61:00", None), ("00:99:99.999", None)],
)
def test_parse_clock(text, seconds):
    assert parse_clock(text) == seconds


@pytest.mark.parametrize(
    "start, url",
    [(None, "https://www.youtube.com/watch?v=abcdefghijk"), (0, "https://www.youtube.com/watch?v=abcdefghijk&t=0s"),
     (754.9, "https://www.youtube.com/watch?v=abcdefghijk&t=754s")],
)
def test_watch_url(start, url):
    assert watch_url("abcdefghijk", start) == url
