"""What every page of the study room shares: the library, plain-text rendering, errors and moving to a moment.

Nothing built from the data (titles, channels, transcript text, questions, model output) renders as Markdown or
HTML: `safe` turns every character Markdown, HTML or Streamlit's own syntax could act on into a numeric character
reference, which shows as that character and nothing more. Labels of buttons, tabs and expanders are Markdown too,
so they go through `label`.
"""

from __future__ import annotations

import re

import streamlit as st
from yt_transcript.ingest.timecodes import format_hms

from yt_transcript import Library, Settings, YtTranscriptError

# Every character Markdown (CommonMark and GFM autolinks: "www." and "http:"), HTML, LaTeX ($) or Streamlit's
# directives (:red[...], :material/...:) could act on.
_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~$:&\"'=/@%^]")


# Markdown's GFM autolinks are found in the text after character references are decoded, so a URL or an e-mail
# address also gets an invisible word joiner (U+2060) where the link would start: it shows as written, unlinked.
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")
JOINER = "\u2060"


def safe(text: str) -> str:
    """Text from the data as inert Markdown: each special character becomes a character reference (so a URL shows
    as the URL, with no backslash and no link), and the data's line breaks stay."""
    escaped = _SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", _AUTOLINK.sub(JOINER, text))
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def safe_with_bullets(text: str) -> str:
    """Like `safe`, but lines that open with "- " become a real list (ours: answers quote the video as one), their
    words still inert. The list is Markdown we write; nothing inside an item is."""
    out: list[str] = []
    was_item = None
    for line in text.replace("\r\n", "\n").split("\n"):
        item = line.startswith(("- ", "* "))
        if was_item is not None and item != was_item:
            out.append("")  # a blank line, so a paragraph never runs on inside the last item
        out.append(f"- {safe(line[2:].strip())}" if item else safe(line) + "  ")
        was_item = item
    return "\n".join(out)


def label(text: str, limit: int | None = None) -> str:
    """Text from the data as a one-line inert label (buttons, tabs, expanders), cut at `limit` characters."""
    line = " ".join(text.split())
    if limit is not None and len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return safe(line)


def snippet(text: str, limit: int = 70) -> str:
    """The start of a passage, on one line, cut at a word: what a button plays."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def card_line(question: str, limit: int = 80) -> str:
    """A card's question on one line, cut at words so that its blank always shows: a long question is cut
    around the blank ("… philosophical _____ of …") rather than before it."""
    line = " ".join(question.split())
    blank = line.find("_____")
    if len(line) <= limit or blank < 0 or blank + 5 <= limit - 1:
        return snippet(line, limit)
    # Half a line before the blank, or as much as fills the line when the blank is near the end.
    cut = max(0, min(blank - limit // 2, len(line) - (limit - 1)))
    start = line.find(" ", cut) + 1 if cut else 0
    return "…" + snippet(line[start:], limit - 1)


def card_heading(card) -> str:
    """A card's one-line label in a list: its chapter title (left off when it holds the answer, as the quiz and
    the Anki deck do), then its question."""
    from yt_transcript.rag.study import chapter_hint

    hint = chapter_hint(card)
    return label(f"{hint}: {card_line(card.question)}" if hint else card_line(card.question))


# --- the library ----------------------------------------------------------------------------------------

@st.cache_resource(show_spinner="Opening the library…")
def _shared(home: str, chroma_url: str | None, embed_model: str) -> Library:
    """One library per data home for every session: storage and models are loaded once."""
    return Library.open(home, chroma_url=chroma_url, embed_model=embed_model)


def library() -> Library:
    """The shared library, with this session's sidebar settings (a key typed there lives only in the session)."""
    env = Settings.load()
    typed = st.session_state.get("_settings", {})  # the sidebar's settings (see app.sidebar_settings)
    shared = _shared(str(env.home), typed.get("chroma_url") or env.chroma_url, env.embed_model)
    # Tests put fakes here; the package itself ships none.
    embedder, llm = st.session_state.get("embedder_override"), st.session_state.get("llm_override")
    wanted = (typed.get("model") or None, typed.get("base_url") or None,
              typed.get("api_key") or None, id(shared), id(embedder), id(llm))
    cached = st.session_state.get("_library")
    if cached is None or cached[0] != wanted:
        lib = shared.with_settings(model=wanted[0], base_url=wanted[1], api_key=wanted[2])
        if embedder is not None or llm is not None:
            lib = Library(lib.settings, embedder=embedder, llm=llm, storage=lib.storage)
        st.session_state["_library"] = (wanted, lib)
        st.session_state.pop("_model_down", None)  # another model: try it
    return st.session_state["_library"][1]


