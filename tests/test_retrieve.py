import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yt_transcript import Library
from yt_transcript.ingest import storage
from yt_transcript.ingest.errors import (
    ChannelNotIndexed,
    EmbeddingModelMismatch,
    EmptyQuestion,
    NoUploadDates,
    VideoNotIndexed,
)
from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta
from yt_transcript.ingest.pipeline import Ingestor
from yt_transcript.ingest.youtube import YouTubeClient
from yt_transcript.rag import retrieve
from yt_transcript.rag.retrieve import SearchOptions

from .conftest import FakeEmbedder

TALKS = {
    "aaaaaaaaaaa": ("Cooking pasta", "Chef", "2020-01-05", ["boil the water with salt", "add the spaghetti and stir"]),
    "bbbbbbbbbbb": ("Neural nets", "Prof", "2021-06-01", ["backpropagation computes the gradient",
                                                         "the loss goes down"]),
    "ccccccccccc": ("Baking bread", "Chef", "2022-03-10", ["knead the dough", "the oven must be hot"]),
}


def add(ingestor, vid, title, channel, date, lines, step=30.0):
    snippets = [Snippet(text, i * step, i * step + step) for i, text in enumerate(lines)]
    ingestor.index(Transcript(VideoMeta(vid, title, channel=channel, upload_date=date), snippets))


@pytest.fixture
def ingestor(settings, library, fake_embedder):
    return Ingestor(settings, library.storage, lambda: fake_embedder, YouTubeClient(retries=0))


@pytest.fixture
def filled(ingestor, library):
    for vid, talk in TALKS.items():
        add(ingestor, vid, *talk)
    return library


def test_search_ranks_and_links(filled, fake_embedder):
    hits = filled.search("backpropagation computes the gradient", k=2)
    top = hits[0]
    assert (top.video_id, top.title, top.channel) == ("bbbbbbbbbbb", "Neural nets", "Prof")
    assert top.url == f"https://www.youtube.com/watch?v=bbbbbbbbbbb&t={int(top.start_s)}s"
    assert top.score >= hits[1].score
    assert set(top.to_dict()) >= {"video_id", "title", "start", "end", "text", "score", "url"}


def test_video_channel_and_date_filters(filled, fake_embedder):
    hits = filled.search("gradient", videos=["aaaaaaaaaaa"], k=10)
    assert hits and {h.video_id for h in hits} == {"aaaaaaaaaaa"}
    hits = filled.search("gradient", channel="chef", k=10)
    assert hits and {h.video_id for h in hits} == {"aaaaaaaaaaa", "ccccccccccc"}
    with pytest.raises(ChannelNotIndexed, match="Known channels: Chef, Prof"):
        filled.search("gradient", channel="nobody")
    opts = SearchOptions(since="2021-01-01", until="2021-12-31", k=10)
    assert {h.video_id for h in filled.search("the", options=opts)} == {"bbbbbbbbbbb"}


def test_a_date_filter_over_videos_without_dates_says_so(filled, ingestor, fake_embedder):
    add(ingestor, "ddddddddddd", "Undated", "Nobody", None, ["gradient descent without a date"])
    with pytest.raises(NoUploadDates, match="the video searched has no upload date"):
        filled.search("gradient", videos=["ddddddddddd"], since="2020-01-01")
    assert filled.search("gradient", since="2020-01-01", k=10)  # some have dates: the filter chooses among them


def test_unknown_video(filled, fake_embedder):
    with pytest.raises(VideoNotIndexed, match="not in the library"):
        filled.search("x", videos=["zzzzzzzzzzz"])


def test_other_model_is_refused(filled):
    other = Library(filled.settings, embedder=FakeEmbedder(name="other-model"), storage=filled.storage)
    with pytest.raises(EmbeddingModelMismatch):
        other.search("gradient")


