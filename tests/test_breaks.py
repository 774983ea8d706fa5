import hashlib

import numpy as np
import pytest

from yt_transcript.ingest.embedding import DEFAULT_MODEL, OnnxEmbedder, export_onnx, onnx_path_for
from yt_transcript.ingest.models import Snippet, Transcript, VideoMeta
from yt_transcript.ingest.pipeline import Ingestor
from yt_transcript.rag import breaks
from yt_transcript.rag.breaks import break_odds, kept_breaks, read_breaks
from yt_transcript.rag.sentences import words_of

from .conftest import FakeEmbedder
from .test_sentences import asr_snippets

# Our own words, as YouTube's ASR would give them: lower case, no punctuation.
TALK = ("today we are going to look at how a compiler turns source code into machine code "
        "the first stage is called lexing it splits the text into tokens "
        "next the parser builds a tree from those tokens "
        "so why does this matter well every error message you see comes from one of these stages "
        "okay let's start with the lexer")
# Words a sentence ends on (position in TALK.split()).
ENDS = {15, 21, 27, 36, 40, 53, 54, 59}


class ReadingFake(FakeEmbedder):
    """Named as the reader's model, with made-up layer vectors: a vector per word piece from its text."""

    def __init__(self):
        super().__init__(name=DEFAULT_MODEL)
        self.read = 0

    def layer_states(self, texts):
        self.read += 1
        out = []
        for text in texts:
            starts, ends, vectors, at = [], [], [], 0
            for word in text.split(" "):
                seed = int(hashlib.md5(word.encode()).hexdigest()[:8], 16)
                starts.append(at)
                ends.append(at + len(word))
                vectors.append(np.random.default_rng(seed).normal(size=384))
                at += len(word) + 1
            out.append((np.array(starts), np.array(ends), np.array(vectors, dtype=np.float32)))
        return out


@pytest.mark.slow
def test_the_reader_finds_where_sentences_end(real_embedder):
    words = TALK.split()
    odds = break_odds(words, real_embedder)
    assert odds is not None and len(odds) == len(words)
    top = set(np.argsort(-odds)[:5].tolist())
    assert top <= ENDS, [words[k] for k in top - ENDS]
    inside = [k for k in range(len(words)) if k not in ENDS]
    assert odds[sorted(ENDS)].mean() > odds[inside].mean() + 3


@pytest.mark.slow
def test_a_long_transcript_is_read_in_windows_that_agree(real_embedder):
    words = TALK.split() * 6  # several windows: each word is read with context on both sides
    odds = break_odds(words, real_embedder)
    assert odds is not None and np.isfinite(odds).all()
    n = len(TALK.split())
    stages = [k * n + 53 for k in range(6)]
    assert all(odds[k] > np.median(odds) + 3 for k in stages)


@pytest.mark.slow
def test_the_onnx_export_reads_as_the_full_model(real_embedder, tmp_path):
    path = onnx_path_for(tmp_path, real_embedder.name)
    assert export_onnx(real_embedder, path)
    onnx = OnnxEmbedder(real_embedder.name, path, real_embedder._path)
    words = TALK.split()
    assert np.allclose(break_odds(words, onnx), break_odds(words, real_embedder), atol=0.05)


def test_only_the_model_it_was_learned_on_is_read():
    assert break_odds(TALK.split(), FakeEmbedder()) is None  # another model's layers mean nothing to it
    assert break_odds(TALK.split(), FakeEmbedder(name=DEFAULT_MODEL)) is None  # no layers to read


def test_every_word_gets_odds_and_the_windows_cover_the_transcript():
    fake = ReadingFake()
    words = TALK.split() * 5
    odds = break_odds(words, fake)
    assert odds is not None and len(odds) == len(words) and np.isfinite(odds).all()
    # This fake's vectors know no context, so a word's odds depend on it and the next word only: if each word is
    # kept from exactly one window, and its next word is read with it, the talk's repeats get the same odds.
    n = len(TALK.split())
    assert np.allclose(odds[:-n - 1], odds[n:-1], atol=1e-4)  # the last word has no next word
    assert fake.read == 1  # 5 windows, one batch


