import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yt_transcript.ingest.errors import VideoNotIndexed
from yt_transcript.ingest.models import Snippet
from yt_transcript.rag.occurrences import _camel_split, occurrences


def _lines(*texts):
    return [Snippet(t, 10.0 * i, 10.0 * i + 10.0) for i, t in enumerate(texts)]


@pytest.mark.parametrize("lines, words, found", [
    (["how many r are there in", "strawberry well three"], "strawberry",
     [(10.0, "… r are there in strawberry well three")]),  # with the words just before it
    (["Strawberries, anyone?"], "strawberry", [(0.0, "Strawberries, anyone?")]),  # case, punctuation, plural
    (["the tokens here"], "token", [(0.0, "the tokens here")]),
    (["I like movies"], "movie", [(0.0, "I like movies")]),
    (["two classes"], "class", [(0.0, "two classes")]),
    (["this is it"], "thi", []),  # "this" is no plural
    (["we don\u2019t know"], "don't know", [(0.0, "we don\u2019t know")]),  # the apostrophe's shape
    # A phrase over line breaks is found once, on the line it starts on, with the lines it runs over.
    (["what's called reinforcement", "learning from", "Human feedback and so"], "reinforcement learning from human feedback",
     [(0.0, "what's called reinforcement learning from Human feedback and so")]),
    (["learning from human", "feedback"], "reinforcement learning", []),  # in order, or not at all
    (["a strawberry and a strawberry"], "strawberry", [(0.0, "a strawberry and a strawberry")]),  # a line once
    (["the straw hat"], "strawberry", []),  # words, not letters
    (["the straw", "berry"], "strawberry", [(0.0, "the straw berry")]),  # a compound the captions spaced
    # A word written in CamelCase is also found as captions of speech spell it, and as written.
    (["the token solid gold", "Magikarp is"], "SolidGoldMagikarp", [(0.0, "the token solid gold Magikarp is")]),
    (["SolidGoldMagikarp is"], "SolidGoldMagikarp", [(0.0, "SolidGoldMagikarp is")]),
    (["we asked chat GPT"], "ChatGPT", [(0.0, "we asked chat GPT")]),
    (["solid gold"], "SolidGoldMagikarp", []),  # all of its words
    # Said nowhere as a whole word: the last word may start a longer one, as Ctrl-F finds it.
    (["the biopsychological approach"], "Biopsych", [(0.0, "the biopsychological approach")]),
    (["a biopsychological approach"], "biopsych approach", []),  # only the last word
    (["the tokens and the tokenizer"], "token", [(0.0, "the tokens and the tokenizer")]),
    (["the tokenizer"], "tok", []),  # too short to start a longer word
    (["the market and the married"], "Mars", []),  # as typed: "mars", never its singular "mar"
    # A compound is found however it is spelt, joined or spaced.
    (["we add a batch norm layer", "so batchnorm helps"], "batchnorm",
     [(0.0, "we add a batch norm layer so batchnorm helps"), (10.0, "… batch norm layer so batchnorm helps")]),
    (["we add a batch norm layer", "so batchnorm helps"], "batch norm",
     [(0.0, "we add a batch norm layer so batchnorm helps"), (10.0, "… batch norm layer so batchnorm helps")]),
    (["the therapist and the rapist"], "therapist", [(0.0, "the therapist and the rapist")]),  # halves too short
    (["I phone my mum every day"], "iPhone", []),
    (["anything"], "?!", []),
    ([], "strawberry", []),
])
def test_occurrences(lines, words, found):
    assert [(o.start_s, o.text) for o in occurrences("v", _lines(*lines), words)] == found


