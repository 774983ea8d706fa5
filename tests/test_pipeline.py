"""Ingest end to end into a real (embedded) store with the fake embedder."""

import json
import shutil

import pytest
import responses

from yt_transcript.ingest import errors
from yt_transcript.ingest.pipeline import IngestOptions, Ingestor
from yt_transcript.ingest.youtube import YouTubeClient

from .conftest import SAMPLE_VTT, FakeEmbedder, SHARED, YTA_ASSETS, FakeYoutubeDL, load_json, needs_shared


@pytest.fixture
def ingestor(settings, library, fake_embedder):
    return Ingestor(settings, library.storage, lambda: fake_embedder, YouTubeClient(retries=0, backoff_s=0))


def test_sample_talk_ingests_with_sidecar_metadata(ingestor, library):
    result = ingestor.ingest(str(SAMPLE_VTT), IngestOptions())
    assert result.ok, result.results
    (video,) = result.results
    assert video.video_id == "yttSample01" and video.chunks > 0
    record = library.video("yttSample01")
    meta = record.meta
    assert meta.title.startswith("How to Study from Video Lectures")
    assert meta.channel == "yt-transcript" and meta.language == "en" and meta.upload_date == "2026-11-25"
    assert [c.title for c in meta.chapters][:2] == ["Why lectures slip away", "The forgetting curve"]
    assert meta.chapter_source == "creator"
    assert meta.caption_kind == "manual"  # the sidecar lists the track under "subtitles"
    assert library.transcript("yttSample01").snippets[0].text.startswith("Hello and welcome")


def test_reingest_is_an_update_not_a_duplicate(ingestor, library):
    first = ingestor.ingest(str(SAMPLE_VTT), IngestOptions()).results[0]
    before = library.storage.vectors("fake-embedder").count()
    generation = library.video("yttSample01").generation
    again = ingestor.ingest(str(SAMPLE_VTT), IngestOptions()).results[0]
    assert again.chunks == first.chunks
    assert library.storage.vectors("fake-embedder").count() == before == first.chunks
    assert library.video("yttSample01").generation == generation
    assert library.video("yttSample01").added_at <= library.video("yttSample01").updated_at


def _changed_copy(tmp_path, old: str, new: str):
    path = tmp_path / "study-from-video-lectures.en.vtt"
    shutil.copy(SAMPLE_VTT.with_name("study-from-video-lectures.info.json"), tmp_path)
    path.write_text(SAMPLE_VTT.read_text().replace(old, new))
    return path


def test_crash_during_reingest_keeps_old_version_searchable(ingestor, library, fake_embedder, tmp_path, monkeypatch):
    ingestor.ingest(str(SAMPLE_VTT), IngestOptions())
    old_generation = library.video("yttSample01").generation
    changed = _changed_copy(tmp_path, "Hermann Ebbinghaus", "Zebulon Quixotic")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # power cut between writing vectors and switching the catalog

    monkeypatch.setattr(library.storage.catalog, "commit_video", crash)
    with pytest.raises(KeyboardInterrupt):
        ingestor.ingest(str(changed), IngestOptions())
    monkeypatch.undo()
    # Both generations' chunks exist, but search only serves the old, complete one.
    store = library.storage.vectors("fake-embedder")
    chunks = library.video("yttSample01").chunk_count
    assert store.count("yttSample01") == 2 * chunks
    assert library.video("yttSample01").generation == old_generation
    hits = library.search("Hermann Ebbinghaus nonsense syllables", k=20)
    assert any("Ebbinghaus" in h.text for h in hits)
    assert not any("Zebulon" in h.text for h in hits)
    # The next ingest completes and removes the leftovers.
    assert ingestor.ingest(str(changed), IngestOptions()).ok
    assert store.count("yttSample01") == library.video("yttSample01").chunk_count  # the leftovers are gone
    assert any("Zebulon" in h.text for h in library.search("Zebulon Quixotic", k=3))


def test_embedding_failure_leaves_library_untouched(settings, library, tmp_path):
    class Broken(FakeEmbedder):
        def _encode(self, texts):
            raise errors.EmbeddingModelUnavailable("model exploded")

    ingestor = Ingestor(settings, library.storage, lambda: Broken(), YouTubeClient(retries=0))
    result = ingestor.ingest(str(SAMPLE_VTT), IngestOptions())
    assert not result.ok and isinstance(result.results[0].error, errors.EmbeddingModelUnavailable)
    assert library.videos() == []


def test_local_file_overrides_and_name_conventions(ingestor, library, tmp_path):
    path = tmp_path / "My Talk.de-auto.srt"
    path.write_text("1\n00:00:00,000 --> 00:00:03,000\nhallo zusammen\n\n2\n00:00:03,000 --> 00:00:05,000\nweiter\n")
    result = ingestor.ingest(str(path), IngestOptions())
    meta = library.video(result.results[0].video_id).meta
    assert meta.video_id == "local-My-Talk" and meta.title == "My Talk"
    assert (meta.language, meta.caption_kind) == ("de", "auto")
    ingestor.ingest(str(path), IngestOptions(video_id="abcdefghijk", title="Real title", channel="Chan"))
    meta = library.video("abcdefghijk").meta
    assert (meta.title, meta.channel) == ("Real title", "Chan")


def test_chapters_sidecar(ingestor, library, tmp_path):
    path = tmp_path / "abcdefghijk.json"
    path.write_text(json.dumps([{"text": f"line {i}", "start": i * 10, "duration": 10} for i in range(12)]))
    (tmp_path / "abcdefghijk.chapters.json").write_text(json.dumps(
        [{"start": 0, "title": "First"}, {"start": 60, "title": "Second"}]))
    ingestor.ingest(str(path), IngestOptions())
    meta = library.video("abcdefghijk").meta
    assert [(c.title, c.start_s, c.end_s) for c in meta.chapters] == [("First", 0, 60), ("Second", 60, 120)]
    assert meta.chapter_source == "file"


