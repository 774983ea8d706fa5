"""The Streamlit app, page by page, with streamlit.testing's AppTest and the fakes from tests/."""

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from .conftest import REPO, SAMPLE_VTT, make_fake_chat_model  # noqa: E402

APP = str(REPO / "ui" / "app.py")


@pytest.fixture
def app(settings, fake_embedder, monkeypatch):
    monkeypatch.setenv("YT_TRANSCRIPT_HOME", str(settings.home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["embedder_override"] = fake_embedder
    return at


def ingest_sample(at):
    at.run()
    at.text_area(key="sources").input(str(SAMPLE_VTT))
    at.button(key="add").click().run()
    return at


def test_library_page_ingests_lists_and_reports_errors(app):
    at = ingest_sample(app)
    assert not at.exception
    assert any("How to Study" in s.value for s in at.success)
    assert at.dataframe[0].value["title"][0].startswith("How to Study")
    at.text_area(key="sources").input("not a video!").run()
    at.button(key="add").click().run()
    assert any("Pass a YouTube URL" in e.value for e in at.error)  # the CLI's message


def test_video_page_overview_chat_and_seeking(app):
    at = ingest_sample(app)
    at.session_state["llm_override"] = make_fake_chat_model("Ebbinghaus measured it [S1].")
    at.sidebar.radio(key="page_radio").set_value("Video").run()
    assert not at.exception
    assert any("Why lectures slip away" in b.label for b in at.button)
    at.text_input(key="question").input("Who measured forgetting with nonsense syllables?")
    at.button(key="ask").click().run()
    cite = next(b for b in at.button if b.label.startswith("[S1]"))
    cite.click().run()
    assert at.session_state["start_s"] > 0
    assert any(c.value.startswith("Playing from 0:0") for c in at.caption)


def test_search_page_groups_results_and_opens_the_video(app):
    at = ingest_sample(app)
    at.sidebar.radio(key="page_radio").set_value("Search").run()
    at.text_input(key="search_query").input("spacing and interleaving").run()
    assert not at.exception and at.subheader[0].value.startswith("How to Study")
    assert any(m.value.count("**") == 2 for m in at.markdown)  # the sentence each timestamp plays is in bold
    next(b for b in at.button if b.key.startswith("result-")).click().run()
    assert at.session_state["page_radio"] == "Video" and at.session_state["start_s"] >= 0


def test_study_page_makes_cloze_cards(app):
    at = ingest_sample(app)
    at.sidebar.radio(key="page_radio").set_value("Study").run()
    assert not at.exception
    assert at.expander and "_____" in at.expander[0].label + at.markdown[0].value


def test_untrusted_text_is_rendered_inert(app, tmp_path):
    evil = tmp_path / "evil.vtt"
    evil.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n"
                    "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> text\n")
    at = app
    at.run()
    at.text_area(key="sources").input(str(evil))
    at.button(key="add").click().run()
    at.sidebar.radio(key="page_radio").set_value("Video").run()
    rendered = "\n".join(m.value for m in at.markdown)
    assert "alert" in rendered  # the words are shown...
    assert "<img" not in rendered and "<script" not in rendered  # ...but no markup reaches the page
    assert "](" not in rendered and "\\(javascript" in rendered  # and no link can form


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "**bold** # h1",
                                  "<script>alert(1)</script>"])
def test_safe_escapes_markdown_and_html(text):
    import re

    from yt_transcript.ui.app import safe

    escaped = safe(text)
    # Every character Markdown or HTML could act on is escaped.
    assert not re.search(r"(?<!\\)[<>\[\]()*#]", escaped)


def test_study_page_offers_the_anki_deck_the_cli_writes(app, settings, monkeypatch, tmp_path):
    """The download holds the same deck as `study --anki`: one note per card shown, the same note guids."""
    import io
    import sqlite3
    import zipfile

    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served = {}  # what the app hands Streamlit to serve, by the file name the browser saves it as
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        served[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at = ingest_sample(app)
    at.sidebar.radio(key="page_radio").set_value("Study").run()
    assert not at.exception
    assert at.get("download_button")[0].label == "Download as an Anki deck (.apkg)"
    with zipfile.ZipFile(io.BytesIO(served["yttSample01.apkg"])) as apkg:
        (tmp_path / "collection.anki2").write_bytes(apkg.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    guids = [row[0] for row in db.execute("SELECT guid FROM notes ORDER BY id")]
    db.close()
    assert len(guids) == len(at.main.expander)  # one note per card on the page

    from yt_transcript import Library

    with Library.open(settings.home) as lib:  # the home the app was given
        assert lib.anki_deck("yttSample01", tmp_path / "cli.apkg").guids == guids


def test_a_question_on_the_video_page_is_kept_for_the_notes(app, settings):
    at = ingest_sample(app)
    at.sidebar.radio(key="page_radio").set_value("Video").run()
    at.text_input(key="question").input("Who measured forgetting with nonsense syllables?")
    at.button(key="ask").click().run()
    assert not at.exception

    from yt_transcript import Library

    with Library.open(settings.home) as lib:
        assert [a.question for a in lib.saved_answers("yttSample01")] == [
            "Who measured forgetting with nonsense syllables?"]
        assert "### Who measured forgetting with nonsense syllables?" in lib.export("yttSample01", "obsidian")