@pytest.mark.parametrize("written, spoken", [
    ("SolidGoldMagikarp", "Solid Gold Magikarp"),
    ("ChatGPT", "Chat GPT"),
    ("GPTModel", "GPT Model"),
    ("the iPhone", "the iPhone"),  # one lower-case letter marks no word
    ("LLMs", "LLMs"),  # nor does a plural's "s"
    ("APIs and GPTModels", "APIs and GPT Models"),
    ("LLM", "LLM"),
    ("token", "token"),
])
def test_camel_case_splits_where_its_capitals_mark_words(written, spoken):
    assert _camel_split(written) == spoken


def test_a_place_found_by_the_start_of_a_word_says_so():
    [place] = occurrences("v", _lines("the biopsychological approach"), "Biopsych")
    assert place.in_part and place.to_dict()["in_part"]
    [whole] = occurrences("v", _lines("the biopsychological approach"), "biopsychological")
    assert not whole.in_part


_WORDS = st.sampled_from("the model token tokens learns from human feedback a strawberry".split())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=6).map(" ".join), max_size=12),
       st.lists(_WORDS, min_size=1, max_size=3).map(" ".join))
def test_each_place_found_holds_the_words_and_none_is_missed(texts, words):
    lines = _lines(*texts)
    found = occurrences("v", lines, words)
    starts = [o.start_s for o in found]
    assert starts == sorted(set(starts))  # time order, one per line
    norm = [w.rstrip("s") for w in words.split()]
    for o in found:
        assert " ".join(w.rstrip("s") for w in o.text.split()).count(" ".join(norm)) >= 1
    # Every place in the whole text where the words start is on a line that was found.
    flat = [(i, w.rstrip("s")) for i, t in enumerate(texts) for w in t.split()]
    for j in range(len(flat) - len(norm) + 1):
        if [w for _, w in flat[j:j + len(norm)]] == norm:
            assert lines[flat[j][0]].start_s in starts


def test_find_lists_where_the_words_are_said_then_passages_about_them(sample_library):
    video = sample_library.videos()[0].meta.video_id
    word = sample_library.transcript(video).snippets[3].text.split()[-1].strip(".,!?")
    finding = sample_library.with_settings(relevance_threshold=-1.0).find(video, word)
    assert finding.said and all(word.lower() in o.text.lower() for o in finding.said)
    assert all(min(abs(h.start_s - o.start_s) for o in finding.said) >= 20 for h in finding.related)
    assert finding.nearest == []
    assert set(finding.to_dict()) == {"said", "related", "nearest"}


def test_find_says_when_nothing_is_said_or_close(sample_library):
    video = sample_library.videos()[0].meta.video_id
    finding = sample_library.with_settings(relevance_threshold=2.0).find(video, "zyzzyva quasar")
    assert finding.said == [] and finding.related == [] and finding.nearest  # the nearest, marked as such
    with pytest.raises(VideoNotIndexed):
        sample_library.find("nosuchvideo1", "anything")


def test_a_word_alone_on_a_word_timed_line_comes_with_the_words_after_it():
    from yt_transcript.ingest.models import Snippet
    from yt_transcript.rag.occurrences import occurrences

    words = "so the tokenizer splits text into tokens and every token gets an id the model reads".split()
    snippets = [Snippet(w, i * 0.4, (i + 1) * 0.4) for i, w in enumerate(words)]
    (found,) = occurrences("v", snippets, "tokenizer")
    assert found.start_s == 0.8 and found.text.startswith("… so the tokenizer splits text")
    assert len(found.text.split("tokenizer")[1].split()) >= 11


def test_places_in_automatic_captions_can_be_shown_as_read():
    from yt_transcript.ingest.models import Snippet

    lines = [Snippet("okay so today we're going to talk about", 0.0, 3.0),
             Snippet("how memory works uh and why lectures", 3.0, 6.0), Snippet("slip away so fast", 6.0, 9.0)]
    [raw] = occurrences("v", lines, "memory works")
    [read] = occurrences("v", lines, "memory works", as_read=True)
    assert " uh " in raw.text and " uh " not in read.text and read.start_s == raw.start_s == 3.0
    assert read.text.startswith("… ") and "how memory works and why lectures" in read.text
