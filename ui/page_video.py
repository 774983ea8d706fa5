"""The Video page: the player and the chat in one column that stays in view; overview, transcript, notes and cards
in tabs beside it. A seek from the chat reruns only the player and the chat (a fragment), unless the Transcript
tab is open, which follows the player to the moment."""

from __future__ import annotations

import contextlib
import re
import zlib

import streamlit as st
from yt_transcript.ui.common import (
    card_heading,
    cards,
    go,
    label,
    library,
    open_at,
    overview,
    play_label,
    read_at,
    safe,
    safe_with_bullets,
    seek,
    say_not_here,
    show_error,
    snippet,
    with_fallback,
)

from yt_transcript import Citation, YtTranscriptError, format_hms
from yt_transcript.rag.chat import MAX_TURNS, own_words
from yt_transcript.rag.sentences import whole_sentences

PART_S = 600.0  # the transcript is read ten minutes at a time
_QUESTION_SHOWN = 300  # characters of a question echoed: a pasted page must not push its answer out of view
_BACK_LABELS = {"study": "← Back to the Study page", "search": "← Back to the search results"}
_SAID_SHOWN = 100  # places the words are said, shown as buttons; the count says how many more
_SAID_BOX = 8  # more places than this scroll in a box of their own, so the passages below stay near
# A play from the transcript itself (a found place, a paragraph's play button) keeps a phone reader's place:
# there the player sits far above the transcript, and the reader is reading. Elsewhere a play brings the
# player into view, and on a wide screen, where the player stays beside it, the marked paragraph too.
SCROLL_TO_PLAYER = """<script>
// {nonce}: a seek happened; bring the player into view (a no-op when it already is).
const box = window.parent.document.querySelector('.st-key-player');
if (box && !({reading} && window.parent.innerWidth < 900)) box.scrollIntoView({{block: 'nearest', behavior: 'instant'}});
</script>"""


SCROLL_TO_MARK = """<script>
// {nonce}: something played; show the transcript's marked paragraph (beside the player on a wide screen).
const w = window.parent;
const mark = w.document.querySelector('.st-key-marked_paragraph');
if (mark && ({reading} || w.innerWidth >= 900)) mark.scrollIntoView({{block: 'center', behavior: 'instant'}});
</script>"""


SCROLL_TO_PART = """<script>
// The reader turned to the next part: show it from its top, where the part list is.
const list = window.parent.document.querySelector('[class*="st-key-transcript_part_"]');
if (list) { list.style.scrollMarginTop = '80px'; list.scrollIntoView({block: 'start', behavior: 'instant'}); }  // below the app's header
</script>"""


def page() -> None:
    records = {r.meta.video_id: r for r in library().videos()}
    if not records:
        st.header("Video")
        st.info("The library is empty: add a talk on the Library page first.")
        return
    wanted = st.session_state.get("video_id")
    if wanted not in records:
        if wanted:  # a link or id that names no video here: say so (with the nearest id), then show the first
            say_not_here(wanted)
        st.session_state["video_id"], st.session_state["start_s"] = next(iter(records)), 0
    video_id = st.session_state["video_id"]
    length = records[video_id].meta.duration_s
    if length and st.session_state.get("start_s", 0) > length:  # a link past the end: play from the last second
        st.session_state["start_s"] = int(length)
    back = st.session_state.get("_back_to")
    if back in _BACK_LABELS:  # came from a card's moment or a search result: one click back, as it was left
        st.button(_BACK_LABELS[back], key=f"back_to_{back}", on_click=_back, args=(back,))
    st.session_state["video_pick"] = video_id  # the box shows the video we are on, whichever way we came
    st.selectbox("Video", list(records), key="video_pick", on_change=_picked, label_visibility="collapsed",
                 format_func=lambda v: " ".join(records[v].meta.title.split()))  # options are plain text
    meta = records[video_id].meta
    facts = [meta.channel, format_hms(meta.duration_s or 0)]
    count, source = library().chapter_count(video_id, detect=False)  # the number the Library page shows
    if count is not None:
        facts.append(f"{count} chapters" + (" (detected)" if source == "auto" else ""))
    st.caption(safe(" · ".join(f for f in facts if f)))
    st.session_state["_drawn_seeks"] = st.session_state.get("_seeks", 0)  # the transcript drawn below is current
    left, right = st.columns([11, 9], gap="medium")
    with left:
        player_and_chat(video_id)
    with right:
        sections(video_id)


