"""The real youtube-transcript-api code path against YouTube's recorded responses (no network)."""

import pytest
import requests
import responses

from yt_transcript.ingest import errors
from yt_transcript.ingest.sources import parse_source
from yt_transcript.ingest.youtube import YouTubeClient, map_ytdlp_error

from .conftest import SHARED, YTA_ASSETS, FakeYoutubeDL, load_json, needs_shared

pytestmark = needs_shared

WATCH = "https://www.youtube.com/watch"
PLAYER = "https://www.youtube.com/youtubei/v1/player"
TIMEDTEXT = "https://www.youtube.com/api/timedtext"


def asset(name: str) -> str:
    return (YTA_ASSETS / name).read_text(encoding="utf-8")


@pytest.fixture
def youtube():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, WATCH, body=asset("youtube.html.static"))
        mock.add(responses.POST, PLAYER, body=asset("youtube.innertube.json.static"), content_type="application/json")
        mock.add(responses.GET, TIMEDTEXT, body=asset("transcript.xml.static"))
        yield mock


def client(**kw) -> YouTubeClient:
    return YouTubeClient(retries=kw.pop("retries", 2), backoff_s=0.0, **kw)


def test_fetch_manual_english(youtube):
    track = client().fetch_transcript("GJLlxj_dtq8", ["en"])
    assert [s.text for s in track.snippets] == [
        "Hey, this is just a test",
        "this is not the original transcript",
        "just something shorter, I made up for testing",
    ]
    assert track.snippets[0].start_s == 0.0 and track.snippets[0].end_s == 1.54
    assert (track.language_code, track.kind) == ("en", "manual")


def test_language_priority_is_followed(youtube):
    track = client().fetch_transcript("GJLlxj_dtq8", ["de", "en"])
    assert track.language_code == "de"
    assert "lang=de" in youtube.calls[-1].request.url


def test_fallback_language(youtube):
    youtube.replace(responses.POST, PLAYER, body=asset("youtube_ww1_nl_en.innertube.json.static"),
                    content_type="application/json")
    track = client().fetch_transcript("F1xioXWb8CY", ["de", "en"])
    assert track.language_code == "en"
    assert "lang=en" in youtube.calls[-1].request.url


def test_missing_language_lists_available(youtube):
    with pytest.raises(errors.NoTranscriptInLanguages) as info:
        client().fetch_transcript("GJLlxj_dtq8", ["fr"])
    assert "de" in info.value.available and "en (auto)" in info.value.available
    assert "translation into fr" in str(info.value) and info.value.video_id == "GJLlxj_dtq8"


def test_translate(youtube):
    track = client().fetch_transcript("GJLlxj_dtq8", ["en"], translate="ar")
    assert track.translated_from == "en"
    assert "tlang=ar" in youtube.calls[-1].request.url


def test_translate_to_unknown_language(youtube):
    with pytest.raises(errors.TranslationUnavailable):
        client().fetch_transcript("GJLlxj_dtq8", ["en"], translate="xx")


@pytest.mark.parametrize(
    "player_asset, error",
    [
        ("youtube_video_unavailable.innertube.json.static", errors.VideoUnavailable),
        ("youtube_age_restricted.innertube.json.static", errors.AgeRestricted),
        ("youtube_request_blocked.innertube.json.static", errors.RequestBlocked),
        ("youtube_unplayable.innertube.json.static", errors.VideoUnavailable),
        ("youtube_po_token_required.innertube.json.static", errors.RequestBlocked),
        ("youtube_transcripts_disabled.innertube.json.static", errors.TranscriptsDisabled),
        ("youtube_transcripts_disabled2.innertube.json.static", errors.TranscriptsDisabled),
    ],
)
def test_player_error_fixtures(youtube, player_asset, error):
    youtube.replace(responses.POST, PLAYER, body=asset(player_asset), content_type="application/json")
    with pytest.raises(error) as info:
        client().fetch_transcript("GJLlxj_dtq8", ["en"])
    assert info.value.advice  # every error says what to do next


