"""Channel sync through the real yt-dlp listing path (answered from recorded-shape listings by FakeYoutubeDL)."""

import json

import pytest
from click.testing import CliRunner

from yt_transcript import Library
from yt_transcript.ingest import errors
from yt_transcript.ingest.models import Snippet
from yt_transcript.ingest.youtube import FetchedTrack, YouTubeClient
from yt_transcript.ui.cli import cli

from .conftest import FakeEmbedder, FakeYoutubeDL

CHANNEL = "https://www.youtube.com/@studyskills"
LISTING = CHANNEL + "/videos"
OLD = ["aaaaaaaaaa1", "aaaaaaaaaa2", "aaaaaaaaaa3"]
NEW = ["bbbbbbbbbb1", "bbbbbbbbbb2"]
DATES = {**{v: "20240105" for v in OLD}, **{v: "20250310" for v in NEW}}


def listing(ids: list[str]) -> dict:
    """A channel listing as yt-dlp's flat extraction returns it: a tab playlist of video entries, newest first."""
    return {"_type": "playlist", "id": "UCstudy", "title": "Study Skills - Videos", "entries": [
        {"_type": "url", "ie_key": "Youtube", "id": vid, "url": f"https://www.youtube.com/watch?v={vid}",
         "title": f"Talk {vid}"} for vid in ids]}


def info(vid: str) -> dict:
    return {"id": vid, "title": f"Talk {vid}", "channel": "Study Skills", "upload_date": DATES[vid], "duration": 12}


class Recorded(YouTubeClient):
    """Listings and metadata go through yt-dlp's code path (FakeYoutubeDL); transcripts are canned and counted."""

    def __init__(self, answers: dict):
        super().__init__(retries=0, ytdlp_factory=lambda options: FakeYoutubeDL(answers, options))
        self.answers = answers
        self.fetched: list[str] = []
        self.words = {}  # video id -> words, changeable to simulate new captions

    def fetch_transcript(self, video_id, languages, translate=None):
        self.fetched.append(video_id)
        if video_id == "broken00001":
            raise errors.TranscriptsDisabled(f"{video_id}: transcripts are disabled for this video")
        words = self.words.get(video_id, f"lecture {video_id} about spaced repetition and memory")
        return FetchedTrack([Snippet(words, 0.0, 6.0), Snippet("thanks for watching", 6.0, 12.0)], "en",
                            "English", False)


@pytest.fixture
def world(tmp_path):
    answers = {LISTING: listing(OLD), **{f"https://www.youtube.com/watch?v={v}": info(v) for v in OLD + NEW}}
    youtube = Recorded(answers)
    lib = Library.open(tmp_path / "home", embedder=FakeEmbedder(), youtube=youtube)
    [first] = lib.ingest("@studyskills")
    assert first.ok and len(first.results) == 3
    return lib, youtube


def test_a_second_listing_with_two_new_uploads_adds_exactly_two(world):
    lib, youtube = world
    assert lib.listings()[0]["source"] == CHANNEL and lib.listings()[0]["synced_at"] is None
    youtube.answers[LISTING] = listing(NEW + OLD)
    report = lib.sync()
    assert report.ok and report.count("added") == 2 and report.count("unchanged") == 3
    assert {o.video_id for o in report.outcomes if o.action == "added"} == set(NEW)
    assert len(lib.videos()) == 5 and lib.search("spaced repetition", videos=NEW[0], k=1)
    assert lib.listings()[0]["synced_at"] is not None
    again = lib.sync()  # nothing new: nothing written
    assert again.count("added") == 0 and again.count("unchanged") == 5


def test_changed_captions_are_reindexed(world):
    lib, youtube = world
    generation = lib.video(OLD[0]).generation
    youtube.words[OLD[0]] = "a corrected transcript that now mentions interleaving practice"
    report = lib.sync()
    assert [o.video_id for o in report.outcomes if o.action == "updated"] == [OLD[0]]
    assert lib.video(OLD[0]).generation != generation
    assert lib.search("interleaving practice", k=1)[0].video_id == OLD[0]