def _back(page: str) -> None:
    st.session_state["_back_to"] = None
    go(page)


def _picked() -> None:
    st.session_state["video_id"], st.session_state["start_s"] = st.session_state["video_pick"], 0
    open_at(st.session_state["video_id"], 0)  # at its start: nothing played yet


@st.fragment
def player_and_chat(video_id: str) -> None:
    """The player at the current moment, then the chat about this video. Its buttons rerun only this part (the
    whole page when the open Transcript tab has to follow a seek)."""
    meta = library().video(video_id).meta
    start = int(st.session_state.get("start_s", 0))
    place = (video_id, str(start))
    if (st.query_params.get("v"), st.query_params.get("t")) != place:
        st.query_params.update({"page": "video", "v": video_id, "t": str(start)})
    st.session_state["_url_place"] = place
    with st.container(key="player"):
        if meta.is_youtube:
            st.video(meta.url, start_time=start)
        else:
            st.info("This video is a local file, so there is no player here; every time still says where a "
                    "passage is.")
        if start or st.session_state.get("_played"):  # nothing played yet: no "Playing from 0:00:00"
            st.caption(f"Playing from {format_hms(start)}")
    seeks = st.session_state.get("_seeks", 0)
    if seeks != st.session_state.get("_drawn_seeks", 0) and st.session_state.get("video_tab") == "Transcript":
        st.rerun()  # a seek from the chat: the open transcript follows it to the moment (a whole-page run)
    if seeks != st.session_state.get("_scrolled", 0):  # bring the player into view after a seek
        st.session_state["_scrolled"] = seeks
        st.iframe(SCROLL_TO_PLAYER.format(nonce=seeks, reading=_reading(seeks)), height=1)  # our own fixed script
    chat(video_id)


def chat(video_id: str) -> None:
    chats = st.session_state.setdefault("chats", {})
    turns = chats.setdefault(video_id, [])
    question = st.chat_input("Ask about this video (Enter asks)", key="chat_q")
    # The newest answer is shown whole, with its play buttons, right under the question box; earlier ones
    # scroll in a box below it, so a long history never hides the buttons of the answer just given.
    latest = st.container(key="chat_latest")
    if question is not None:
        if not question.strip():
            st.info("Type a question first, for example “why does the model make things up?”")
        else:
            pending = latest.empty()  # the question and the answer as it streams, until it joins the turns
            with pending.container():
                st.markdown(f"**You:** {safe(snippet(question, _QUESTION_SHOWN))}")
                live = st.empty()
                streamed: list[str] = []

                def on_token(piece: str, streamed=streamed, live=live) -> None:  # shown as the model writes it
                    streamed.append(piece)
                    live.markdown(safe("".join(streamed)))

                failure = None
                try:
                    with st.spinner("Finding the moments that answer it…"):
                        # A follow-up reads the turns before it, each as it was searched: a chain of them
                        # ("why?", then "how do they fix it?") keeps its topic.
                        history = [(a.asked_as or a.question, a.text) for a in turns[-MAX_TURNS:]]
                        answer = with_fallback(lambda lib: lib.ask(question, videos=[video_id], history=history,
                                                                   on_token=on_token), "answer")
                except YtTranscriptError as exc:
                    failure = exc
                else:
                    turns.append(answer)
            pending.empty()
            if failure is not None:
                show_error(failure)
    if not turns:
        st.caption("Answers quote the video; each source is a button that plays its moment.")
        return
    newest, *earlier = reversed(list(enumerate(turns)))
    with latest:
        _turn(video_id, *newest)
    if earlier:
        with st.container(height=330, key="chat_history"):
            st.caption("Earlier questions, newest first")
            for n, (t, answer) in enumerate(earlier):
                if n:
                    st.divider()
                _turn(video_id, t, answer)
    st.button("Clear this chat", key=f"clear-{video_id}", on_click=chats.__setitem__, args=(video_id, []))