def test_request_blocked_advises_proxy(youtube):
    youtube.replace(responses.POST, PLAYER, body=asset("youtube_request_blocked.innertube.json.static"),
                    content_type="application/json")
    with pytest.raises(errors.RequestBlocked, match="YT_TRANSCRIPT_PROXY"):
        client().fetch_transcript("GJLlxj_dtq8", ["en"])


@pytest.mark.parametrize("html_asset", ["youtube_consent_page.html.static", "youtube_consent_page_invalid.html.static"])
def test_consent_page_that_never_clears(youtube, html_asset):
    youtube.replace(responses.GET, WATCH, body=asset(html_asset))
    with pytest.raises(errors.RequestBlocked):
        client().fetch_transcript("GJLlxj_dtq8", ["en"])


def test_consent_page_then_video(youtube):
    youtube.replace(responses.GET, WATCH, body=asset("youtube_consent_page.html.static"))
    youtube.add(responses.GET, WATCH, body=asset("youtube.html.static"))
    assert client().fetch_transcript("GJLlxj_dtq8", ["en"]).language_code == "en"


def test_too_many_requests_retries_then_gives_up(youtube):
    youtube.replace(responses.GET, WATCH, body=asset("youtube_too_many_requests.html.static"))
    sleeps = []
    with pytest.raises(errors.RateLimited, match="wait a few minutes|Wait a few minutes"):
        YouTubeClient(retries=3, backoff_s=1.5, sleep=sleeps.append).fetch_transcript("GJLlxj_dtq8", ["en"])
    assert sleeps == [1.5, 3.0, 6.0]  # exponential backoff
    assert len([c for c in youtube.calls if c.request.url.startswith(WATCH)]) == 4


def test_rate_limit_that_clears_succeeds(youtube):
    youtube.replace(responses.GET, TIMEDTEXT, status=429)
    youtube.add(responses.GET, TIMEDTEXT, body=asset("transcript.xml.static"))
    assert len(client().fetch_transcript("GJLlxj_dtq8", ["en"]).snippets) == 3


def test_server_error(youtube):
    youtube.replace(responses.POST, PLAYER, status=500)
    with pytest.raises(errors.YouTubeFailed):
        client().fetch_transcript("GJLlxj_dtq8", ["en"])


def test_offline_is_a_network_error():
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, WATCH, body=requests.ConnectionError("no route to host"))
        with pytest.raises(errors.NetworkError, match="cannot reach YouTube"):
            client(retries=0).fetch_transcript("GJLlxj_dtq8", ["en"])


def test_proxy_is_used(youtube):
    client(proxy="http://proxy.example:3128").fetch_transcript("GJLlxj_dtq8", ["en"])
    assert youtube.calls[0].request.req_kwargs["proxies"]["https"] == "http://proxy.example:3128"


# --- yt-dlp: metadata and listings ---------------------------------------------------------


def ytdlp(answers):
    made = []

    def factory(options):
        made.append(FakeYoutubeDL(answers, options))
        return made[-1]

    return factory, made


def test_fetch_info_from_recorded_info_dict():
    info = load_json(SHARED / "yt-dlp-info" / "vo4pMVb0R6M.ytdlp-extract-info.json")
    factory, made = ytdlp({"https://www.youtube.com/watch?v=vo4pMVb0R6M": info})
    got = YouTubeClient(ytdlp_factory=factory, proxy="http://p:1").fetch_info("vo4pMVb0R6M")
    assert got["title"] == "Intro to Psychology: Crash Course Psychology #1"
    assert made[0].options["proxy"] == "http://p:1" and made[0].options["ignore_no_formats_error"]


def test_list_channel_newest_first_with_limit():
    entries = [{"id": f"video{i:06d}", "ie_key": "Youtube", "title": f"v{i}"} for i in range(8)]
    answers = {"https://www.youtube.com/@crashcourse/videos": {"title": "CrashCourse - Videos", "entries": entries}}
    factory, made = ytdlp(answers)
    title, ids = YouTubeClient(ytdlp_factory=factory).list_videos(parse_source("@crashcourse"), limit=3)
    assert ids == ["video000000", "video000001", "video000002"]
    assert made[0].options["extract_flat"] == "in_playlist" and made[0].options["playlistend"] == 3


