"""The vector store, embedded and against a real Chroma server on loopback."""

import pytest

from yt_transcript.ingest.errors import StoreUnavailable
from yt_transcript.ingest.models import Chunk
from yt_transcript.ingest.store import VectorStore, collection_name

from .conftest import FakeEmbedder


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.chroma_server)])
def store(request, tmp_path):
    if request.param == "embedded":
        return VectorStore(path=tmp_path / "chroma", model_name="fake")
    url = request.getfixturevalue("chroma_server")
    # A fresh collection per test on the shared server.
    return VectorStore(url=url, model_name=f"fake-{request.node.name}")


def make_chunks(video_id: str, generation: str, texts: list[str]) -> list[Chunk]:
    return [Chunk(f"{video_id}:{generation}:{i:05d}", video_id, generation, i, t, i * 10.0, i * 10.0 + 12,
                  "Intro" if i == 0 else None) for i, t in enumerate(texts)]


EMB = FakeEmbedder()


def put(store, chunks):
    store.upsert(chunks, EMB.embed([c.text for c in chunks]))


def test_upsert_is_idempotent_and_queryable(store):
    chunks = make_chunks("vid00000001", "g1", ["the cat sat", "gradient descent step", "the dog ran"])
    put(store, chunks)
    put(store, chunks)  # same ids: an update, not duplicates
    assert store.count() == 3 and store.count("vid00000001") == 3
    (top, score), *_ = store.query(EMB.embed_query("gradient descent step"), 2)
    assert top == chunks[1]
    assert score == pytest.approx(1.0, abs=1e-4)


def test_filter_by_video_and_delete_old_generation(store):
    put(store, make_chunks("aaaaaaaaaaa", "old", ["alpha one", "alpha two"]))
    put(store, make_chunks("aaaaaaaaaaa", "new", ["alpha three"]))
    put(store, make_chunks("bbbbbbbbbbb", "g", ["beta one"]))
    assert {c.video_id for c, _ in store.query(EMB.embed_query("one"), 10, ["bbbbbbbbbbb"])} == {"bbbbbbbbbbb"}
    assert len(store.query(EMB.embed_query("one"), 10, ["aaaaaaaaaaa", "bbbbbbbbbbb"])) == 4
    assert store.query(EMB.embed_query("one"), 10, []) == []
    store.delete_video("aaaaaaaaaaa", keep_generation="new")
    assert store.count("aaaaaaaaaaa") == 1
    assert {c.generation for c, _ in store.query(EMB.embed_query("alpha"), 10, ["aaaaaaaaaaa"])} == {"new"}
    store.delete_video("aaaaaaaaaaa")
    assert store.count("aaaaaaaaaaa") == 0 and store.count("bbbbbbbbbbb") == 1


def test_large_batches_are_split(store):
    chunks = make_chunks("ccccccccccc", "g", [f"passage number {i}" for i in range(300)])
    store._max_batch = 128
    put(store, chunks)
    assert store.count("ccccccccccc") == 300


def test_empty_store_query(store):
    assert store.query(EMB.embed_query("anything"), 5) == []


def test_unreachable_server_is_one_clear_error():
    with pytest.raises(StoreUnavailable, match="127.0.0.1:9") as info:
        VectorStore(url="http://127.0.0.1:9", model_name="fake")
    assert "chroma run" in str(info.value)


@pytest.mark.parametrize("model, name", [("all-MiniLM-L6-v2", "chunks-all-minilm-l6-v2"),
                                          ("/models/My Model", "chunks-models-my-model"), ("", "chunks-model")])
def test_collection_names_are_valid(model, name):
    assert collection_name(model) == name


def test_our_own_bugs_are_not_reported_as_the_store_being_down(store):
    with pytest.raises(ZeroDivisionError):
        store._call(lambda: 1 / 0)
    with pytest.raises(TypeError):
        store._call(len, 3)

    def refused():
        raise ConnectionRefusedError("refused")

    with pytest.raises(StoreUnavailable, match="ConnectionRefusedError"):
        store._call(refused)