def _turn(video_id: str, t: int, answer) -> None:
    """One question and its answer, then a button per source that plays its moment."""
    st.markdown(f"**You:** {safe(snippet(answer.question, _QUESTION_SHOWN))}")
    if answer.asked_as:
        st.caption(safe(f"Read with your question before it: “{snippet(answer.asked_as, 2 * _QUESTION_SHOWN)}”"))
        if own_words(answer.question):  # "why?" alone asks nothing
            st.button("Ask it on its own", key=f"alone-{video_id}-{t}", on_click=_ask_alone, args=(video_id, answer),
                      help="A new topic, not a follow-up: answer the question by itself, in place of this answer")
    failed = st.session_state.get("_alone_failed")
    if failed is not None and failed[0] is answer:
        show_error(failed[1])
    quotes = answer.kind == "extractive" and bool(answer.citations)
    if quotes:
        # Our own offline answer is its quotes: each one whole on its play button, said once (a phone would
        # otherwise scroll past every quote twice).
        st.caption(safe(answer.text.split("\n", 1)[0]))
    elif answer.kind != "not_found":  # a model's text stays wholly inert; "not found" is said once, below
        st.markdown(safe(answer.text) if answer.kind == "generated" else safe_with_bullets(answer.text))
    if answer.kind == "generated" and not answer.grounded:
        st.warning("The model cited none of the passages it was given: this answer is not grounded.")
    if answer.nearest:
        st.caption("Nothing in the video answers this directly; the nearest passages:")
    sources = answer.citations + [_as_citation(h) for h in answer.nearest]
    for i, c in enumerate(sources):
        name = (label(f"[{c.id}] Play {format_hms(c.start_s)}: “{c.text}”") if quotes
                else play_label(c.start_s, c.text, c.id if c.id != "near" else None))
        st.button(name, key=f"cite-{video_id}-{t}-{i}", on_click=_play_source, args=(c.start_s,),
                  help=f"Play the video from {format_hms(c.start_s)} and read it in the transcript")


def _ask_alone(video_id: str, misread) -> None:
    """Answer a turn read as a follow-up by itself, in its place; its notes keep the new reading only."""
    turns = st.session_state.get("chats", {}).get(video_id, [])
    at = next((i for i, turn in enumerate(turns) if turn is misread), None)
    if at is None:  # the chat was cleared under the button
        return
    try:
        answer = with_fallback(lambda lib: lib.ask(misread.question, videos=[video_id]), "answer")
    except YtTranscriptError as exc:
        st.session_state["_alone_failed"] = (misread, exc)
        return
    turns[at] = answer
    if misread.asked_as != misread.question:
        with contextlib.suppress(YtTranscriptError):  # a read-only home kept neither reading
            library().forget_answer(video_id, misread.asked_as)


def _play_source(start_s: float) -> None:
    """A source plays, and the transcript opens where it is said, to check the answer against what was said."""
    seek(start_s)
    st.session_state["video_tab"] = "Transcript"


def _as_citation(hit) -> Citation:
    return Citation("near", hit.video_id, hit.title, hit.start_s, hit.url, hit.from_match or hit.text)


def sections(video_id: str) -> None:
    """Overview, transcript, notes and cards; only the open tab is drawn."""
    tabs = st.tabs(["Overview", "Transcript", "Notes", "Cards"], key="video_tab", on_change="rerun")
    for tab, draw in zip(tabs, (_overview, _transcript, _notes, _cards)):
        if tab.open:
            with tab:
                draw(video_id)


