import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta
from yt_transcript.ingest.pipeline import Ingestor
from yt_transcript.ingest.youtube import YouTubeClient
from yt_transcript.rag.expansion import _GLUE, acronyms, expand_query, spoken_form, tally
from yt_transcript.rag.retrieve import SearchOptions

RLHF_FROM = "so this is reinforcement learning from human feedback and it works"
RLHF_WITH = "we call it reinforcement learning with human feedback in the paper"


@pytest.mark.parametrize("query, found", [
    ("What is RLHF?", ["rlhf"]),
    ("why are LLMs bad at spelling", ["llm"]),  # a plural s is not a letter
    ("what is rlhf", ["rlhf"]),  # typed lower-case: no vowel
    ("Is RL better than SFT for this?", ["rl", "sft"]),
    ("Nervous vs. Endocrine Systems", []),  # "vs" has no vowel but two letters are too few
    ("What is a Transformer?", []),
    ("how does the rhythm work", []),  # a vowel-less six-letter word is no acronym
    ("GPT and gpt", ["gpt"]),
    ("RLHF", ["rlhf"]),
    ("HOW DOES THIS WORK", []),  # shouted: no word stands out
    ("AI vs ML vs RL vs NLP, and CNN?", ["ai", "ml", "rl"]),  # at most three looked up
])
def test_acronyms(query, found):
    assert acronyms(query) == found


def spelled_out(letters: str, texts: list[str]) -> list[str]:
    """The spoken form of the letters in a library whose videos' transcripts are the texts."""
    return spoken_form([(phrase, wording, said, defined) for text in texts
                        for found, phrase, wording, said, defined in tally(text) if found == letters])


@pytest.mark.parametrize("letters, texts, wordings", [
    # Said three times in one talk, two wordings: one phrase, commonest wording first.
    ("rlhf", [" ".join([RLHF_FROM, "then came", RLHF_FROM.replace("so this is", "the idea of"), RLHF_WITH])],
     ["reinforcement learning from human feedback", "reinforcement learning with human feedback"]),
    # Said once in each of three talks: in each, a chance run of initials as far as it can tell.
    ("rlhf", [RLHF_FROM, RLHF_FROM.replace("so this is", "the idea of"), RLHF_WITH], []),
    # Two talks each say it once with the letters beside it: two speakers defining it.
    ("rlhf", ["we use reinforcement learning from human feedback or rlhf",
              "reinforcement learning from human feedback or rlhf and then we train"],
     ["reinforcement learning from human feedback"]),
    # Twice in one talk, with the acronym said beside it once: a speaker defining it.
    ("ami", ["we want advanced machine intelligence or AMI for short and "
             "the path to advanced machine intelligence goes through world models"], ["advanced machine intelligence"]),
    # Twice by coincidence of initials, the acronym never beside it.
    ("gpt", ["that is a good prompt though I think okay good prompt though anyway"], []),
    # An article or "to" never stands inside an expansion: "create a neural network" is no CNN.
    ("cnn", ["create a neural network then create a neural network we create a neural network here"], []),
    # Two readings said as often as each other: no winner.
    ("ml", ["machine learning is fun more machine learning and machine learning again "
            "mixed loads here so mixed loads with mixed loads"], []),
    ("mlp", ["a multi layer perceptron the multi layer perceptrons this multi layered perceptron"],
     ["multi layer perceptron", "multi layer perceptrons", "multi layered perceptron"]),
    ("mlp", [], []),
])
def test_spelled_out(letters, texts, wordings):
    found = spelled_out(letters, texts)
    assert sorted(found) == sorted(wordings)
    if found:
        assert found[0] == wordings[0]


_WORDS = st.sampled_from("reinforcement learning from human feedback the a of model data fine tuning "
                         "supervised rapid eye movement large language we so".split())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_WORDS, max_size=40).map(" ".join), max_size=8),
       st.sampled_from(["rlhf", "sft", "rem", "llm", "rl"]))
def test_every_wording_spells_the_letters_and_was_said(texts, letters):
    for wording in spelled_out(letters, texts):
        content = [w for w in wording.split() if w not in _GLUE]
        assert "".join(w[0] for w in content) == letters
        assert any(re.search(rf"\b{re.escape(wording)}\b", t.lower()) for t in texts)


def _add(ingestor, vid, lines):
    snippets = [Snippet(text, i * 30.0, i * 30.0 + 30.0) for i, text in enumerate(lines)]
    ingestor.index(Transcript(VideoMeta(vid, f"talk {vid}", channel="c"), snippets))