def test_removed_video_disappears(filled, fake_embedder):
    filled.remove("bbbbbbbbbbb")
    assert all(h.video_id != "bbbbbbbbbbb" for h in filled.search("gradient loss", k=10))
    assert filled.storage.catalog.lexical_search(["backpropagation"], 10) == []
    with pytest.raises(VideoNotIndexed):
        filled.remove("bbbbbbbbbbb")


def test_blank_query(filled, fake_embedder):
    with pytest.raises(EmptyQuestion, match="the search is empty"):
        filled.search("   ")


class BlindEmbedder(FakeEmbedder):
    """Every text gets the same vector: dense retrieval can tell nothing apart."""

    def _encode(self, texts):
        return [[1.0] + [0.0] * (self.dims - 1) for _ in texts]


def test_lexical_retrieval_finds_exact_words_dense_misses(ingestor, library):
    blind = BlindEmbedder(name="fake-embedder")
    ingestor._embedder = blind
    for i in range(12):
        add(ingestor, f"vid{i:08d}", f"Talk {i}", "C", None, [f"ordinary words number {i} and more filler"])
    add(ingestor, "needle00001", "Needle", "C", None, ["we discussed Magikarp tokens today"])
    lib = Library(library.settings, embedder=blind, storage=library.storage)
    lexical_only = lib.search("magikarp", options=SearchOptions(dense=False, k=3))
    hybrid = lib.search("Magikarp?", options=SearchOptions(k=3))
    assert [h.video_id for h in lexical_only] == ["needle00001"]  # no other chunk has the word
    assert hybrid[0].video_id == "needle00001"  # and fusion keeps it on top of the blind dense ranking


def test_lexical_index_stems_and_ignores_case(filled):
    terms = retrieve._match_terms("KNEADING Doughs!")
    assert filled.storage.catalog.lexical_search(terms, 5)[0].startswith("ccccccccccc")


@pytest.mark.parametrize("query, terms", [
    ("What is Moravec's paradox?", ["moravec", "paradox", "moravec s paradox"]),
    ("Why don't models know what they’re saying", ["don't", "models", "saying", "don't models"]),
    ("it's the model's fault", ["model", "fault", "model s fault"]),
    ("you're it", ["you're", "it"]),  # nothing but function words: looked up as said
    ("Moravec‘s paradox", ["moravec", "paradox", "moravec s paradox"]),  # apostrophes as typed or pasted
    ("Moravec`s paradox", ["moravec", "paradox", "moravec s paradox"]),
])
def test_contractions_and_possessives_give_no_one_letter_terms(query, terms):
    # "t" and "s" alone would match most of a library, cost a library-wide bm25 pass and rank nothing.
    assert retrieve._match_terms(query) == terms
    assert all(len(t) > 1 for t in retrieve._match_terms(query) + retrieve.content_terms(query))


def test_a_possessive_query_finds_the_phrase_as_captions_write_it(ingestor, library):
    add(ingestor, "eeeeeeeeeee", "Robots", "C", None, ["Moravec's paradox says hard things are easy for robots."])
    add(ingestor, "fffffffffff", "Other", "C", None, ["It's a paradox that's said here, and it's not Moravec."])
    terms = retrieve._lexical_terms(library.storage, "moravec’s paradox")
    assert terms["moravec s paradox"] == 1  # the phrase finds the one chunk that says it
    assert library.storage.lexical_search(terms, 5, None)[0].startswith("eeeeeeeeeee")


def test_timestamp_points_at_the_matching_sentence(ingestor, library, fake_embedder):
    lines = ["Welcome to the show everyone, today is a long one.",
             "First we talk about the weather in the mountains and rivers.",
             "Then the answer: photosynthesis converts sunlight into chemical energy in plants.",
             "Finally we wrap up with some closing notes for everyone here."]
    add(ingestor, "ddddddddddd", "Talk", "C", None, lines, step=10.0)
    (hit,) = library.search("photosynthesis sunlight chemical energy plants", k=1)
    assert hit.chunk_start_s == 0.0  # one chunk holds the whole talk
    assert hit.start_s == 20.0  # but the hit points at the sentence that answers
    assert hit.to_dict()["match"] == lines[2]  # and says which one it is
    assert hit.from_match == " ".join(lines[2:])  # what plays from the link on
    unlocated = library.search("photosynthesis sunlight chemical energy plants",
                       options=SearchOptions(locate=False, k=1))
    assert unlocated[0].start_s == 0.0
    assert unlocated[0].match is None and unlocated[0].from_match == unlocated[0].text


