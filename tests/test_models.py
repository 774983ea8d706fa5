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


_TEXT = ("It's perhaps the most stigmatized disorder of them all, even among psychologists. Maybe because it's "
         "rare, schizophrenia causes more anxiety in the media. As a result, its sufferers are shunned")


@pytest.mark.parametrize("match, shown", [
    # Cut at caption lines: the last word of the sentence before is off, and the sentence reads to its end.
    (("psychologists.", "schizophrenia"), "Maybe because it's rare, schizophrenia causes more anxiety in the media."),
    (("Maybe", "anxiety"), "Maybe because it's rare, schizophrenia causes more anxiety in the media."),
    (("Maybe", "media."), "Maybe because it's rare, schizophrenia causes more anxiety in the media."),  # whole already
    (("It's", "them all,"), "It's perhaps the most stigmatized disorder of them all, even among psychologists."),
    (("As a result", "are shunned"), "As a result, its sufferers are shunned"),  # no end to read on to
])
def test_a_shown_match_is_whole_sentences_where_the_punctuation_says_so(match, shown):
    a = _TEXT.index(match[0])
    b = _TEXT.index(match[1]) + len(match[1])
    hit = SearchHit("vid00000001", "Talk", "", 0.0, 9.0, _TEXT, 0.5, match=(a, b))
    x, y = hit.shown_match
    assert _TEXT[x:y] == shown


def test_an_unpunctuated_match_is_shown_as_it_is():
    text = "so the model predicts the next token and then it samples from that distribution again"
    hit = SearchHit("vid00000001", "Talk", "", 0.0, 9.0, text, 0.5, match=(3, 40))
    assert hit.shown_match == (3, 40) and SearchHit("v", "t", "", 0, 1, text, 0.5).shown_match is None


@pytest.mark.parametrize("text, match, shown", [
    ("and Dr. Smith found that sleep matters. Then we", ("and Dr.", "found"), "and Dr. Smith found that sleep matters."),
    ("So we asked Dr. Smith about it. Then", ("So we", "asked"), "So we asked Dr. Smith about it."),  # no end at "Dr."
    ("one. As a result, its sufferers are shunned.", ("As a", "sufferers"), "As a result, its sufferers are shunned."),
    # A long lower-case opening is the match itself, not the tail of the sentence before.
    ("the tail end of a very long clause here. Maybe it's rare", ("the tail", "rare"),
     "the tail end of a very long clause here. Maybe it's rare"),
])
def test_a_shown_match_knows_abbreviations_and_the_texts_own_end(text, match, shown):
    a, b = text.index(match[0]), text.index(match[1]) + len(match[1])
    x, y = SearchHit("vid00000001", "Talk", "", 0.0, 9.0, text, 0.5, match=(a, b)).shown_match
    assert text[x:y] == shown
