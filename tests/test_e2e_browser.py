"""End to end in a real headless Chromium (Debian's, driven by Playwright): ingest, ask, click a citation, seek."""

import os
import sys
from pathlib import Path

import pytest

from .conftest import REPO, SAMPLE_VTT, _free_port, start_http_server

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")
    home = tmp_path_factory.mktemp("e2e-home")
    port = _free_port()
    os.environ["YT_TRANSCRIPT_HOME"] = str(home)
    proc = start_http_server(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "ui" / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        f"http://127.0.0.1:{port}/_stcore/health", home / "streamlit.log", timeout_s=60,
    )
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def test_ingest_ask_click_citation_and_seek(app_url, tmp_path):
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("YT_TRANSCRIPT_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url)
        page.get_by_label("YouTube URLs, playlists, channels or @handles (one per line)").fill(str(SAMPLE_VTT))
        page.get_by_role("button", name="Add to library").click()
        page.get_by_text("How to Study from Video Lectures (yt-transcript sample talk): ").wait_for(timeout=120_000)
        page.screenshot(path=str(shots / "library.png"))

        page.locator("[data-testid^='stBaseButton']", has_text="Open").click()
        page.get_by_text("Playing from 0:00:00").wait_for(timeout=60_000)
        src_before = page.locator("iframe[src*='youtube']").first.get_attribute("src")
        page.get_by_label("Question").fill("Who measured how fast we forget nonsense syllables?")
        page.get_by_role("button", name="Ask").click()
        citation = page.get_by_role("button", name="[S1]").first
        citation.wait_for(timeout=60_000)
        label = citation.inner_text()
        assert "0:00:" in label  # a cited timestamp
        citation.click()
        page.get_by_text("Playing from 0:00:00").wait_for(state="detached", timeout=60_000)
        src_after = page.locator("iframe[src*='youtube']").first.get_attribute("src")
        assert src_after != src_before and "start=" in src_after
        page.get_by_text("Playing from").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "video.png"), full_page=False)

        page.get_by_text("Search", exact=True).first.click()
        page.get_by_label("Search the library").fill("spacing and interleaving")
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="How to Study from Video Lectures (yt-transcript sample talk)").wait_for()
        page.screenshot(path=str(shots / "search.png"))
        page.get_by_text("Study", exact=True).first.click()
        page.get_by_text("Cloze cards from key sentences").wait_for(timeout=60_000)
        page.screenshot(path=str(shots / "study.png"))
        browser.close()


def test_script_in_a_transcript_never_runs(app_url, tmp_path):
    from playwright.sync_api import sync_playwright

    evil = tmp_path / "abcdefghijk.vtt"
    evil.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n&lt;script&gt;alert(1)&lt;/script&gt; "
                    "&lt;img src=x onerror=alert(2)&gt; <b onmouseover=alert(3)>hover</b> words\n")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(app_url)
        page.get_by_label("YouTube URLs, playlists, channels or @handles (one per line)").fill(str(evil))
        page.get_by_role("button", name="Add to library").click()
        page.get_by_text("abcdefghijk: ").first.wait_for(timeout=120_000)
        page.get_by_text("Search", exact=True).first.click()
        page.get_by_label("Search the library").fill("hover words")
        page.keyboard.press("Enter")
        page.locator("[data-testid^='stBaseButton']", has_text="0:00:00").first.click()  # opens the Video page
        page.get_by_text("Playing from 0:00:00").wait_for(timeout=60_000)
        page.get_by_text("hover", exact=False).first.hover()
        page.mouse.move(400, 400)
        page.wait_for_timeout(1000)
        assert dialogs == []
        assert page.locator("img[src='x']").count() == 0 and page.locator("script:has-text('alert')").count() == 0
        browser.close()
