import pytest

from yt_transcript.ingest.models import NOT_SAID, NOT_SAID_RELATED, Finding, Occurrence, SearchHit

_PLACE = Occurrence("vid00000001", 12.0, "the forgetting curve")
_HIT = SearchHit("vid00000001", "Memory", "", 40.0, 50.0, "spaced review", 0.5)


@pytest.mark.parametrize("said, related, nearest, heading", [
    ([_PLACE], [_HIT], [], "Passages about it:"),
    ([], [_HIT], [], NOT_SAID_RELATED),  # never headed as if the words were said
    ([], [], [_HIT], NOT_SAID),
    ([_PLACE], [], [], "No other passage of this video is about it."),  # the places say it all, and that is said
    ([], [], [], "No matching passages."),
])
def test_a_findings_heading_says_what_its_passages_are(said, related, nearest, heading):
    assert Finding(said, related, nearest).heading == heading


@pytest.mark.parametrize("kind, said", [("manual", "by the creator"), ("auto", "automatic"),
                                        ("whisper:tiny.en", "transcribed here"), ("unknown", None)])
def test_who_wrote_the_captions_reads_the_same_in_the_cli_and_the_app(kind, said):
    from yt_transcript.ingest.models import VideoMeta

    assert VideoMeta("abcdefghijk", "Talk", caption_kind=kind).captions == said


@pytest.mark.parametrize("language, english", [("en", True), ("en-US", True), ("EN-gb", True), (None, True),
                                               ("fr", False), ("de-DE", False)])
def test_which_captions_read_as_english(language, english):
    from yt_transcript.ingest.models import VideoMeta

    assert VideoMeta("abcdefghijk", "Talk", language=language).english is english