def test_an_unpunctuated_hit_reads_without_fillers_and_still_marks_its_match(ingestor, library):
    lines = ["welcome to the show everyone today is a long one", "uh so first we talk about the weather um",
             "then uh i think photosynthesis converts sunlight", "into chemical energy in plants you know",
             "finally we wrap up with some closing notes"]
    add(ingestor, "eeeeeeeeeee", "Talk", "C", None, lines, step=10.0)
    (hit,) = library.search("photosynthesis sunlight chemical energy plants", k=1)
    assert " uh " not in f" {hit.text} " and " um " not in f" {hit.text} " and "you know" not in hit.text
    assert "then I think photosynthesis converts sunlight" in hit.text  # the words as said, "I" as written
    assert hit.from_match.startswith(hit.to_dict()["match"]) and "photosynthesis" in hit.to_dict()["match"]
    assert hit.text[hit.match[0]:].startswith("then I think photosynthesis")  # the window the match starts on


def test_another_languages_hit_is_shown_as_said(ingestor, library):
    from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta

    lines = ["er hat um zehn uhr gesagt dass die die kinder kommen", "photosynthese macht aus licht energie"]
    ingestor.index(Transcript(VideoMeta("fffffffffff", "Vortrag", language="de"),
                              [Snippet(t, 10.0 * i, 10.0 * i + 10) for i, t in enumerate(lines)]))
    (hit,) = library.search("er hat um zehn uhr gesagt", k=1)
    assert "er hat um zehn uhr gesagt dass die die kinder" in hit.text  # German "er", "um": no fillers here


def _chunk(lines: list[str]):
    from yt_transcript.ingest.chunking import _join_with_units
    from yt_transcript.ingest.models import Chunk

    text, units = _join_with_units([Snippet(t, 2.0 * i, 2.0 * i + 2) for i, t in enumerate(lines)])
    return Chunk("v:g:00000", "v", "g", 0, text, 0.0, 2.0 * len(lines), None, units)


L0, L1, L2, L3 = ("so what we're going to do is", "group this pair into a new symbol",
                  "and rewrite every single pair with it", "and then we iterate this algorithm")


@pytest.mark.parametrize("lines, expected", [
    # Unpunctuated ASR: a caption line is matched together with the lines after it, up to ~15 words.
    ([L0, L1, L2, L3], [(0.0, f"{L0} {L1} {L2}", [0, 1, 2]), (2.0, f"{L1} {L2} {L3}", [1, 2, 3]),
                        (4.0, f"{L2} {L3}", [2, 3]), (6.0, L3, [3])]),
    # Punctuated text: each sentence on its own.
    (["We group this pair into a new symbol.", "Then we rewrite every pair with it."],
     [(0.0, "We group this pair into a new symbol.", [0]), (2.0, "Then we rewrite every pair with it.", [1])]),
])
def test_match_windows(lines, expected):
    import numpy as np

    chunk = _chunk(lines)
    spans, vectors = retrieve._windows(chunk, np.eye(len(chunk.units), 8, dtype=np.float32))
    assert [(start, chunk.text[a:b]) for start, a, b in spans] == [(start, text) for start, text, _ in expected]
    for row, (_, _, members) in zip(vectors, expected):
        want = np.zeros(8)
        want[members] = 1 / np.sqrt(len(members))  # the normalised sum of the member lines' vectors
        assert np.allclose(row, want)


