"""The Search page: the best moments across the library, grouped by video; a click opens the video there. The query
and its results are kept for the session (and the query in the URL), so coming back from a video finds them."""

from __future__ import annotations

import streamlit as st
from yt_transcript.ui.common import library, open_video, play_label, safe, show_error

from yt_transcript import YtTranscriptError
from yt_transcript.ingest.models import NO_CLOSE_MATCH
from yt_transcript.rag.sentences import whole_sentences

ALL = "(all channels)"


def page() -> None:
    st.header("Search")
    records = library().videos()
    titles = {r.meta.video_id: " ".join(r.meta.title.split()) for r in records}
    kept = st.session_state.setdefault("_search", {"query": st.query_params.get("q", ""), "channel": ALL,
                                                    "videos": [], "hits": None, "for": None})
    # Widgets forget their values on another page; ours are put back from what the session kept.
    for key, value in (("search_query", kept["query"]), ("search_channel", kept["channel"]),
                       ("search_videos", [v for v in kept["videos"] if v in titles])):
        if key not in st.session_state:
            st.session_state[key] = value
    query = st.text_input("Search the library", key="search_query", placeholder="words or a question; Enter searches")
    channels = sorted({r.meta.channel for r in records if r.meta.channel})
    if st.session_state["search_channel"] not in [ALL, *channels]:
        st.session_state["search_channel"] = ALL
    col1, col2 = st.columns(2)
    channel = col1.selectbox("Channel", [ALL, *channels], key="search_channel")
    videos = col2.multiselect("Only these videos", list(titles), key="search_videos", format_func=titles.get,
                              placeholder="every video")
    kept.update(query=query, channel=channel, videos=videos)
    if query.strip():
        if st.query_params.get("q") != query:
            st.query_params["q"] = query
    elif "q" in st.query_params:
        del st.query_params["q"]
    if not query.strip():
        st.caption("Type what you are looking for; every result opens the video at that moment.")
        return
    wanted = (query, channel, tuple(videos))
    if kept["for"] != wanted:
        try:
            with st.spinner("Searching…"):
                kept["hits"] = library().search(query, videos=videos or None,
                                                channel=None if channel == ALL else channel, k=10)
        except YtTranscriptError as exc:
            show_error(exc)
            return
        kept["for"] = wanted
    hits = kept["hits"] or []
    if not hits:
        st.info("No matching passages.")
        return
    if not library().is_close_match(hits):
        st.info(NO_CLOSE_MATCH)
    by_video: dict[str, list] = {}
    for hit in hits:
        by_video.setdefault(hit.video_id, []).append(hit)
    for video_id, group in by_video.items():
        st.subheader(safe(" ".join(group[0].title.split())))
        for i, hit in enumerate(group):
            shown = whole_sentences(hit.text, hit.match)
            st.button(play_label(hit.start_s, hit.text[shown[0]:] if shown else hit.text), key=f"result-{video_id}-{i}",
                      on_click=open_video, args=(video_id, hit.start_s, "search"),
                      help="Open this video on the Video page, playing from this moment")
            st.markdown(_marked(hit))


def _marked(hit) -> str:
    """The hit's text as inert Markdown with the sentence its timestamp points at in bold (whole, where the
    punctuation shows where it starts and ends)."""
    if not hit.match:
        return safe(hit.text)
    a, b = whole_sentences(hit.text, hit.match)
    return f"{safe(hit.text[:a])}**{safe(hit.text[a:b].strip())}**{safe(hit.text[b:])}"
