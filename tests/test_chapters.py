from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yt_transcript.rag.chapters import Unit, boundary_scores, evenly_spaced, segment, snap

from .conftest import FakeEmbedder

TOPICS = [
    "volcano lava magma eruption crater basalt ash tectonic",
    "violin orchestra symphony melody cello conductor rehearsal tempo",
    "bread dough yeast flour oven knead crust baking",
    "satellite orbit rocket launch gravity telescope planet comet",
]


def synthetic(seconds_per_topic: float = 180.0, step: float = 6.0) -> tuple[list[Unit], np.ndarray]:
    """Four distinct topics in a row, a sentence every 6 s, words drawn from each topic's vocabulary."""
    rng = np.random.default_rng(0)
    units = []
    for t, topic in enumerate(TOPICS):
        words = topic.split()
        for k in range(int(seconds_per_topic / step)):
            picked = rng.permutation(words)[:6]  # six of the topic's eight words, in any order
            units.append(Unit(t * seconds_per_topic + k * step, " ".join(picked) + " and so on"))
    vectors = np.asarray(FakeEmbedder(dims=128).embed([u.text for u in units]), dtype=np.float32)
    return units, vectors


def test_segmentation_finds_topic_changes_and_chooses_the_count():
    units, vectors = synthetic()
    starts = segment(units, vectors, duration_s=720.0)
    assert starts[0] == 0.0
    assert boundary_scores(starts, [0, 180, 360, 540], 30)[2] == 1.0, starts
    assert all(any(u.start_s == s for u in units) for s in starts[1:])  # snapped to sentence starts


def test_boundaries_move_from_a_block_gap_to_the_sentence_where_the_topic_turns():
    from yt_transcript.rag.chapters import SegmentParams

    # 38-s blocks do not line up with topics that turn every 190 s.
    units, vectors = synthetic(seconds_per_topic=190.0, step=5.0)
    coarse = SegmentParams(block_share=1 / 20, window_share=1 / 8, refine=0.0)
    assert segment(units, vectors, 760.0, params=coarse) != [0.0, 190.0, 380.0, 570.0]
    assert segment(units, vectors, 760.0, params=replace(coarse, refine=1.0)) == [0.0, 190.0, 380.0, 570.0]


def test_segmentation_with_a_given_count():
    units, vectors = synthetic()
    starts = segment(units, vectors, duration_s=720.0, count=3)
    assert len(starts) == 3 and boundary_scores(starts, [0, 180, 360, 540], 30)[0] == 1.0


