import pytest

from yt_transcript.ingest.cleaning import clean_snippets, clean_text, repair_times
from yt_transcript.ingest.models import Snippet


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("[Music]", ""),
        ("[Music] so today", "so today"),
        ("we [Applause] thank you", "we thank you"),
        ("♪ la la ♪", "la la"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("it&#39;s", "it's"),
        ("double &amp;#39;escaped", "double 'escaped"),
        ("this is <i>not</i> it", "this is not it"),
        ("hi<00:00:00.880><c> everyone</c>", "hi everyone"),
        ("<v Roger>Hello there", "Hello there"),
        ("if x &lt; y then", "if x < y then"),
        (">> so what", "so what"),
        ("  lots   of\nspace ", "lots of space"),
        ("-", ""),
        ("- Yes, I agree.", "- Yes, I agree."),
        ("the [ __ ] thing", "the thing"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_repair_overlaps_and_order():
    snippets = [
        Snippet("b", 2.0, 6.0),  # overlaps the next one
        Snippet("a", 0.0, 0.0),  # no duration: runs to the next start
        Snippet("c", 5.0, 7.0),
    ]
    assert repair_times(snippets) == [Snippet("a", 0.0, 2.0), Snippet("b", 2.0, 5.0), Snippet("c", 5.0, 7.0)]


def test_clean_snippets_drops_empty_lines():
    out = clean_snippets([Snippet("[Music]", 0, 2), Snippet("hello", 2, 3), Snippet("  ", 3, 4)])
    assert out == [Snippet("hello", 2.0, 3.0)]