@pytest.fixture
def lectures(settings, library, fake_embedder):
    ingestor = Ingestor(settings, library.storage, lambda: fake_embedder, YouTubeClient(retries=0))
    filler = [f"unrelated remark number {n} about cooking pasta and the weather" for n in range(12)]
    # One lecture defines the idea in full words and never says the letters (ASR wrote them "rhf").
    _add(ingestor, "aaaaaaaaaaa", filler[:4] + [
        "the rhf idea " + RLHF_FROM, "pretraining comes first and then the base model",
        "the upside of " + RLHF_FROM + " is that it scales",
    ] + filler[4:8] + ["we are done with reinforcement learning from human feedback for today"])
    # Another says the letters far more often than the words.
    _add(ingestor, "bbbbbbbbbbb", ["RLHF is everywhere", "we tried RLHF", "RLHF again", "more RLHF",
                                   "RLHF helps", "some say reinforcement learning from human feedback"] + filler[8:])
    return library


def test_a_lecture_that_says_the_words_gets_them_added(lectures):
    storage = lectures.storage
    assert expand_query(storage, "What is RLHF?", ["aaaaaaaaaaa"]) == (
        "What is RLHF? (reinforcement learning from human feedback)")
    assert expand_query(storage, "What is RLHF?", ["bbbbbbbbbbb"]) == "What is RLHF?"  # it says "RLHF"
    assert expand_query(storage, "what is pasta", None) == "what is pasta"


def test_the_expanded_query_lands_on_the_words_the_letters_miss(lectures):
    def top(expand):
        hits = lectures.search("RLHF", options=SearchOptions(video_ids=["aaaaaaaaaaa"], k=1, expand=expand))
        start, end = hits[0].match
        return hits[0].text[start:end], hits[0].relevance

    expanded, relevance = top(True)
    assert "human feedback" in expanded
    assert relevance > top(False)[1]  # the letters alone match the lecture's words less well


def test_term_counts_within_some_videos(lectures):
    storage = lectures.storage
    whole = storage.term_counts(["rlhf", "human feedback"])
    within_a = storage.term_counts(["rlhf", "human feedback"], ["aaaaaaaaaaa"])
    within_b = storage.term_counts(["rlhf", "human feedback"], ["bbbbbbbbbbb"])
    assert within_a["rlhf"] == 0 and within_a["human feedback"] > 0
    assert within_b["rlhf"] == whole["rlhf"] > 0
    assert within_a["human feedback"] + within_b["human feedback"] == whole["human feedback"]
    # Past the per-video limit the filter is a join, and counts the same.
    many = ["aaaaaaaaaaa", "bbbbbbbbbbb"] + [f"x{n:010d}" for n in range(60)]
    assert storage.term_counts(["rlhf", "human feedback"], many) == whole


def test_each_transcript_is_read_once_and_again_when_it_changes(lectures, settings, fake_embedder):
    storage = lectures.storage
    assert {v for v, _ in storage.unread_initialisms()} == {"aaaaaaaaaaa", "bbbbbbbbbbb"}
    expand_query(storage, "What is RLHF?", None)
    assert storage.unread_initialisms() == []
    assert {w for _, w, _, _ in storage.initialisms("rlhf")} >= {"reinforcement learning from human feedback"}
    # Re-ingested without the phrase: read again, and the old transcript's phrases no longer count.
    ingestor = Ingestor(settings, storage, lambda: fake_embedder, YouTubeClient(retries=0))
    _add(ingestor, "aaaaaaaaaaa", ["the talk was cut to pasta recipes only"] * 3)
    assert [v for v, _ in storage.unread_initialisms()] == ["aaaaaaaaaaa"]
    assert expand_query(storage, "What is RLHF?", ["aaaaaaaaaaa"]) == "What is RLHF?"
    assert storage.unread_initialisms() == []
    lectures.remove("bbbbbbbbbbb")
    assert storage.initialisms("rlhf") == []


def test_a_read_only_catalog_from_before_initialisms_spells_out_nothing(tmp_path):
    from .conftest import catalog_from_before

    catalog = catalog_from_before(tmp_path, "initialisms")
    assert catalog.initialisms("rlhf") == []
    catalog.close()


def test_a_video_that_cannot_be_read_leaves_the_search_working(lectures, monkeypatch):
    from yt_transcript.ingest.errors import VideoNotIndexed

    storage = lectures.storage
    real = storage.transcript
    monkeypatch.setattr(storage, "transcript", lambda v: (_ for _ in ()).throw(VideoNotIndexed(v))
                        if v == "bbbbbbbbbbb" else real(v))
    assert expand_query(storage, "What is RLHF?", ["aaaaaaaaaaa"]).endswith("(reinforcement learning from human feedback)")
    assert [v for v, _ in storage.unread_initialisms()] == ["bbbbbbbbbbb"]  # read on a later look-up