def _overview(video_id: str) -> None:
    try:
        made = overview(video_id)
    except YtTranscriptError as exc:
        show_error(exc)
        return
    st.markdown(f"**In short:** {safe(made.tldr)}")
    kind = ("detected in the transcript (the video has no chapters of its own)" if made.chapter_source == "auto"
            else "the creator's")
    how = "summaries quoted from the video" if made.model == "extractive" else "summaries written by the model"
    st.caption(safe(f"{len(made.chapters)} chapters, {kind}; {how}. Open one to read it."))
    for i, chapter in enumerate(made.chapters):
        with st.expander(label(f"{format_hms(chapter.start_s)} · {chapter.title}")):
            st.button(label(f"Play from {format_hms(chapter.start_s)}"), key=f"chapter-{i}", on_click=seek,
                      args=(chapter.start_s,), help="Move the player to the start of this chapter")
            st.markdown(safe(chapter.summary))


def _transcript(video_id: str) -> None:
    needle = st.text_input("Find in this transcript", key="transcript_query",
                           placeholder="words or a question; Enter finds")
    if needle.strip():
        try:
            _finding(video_id, library().find(video_id, needle))
        except YtTranscriptError as exc:
            show_error(exc)
        st.divider()
    restored = st.toggle("Read in sentences", value=True, key="transcript_sentences",
                         help="Where the captions have no punctuation (YouTube's automatic captions), sentence "
                              "breaks are put back from pauses and from where the model reads a sentence ending, "
                              "and fillers left out. Off: the captions as written.")
    with st.spinner("Reading where the sentences end…"):  # once per video: a long talk takes seconds
        paragraphs = library().paragraphs(video_id, as_written=not restored)
    parts = _parts(paragraphs)
    if not parts:
        st.caption("This transcript has no text.")
        return
    starts = [paragraphs[a][1][0].start_s for _, a, _ in parts]  # each part's first paragraph
    # The reader's place is a moment, and parts are fixed stretches of time: switching views (or coming back
    # to the video) opens the part whose paragraphs hold the same moment, cut at the same times.
    key = "transcript_part_" + ("sentences" if restored else "captions")
    st.session_state[key] = _part_holding(parts, paragraphs, _reading_at(video_id))
    chosen = st.selectbox("Ten minutes at a time: go to", range(len(parts)), key=key, on_change=_read_from,
                          args=(video_id, key, starts),
                          format_func=lambda p: _part_label(p, parts, paragraphs))
    _, a, b = parts[chosen]
    if st.session_state.pop("_part_turned", None) == video_id:
        st.iframe(SCROLL_TO_PART, height=1)  # our own fixed script: the new part is read from its top
    found, mark = _marked_paragraph(video_id, paragraphs)
    for i in range(a, b):
        chapter, para = paragraphs[i]
        if chapter is not None and (i == a or paragraphs[i - 1][0] is not chapter):
            st.markdown(f"**{safe(chapter.title)}**")
        st.button(f"▶ Play from {format_hms(para[0].start_s)}", key=f"line-{i}", on_click=_play_and_read,
                  args=(video_id, para[0].start_s, "Playing from here:"), type="tertiary")
        text = safe(" ".join(s.text for s in para))
        if i == found:
            with st.container(key="marked_paragraph"):
                st.caption(mark)
                st.markdown(f"**{text}**")
            _scroll_to_mark()
        else:
            st.markdown(text)
    if chosen + 1 < len(parts):  # the end of a part: read on without going back up to the list
        st.button(f"Read on: {_part_label(chosen + 1, parts, paragraphs)} ›", key="next_part", on_click=_turn_part,
                  args=(video_id, starts[chosen + 1]))


def _turn_part(video_id: str, start: float) -> None:
    st.session_state["transcript_at"] = (video_id, start)
    st.session_state["_part_turned"] = video_id


def _reading(seeks: int) -> str:
    """"true" when the last play came from the transcript (a JavaScript literal for the scroll scripts)."""
    return "true" if st.session_state.get("_reading_seek") == seeks else "false"