def test_read_breaks_works_them_out_once_and_keeps_them(settings, library):
    fake = ReadingFake()
    ingest = Ingestor(settings, library.storage, lambda: fake)
    snippets = asr_snippets(TALK)
    ingest.index(Transcript(VideoMeta("asrreader01", "Compilers"), snippets))
    storage = library.storage

    def read(load):
        return read_breaks(storage, storage.transcript("asrreader01"), storage.get("asrreader01").generation, load)

    assert kept_breaks(storage, "asrreader01") is None
    odds = read(lambda: fake)
    assert odds is not None and len(odds.odds) == len(words_of(snippets)) and fake.read == 1
    again = read(lambda: pytest.fail("kept in the catalog: no model needed"))
    assert np.array_equal(again.odds, odds.odds)  # the first reading is the kept one, to the bit
    assert np.array_equal(kept_breaks(storage, "asrreader01").odds, odds.odds)
    # A new version of the transcript is read again.
    ingest.index(Transcript(VideoMeta("asrreader01", "Compilers"), snippets[:-1]))
    assert len(read(lambda: fake).odds) == len(words_of(snippets[:-1])) and fake.read == 2


def test_a_home_that_cannot_keep_them_still_gets_them(settings, library, monkeypatch):
    from yt_transcript.ingest import errors

    fake = ReadingFake()
    Ingestor(settings, library.storage, lambda: fake).index(Transcript(VideoMeta("asrreader03", "C"), asr_snippets(TALK)))
    storage = library.storage

    def locked(key, value):
        raise errors.CatalogBusy("the catalog is locked")

    monkeypatch.setattr(storage, "cache", locked)
    odds = read_breaks(storage, storage.transcript("asrreader03"), storage.get("asrreader03").generation, lambda: fake)
    assert odds is not None and kept_breaks(storage, "asrreader03") is None


@pytest.mark.parametrize("meta, snippets, model, read", [
    (VideoMeta("v", "t"), asr_snippets(TALK), DEFAULT_MODEL, True),
    (VideoMeta("v", "t", language="en-GB"), asr_snippets(TALK), DEFAULT_MODEL, True),
    (VideoMeta("v", "t"), asr_snippets(TALK), "another-model", False),  # its layers mean nothing to the reader
    (VideoMeta("v", "t", language="fr"), asr_snippets(TALK), DEFAULT_MODEL, False),  # learned on English
    (VideoMeta("v", "t"), [Snippet("Today we look at compilers.", 0.0, 2.0), Snippet("First, the lexer.", 2.0, 4.0)] * 4,
     DEFAULT_MODEL, False),  # full stops decide
    (VideoMeta("v", "t"), [], DEFAULT_MODEL, False),
])
def test_which_transcripts_the_reader_reads(meta, snippets, model, read):
    assert breaks.reads(Transcript(meta, snippets), model) is read


def test_reading_form_is_how_the_reader_learned_words():
    assert [breaks.reading_form(t) for t in ["Hello,", "don't", "e.g.", ">>", "GPT-4"]] == [
        "hello", "don't", "e g", "", "gpt 4"]


def test_a_word_the_model_cuts_off_keeps_the_prior(monkeypatch):
    fake = ReadingFake()
    real = fake.layer_states

    def first_half(texts):  # as a model that truncates a long window
        return [(s[:len(s) // 2], e[:len(e) // 2], v[:len(v) // 2]) for s, e, v in real(texts)]

    monkeypatch.setattr(fake, "layer_states", first_half)
    words = TALK.split()
    odds = break_odds(words, fake)
    from yt_transcript.rag import break_weights

    assert odds[-1] == pytest.approx(break_weights.INTERCEPT)
    assert breaks.usable(fake)
