"""Anki decks (rag/decks.py through `Library.anki_deck`): the .apkg is opened as Anki would read it."""

import html
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from yt_transcript import Card, format_hms
from yt_transcript.ingest import errors
from yt_transcript.rag.study import chapter_hint

from .conftest import SAMPLE_VTT


def read_apkg(path: Path, tmp_path: Path) -> dict:
    """The notes, cards and deck/note-type JSON of a package, straight from its SQLite collection."""
    with zipfile.ZipFile(path) as apkg:
        assert sorted(apkg.namelist()) == ["collection.anki2", "media"]
        assert json.loads(apkg.read("media")) == {}
        folder = tmp_path / f"opened-{path.stem}-{len(list(tmp_path.iterdir()))}"
        apkg.extract("collection.anki2", folder)
    db = sqlite3.connect(folder / "collection.anki2")
    try:
        notes = db.execute("SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id").fetchall()
        cards = db.execute("SELECT id, nid, did, due FROM cards ORDER BY id").fetchall()
        decks, models = db.execute("SELECT decks, models FROM col").fetchone()
    finally:
        db.close()
    return {"notes": notes, "cards": cards, "decks": json.loads(decks), "models": json.loads(models)}


def test_one_note_per_card_with_its_chapter_tag_and_a_link_to_the_moment(sample_library, tmp_path):
    deck = sample_library.anki_deck("yttSample01", tmp_path / "talk.apkg")
    assert deck.path == str(tmp_path / "talk.apkg") and deck.to_dict()["notes"] == len(deck.cards) > 0
    opened = read_apkg(tmp_path / "talk.apkg", tmp_path)
    assert len(opened["notes"]) == len(deck.cards) and len(opened["cards"]) == len(deck.cards)
    assert opened["decks"][str(deck.deck_id)]["name"] == "How to Study from Video Lectures (yt-transcript sample talk)"
    assert [f["name"] for f in opened["models"][str(deck.model_id)]["flds"]] == ["Question", "Answer", "Moment",
                                                                                "Chapter"]
    for (note_id, guid, mid, _, tags, fields), card, want_guid in zip(opened["notes"], deck.cards, deck.guids):
        question, answer, moment, chapter = fields.split("\x1f")
        assert (html.unescape(question), html.unescape(answer), html.unescape(chapter)) == (
            card.question, card.answer, chapter_hint(card))  # the front's title never gives the answer away
        assert guid == want_guid and mid == deck.model_id
        assert tags.split() == [card.chapter.lower().replace(" ", "-")]  # "Spacing and interleaving" -> one tag
        url = f"https://www.youtube.com/watch?v=yttSample01&t={int(card.start_s)}s"
        assert moment == f'<a href="{html.escape(url)}">Watch at {format_hms(card.start_s)}</a>'
    assert {did for _, _, did, _ in opened["cards"]} == {deck.deck_id}
    assert [due for _, _, _, due in opened["cards"]] == list(range(len(deck.cards)))  # the talk's order
    assert "spacing-and-interleaving" in {t.strip() for *_, t, _ in opened["notes"]}


def test_a_re_export_keeps_every_id_so_anki_updates_instead_of_duplicating(sample_library, tmp_path):
    first = sample_library.anki_deck("yttSample01", tmp_path / "first.apkg")
    second = sample_library.anki_deck("yttSample01", tmp_path / "second.apkg")
    a, b = read_apkg(tmp_path / "first.apkg", tmp_path), read_apkg(tmp_path / "second.apkg", tmp_path)
    assert (first.deck_id, first.model_id) == (second.deck_id, second.model_id)
    assert [(n[0], n[1]) for n in a["notes"]] == [(n[0], n[1]) for n in b["notes"]]  # note ids and guids
    assert [c[0] for c in a["cards"]] == [c[0] for c in b["cards"]]
    assert len({n[1] for n in a["notes"]}) == len(a["notes"])  # every note its own guid
    # Anki takes an imported note only when it is newer: each export is stamped with its own time.
    assert min(n[3] for n in b["notes"]) >= max(n[3] for n in a["notes"])