def _clustered(sizes: list[int], dims: int = 16, noise: float = 0.05, seed: int = 0) -> np.ndarray:
    """Block vectors: one random direction per chapter, each block a little off it."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(size=dims) + noise * rng.normal(size=(n, dims)) for n in sizes])


@pytest.mark.parametrize("sizes, penalty, min_len, expected", [
    ([5, 5, 5], 1.5, 2, [5, 10]),  # three clean chapters
    ([8, 3, 8], 1.5, 2, [8, 11]),  # a short one in the middle is still its own
    ([3, 8], 1.5, 4, [4]),  # a chapter shorter than allowed: the cut moves to the nearest place allowed
    ([5, 5, 5], 50.0, 2, []),  # a chapter that costs more than it gains is not split off
])
def test_optimal_cuts_table(sizes, penalty, min_len, expected):
    from yt_transcript.rag.chapters import optimal_cuts

    assert optimal_cuts(_clustered(sizes), penalty, min_len) == expected


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 9), min_size=1, max_size=6), min_len=st.integers(1, 4),
       seed=st.integers(0, 1000))
def test_optimal_cuts_keep_chapters_long_enough_and_fewer_as_they_cost_more(sizes, min_len, seed):
    from yt_transcript.rag.chapters import optimal_cuts

    matrix = _clustered(sizes, noise=0.5, seed=seed)
    counts = []
    for penalty in (0.25, 1.0, 4.0):
        cuts = optimal_cuts(matrix, penalty, min_len)
        edges = [0, *cuts, len(matrix)]
        assert cuts == sorted(set(cuts)) and all(0 < c < len(matrix) for c in cuts)
        if cuts:
            assert all(b - a >= min_len for a, b in zip(edges, edges[1:]))
        counts.append(len(cuts))
    assert counts == sorted(counts, reverse=True)


def test_short_or_empty_input():
    assert segment([], np.zeros((0, 4)), 100.0) == [0.0]
    units, vectors = synthetic(seconds_per_topic=12.0)
    assert segment(units[:2], vectors[:2], 20.0) == [0.0]


@pytest.mark.parametrize("pred, truth, tol, expected", [
    ([0, 100, 200], [0, 100, 200], 30, (1.0, 1.0, 1.0)),
    ([0, 125, 400], [0, 100, 200], 30, (0.5, 0.5, 0.5)),
    ([0, 100, 105], [0, 100], 30, (0.5, 1.0, 2 / 3)),  # one truth boundary matches once
    ([0], [0, 100], 30, (0.0, 0.0, 0.0)),  # predicting nothing earns nothing
    ([0], [0], 30, (1.0, 1.0, 1.0)),
    ([0, 150], [0, 100], 60, (1.0, 1.0, 1.0)),
])
def test_boundary_scores(pred, truth, tol, expected):
    assert boundary_scores(pred, truth, tol) == pytest.approx(expected)


def test_evenly_spaced():
    assert evenly_spaced(100.0, 4) == [0.0, 25.0, 50.0, 75.0]


def test_snap_to_nearest_sentence():
    units = [Unit(0.0, "a"), Unit(9.5, "b"), Unit(21.0, "c")]
    assert snap(12.0, units) == 9.5


def test_topic_titles_are_noun_phrases_in_title_case():
    from yt_transcript.rag.titles import topic_title

    text = ("so today we look at byte pair encoding. byte pair encoding merges the most common pair. "
            "the tokenizer uses byte pair encoding and the tokenizer has a vocabulary. we trained it, "
            "the Tokenizer runs fast and the tokenizer is trained")
    title = topic_title(text, ["the orchestra plays the symphony", "the rocket reaches orbit"])
    assert "," not in title and 2 <= len(title.split()) <= 5
    assert "Byte Pair Encoding" in title and "Tokenizer" in title  # the most frequent spelling, title-cased
    assert not title.lower().endswith(("trained", "runs"))  # no dangling verb


def test_a_topic_said_throughout_outranks_a_name_said_in_one_anecdote():
    from yt_transcript.rag.titles import topic_title

    topic = "the model gives a hallucination when it does not know. "
    anecdote = "orson kovats is a made up person, orson kovats was never real, ask about orson kovats. "
    filler = "we look at how this goes in practice with a few more words here. "
    text = anecdote * 2 + (topic + filler) * 4
    title = topic_title(text, ["the orchestra plays the symphony", "the rocket reaches orbit"])
    assert "Hallucination" in title.split() and "Orson" not in title


@pytest.mark.parametrize("adjective", ["mathematical", "enormous", "useful", "meaningless"])
def test_a_title_does_not_end_on_an_adjective(adjective):
    from yt_transcript.rag.titles import topic_title

    text = f"the tokenizer is {adjective}. " * 6 + "the tokenizer gives us tokens and more tokens. " * 2
    title = topic_title(text, ["the orchestra plays the symphony", "the rocket reaches orbit"])
    assert title == "Tokenizer and Tokens"


def test_a_word_the_talk_uses_as_a_verb_is_no_title_term():
    from yt_transcript.rag.titles import _usage, topic_title

    # "interrogate" and "knows" are said often, but after "we", "to" and "it": verbs, whatever their count.
    text = ("we interrogate the model. we want to interrogate the model and ask it. it knows the answer. "
            "the model knows a fact and it knows another. the training set has facts. we map words to facts. "
            * 3)
    others = ["the orchestra plays the symphony", "the rocket reaches orbit"]
    verbs, _ = _usage([text, *others])
    assert {"interrogate", "knows"} <= verbs and not {"model", "facts", "training"} & verbs  # "to facts": a noun
    title = topic_title(text, others).lower()
    assert "interrogate" not in title and "knows" not in title and "model" in title


def test_half_of_a_phrase_never_stands_alone_in_a_title():
    from yt_transcript.rag.titles import _usage, topic_titles

    # "neural" is only ever said before "network(s)", "seek" only after "deep": each is half of a phrase.
    first = ("the neural network learns. a neural network has weights. neural networks are deep. "
             "deep seek released weights. deep seek is open and deep seek reasons. " * 2)
    texts = [first, "the orchestra plays the symphony " * 3]
    _, halves = _usage(texts)
    assert {"neural", "seek"} <= halves and "weights" not in halves
    words = topic_titles(texts)[0].lower().replace(" and ", "|").split("|")
    assert "neural" not in words and "seek" not in words


_SHOW = [
    "Welcome to Crash Course Psychology. Crash Course is where we learn. Today anxiety and panic attacks, panic "
    "attacks are sudden fear, and anxiety grows.",
    "Phobias are intense fears of snakes or heights. Phobias and snakes, snakes and phobias, fear of heights is "
    "common among phobias.",
    "The stock market crash of 1929 made people anxious. A market crash and a crash in prices, the market crash "
    "led to anxiety and depression.",
    "Thanks for watching Crash Course Psychology. Crash Course is made with our director and our editor, Crash "
    "Course team. Anxiety review.",
]


@pytest.mark.parametrize("channel, with_name", [("CrashCourse", False), ("Crash Course", False), ("", True)])
def test_the_channels_name_names_no_chapter_but_its_words_still_can(channel, with_name):
    from yt_transcript.rag.titles import topic_titles

    titles = topic_titles(_SHOW, own_name=channel)
    assert any("Crash Course" in t for t in titles) is with_name
    assert titles[2] == "Market Crash and Depression"  # "crash" said on its own is still a topic


def test_topic_title_of_an_empty_chapter():
    from yt_transcript.rag.titles import topic_title

    assert topic_title("uh so um", []) == "Untitled"


@pytest.mark.parametrize("term, other, again", [
    ("dreaming", "dreams", True), ("dreamt", "dream", True), ("solutions", "solution", True),
    ("neural network", "networks", True), ("reward model", "dreams", False), ("sleep", "asleep", False),
    ("token", "tokenizer", False),  # another thing, not another form of one
    ("pain", "paint", False), ("bear", "beard", False), ("star", "stared", False), ("learned", "learn", True),
])
def test_two_forms_of_one_word_name_one_thing(term, other, again):
    from yt_transcript.rag.titles import _names_again

    assert _names_again(term, other) is again and _names_again(other, term) is again


def test_optional_gap_signals_find_transitions_and_pauses():
    from yt_transcript.rag.chapters import SegmentParams, gap_pauses, texttiling, transition_strength

    assert transition_strength("okay so next let's talk about gravity") == 1.0
    assert transition_strength("moving on to the second part") == 1.0
    assert transition_strength("the gradient flows backwards here") == 0.0
    # Six-word units every 3 s, then an 8-second silence before the unit at 30 s.
    units = [Unit(t, "one two three four five six") for t in [0, 3, 6, 9, 12, 15, 18, 22, 30, 33, 36, 39]]
    pauses = gap_pauses(units, [0.0, 12.0, 30.0])
    assert pauses[1] > 4 * max(pauses[0], 0.5)
    units_, vectors = synthetic()
    with_all = SegmentParams(lexical=1.0, cues=1.0, pauses=1.0)
    assert boundary_scores(texttiling(units_, vectors, 720.0, with_all), [0, 180, 360, 540], 30)[1] == 1.0


def test_no_two_chapters_of_a_video_get_the_same_title():
    from yt_transcript.rag.titles import _signature, topic_title, topic_titles

    # Two chapters on the same pair of terms, each with its own third term.
    first = "so deep seek is the model here and " * 6 + "the paper is out and " * 2
    second = "so deep seek is the models here and " * 6 + "the arena is up and " * 3
    texts = [first, second, "the orchestra plays the symphony " * 3]
    alone = [topic_title(t, texts[:i] + texts[i + 1:]) for i, t in enumerate(texts)]
    assert _signature(alone[0]) == _signature(alone[1])  # titled one by one, they would name the same terms
    titles = topic_titles(texts)
    assert titles[0] == alone[0] and titles[2] == alone[2]
    assert len({_signature(t) for t in titles}) == 3 and titles[1] == "Deep Seek and Arena"


def test_given_the_model_a_chapter_is_titled_by_the_terms_closest_to_its_meaning():
    from yt_transcript.rag.titles import topic_titles

    # "tanh" is said most, but the chapter is about activation functions; the embedding says which is which.
    text = ("we apply tanh here, tanh again, and tanh once more. " * 3
            + "the activation function of the neuron squashes the output. " * 2)
    texts = [text, "the orchestra plays the symphony " * 3]
    axes = {"activation function": 0, "neuron": 1, "symphony": 2}

    def embed(phrases):
        vectors = np.zeros((len(phrases), 4))
        for i, phrase in enumerate(phrases):
            vectors[i, axes.get(phrase, 3)] = 1.0
        return vectors

    by_counts = topic_titles(texts)[0]
    assert by_counts.startswith("Tanh")
    centroids = np.array([[0.8, 0.6, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
    assert topic_titles(texts, centroids, embed)[0] == "Activation Function and Neuron"


def test_two_halves_of_a_phrase_the_chapter_says_make_that_phrase():
    from yt_transcript.rag.titles import topic_titles

    text = "the neural networks. a neural layer. the deep networks. the neural networks. of weights. the weights. "
    texts = [text * 2, "the orchestra plays the symphony " * 3]  # by meaning: "neural", then "networks"
    order = {"neural": [1.0, 0.0], "networks": [0.9, 0.1], "weights": [0.5, 0.5]}

    def embed(phrases):
        return np.array([order.get(p, [0.0, 1.0]) for p in phrases])

    centroids = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert topic_titles(texts, centroids, embed)[0] == "Neural Networks and Weights"


def test_joining_a_phrase_never_repeats_another_chapters_title():
    from yt_transcript.rag.titles import _compose, _signature

    forms = {t: Counter({t: 1}) for t in ["neural", "networks", "neural networks", "weights"]}
    terms = ["neural", "networks", "neural networks", "weights"]
    assert _compose(terms, forms, taken=set()) == "Neural Networks and Weights"
    taken = {_signature("Neural Networks")}
    assert _signature(_compose(terms, forms, taken=taken)) not in taken


def test_titles_by_meaning_survive_empty_chapters_and_zero_vectors():
    from yt_transcript.rag.titles import topic_titles

    texts = ["the tokenizer splits text into tokens. the tokenizer is fast. " * 2, "", "uh so um"]
    zeros = np.zeros((3, 4))
    titles = topic_titles(texts, zeros, lambda phrases: np.zeros((len(phrases), 4)))
    assert titles[0] == topic_titles(texts)[0]  # nothing to compare: the order by counts stands
    assert titles[1:] == ["Untitled", "Untitled"]
