"""A video's flashcards as an Anki deck (.apkg) that a later export updates instead of duplicating.

Anki matches an imported note to one it already has by the note's guid, and replaces it only when the
note type (id and fields) is the same and the import's modification time is newer. So each guid comes from
the video and the card's moment, the deck and note type ids are derived from fixed names, and the
modification time is the time of the export.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import re
import sqlite3
import tempfile
import time
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path

from yt_transcript.ingest.errors import OutputNotWritable
from yt_transcript.ingest.export import tag_slug, write_output
from yt_transcript.ingest.models import AnkiDeck, Card, VideoMeta, VideoRecord
from yt_transcript.ingest.timecodes import format_hms, watch_url
from yt_transcript.rag.study import chapter_hint

# The note type's name and fields are its identity in Anki: change either and imports make a new type.
NOTE_TYPE = "yt-transcript card"
_FIELDS = ["Question", "Answer", "Moment", "Chapter"]
_FRONT = '<div class="chapter">{{Chapter}}</div>\n{{Question}}'
_BACK = '{{FrontSide}}\n<hr id="answer">\n{{Answer}}\n<div class="moment">{{Moment}}</div>'
_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.chapter { font-size: 14px; color: #777; margin-bottom: 1em; }
.moment { font-size: 14px; margin-top: 1em; }"""


def write_deck(record: VideoRecord, cards: list[Card], path: Path) -> AnkiDeck:
    """Write the cards as one deck named after the video: a note per card, its chapter as a tag."""
    import genanki  # only decks need it

    meta = record.meta
    note_type = genanki.Model(stable_id(NOTE_TYPE), NOTE_TYPE, fields=[{"name": f} for f in _FIELDS],
                              templates=[{"name": "Card", "qfmt": _FRONT, "afmt": _BACK}], css=_CSS)
    deck = genanki.Deck(stable_id("yt-transcript deck", meta.video_id), deck_name(meta), _description(meta))
    guids = note_guids(meta.video_id, cards)
    for position, (card, guid) in enumerate(zip(cards, guids)):
        # due: new cards come up in the order the talk teaches them
        tags = [tag_slug(card.chapter, "chapter")]
        deck.add_note(genanki.Note(model=note_type, fields=_fields(meta, card), tags=tags, guid=guid, due=position))
    _write_package(genanki.Package(deck), path, first_id=_added_ms(record))
    return AnkiDeck(str(path), meta.video_id, deck.deck_id, note_type.model_id, cards, guids)


def stable_id(*names: str) -> int:
    """An Anki id derived from names, in the range genanki recommends ([2^30, 2^31)): same names, same id."""
    digest = hashlib.sha256("\x1f".join(names).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guids(video_id: str, cards: list[Card]) -> list[str]:
    """Each card's guid: the video, the card's kind and moment, and its place among cards at that moment.

    Not the card's words: a model writes new questions each time, and a re-export should replace the
    chapter's cards in Anki, not add a second set beside them. Model cards of a chapter share the
    chapter's start, hence the ordinal.
    """
    import genanki

    seen: Counter[tuple[str, int]] = Counter()
    guids = []
    for card in cards:
        moment = (card.kind, round(card.start_s * 1000))  # milliseconds: no float formatting in the identity
        guids.append(genanki.guid_for("yt-transcript", video_id, *moment, seen[moment]))
        seen[moment] += 1
    return guids


def deck_name(meta: VideoMeta) -> str:
    """The video's title on one line; '::' would make Anki nest the deck under a parent, so it is broken up."""
    return re.sub(r":{2,}", ":", " ".join(meta.title.split())) or meta.video_id


def _fields(meta: VideoMeta, card: Card) -> list[str]:
    moment = format_hms(card.start_s)
    if meta.is_youtube:
        moment = f'<a href="{html.escape(watch_url(meta.video_id, card.start_s))}">Watch at {moment}</a>'
    return [_html(card.question), _html(card.answer), moment, _html(chapter_hint(card))]  # the front shows it


def _description(meta: VideoMeta) -> str:
    """The deck's description (Anki shows it as HTML on the deck's overview)."""
    words = _html(meta.title) + (f" ({_html(meta.channel)})" if meta.channel else "")
    return f'{words}<br><a href="{html.escape(meta.url)}">{html.escape(meta.url)}</a>' if meta.url else words


def _html(text: str) -> str:
    """Text from the data as literal HTML. '[' too: Anki acts on [sound:...] and [latex] in a field."""
    return html.escape(text).replace("[", "&#91;").replace("\n", "<br>")


def _added_ms(record: VideoRecord) -> int:
    """When the video entered the library, in ms: the first note id, so ids are the same in every export
    (Anki reads a note id as its creation time, and matches notes by guid whatever their ids)."""
    return int(datetime.fromisoformat(record.added_at).timestamp() * 1000)


def _write_package(package, path: Path, first_id: int) -> None:
    """What genanki's Package.write_to_file does, except that the temporary collection is removed, note and
    card ids count from `first_id` instead of the clock, and the file appears whole or not at all."""
    if not path.parent.is_dir():  # say so before building anything
        raise OutputNotWritable(path, f"no folder {path.parent}")
    with tempfile.TemporaryDirectory(prefix="yt-transcript-deck-") as tmp:
        collection = Path(tmp) / "collection.anki2"
        db = sqlite3.connect(collection)
        try:
            # The export time is every note's modification time: Anki takes an import's note only when newer.
            package.write_to_db(db.cursor(), time.time(), itertools.count(first_id))
            db.commit()
        finally:
            db.close()
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w") as apkg:
            apkg.write(collection, "collection.anki2")
            apkg.writestr("media", "{}")  # no media files
    write_output(path, packed.getvalue())
