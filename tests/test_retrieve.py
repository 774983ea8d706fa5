import pytest

from ingest.errors import ChannelNotIndexed, EmbeddingModelMismatch, VideoNotIndexed
from ingest.models import Snippet, Transcript, VideoMeta
from ingest.pipeline import Ingestor
from ingest.youtube import YouTubeClient
from rag.retrieve import search

from .conftest import FakeEmbedder

TALKS = {
    "aaaaaaaaaaa": ("Cooking pasta", "Chef", ["boil the water with salt", "add the spaghetti and stir"]),
    "bbbbbbbbbbb": ("Neural nets", "Prof", ["backpropagation computes the gradient", "the loss goes down"]),
    "ccccccccccc": ("Baking bread", "Chef", ["knead the dough", "the oven must be hot"]),
}


@pytest.fixture
def filled(settings, library, fake_embedder):
    ingestor = Ingestor(settings, library, lambda: fake_embedder, YouTubeClient(retries=0))
    for vid, (title, channel, lines) in TALKS.items():
        snippets = [Snippet(text, i * 30.0, i * 30.0 + 30) for i, text in enumerate(lines)]
        ingestor.index(Transcript(VideoMeta(vid, title, channel=channel), snippets))
    return library


def test_search_ranks_and_links(filled, fake_embedder):
    hits = search(filled, fake_embedder, "backpropagation computes the gradient", k=2)
    top = hits[0]
    assert (top.video_id, top.title, top.channel) == ("bbbbbbbbbbb", "Neural nets", "Prof")
    assert top.url == f"https://www.youtube.com/watch?v=bbbbbbbbbbb&t={int(top.start_s)}s"
    assert top.score > hits[1].score
    assert set(top.to_dict()) >= {"video_id", "title", "start", "end", "text", "score", "url"}


def test_video_and_channel_filters(filled, fake_embedder):
    hits = search(filled, fake_embedder, "gradient", video_ids=["aaaaaaaaaaa"], k=10)
    assert hits and {h.video_id for h in hits} == {"aaaaaaaaaaa"}
    hits = search(filled, fake_embedder, "gradient", channel="chef", k=10)
    assert hits and {h.video_id for h in hits} == {"aaaaaaaaaaa", "ccccccccccc"}
    with pytest.raises(ChannelNotIndexed, match="Known channels: Chef, Prof"):
        search(filled, fake_embedder, "gradient", channel="nobody")


def test_unknown_video(filled, fake_embedder):
    with pytest.raises(VideoNotIndexed, match="yt-transcript list"):
        search(filled, fake_embedder, "x", video_ids=["zzzzzzzzzzz"])


def test_other_model_is_refused(filled):
    with pytest.raises(EmbeddingModelMismatch):
        search(filled, FakeEmbedder(name="other-model"), "gradient")


def test_removed_video_disappears(filled, fake_embedder):
    filled.remove("bbbbbbbbbbb")
    assert all(h.video_id != "bbbbbbbbbbb" for h in search(filled, fake_embedder, "gradient loss", k=10))
    with pytest.raises(VideoNotIndexed):
        filled.remove("bbbbbbbbbbb")


def test_blank_query(filled, fake_embedder):
    assert search(filled, fake_embedder, "   ") == []