def test_list_playlist_flattens_nested_tabs():
    answers = {"https://www.youtube.com/playlist?list=PL1234567890": {"title": "P", "entries": [
        {"_type": "playlist", "entries": [{"id": "aaaaaaaaaaa"}, {"id": "bbbbbbbbbbb"}]}, {"id": "aaaaaaaaaaa"}]}}
    factory, _ = ytdlp(answers)
    assert YouTubeClient(ytdlp_factory=factory).list_videos(parse_source(
        "https://www.youtube.com/playlist?list=PL1234567890"))[1] == ["aaaaaaaaaaa", "bbbbbbbbbbb"]


def test_listing_failure_and_empty_listing():
    factory, _ = ytdlp({"https://www.youtube.com/@nobody/videos": {"title": "x", "entries": []}})
    with pytest.raises(errors.ListingFailed, match="no videos"):
        YouTubeClient(ytdlp_factory=factory).list_videos(parse_source("@nobody"))
    with pytest.raises(errors.ListingFailed, match="could not list"):
        YouTubeClient(ytdlp_factory=factory).list_videos(parse_source("@someone"))


@pytest.mark.parametrize(
    "message, error",
    [
        ("ERROR: [youtube] abc: Private video. Sign in if you've been granted access", errors.VideoUnavailable),
        ("ERROR: [youtube] abc: Video unavailable", errors.VideoUnavailable),
        ("ERROR: [youtube] abc: Sign in to confirm your age", errors.AgeRestricted),
        ("ERROR: [youtube] abc: Sign in to confirm you’re not a bot", errors.RequestBlocked),
        ("ERROR: Unable to download webpage: HTTP Error 429: Too Many Requests", errors.RateLimited),
        ("ERROR: Unable to download webpage: <urlopen error [Errno -3] Temporary failure in name resolution>",
         errors.NetworkError),
        ("ERROR: something new", errors.YouTubeFailed),
    ],
)
def test_ytdlp_errors_map_to_ours(message, error):
    assert isinstance(map_ytdlp_error(RuntimeError(message), "abc"), error)


def test_unmocked_request_fails_like_offline():
    # The conftest guard stands in for a machine with no network: we must say so plainly.
    with pytest.raises(errors.NetworkError):
        client(retries=1).fetch_transcript("GJLlxj_dtq8", ["en"])


def test_altered_user_agent_fixture_gives_same_transcript(youtube):
    youtube.replace(responses.POST, PLAYER, body=asset("youtube_altered_user_agent.innertube.json.static"),
                    content_type="application/json")
    assert [s.text for s in client().fetch_transcript("GJLlxj_dtq8", ["en"]).snippets][0] == "Hey, this is just a test"


def test_url_passed_as_id_is_invalid(youtube):
    with pytest.raises(errors.InvalidSource):
        client().fetch_transcript("https://www.youtube.com/watch?v=GJLlxj_dtq8", ["en"])


def test_no_retry_when_the_name_does_not_resolve_or_the_port_refuses():
    """Waiting cannot fix an offline machine: one attempt, no backoff sleeps, one clear error."""
    from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

    for cause in (NameResolutionError("www.youtube.com", None, OSError("Name or service not known")),
                  NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")):
        sleeps = []
        wrapped = requests.ConnectionError(MaxRetryError(None, "https://www.youtube.com/watch", reason=cause))
        with responses.RequestsMock() as mock:
            mock.add(responses.GET, WATCH, body=wrapped)
            with pytest.raises(errors.NetworkError, match="cannot reach YouTube"):
                YouTubeClient(retries=3, backoff_s=1.0, sleep=sleeps.append).fetch_transcript("GJLlxj_dtq8", ["en"])
            assert sleeps == [] and len(mock.calls) == 1


def test_a_dropped_connection_is_retried():
    sleeps = []
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, WATCH, body=requests.ConnectionError("connection reset by peer"))
        with pytest.raises(errors.NetworkError):
            YouTubeClient(retries=2, backoff_s=1.0, sleep=sleeps.append).fetch_transcript("GJLlxj_dtq8", ["en"])
    assert sleeps == [1.0, 2.0]
