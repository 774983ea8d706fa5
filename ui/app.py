"""The yt-transcript study room (Streamlit): Library, Video, Search and Study pages.

Each page is wiring: widgets -> one call on `yt_transcript.Library` -> render. Nothing from the data renders as
Markdown or HTML (see `ui/common.py`). Where the student is (page, video, moment, search) lives in the URL's query
parameters, so a reload, the back button or a pasted link opens the same place: `?page=video&v=ID&t=600`.
"""

from __future__ import annotations

import streamlit as st
from yt_transcript.ui.common import library, open_at, safe, show_error

from yt_transcript import YtTranscriptError

PAGES = {"library": "Library", "video": "Video", "search": "Search", "study": "Study"}

# Our own layout rules (constants, never data): on a wide screen the column holding the player and the chat
# stays in view while the other column scrolls; on a phone the columns stack and a seek scrolls to the player.
CSS = """
<style>
@media (min-width: 900px) {
  [data-testid="stColumn"]:has(.st-key-player) {
    position: sticky; top: 3.75rem; align-self: flex-start; max-height: calc(100vh - 4.5rem); overflow-y: auto;
  }
}
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }
.st-key-player iframe { width: 100%; aspect-ratio: 16 / 9; height: auto; }
.st-key-player { scroll-margin-top: 4.5rem; }  /* a seek scrolls the player below the app's header, not under it */
[data-testid="stDataFrame"] { max-width: 100%; }
/* a quote on its play button reads as text does: from the left */
[class*="st-key-cite-"] button { justify-content: flex-start; text-align: left; }
[class*="st-key-cite-"] button p { text-align: left; }
</style>
"""


def url_place() -> None:
    """Adopt the video and moment in the URL when it changed outside the app (reload, back, a pasted link)."""
    params = st.query_params
    place = (params.get("v"), params.get("t"))
    if place[0] and place != st.session_state.get("_url_place"):
        st.session_state["video_id"] = place[0]
        try:
            st.session_state["start_s"] = max(0, int(float(place[1] or 0)))
        except ValueError:
            st.session_state["start_s"] = 0
        open_at(place[0], st.session_state["start_s"])
        st.session_state["_url_place"] = place


def sidebar_settings() -> None:
    """The session's settings. What is typed is kept apart from the widgets, which forget it on another page."""
    kept = st.session_state.setdefault("_settings", {})

    def field(name: str, title: str, **options) -> None:
        if name not in st.session_state and name in kept:
            st.session_state[name] = kept[name]
        st.text_input(title, key=name, on_change=lambda: kept.__setitem__(name, st.session_state[name]), **options)

    with st.sidebar.expander("Settings"):
        field("model", "Model (openai:NAME)", placeholder="none: quotes from the video")
        field("base_url", "Base URL", placeholder="https://api.openai.com/v1")
        field("api_key", "API key (this session only)", type="password")
        field("chroma_url", "Chroma server URL", placeholder="built in")
        st.caption(safe(f"Data home: {library().settings.home}"))


def main() -> None:
    st.set_page_config(page_title="yt-transcript", layout="wide", initial_sidebar_state="auto")
    st.html(CSS)
    try:
        library()
    except YtTranscriptError as exc:  # a bad setting or an unusable data home: say so, once
        show_error(exc)
        return
    from yt_transcript.ui import page_library, page_search, page_study, page_video

    url_place()
    runs = {"library": page_library.page, "video": page_video.page, "search": page_search.page,
            "study": page_study.page}
    # The Library is the root page; every other page keeps its own path, so a reload of /study?page=study
    # (the address a click leaves) finds its page. A default page is served at the root only, and its path
    # would then be "not found". A link to the root naming another page is switched to below.
    pages = {name: st.Page(runs[name], title=title, url_path=name, default=(name == "library"))
             for name, title in PAGES.items()}
    current = st.navigation(list(pages.values()))
    sidebar_settings()
    name = {title: n for n, title in PAGES.items()}[current.title]
    goto = st.session_state.pop("_goto", None)
    asked = st.query_params.get("page")
    if goto is None and asked in PAGES and asked != name and asked != st.session_state.get("_url_page"):
        goto = asked  # a link or the back button named another page than the one the path shows
    if goto in PAGES and goto != name:  # a button asked for another page (see common.go)
        params = {**st.query_params.to_dict(), "page": goto}
        if goto == "video" and "video_id" in st.session_state:
            params |= {"v": st.session_state["video_id"], "t": str(st.session_state.get("start_s", 0))}
        st.switch_page(pages[goto], query_params=params)
    st.session_state["_url_page"] = name
    if st.query_params.get("page") != name:
        st.query_params["page"] = name
    current.run()


if __name__ == "__main__":  # streamlit runs this file as __main__; importing it draws nothing
    main()