def _scroll_to_mark() -> None:
    """Once per play, bring the marked paragraph into view: on a wide screen, where the player stays in view
    beside it, and on a phone when the play came from the transcript (else the player is what it brings)."""
    seeks = st.session_state.get("_seeks", 0)
    if seeks != st.session_state.get("_mark_scrolled"):
        st.session_state["_mark_scrolled"] = seeks
        st.iframe(SCROLL_TO_MARK.format(nonce=seeks, reading=_reading(seeks)), height=1)  # our own fixed script


def _parts(paragraphs) -> list[tuple[float, int, int]]:
    """(start, first paragraph, end) of each PART_S stretch of the talk that has paragraphs."""
    out: list[tuple[float, int, int]] = []
    for i, (_, para) in enumerate(paragraphs):
        start = para[0].start_s // PART_S * PART_S
        if out and out[-1][0] == start:
            out[-1] = (start, out[-1][1], i + 1)
        else:
            out.append((start, i, i + 1))
    return out


def _part_label(p: int, parts: list[tuple[float, int, int]], paragraphs) -> str:
    """"Part 3 of 22: from 0:20:04, Neural Networks · Training": when its first paragraph starts (a part holds
    the paragraphs starting in its ten minutes), the chapter being read there and those that start in it."""
    _, first, end = parts[p]
    chapter, para = paragraphs[first]
    titles = list(dict.fromkeys(c.title for c, _ in paragraphs[first:end] if c is not None))
    return f"Part {p + 1} of {len(parts)}: from {format_hms(para[0].start_s)}" + (f", {' · '.join(titles)}"
                                                                                  if titles else "")


def _reading_at(video_id: str) -> float:
    """The moment the reader's transcript part starts at, for this video (0 for a video not read yet)."""
    at = st.session_state.get("transcript_at")
    return at[1] if at and at[0] == video_id else 0.0


def _part_holding(parts: list[tuple[float, int, int]], paragraphs, moment: float) -> int:
    """The part with the paragraph that holds the moment: a place found at 0:10:11, in a paragraph from
    0:09:35, is read in the part of 0:00-0:10, not in the next one, which starts at 0:10:22."""
    at = _part_at([para[0].start_s for _, para in paragraphs], moment)
    return next((p for p, (_, a, b) in enumerate(parts) if a <= at < b), 0)


def _part_at(starts: list[float], moment: float) -> int:
    """The index of the last of `starts` at or before the moment (half a second of slack), else 0."""
    return max((p for p, start in enumerate(starts) if start <= moment + 0.5), default=0)


def _read_from(video_id: str, key: str, starts: list[float]) -> None:
    """The part selector's on_change: remember the moment the chosen part starts at."""
    st.session_state["transcript_at"] = (video_id, starts[st.session_state[key]])


def _finding(video_id: str, finding) -> None:
    """Every place the words are said (a button each), then the passages about them. A button plays its
    moment and opens the transcript's part that holds it, to read around it."""
    said = finding.said
    if said:
        st.caption(finding.said_line + (f"; the first {_SAID_SHOWN}:" if len(said) > _SAID_SHOWN else ":"))
        box = st.container(height=320, key="said_places") if len(said) > _SAID_BOX else st.container()
        for i, place in enumerate(said[:_SAID_SHOWN]):
            box.button(play_label(place.start_s, place.text), key=f"said-{i}", on_click=_play_and_read,
                       args=(video_id, place.start_s))
    if finding.heading:
        st.caption(finding.heading)
    for i, hit in enumerate(finding.related or finding.nearest):
        shown = whole_sentences(hit.text, hit.match)
        st.button(play_label(hit.start_s, hit.text[shown[0]:] if shown else hit.text), key=f"hit-{i}",
                  on_click=_play_and_read, args=(video_id, hit.start_s))


def _play_and_read(video_id: str, start_s: float, mark: str = "Found here:") -> None:
    """A play from the transcript: the paragraph marked, and a phone reader's place kept (see SCROLL_TO_PLAYER)."""
    seek(start_s)
    read_at(video_id, start_s, mark)
    st.session_state["_reading_seek"] = st.session_state["_seeks"]