def test_guids_follow_the_moment_not_the_wording(sample_library, tmp_path):
    """A model rewrites its questions on every run; the re-export must replace the chapter's cards."""
    old = [Card("Recall", "What strengthens memory?", "effort", 70.0, "model"),
           Card("Recall", "Is struggling a bad sign?", "no", 70.0, "model")]
    new = [Card("Recall", "What makes recall stick?", "the effort", 70.0, "model"),
           Card("Recall", "Does struggle mean failure?", "no", 70.0, "model")]
    first = sample_library.anki_deck("yttSample01", tmp_path / "a.apkg", cards=old)
    again = sample_library.anki_deck("yttSample01", tmp_path / "b.apkg", cards=new)
    assert first.guids == again.guids and len(set(first.guids)) == 2
    cloze = sample_library.anki_deck("yttSample01", tmp_path / "c.apkg",
                                     cards=[Card("Recall", "The _____ strengthens memory.", "effort", 70.0, "cloze")])
    assert cloze.guids[0] not in first.guids


def test_another_video_gets_its_own_deck_and_a_local_video_no_link(sample_library, tmp_path):
    sample_library.ingest(str(SAMPLE_VTT), video_id="local-talk", title="My own recording")
    talk = sample_library.anki_deck("yttSample01", tmp_path / "talk.apkg")
    local = sample_library.anki_deck("local-talk", tmp_path / "local.apkg")
    assert local.deck_id != talk.deck_id and local.model_id == talk.model_id
    assert not set(local.guids) & set(talk.guids)
    opened = read_apkg(tmp_path / "local.apkg", tmp_path)
    moments = [flds.split("\x1f")[2] for *_, flds in opened["notes"]]
    assert moments == [format_hms(c.start_s) for c in local.cards]  # the time, and no link to a video that is not there
    assert "youtube" not in json.dumps(opened["decks"])


HOSTILE = '<img src=x onerror=alert(1)> "quoted" & [sound:evil.mp3] <script>alert(2)</script>'


def test_text_from_the_data_is_escaped_in_every_field(library, tmp_path):
    library.ingest(str(SAMPLE_VTT), title=f"Talk {HOSTILE}", channel="<b>chan</b>")
    cards = [Card(f"Chapter {HOSTILE}", f"Question {HOSTILE}", f"Answer {HOSTILE}", 12.5, "model")]
    deck = library.anki_deck("yttSample01", tmp_path / "evil.apkg", cards=cards)
    opened = read_apkg(tmp_path / "evil.apkg", tmp_path)
    [(_, _, _, _, tags, flds)] = opened["notes"]
    fields = flds.split("\x1f")
    for field in (fields[0], fields[1], fields[3]):
        assert "<img" not in field and "<script" not in field and "[sound:" not in field
        assert HOSTILE in html.unescape(field)  # every character is still there, as text
    assert tags.split() == ["chapter-img-src-x-onerror-alert-1-quoted-sound-evil-mp3-script-alert-2-script"]
    description = opened["decks"][str(deck.deck_id)]["desc"]
    assert "<img" not in description and "<b>" not in description and "&lt;img src=x" in description


def test_nothing_is_left_behind_and_a_missing_folder_is_one_clear_error(sample_library, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    scratch = {p.name for p in Path(tempfile.gettempdir()).glob("yt-transcript-deck-*")}
    sample_library.anki_deck("yttSample01", out / "talk.apkg")
    assert [p.name for p in out.iterdir()] == ["talk.apkg"]  # no partial file
    assert {p.name for p in Path(tempfile.gettempdir()).glob("yt-transcript-deck-*")} == scratch
    with pytest.raises(errors.OutputNotWritable, match="no folder"):
        sample_library.anki_deck("yttSample01", tmp_path / "missing" / "talk.apkg")
    with pytest.raises(errors.VideoNotIndexed):
        sample_library.anki_deck("nosuchvideo", out / "x.apkg")