def model_key() -> str:
    """Names the chat model the session uses, for caching what it writes."""
    wanted = st.session_state["_library"][0] if st.session_state.get("_library") else (None,) * 6
    return repr((wanted[0], wanted[1], wanted[5]))


def say_not_here(video_id: str) -> None:
    """A video id (from a link, or a video since removed) that names no video here: said, with the nearest id."""
    try:
        library().video(video_id)
    except YtTranscriptError as exc:
        show_error(exc)


def show_error(exc: YtTranscriptError) -> None:
    """Our error, in plain words (its message and advice; never rendered as Markdown)."""
    st.error(safe(app_words(str(exc))))


def app_words(message: str) -> str:
    """A message in the app's words: the CLI's flags named as the settings they are."""
    for flag, setting in (("--base-url", "the Base URL setting"), ("--model", "the Model setting"),
                          ("--whisper", "the Whisper box"), ("--lang", "YT_TRANSCRIPT_LANGUAGES"),
                          ("--proxy", "YT_TRANSCRIPT_PROXY"), ("--video-id", "the title field")):
        message = message.replace(flag, setting)
    return message


def with_fallback(call, what: str):
    """`call(library)`; when the configured model fails, say so once and do it offline instead."""
    from yt_transcript import ModelError

    lib = library()
    if st.session_state.get("_model_down") is None:
        try:
            return call(lib)
        except ModelError as exc:
            st.session_state["_model_down"] = app_words(str(exc))
    st.warning(safe(f"The model could not be reached, so this {what} is made offline from the transcript. "
                    f"{st.session_state['_model_down']}"), icon="⚠️")
    return call(lib.offline())


def _made(kind: str, video_id: str, spinner: str, call, what: str):
    """`call(library)` once per video, model and transcript version in this session (reruns are free)."""
    record = library().video(video_id)
    key = (kind, video_id, record.generation, model_key(), bool(st.session_state.get("_model_down")))
    cache = st.session_state.setdefault("_made", {})
    if key not in cache:
        with st.spinner(spinner):
            cache[key] = with_fallback(call, what)
    return cache[key]


def overview(video_id: str):
    """The chapter overview."""
    made = _made("overview", video_id, "Writing the chapter overview…", lambda lib: lib.summarize(video_id),
                 "overview")
    return made


def cards(video_id: str) -> list:
    """The study cards; an error or an empty set is said on the page, and gives no cards."""
    try:
        made = _made("cards", video_id, "Making study cards…", lambda lib: lib.study_cards(video_id),
                     "set of cards")
    except YtTranscriptError as exc:
        show_error(exc)
        return []
    if not made:
        st.info("No cards could be made from this transcript.")
    return made


# --- places ---------------------------------------------------------------------------------------------

def open_video(video_id: str, start_s: float, back_to: str | None = None) -> None:
    """Open the Video page with the player at this moment (a button's on_click); `back_to` names the page
    the Video page offers to go back to."""
    st.session_state["_back_to"] = back_to
    st.session_state["video_id"] = video_id
    st.session_state["start_s"] = int(start_s)
    st.session_state["_seeks"] = st.session_state.get("_seeks", 0) + 1
    open_at(video_id, start_s)
    if start_s:  # a moment to read around (a search result, a card): the transcript, open there
        st.session_state["video_tab"] = "Transcript"
    go("video")


def go(page: str) -> None:
    """Open another page (a button's on_click; the app switches before drawing)."""
    st.session_state["_goto"] = page


def seek(start_s: float) -> None:
    """Move the player on the Video page to this moment (a button's on_click there)."""
    st.session_state["start_s"] = int(start_s)
    st.session_state["_seeks"] = st.session_state.get("_seeks", 0) + 1
    st.session_state["_played"] = True
    read_at(st.session_state.get("video_id"), start_s)


def open_at(video_id: str, start_s: float) -> None:
    """Where a video opens (a search result, a card, a link): its transcript at that moment, marked; a video
    opened at its start marks nothing, since nothing has played."""
    if start_s:
        read_at(video_id, start_s)
    else:
        st.session_state["transcript_at"] = (video_id, 0.0)
        st.session_state.pop("_marked_at", None)


def read_at(video_id: str | None, start_s: float, mark: str = "Playing from here:") -> None:
    """Open the Video page's transcript at this moment, its paragraph marked: what plays can be read too (and
    is all there is to read where the player cannot load)."""
    st.session_state["transcript_at"] = (video_id, start_s)
    st.session_state["_marked_at"] = (video_id, start_s, mark)


def play_label(start_s: float, text: str, source: str | None = None) -> str:
    """A play button's name: what it does, when, and the words it plays (after the source id an answer cites)."""
    return label((f"[{source}] " if source else "") + f"Play {format_hms(start_s)}: {snippet(text)}")