def test_adjacent_hits_are_merged(ingestor, library, fake_embedder, settings):
    settings.ingest.chunk_target_tokens = 16
    settings.ingest.chunk_overlap_tokens = 8
    lines = [f"gradient descent step {i} lowers the loss" for i in range(12)]
    add(ingestor, "eeeeeeeeeee", "GD", "C", None, lines, step=4.0)
    merged = library.search("gradient descent lowers the loss", k=10)
    raw = library.search("gradient descent lowers the loss", options=SearchOptions(merge=False, k=10))
    assert len(raw) > len(merged)
    starts = sorted(h.start_s for h in merged)
    assert all(b - a >= retrieve._MERGE_GAP_S for a, b in zip(starts, starts[1:]))


def test_library_wide_results_are_diversified(ingestor, library, fake_embedder):
    filler = " ".join(f"w{n}" for n in range(30))
    add(ingestor, "fffffffffff", "Long", "C", None,  # one long video that matches everywhere
        [f"sorting algorithms quicksort part {j} {filler}" for j in range(40)], step=40.0)
    add(ingestor, "ggggggggggg", "Other", "C", None, ["a short note on sorting algorithms"])
    hits = library.search("sorting algorithms quicksort", k=3)
    assert "ggggggggggg" in [h.video_id for h in hits]
    one_video = library.search("sorting algorithms quicksort", videos=["fffffffffff"], k=3)
    assert [h.video_id for h in one_video] == ["fffffffffff"] * 3


def test_a_small_library_is_searched_exactly_and_alike_to_chroma(filled, fake_embedder, monkeypatch):
    options = SearchOptions(k=10, lexical=False)
    exact = [(h.chunk_id, h.start_s) for h in filled.search("the gradient of salt", options=options)]
    monkeypatch.setattr(storage, "_EXACT_MAX", 0)
    chroma = [(h.chunk_id, h.start_s) for h in filled.search("the gradient of salt", options=options)]
    assert exact and exact == chroma  # a small index: HNSW finds every neighbour, so the two agree here


def test_filtered_brute_force_matches_chroma(filled, fake_embedder, monkeypatch):
    options = SearchOptions(video_ids=["aaaaaaaaaaa", "bbbbbbbbbbb"], k=10, lexical=False)
    brute = [(h.chunk_id, h.start_s) for h in filled.search("the gradient of salt", options=options)]
    monkeypatch.setattr(storage, "_EXACT_MAX", 0)  # past the exact scan: Chroma's routes
    monkeypatch.setattr(storage, "_POST_FILTER_SHARE", 2.0)  # never search-then-filter
    monkeypatch.setattr(storage, "_BRUTE_FORCE_MAX", 0)  # force Chroma's where filter
    chroma = [(h.chunk_id, h.start_s) for h in filled.search("the gradient of salt", options=options)]
    monkeypatch.setattr(storage, "_POST_FILTER_SHARE", 0.0)  # search everything, then drop other videos
    post = [(h.chunk_id, h.start_s) for h in filled.search("the gradient of salt", options=options)]
    assert brute == chroma == post and brute


@pytest.mark.parametrize("counts, budget, kept", [
    ({"a": 10, "b": 5, "c": 1}, 100, ["c", "b", "a"]),  # under budget: everything, rarest first
    ({"a": 60, "b": 30, "c": 20}, 55, ["c", "b"]),  # the commonest term is dropped
    ({"a": 900, "b": 800, "c": 700}, 10, ["c", "b"]),  # never fewer than two
    ({"a": 0, "b": 800, "c": 700}, 10, ["c", "b"]),  # a term matching nothing is not scored
])
def test_lexical_terms_within_budget(counts, budget, kept):
    assert storage.within_budget(counts, budget) == kept


