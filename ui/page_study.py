"""The Study page: a quiz (one card at a time, shuffled, with a score) or every card at once, and the Anki deck."""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

import streamlit as st
from yt_transcript.rag.study import chapter_hint, grade_answer, quiz_order
from yt_transcript.ui.common import (
    card_heading,
    cards,
    library,
    open_video,
    safe,
    say_not_here,
    show_error,
)

from yt_transcript import YtTranscriptError, format_hms


def page() -> None:
    st.header("Study")
    records = {r.meta.video_id: r for r in library().videos()}
    if not records:
        st.info("The library is empty: add a talk on the Library page first.")
        return
    current = st.session_state.get("study_video_id") or st.session_state.get("video_id")
    if current not in records:
        if current:  # a link or id that names no video here: said, then the first video's cards
            say_not_here(current)
        current = next(iter(records))
    st.session_state["study_video"] = current
    video_id = st.selectbox("Video", list(records), key="study_video", on_change=_picked,
                            format_func=lambda v: " ".join(records[v].meta.title.split()))
    st.session_state["study_video_id"] = video_id
    if st.query_params.get("v") != video_id:  # in the address, so a reload or a bookmark opens these cards again
        st.query_params.pop("t", None)
        st.query_params["v"] = video_id
        st.session_state["_url_place"] = (video_id, None)  # put there by the app, not a change from outside
    made = cards(video_id)
    if not made:
        return
    st.caption("Cards written by the model." if made[0].kind == "model"
               else "Cloze cards: a key term of a sentence from the video is blanked out (no model configured).")
    # Kept apart from the widget, whose state Streamlit drops on another page: back from a card's moment,
    # the reader is in the mode they left.
    st.session_state["study_mode"] = st.session_state.get("_study_mode", "Quiz")
    mode = st.segmented_control("Mode", ["Quiz", "All cards"], key="study_mode", on_change=_mode_picked,
                                label_visibility="collapsed") or "Quiz"
    if mode == "Quiz":
        quiz(video_id, made)
    else:
        for i, card in enumerate(made):
            with st.expander(card_heading(card)):
                st.markdown(safe(card.question))
                st.markdown(f"**Answer:** {safe(card.answer)}")
                st.button(f"Watch the moment ({format_hms(card.start_s)})", key=f"card-{i}", on_click=open_video,
                          args=(video_id, card.start_s, "study"))
    _anki_download(video_id, made)


def _mode_picked() -> None:
    st.session_state["_study_mode"] = st.session_state["study_mode"]


def _picked() -> None:
    st.session_state["study_video_id"] = st.session_state["study_video"]


