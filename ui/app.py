"""The yt-transcript study room (Streamlit): Library, Video, Search and Study pages.

Each page is wiring: widgets -> one call on `yt_transcript.Library` -> render. Text from the data is
escaped before it is shown.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import streamlit as st

from yt_transcript import Citation, Library, Settings, YtTranscriptError, format_hms
from yt_transcript.ingest.sources import MEDIA_SUFFIXES

PAGES = ["Library", "Video", "Search", "Study"]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def safe(text: str) -> str:
    """Transcript and model text as literal Markdown: no links, no HTML, no formatting from the data."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")  # keep the data's line breaks


# --- the library ----------------------------------------------------------------------------------------

@st.cache_resource(show_spinner="Opening the library…")
def _shared(home: str, chroma_url: str | None, embed_model: str) -> Library:
    """One library per data home for every session: storage and models are loaded once."""
    return Library.open(home, chroma_url=chroma_url, embed_model=embed_model)


def library() -> Library:
    """The shared library, with this session's sidebar settings (a key typed there lives only in the session)."""
    env = Settings.load()
    shared = _shared(str(env.home), st.session_state.get("chroma_url") or env.chroma_url, env.embed_model)
    # Tests put fakes here; the package itself ships none.
    embedder, llm = st.session_state.get("embedder_override"), st.session_state.get("llm_override")
    wanted = (st.session_state.get("model") or None, st.session_state.get("base_url") or None,
              st.session_state.get("api_key") or None, id(shared), id(embedder), id(llm))
    cached = st.session_state.get("_library")
    if cached is None or cached[0] != wanted:
        lib = shared.with_settings(model=wanted[0], base_url=wanted[1], api_key=wanted[2])
        if embedder is not None or llm is not None:
            lib = Library(lib.settings, embedder=embedder, llm=llm, storage=lib.storage)
        st.session_state["_library"] = (wanted, lib)
    return st.session_state["_library"][1]


def seek(video_id: str, start_s: float) -> None:
    """Open the Video page with the player at this moment (applied at the top of the next run)."""
    st.session_state["goto"] = (video_id, int(start_s))


def show_error(exc: YtTranscriptError) -> None:
    st.error(str(exc))


# --- pages ----------------------------------------------------------------------------------------------

def page_library() -> None:
    st.header("Library")
    sources = st.text_area("YouTube URLs, playlists, channels or @handles (one per line)", key="sources")
    upload = st.file_uploader("…or a caption, audio or video file (audio is transcribed on this machine)",
                              type=["vtt", "srt", "json", "txt", *(s[1:] for s in MEDIA_SUFFIXES)], key="upload")
    whisper = st.checkbox("Transcribe YouTube videos without captions on this machine (Whisper)", key="whisper",
                          value=library().settings.ingest.whisper != "never")
    if st.button("Add to library", key="add"):
        raws = [line.strip() for line in (sources or "").splitlines() if line.strip()]
        if upload is not None:
            folder = Path(tempfile.mkdtemp())
            path = folder / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            raws.append(str(path))
        bar = st.progress(0.0, text="starting")
        try:
            # The box starts as the setting says; only a change of it overrides the setting.
            mode = None if whisper == (library().settings.ingest.whisper != "never") else (
                "auto" if whisper else "never")
            outcomes = library().ingest(*raws, whisper=mode, progress=lambda stage, done, total: bar.progress(
                min(done / total, 1.0) if total else 0.0, text=stage)) if raws else []
        except YtTranscriptError as exc:
            show_error(exc)
            outcomes = []
        for outcome in outcomes:
            if outcome.error is not None:
                st.error(str(outcome.error))
            for result in outcome.results:
                if result.ok:
                    st.success(f"{result.title}: {result.chunks} passages ({result.detail})")
                else:
                    st.error(result.detail)
        bar.empty()
    records = library().videos()
    if not records:
        st.info("The library is empty. Add a talk above.")
        return
    st.dataframe([{"title": r.meta.title, "channel": r.meta.channel, "duration": format_hms(r.meta.duration_s or 0),
                   "chapters": len(r.meta.chapters), "captions": r.meta.caption_kind, "added": r.added_at[:10],
                   "id": r.meta.video_id}
                  for r in records], hide_index=True)
    col1, col2 = st.columns(2)
    chosen = col1.selectbox("Video", [r.meta.video_id for r in records], key="library_video",
                            format_func=lambda v: next(r.meta.title for r in records if r.meta.video_id == v))
    if col2.button("Open", key="open"):
        seek(chosen, 0)
        st.rerun()
    if col2.button("Remove", key="remove"):
        try:
            library().remove(chosen)
        except YtTranscriptError as exc:
            show_error(exc)
            return
        st.rerun()