def test_match_counts_follow_the_stemmed_index(filled):
    counts = filled.storage.term_counts(["kneading", "knead", "zzzz", '"unbalanced', "NEAR(x", "knead OR *"])
    assert counts["kneading"] == counts["knead"] > 0  # porter stems both to one term
    assert counts["zzzz"] == 0 and counts['"unbalanced'] == 0  # no match, and no query syntax...
    assert counts["NEAR(x"] == 0 and counts["knead OR *"] == 0  # ...ever applies: terms are phrases


def test_library_wide_lexical_search_drops_common_words_at_scale(filled, fake_embedder, monkeypatch):
    seen = []
    catalog = filled.storage.catalog
    real = catalog.lexical_search
    monkeypatch.setattr(catalog, "lexical_search", lambda t, n, v=None: seen.append(t) or real(t, n, v))
    monkeypatch.setattr(storage, "_LEXICAL_BUDGET", 0)
    hits = filled.search("knead the dough in the oven, it must be hot", k=3)
    assert len(seen[-1]) == 2  # only the two rarest matching terms are scored
    assert hits[0].video_id == "ccccccccccc"


@pytest.mark.parametrize("items, present, added", [
    (["dataset"], {"data set": 3}, {"data set": 3}),  # ASR splits the compound
    (["chatgpt"], {"chat gpt": 2, "chatg pt": 1}, {"chat gpt": 2}),  # the most frequent split wins
    (["data set", "data", "set"], {"dataset": 4}, {"dataset": 4}),  # another video joins it
    (["nowhere"], {"now here": 9}, {}),  # never split off a stopword
    (["llama"], {"ll ama": 1}, {}),  # short words stay whole
])
def test_respellings(items, present, added):
    counts = {i: 0 for i in items}
    assert retrieve._respellings(items, counts, lambda cands: {c: present.get(c, 0) for c in cands}) == added


def test_query_compound_finds_the_split_spelling(ingestor, library, fake_embedder):
    add(ingestor, "dddddddddd1", "Deep dive", "K", None,
        ["the pre-training data set is fifteen trillion tokens", "then we talk about something else"])
    add(ingestor, "dddddddddd2", "Other", "K", None, ["cooking pasta tonight", "a sauce of tomatoes"])
    hits = library.search("How big is the pretraining dataset?",  # lexical only: no shared word
                  options=SearchOptions(dense=False, k=2))
    assert [h.video_id for h in hits] == ["dddddddddd1"]


def test_locating_reads_split_compounds_as_the_query_word(ingestor, library, fake_embedder):
    # Unpunctuated ASR lines of 15+ words, so each is a window of its own.
    lines = ["so the first thing we do here is download a big pile of web pages from the internet",
             "and that pile becomes the pre-training data set which is what the network reads over and over",
             "then we look at how the neural network itself is laid out and what it computes in the end"]
    add(ingestor, "eeeeeeeeeee", "Lecture", "K", None, lines, step=10.0)
    (hit,) = library.search("pretraining dataset", k=1)
    assert hit.start_s == 10.0  # the line that says "pre-training data set", though no word of it is the query's


def test_a_search_that_straddles_a_reingest_asks_again_rather_than_answer_nothing(ingestor, library, monkeypatch):
    """The candidates' ids came from the old generation, which a re-ingest replaced before they were read."""
    for vid, talk in TALKS.items():
        add(ingestor, vid, *talk)
    real_chunks = library.storage.chunks
    reads = []

    def replaced_once(ids):
        reads.append(ids)
        return {} if len(reads) == 1 else real_chunks(ids)

    monkeypatch.setattr(library.storage, "chunks", replaced_once)
    hits = library.search("knead the dough", k=1)
    # The candidates are read twice (a third read is the next chunk, read on past a match at a chunk's end).
    assert reads[0] == reads[1] and hits and hits[0].video_id == "ccccccccccc"