def test_dry_run_since_and_limit(world):
    lib, youtube = world
    youtube.answers[LISTING] = listing(NEW + OLD)
    dry = lib.sync(dry_run=True)
    assert dry.count("would add") == 2 and len(lib.videos()) == 3  # nothing written
    youtube.fetched.clear()
    limited = lib.sync(limit=1)
    assert [o.video_id for o in limited.outcomes] == [NEW[0]] and youtube.fetched == [NEW[0]]
    dated = lib.sync(since="2025-01-01")
    assert {o.action for o in dated.outcomes if o.video_id in OLD} == {"skipped"}
    assert dated.count("added") == 1 and len(lib.videos()) == 5


def test_a_sync_stopped_part_way_loses_nothing_and_the_next_continues(world, monkeypatch):
    lib, youtube = world
    youtube.answers[LISTING] = listing(NEW + OLD)
    real = lib.storage.save
    saved = []

    def power_cut_after_one(*args, **kwargs):
        if saved:
            raise KeyboardInterrupt
        saved.append(args[0].meta.video_id)
        return real(*args, **kwargs)

    monkeypatch.setattr(lib.storage, "save", power_cut_after_one)
    with pytest.raises(KeyboardInterrupt):
        lib.sync()
    monkeypatch.undo()
    assert saved == [NEW[0]] and len(lib.videos()) == 4 and lib.listings()[0]["synced_at"] is None
    report = lib.sync()
    assert [o.video_id for o in report.outcomes if o.action == "added"] == [NEW[1]]
    assert len(lib.videos()) == 5 and lib.storage.vectors("fake-embedder").count() == sum(
        r.chunk_count for r in lib.videos())


def test_cli_prints_added_skipped_failed_and_exits_1_on_failure(world, tmp_path):
    lib, youtube = world
    youtube.answers[LISTING] = listing(["broken00001", *NEW, *OLD])
    youtube.answers["https://www.youtube.com/watch?v=broken00001"] = {**info(NEW[0]), "id": "broken00001"}
    obj = {"embedder": lambda s: FakeEmbedder(), "youtube": lambda s: youtube}
    result = CliRunner().invoke(cli, ["--home", str(lib.settings.home), "sync"], obj=obj)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("failed       broken00001") and "transcripts are disabled" in lines[0]
    assert sum(line.startswith("added ") for line in lines) == 2
    assert lines[-1] == "synced 1 listings: 2 added, 3 unchanged, 1 failed"
    data = json.loads(CliRunner().invoke(cli, ["--home", str(lib.settings.home), "sync", "--dry-run", "--json"],
                                         obj=obj).stdout)
    assert data["dry_run"] and data["counts"]["unchanged"] == 5


def test_nothing_to_sync(tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "h"), "sync"], obj={"embedder": lambda s: FakeEmbedder()})
    assert result.exit_code == 0 and "Nothing to sync" in result.stdout


def test_a_sync_fetches_the_languages_the_channel_was_ingested_with(tmp_path):
    answers = {LISTING: listing(OLD), **{f"https://www.youtube.com/watch?v={v}": info(v) for v in OLD + NEW}}
    youtube = Recorded(answers)
    asked = []
    real = youtube.fetch_transcript
    youtube.fetch_transcript = lambda v, languages, translate=None: asked.append((languages, translate)) or real(
        v, languages, translate)
    lib = Library.open(tmp_path / "home", embedder=FakeEmbedder(), youtube=youtube)
    assert lib.ingest("@studyskills", languages="de,en", translate="fr")[0].ok
    asked.clear()
    youtube.answers[LISTING] = listing(NEW + OLD)
    report = lib.sync()
    assert report.count("added") == 2 and report.count("unchanged") == 3  # the same track: nothing "changed"
    assert {(tuple(languages), translate) for languages, translate in asked} == {(("de", "en"), "fr")}
    assert lib.listings()[0]["languages"] == "de,en" and lib.listings()[0]["translate"] == "fr"