def page_video() -> None:
    records = {r.meta.video_id: r for r in library().videos()}
    if not records:
        st.info("Add a video on the Library page first.")
        return
    if st.session_state.get("video_pick") not in records:
        st.session_state["video_pick"] = next(iter(records))
    video_id = st.selectbox("Video", list(records), key="video_pick", format_func=lambda v: records[v].meta.title)
    if video_id != st.session_state.get("video_id"):
        st.session_state["video_id"], st.session_state["start_s"] = video_id, 0
        st.session_state["turns"] = []
    meta = records[video_id].meta
    start = int(st.session_state.get("start_s", 0))
    left, right = st.columns([3, 2])
    with left:
        if meta.is_youtube:
            st.video(meta.url, start_time=start)
        st.caption(f"Playing from {format_hms(start)}")
    with right:
        st.subheader("Chapters")
        try:
            overview = library().summarize(video_id)
        except YtTranscriptError as exc:
            show_error(exc)
            overview = None
        if overview is not None:
            st.markdown("**TL;DR** " + safe(overview.tldr))
            for i, chapter in enumerate(overview.chapters):
                if st.button(f"{format_hms(chapter.start_s)}  {chapter.title}", key=f"chapter-{i}"):
                    seek(video_id, chapter.start_s)
                    st.rerun()
                st.markdown(safe(chapter.summary))

    st.subheader("Ask about this video")
    question = st.text_input("Question", key="question")
    if st.button("Ask", key="ask") and question:
        live = st.empty()
        streamed: list[str] = []

        def on_token(piece: str) -> None:  # the answer appears as the model writes it
            streamed.append(piece)
            live.markdown(safe("".join(streamed)))

        try:
            answer = library().ask(question, videos=[video_id], on_token=on_token)
            live.empty()
            st.session_state.setdefault("turns", []).append(answer)
        except YtTranscriptError as exc:
            show_error(exc)
    for t, answer in enumerate(st.session_state.get("turns", [])):
        st.markdown(f"**Q:** {safe(answer.question)}")
        st.markdown(safe(answer.text))
        if answer.kind == "generated" and not answer.grounded:
            st.warning("The model cited none of the retrieved passages: this answer is not grounded.")
        for c in answer.citations + [_as_citation(h) for h in answer.nearest]:
            if st.button(f"[{c.id}] {format_hms(c.start_s)}  {c.title}", key=f"cite-{t}-{c.id}-{c.start_s}"):
                seek(c.video_id, c.start_s)
                st.rerun()

    st.subheader("Transcript")
    needle = st.text_input("Search this transcript", key="transcript_query")
    if needle.strip():
        try:
            found = library().search(needle, videos=[video_id], k=5)
        except YtTranscriptError as exc:
            show_error(exc)
            found = []
        for i, hit in enumerate(found):
            if st.button(f"{format_hms(hit.start_s)}  {hit.from_match[:90]}…", key=f"hit-{i}"):
                seek(video_id, hit.start_s)
                st.rerun()
    for i, (chapter, para) in enumerate(library().paragraphs(video_id)[:400]):
        if st.button(format_hms(para[0].start_s), key=f"line-{i}"):
            seek(video_id, para[0].start_s)
            st.rerun()
        st.markdown(safe(" ".join(s.text for s in para)))

    if overview is not None:
        notes = library().notes(video_id, st.session_state.get("turns", []), overview=overview)
        st.download_button("Export notes (Markdown)", notes, file_name=f"{video_id}-notes.md", key="export")


def _as_citation(hit):
    return Citation("near", hit.video_id, hit.title, hit.start_s, hit.url, hit.text)