@pytest.mark.parametrize("text, following, at", [
    ("a b c d e f g h", "f g h i j k", len("f g h")),  # the next chunk opens with this one's last lines
    ("one two three four five six seven", "two three four five six seven eight", len("two three four five six seven")),
    ("a b c", "x y z", 0),  # no overlap (a chapter starts): all of it follows
    ("a b c", "c d e", 0),  # one shared word is chance, not an overlap
    ("we train the model", "the models are big", 0),  # whole words only
    ("", "x y z", 0),
])
def test_where_the_next_chunk_goes_on(text, following, at):
    assert retrieve._continues_at(text, following) == at


def _long_talk(ingestor):
    # Every line a sentence; many lines, so the talk is cut into several chunks that overlap.
    lines = [f"In part {n} we look at topic number {n} and the way it links to the next part." for n in range(60)]
    lines[20] = "The secret ingredient is smoked paprika, and it changes everything"
    lines[21] = "about the stew once it simmers for an hour with the beans and the stock."
    add(ingestor, "ddddddddddd", "Stews", "Chef", "2023-01-01", lines, step=6.0)
    return lines


def test_a_match_at_a_chunk_end_reads_on_to_the_end_of_its_sentence(ingestor, library, fake_embedder, monkeypatch):
    lines = _long_talk(ingestor)
    chunks = library.storage.catalog.chunks(
        [r[0] for r in library.storage.catalog._db.execute("SELECT chunk_id FROM chunks WHERE video_id = 'ddddddddddd'")])
    assert len(chunks) > 2
    # The test's lines put a chunk's end inside the sentence of lines 20-21 (the chunker cuts at 256 words).
    ending = next(c for c, _ in chunks.values() if c.text.endswith(lines[20]))
    monkeypatch.setattr(retrieve, "_best_unit", lambda qvec, chunk, *a: (
        chunk.units[-1][0], 1.0, chunk.units[-1][1:]) if chunk.chunk_id == ending.chunk_id else (chunk.start_s, 0.0, None))
    options = SearchOptions(video_ids=["ddddddddddd"], k=10, merge=False)
    [hit] = [h for h in library.search("smoked paprika", options=options) if h.chunk_id == ending.chunk_id]
    assert hit.from_match == f"{lines[20]} {lines[21]}"  # read on to the sentence's end, and no further
    assert hit.text.count(lines[20]) == 1  # the next chunk's overlap is not repeated
    assert hit.end_s == pytest.approx(22 * 6.0)


def test_a_match_with_enough_words_after_it_is_shown_as_it_is(ingestor, library, fake_embedder):
    _long_talk(ingestor)
    hits = library.search("topic number 3", options=SearchOptions(video_ids=["ddddddddddd"], k=10, merge=False))
    chunks = library.storage.chunks([h.chunk_id for h in hits])
    roomy = [h for h in hits if h.match
             and len(chunks[h.chunk_id][0].text[h.match[0]:].split()) >= retrieve._READ_ON_WORDS]
    assert roomy and all(h.text == chunks[h.chunk_id][0].text for h in roomy)


_WORDS = ["data", "set", "dataset", "pre", "training", "the", "tokenizer", "a", "Model", "models", "GPT2", "x",
          "pre-training", "it's", "GPT-2.", "data,set", "(tokenizer)"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30), st.data())
def test_window_overlaps_read_once_equal_each_window_read_alone(words, data):
    text = " ".join(words)
    bounds = [0] + [m.end() for m in re.finditer(r"\S+", text)]
    cuts = data.draw(st.lists(st.tuples(st.integers(0, len(bounds) - 1), st.integers(0, len(bounds) - 1)),
                              min_size=1, max_size=8))
    spans = [(0.0, bounds[min(i, j)] + (1 if min(i, j) else 0), bounds[max(i, j)]) for i, j in cuts]
    terms = retrieve.content_terms("dataset pretraining tokenizer models gpt2 data it's")
    idf = {t: float(k + 1) for k, t in enumerate(terms)}
    slow = [sum(idf[t] for t in terms if t in retrieve._words(text[a:b])) for _, a, b in spans]
    assert retrieve._window_overlaps(text, spans, terms, idf).tolist() == slow