def quiz(video_id: str, made) -> None:
    """One card at a time in a shuffled order; a typed answer is graded, and the score kept for the session."""
    state = st.session_state.setdefault("quizzes", {}).setdefault(video_id, _fresh())
    only = state.get("only")
    # Cards to retry that have since been made anew (another model, a new transcript) are gone: all, then.
    deck = [c for c in made if only is None or _key(c) in only] or made
    order = quiz_order(deck, state["seed"])
    if state["index"] >= len(order):
        passed = len(order) - state["answered"]  # skipped, or the answer shown first
        st.success(f"Done: {state['right']} of {state['answered']} right"
                   + (f"; {passed} of {len(order)} not answered (skipped or shown first)." if passed else "."))
        with st.container(horizontal=True):
            if state["missed"]:  # what was not known, again, until it is
                st.button(f"Retry the {len(state['missed'])} not known", key="quiz-retry", type="primary",
                          on_click=_retry, args=(video_id,))
            st.button("Start again, shuffled", key="quiz-restart", on_click=_restart, args=(video_id,))
        return
    card = order[state["index"]]
    state["card"] = _key(card)
    st.progress(state["index"] / len(order),
                text=f"Card {state['index'] + 1} of {len(order)} · score {state['right']} of {state['answered']}")
    with st.container(border=True):
        hint = chapter_hint(card)  # never the answer in the title above its blank
        if hint:
            st.caption(safe(hint))
        st.markdown(f"**{safe(card.question)}**")  # bold, not a heading: no anchor built from the data
        graded = state["graded"]
        with st.form(key=f"quiz-form-{video_id}-{state['seed']}-{state['index']}", border=False):
            done = graded is not None or state["shown"]  # an answer seen can no longer be typed for a point
            given = st.text_input("Your answer", key=f"quiz-answer-{video_id}-{state['seed']}-{state['index']}",
                                  disabled=done)
            checked = st.form_submit_button("Check my answer (Enter)", disabled=done)
        if checked and not done:
            if not given.strip():
                st.info("Type an answer first, or show the answer.")
            else:
                right = grade_answer(given, card.answer)
                state.update(graded=(given, right), answered=state["answered"] + 1,
                             right=state["right"] + int(right))
                st.rerun()
        if graded is not None:
            (st.success if graded[1] else st.warning)(
                safe(("Right: " if graded[1] else "Not quite. The answer: ") + card.answer))
            st.caption(safe(f"You answered: {graded[0].strip()}"))  # the box is cleared, so say what was typed
        elif state["shown"]:
            st.info(safe(f"The answer: {card.answer}"))
            st.caption("Shown before answering, so it counts as not known.")
        with st.container(horizontal=True):
            st.button("Show the answer", key="quiz-show", disabled=graded is not None or state["shown"],
                      on_click=_show, args=(video_id,))
            st.button(f"Watch the moment ({format_hms(card.start_s)})", key="quiz-watch", on_click=open_video,
                      args=(video_id, card.start_s, "study"))
            st.button("Next card", key="quiz-next", type="primary", on_click=_next, args=(video_id,))
    st.button("Start again, shuffled", key="quiz-restart", on_click=_restart, args=(video_id,))


def _fresh(only: list | None = None) -> dict:
    """A quiz from its first card: of every card, or `only` those (their _key) to retry."""
    return {"seed": random.randrange(1 << 30), "index": 0, "right": 0, "answered": 0, "graded": None, "shown": False,
            "missed": [], "only": only, "card": None}


def _key(card) -> tuple[float, str]:
    return card.start_s, card.question


def _show(video_id: str) -> None:
    state = st.session_state["quizzes"][video_id]
    if not state["shown"] and state["graded"] is None:
        state.update(shown=True, answered=state["answered"] + 1)


def _next(video_id: str) -> None:
    state = st.session_state["quizzes"][video_id]
    if not (state["graded"] and state["graded"][1]) and state["card"] is not None:
        state["missed"].append(state["card"])  # answered wrong, shown first or skipped: not known yet
    state.update(index=state["index"] + 1, graded=None, shown=False)


def _restart(video_id: str) -> None:
    st.session_state["quizzes"][video_id] = _fresh()


def _retry(video_id: str) -> None:
    st.session_state["quizzes"][video_id] = _fresh(only=st.session_state["quizzes"][video_id]["missed"])


def _anki_download(video_id: str, made) -> None:
    try:
        deck = _anki_bytes(video_id, made)
    except YtTranscriptError as exc:
        show_error(exc)
        return
    name = re.sub(r"[^\w.-]+", "-", video_id)  # a local id may hold anything; a file name may not
    st.download_button("Download as an Anki deck (.apkg)", deck, file_name=f"{name}.apkg",
                       mime="application/octet-stream", key="anki")


def _anki_bytes(video_id: str, made) -> bytes:
    """The deck `yt-transcript study --anki` writes (same ids, so re-importing updates), read back as bytes."""
    with tempfile.TemporaryDirectory(prefix="yt-transcript-deck-") as folder:
        deck = library().anki_deck(video_id, Path(folder) / "deck.apkg", cards=made)
        return Path(deck.path).read_bytes()