def page_search() -> None:
    st.header("Search")
    records = library().videos()
    query = st.text_input("Search the library", key="search_query")
    channels = sorted({r.meta.channel for r in records if r.meta.channel})
    channel = st.selectbox("Channel", ["(all)"] + channels, key="search_channel")
    videos = st.multiselect("Videos", [r.meta.video_id for r in records], key="search_videos",
                            format_func=lambda v: next(r.meta.title for r in records if r.meta.video_id == v))
    if not query.strip():
        return
    try:
        hits = library().search(query, videos=videos or None, channel=None if channel == "(all)" else channel, k=10)
    except YtTranscriptError as exc:
        show_error(exc)
        return
    if not hits:
        st.info("No matching passages.")
    by_video: dict[str, list] = {}
    for hit in hits:
        by_video.setdefault(hit.video_id, []).append(hit)
    for video_id, group in by_video.items():
        st.subheader(group[0].title)
        for i, hit in enumerate(group):
            if st.button(f"{format_hms(hit.start_s)}", key=f"result-{video_id}-{i}"):
                seek(video_id, hit.start_s)
                st.rerun()
            st.markdown(_marked(hit))


def _marked(hit) -> str:
    """The hit's text as Markdown with the sentence its timestamp points at in bold."""
    if not hit.match:
        return safe(hit.text)
    a, b = hit.match
    return f"{safe(hit.text[:a])}**{safe(hit.text[a:b].strip())}**{safe(hit.text[b:])}"


def page_study() -> None:
    st.header("Study")
    records = {r.meta.video_id: r for r in library().videos()}
    if not records:
        st.info("Add a video on the Library page first.")
        return
    video_id = st.selectbox("Video", list(records), key="study_video", format_func=lambda v: records[v].meta.title)
    try:
        cards = library().study_cards(video_id)
    except YtTranscriptError as exc:
        show_error(exc)
        return
    st.caption("Cards are written by the model." if cards and cards[0].kind == "model"
               else "Cloze cards from key sentences (no model configured).")
    if cards:
        try:
            deck = _anki_bytes(video_id, cards)
        except YtTranscriptError as exc:
            show_error(exc)
        else:
            name = re.sub(r"[^\w.-]+", "-", video_id)  # a local id may hold anything; a file name may not
            st.download_button("Download as an Anki deck (.apkg)", deck, file_name=f"{name}.apkg",
                               mime="application/octet-stream", key="anki")
    for i, card in enumerate(cards):
        with st.expander(f"{card.chapter}: {card.question[:80]}"):
            st.markdown(safe(card.question))
            guess = st.text_input("Your answer", key=f"guess-{i}")
            if guess:
                correct = guess.strip().lower() == card.answer.strip().lower()
                (st.success if correct else st.warning)(f"Answer: {card.answer}")
            if st.button(f"Watch at {format_hms(card.start_s)}", key=f"card-{i}"):
                seek(video_id, card.start_s)
                st.rerun()


def _anki_bytes(video_id: str, cards) -> bytes:
    """The deck `yt-transcript study --anki` writes (same ids, so re-importing updates), read back as bytes."""
    with tempfile.TemporaryDirectory(prefix="yt-transcript-deck-") as folder:
        deck = library().anki_deck(video_id, Path(folder) / "deck.apkg", cards=cards)
        return Path(deck.path).read_bytes()


def sidebar() -> None:
    st.sidebar.title("yt-transcript")
    st.sidebar.radio("Page", PAGES, key="page_radio")
    with st.sidebar.expander("Settings"):
        st.text_input("Model (openai:NAME)", key="model", placeholder="offline quotes")
        st.text_input("Base URL", key="base_url", placeholder="https://api.openai.com/v1")
        st.text_input("API key (this session only)", key="api_key", type="password")
        st.text_input("Chroma server URL", key="chroma_url", placeholder="embedded")
        st.caption(f"Data home: {library().settings.home}")


def main() -> None:
    st.set_page_config(page_title="yt-transcript", layout="wide")
    try:
        library()
    except YtTranscriptError as exc:  # a bad setting or an unusable data home: say so, once
        show_error(exc)
        return
    goto = st.session_state.pop("goto", None)
    if goto is not None:  # widgets' state may only change before they are drawn
        st.session_state["page_radio"] = "Video"
        st.session_state["video_pick"], st.session_state["video_id"] = goto[0], goto[0]
        st.session_state["start_s"] = goto[1]
    st.session_state.setdefault("page_radio", "Library")
    sidebar()
    pages = {"Library": page_library, "Video": page_video, "Search": page_search, "Study": page_study}
    pages[st.session_state["page_radio"]]()


if __name__ == "__main__":  # streamlit runs this file as __main__; importing it draws nothing
    main()
