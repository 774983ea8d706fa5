import pytest

from yt_transcript.ingest.captions import read_caption_file
from yt_transcript.ingest.chunking import chunk_transcript
from yt_transcript.ingest.cleaning import clean_snippets
from yt_transcript.ingest.models import Chapter, Snippet

from .conftest import SAMPLE_VTT, SHARED, FakeEmbedder, needs_shared

words = FakeEmbedder().count_tokens


def snippets(n: int, words_each: int = 10, step: float = 3.0) -> list[Snippet]:
    return [Snippet(" ".join(f"w{i}x{j}" for j in range(words_each)), i * step, (i + 1) * step) for i in range(n)]


def test_chunks_follow_snippet_boundaries_and_overlap():
    snips = snippets(40)
    chunks = chunk_transcript("vid", snips, [], words, max_tokens=100, target_tokens=50, overlap_tokens=20)
    starts = {s.start_s for s in snips}
    ends = {s.end_s for s in snips}
    for chunk in chunks:
        assert chunk.start_s in starts and chunk.end_s in ends
        assert len(chunk.text.split()) <= 100
    for a, b in zip(chunks, chunks[1:]):
        assert b.start_s < a.end_s, "neighbours share their boundary snippets"
        assert b.start_s > a.start_s, "chunks advance"
    covered = " ".join(c.text for c in chunks)
    assert all(s.text in covered for s in snips), "no snippet is lost"


def test_ids_are_deterministic_and_change_with_content():
    snips = snippets(20)
    a = chunk_transcript("vid", snips, [], words, max_tokens=100)
    b = chunk_transcript("vid", snips, [], words, max_tokens=100)
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    assert a[0].chunk_id.startswith("vid:") and len({c.chunk_id for c in a}) == len(a)
    changed = chunk_transcript("vid", snips[:-1] + [Snippet("new words", 57.0, 60.0)], [], words, max_tokens=100)
    assert changed[0].generation != a[0].generation


def test_chunks_never_cross_chapters():
    snips = snippets(30)
    chapters = [Chapter("One", 0, 30.0), Chapter("Two", 30.0, 60.0), Chapter("Three", 60.0, 90.0)]
    chunks = chunk_transcript("vid", snips, chapters, words, max_tokens=200, target_tokens=150)
    for chunk in chunks:
        chapter = next(c for c in chapters if c.start_s <= chunk.start_s < c.end_s)
        assert chunk.chapter == chapter.title
        assert chunk.end_s <= chapter.end_s
    assert [c.chapter for c in chunks] == ["One", "Two", "Three"]


def test_long_snippet_is_split_with_interpolated_times():
    long = Snippet(" ".join(f"w{i}" for i in range(500)), 10.0, 110.0)
    chunks = chunk_transcript("vid", [long], [], words, max_tokens=100, overlap_tokens=0)
    assert all(len(c.text.split()) <= 100 for c in chunks)
    assert " ".join(c.text for c in chunks) == long.text
    assert chunks[0].start_s == 10.0 and chunks[-1].end_s == 110.0
    assert all(a.start_s < b.start_s for a, b in zip(chunks, chunks[1:]))


def test_empty_transcript_has_no_chunks():
    assert chunk_transcript("vid", [], [], words, max_tokens=100) == []


@pytest.mark.slow
@needs_shared
@pytest.mark.parametrize("path", [
    "transcripts/karpathy-deep-dive/7xTGNNLPyMI.en-orig.vtt",  # rolling ASR
    "transcripts/karpathy-zero-to-hero/minbpe/zduSFxRajkE.json",  # long Whisper segments, code and symbols
    "transcripts/lex-fridman-333/cdiD-9MMpb0.en-US.srt",
])
def test_real_chunks_fit_the_model_window(real_embedder, path):
    """all-MiniLM-L6-v2 silently truncates after 256 word pieces; no chunk may lose words to that."""
    snips = clean_snippets(read_caption_file(SHARED / path).snippets)
    chunks = chunk_transcript("vid", snips, [], real_embedder.count_tokens, max_tokens=real_embedder.chunk_budget,
                              target_tokens=96, overlap_tokens=24)
    tokenizer = real_embedder._model.tokenizer
    lengths = [len(ids) for ids in tokenizer([c.text for c in chunks], add_special_tokens=True)["input_ids"]]
    assert max(lengths) <= real_embedder.max_tokens
    # And the budget is actually used: chunks are not tiny.
    assert sum(lengths) / len(lengths) > 100


@pytest.mark.slow
def test_oversized_sample_snippet_fits(real_embedder):
    text = " ".join(["antidisestablishmentarianism"] * 120)  # many word pieces per word
    chunks = chunk_transcript("vid", [Snippet(text, 0, 60)], [], real_embedder.count_tokens,
                              max_tokens=real_embedder.chunk_budget)
    tokenizer = real_embedder._model.tokenizer
    assert all(len(tokenizer(c.text)["input_ids"]) <= 256 for c in chunks)
    assert " ".join(c.text for c in chunks) == text


def test_sample_talk_chunks_carry_chapters():
    snips = clean_snippets(read_caption_file(SAMPLE_VTT).snippets)
    chapters = [Chapter("A", 0, 70), Chapter("B", 70, 200)]
    chunks = chunk_transcript("yttSample01", snips, chapters, words, max_tokens=254)
    assert {c.chapter for c in chunks} == {"A", "B"}