def _marked_paragraph(video_id: str, paragraphs) -> tuple[int | None, str]:
    """The paragraph holding the moment last played in this video (from a find, a quote, a chapter...), shown
    in bold, with what to say above it; None if nothing played here."""
    marked = st.session_state.get("_marked_at")
    if not marked or marked[0] != video_id:
        return None, ""
    return _part_at([para[0].start_s for _, para in paragraphs], marked[1]), marked[2]  # the last to start by then


def _notes(video_id: str) -> None:
    st.write("Your notes for this video: what you write here, the chapter overview, then every question asked "
             "about it with its answer and sources, as Markdown for Obsidian or any notes app.")
    key = f"own_note_{video_id}"
    if key not in st.session_state:
        st.session_state[key] = library().own_note(video_id)
    try:
        library().check_writable()
        blocked = None
    except YtTranscriptError as exc:  # said before a word is typed, not when it is lost
        blocked = exc
    # Saved as the box is left (a click anywhere, another tab), so a draft is never lost to a tab change.
    st.text_area("My notes", key=key, height=160, on_change=_save_own_note, args=(video_id, key),
                 placeholder="What you want to remember, in your own words (Markdown is fine).",
                 disabled=blocked is not None)
    failed = st.session_state.pop("_own_note_failed", None) or blocked
    if failed is not None:
        show_error(failed)
    else:
        st.caption("Saved as you leave the box: they open the notes below, and stay if the video is removed.")
    try:
        notes = with_fallback(lambda lib: lib.export(video_id, "obsidian"), "set of notes")
    except YtTranscriptError as exc:
        show_error(exc)
        return
    name = re.sub(r"[^\w.-]+", "-", video_id)
    st.download_button("Download notes (Markdown)", notes, file_name=f"{name}-notes.md", key="export",
                       mime="text/markdown")
    saved = library().saved_answers(video_id)
    asked = len(saved)
    st.caption(f"They hold the {asked} question{'s' if asked != 1 else ''} asked about this video so far, in the "
               "app or on the command line." if asked else "No question has been asked about this video yet.")
    if asked:  # what they hold beyond the Overview tab, before downloading: the questions, as plain text
        with st.expander("The questions in the notes"):
            for answer in saved:
                # Keyed by the question, not its place: once one is forgotten, the next does not inherit its
                # open confirmation.
                mark = f"{video_id}-{zlib.crc32(answer.question.encode()):08x}"
                with st.container(horizontal=True, vertical_alignment="center"):
                    st.markdown(f"- {safe(answer.question)}")
                    with st.popover("Forget", help="Take this question and its answer out of the notes",
                                    key=f"forget-pop-{mark}"):
                        st.caption("Its answer goes too; asking again brings it back.")
                        if st.button("Yes, forget it", key=f"forget-{mark}"):
                            _forget(video_id, answer.question)


def _save_own_note(video_id: str, key: str) -> None:
    try:
        library().save_own_note(video_id, st.session_state[key])
    except YtTranscriptError as exc:
        st.session_state["_own_note_failed"] = exc


def _forget(video_id: str, question: str) -> None:
    try:
        library().forget_answer(video_id, question)
    except YtTranscriptError as exc:
        show_error(exc)
        return
    st.rerun()


def _quiz(video_id: str) -> None:
    st.session_state["study_video_id"] = video_id
    go("study")


def _cards(video_id: str) -> None:
    made = cards(video_id)
    if not made:
        return
    st.caption(f"{len(made)} cards. The Study page quizzes you on them one at a time.")
    st.button("Quiz me on this video", key="quiz-this", on_click=_quiz, args=(video_id,))
    for i, card in enumerate(made):
        with st.expander(card_heading(card)):
            st.markdown(safe(card.question))
            st.markdown(f"**Answer:** {safe(card.answer)}")
            st.button(f"Play from {format_hms(card.start_s)}", key=f"card-play-{i}", on_click=seek,
                      args=(card.start_s,), help="Watch the moment this card comes from")