def test_bad_override_id(ingestor):
    result = ingestor.ingest(str(SAMPLE_VTT), IngestOptions(video_id="a b"))
    assert isinstance(result.results[0].error, errors.InvalidSource)


def test_one_bad_source_never_aborts_the_batch(ingestor, tmp_path):
    bad = tmp_path / "bad.vtt"
    bad.write_text("not a caption file")
    outcomes = [ingestor.ingest(s, IngestOptions()) for s in [str(bad), "https://vimeo.com/1", str(SAMPLE_VTT)]]
    assert [o.ok for o in outcomes] == [False, False, True]
    assert "WEBVTT" in str(outcomes[0].results[0].error)


def record_youtube(mock, *players: str) -> None:
    """Register YouTube's recorded watch page, player answers (default: the normal one) and transcript."""
    mock.add(responses.GET, "https://www.youtube.com/watch", body=(YTA_ASSETS / "youtube.html.static").read_text())
    for player in players or ("youtube.innertube.json.static",):
        mock.add(responses.POST, "https://www.youtube.com/youtubei/v1/player",
                 body=(YTA_ASSETS / player).read_text(), content_type="application/json")
    mock.add(responses.GET, "https://www.youtube.com/api/timedtext",
             body=(YTA_ASSETS / "transcript.xml.static").read_text())


@needs_shared
def test_youtube_video_with_metadata(settings, library, fake_embedder):
    info = load_json(SHARED / "yt-dlp-info" / "vo4pMVb0R6M.info.trimmed.json")
    info = {**info, "id": "GJLlxj_dtq8"}
    client = YouTubeClient(retries=0, ytdlp_factory=lambda o: FakeYoutubeDL(
        {"https://www.youtube.com/watch?v=GJLlxj_dtq8": info}, o))
    ingestor = Ingestor(settings, library.storage, lambda: fake_embedder, client)
    with responses.RequestsMock() as mock:
        record_youtube(mock)
        result = ingestor.ingest("https://youtu.be/GJLlxj_dtq8?t=30", IngestOptions(languages=["en"]))
    assert result.ok, result.results[0].detail
    assert "English" in result.results[0].detail and "manual" in result.results[0].detail
    meta = library.video("GJLlxj_dtq8").meta
    assert meta.title == info["title"] and meta.caption_kind == "manual" and meta.language == "en"
    assert len(meta.chapters) == len(info["chapters"])


@needs_shared
def test_metadata_failure_still_ingests_words(settings, library, fake_embedder):
    client = YouTubeClient(retries=0, ytdlp_factory=lambda o: FakeYoutubeDL({}, o))
    ingestor = Ingestor(settings, library.storage, lambda: fake_embedder, client)
    with responses.RequestsMock() as mock:
        record_youtube(mock)
        result = ingestor.ingest("GJLlxj_dtq8", IngestOptions())
    assert result.ok and "no metadata" in result.results[0].detail
    assert library.video("GJLlxj_dtq8").meta.title == "GJLlxj_dtq8"


@needs_shared
def test_playlist_continues_past_a_failing_video(settings, library, fake_embedder):
    listing = {"title": "Mixed", "entries": [{"id": "GJLlxj_dtq8"}, {"id": "dsMFmonKDD4"}]}
    client = YouTubeClient(retries=0, ytdlp_factory=lambda o: FakeYoutubeDL(
        {"https://www.youtube.com/playlist?list=PLmixed0001": listing}, o))
    seen = []
    ingestor = Ingestor(settings, library.storage, lambda: fake_embedder, client, on_result=seen.append)
    with responses.RequestsMock() as mock:
        record_youtube(mock, "youtube.innertube.json.static", "youtube_transcripts_disabled.innertube.json.static")
        result = ingestor.ingest("https://www.youtube.com/playlist?list=PLmixed0001", IngestOptions())
    assert [r.ok for r in result.results] == [True, False] and not result.ok
    assert isinstance(result.results[1].error, errors.TranscriptsDisabled)
    assert len(seen) == 2 and result.label == "Mixed"


@needs_shared
def test_every_corpus_transcript_ingests(settings, library, fake_embedder, tmp_path):
    ingestor = Ingestor(settings, library.storage, lambda: fake_embedder, YouTubeClient(retries=0))
    corpus = load_json(SHARED / "corpus.json")
    for row in corpus:
        result = ingestor.ingest(str(SHARED / row["transcript"]), IngestOptions(video_id=row["video_id"],
                                                                                title=row["title"]))
        assert result.ok, (row["video_id"], result.results[0].detail)
    records = library.videos()
    assert len(records) == len(corpus)
    assert library.storage.vectors("fake-embedder").count() == sum(r.chunk_count for r in records)
    with_chapters = {r["video_id"] for r in corpus if r.get("chapters")}
    assert {r.meta.video_id for r in records if r.meta.chapters} == with_chapters


@responses.activate  # nothing answers: offline
def test_adding_a_video_again_offline_keeps_it_and_says_so(ingestor, library):
    assert ingestor.ingest(str(SAMPLE_VTT), IngestOptions()).ok
    result = ingestor.ingest("yttSample01", IngestOptions()).results[0]
    assert not result.ok and isinstance(result.error, errors.NetworkError)
    assert result.detail.startswith('yttSample01: already in the library as "How to Study')
    assert "kept as it was; refreshing it failed: cannot reach YouTube" in result.detail
    assert library.transcript("yttSample01").snippets  # nothing lost
    other = ingestor.ingest("zzzzzzzzzzz", IngestOptions()).results[0]
    assert "already in the library" not in other.detail
