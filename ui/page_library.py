"""The Library page: add talks (with a title and channel for a file), see what is there, open, rename or remove."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st
from yt_transcript.ingest.sources import MEDIA_SUFFIXES
from yt_transcript.ui.common import (
    app_words,
    label,
    library,
    open_video,
    safe,
    show_error,
)

from yt_transcript import YtTranscriptError, format_hms


def page() -> None:
    st.header("Library")
    _add()
    records = library().videos()
    if not records:
        st.info("The library is empty. Add a talk above: a YouTube link, or a caption, audio or video file.")
        return
    shown = _table(records)
    if shown:  # the video to manage is picked among those the filter shows
        _manage(shown)


# --- adding ---------------------------------------------------------------------------------------------

def _add() -> None:
    with st.expander("Add talks", expanded=not library().videos()):
        sources = st.text_area("YouTube URLs, playlists, channels or @handles (one per line)", key="sources")
        upload = st.file_uploader("…or a caption, audio or video file (audio is transcribed on this machine)",
                                  type=["vtt", "srt", "json", "txt", *(s[1:] for s in MEDIA_SUFFIXES)], key="upload")
        col1, col2 = st.columns(2)
        title = col1.text_input("Title of the file's talk (optional)", key="upload_title",
                                placeholder="taken from the file when empty")
        channel = col2.text_input("Channel or speaker (optional)", key="upload_channel")
        whisper_default = library().settings.ingest.whisper != "never"
        whisper = st.checkbox("Transcribe YouTube videos without captions on this machine (Whisper)", key="whisper",
                              value=whisper_default)
        if st.button("Add to library", key="add", type="primary"):
            jobs = [(line.strip(), {}) for line in (sources or "").splitlines() if line.strip()]
            if upload is not None:
                path = Path(tempfile.mkdtemp(prefix="yt-transcript-upload-")) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                jobs.append((str(path), {"title": title.strip() or None, "channel": channel.strip() or None}))
            if not jobs:
                st.info("Paste a YouTube link or choose a file first.")
                return
            # The box starts as the setting says; only a change of it overrides the setting.
            mode = None if whisper == whisper_default else ("auto" if whisper else "never")
            dups = [(src, rec) for src, _ in jobs if (rec := library().known(src)) is not None]
            if dups:
                st.session_state["_pending"] = (jobs, mode, [(src, rec.meta.title) for src, rec in dups])
            else:
                _ingest(jobs, mode)
        pending = st.session_state.get("_pending")
        if pending:
            jobs, mode, dups = pending
            names = "; ".join(f"“{t}”" for _, t in dups)
            st.warning(safe(f"Already in the library, with the same transcript: {names}. Add again anyway "
                            "(this re-reads and re-indexes it)?"))
            yes, no = st.columns(2)
            if yes.button("Add again anyway", key="readd"):
                del st.session_state["_pending"]
                _ingest(jobs, mode)
            if no.button("Skip what is already there", key="skip-dups"):
                del st.session_state["_pending"]
                known = {src for src, _ in dups}
                rest = [job for job in jobs if job[0] not in known]
                if rest:
                    _ingest(rest, mode)
                else:
                    st.info("Nothing new to add.")


def _ingest(jobs: list[tuple[str, dict]], mode: str | None) -> None:
    bar = st.progress(0.0, text="Starting…")

    def progress(stage: str, done: int, total: int) -> None:
        words = ("Reading and indexing the transcript…" if stage.startswith("embedding")
                 else f"Listing the {stage.split()[-1]}…" if stage.startswith("listing") else "Working…")
        bar.progress(min(done / total, 1.0) if total else 0.0, text=words)

    outcomes = []
    plain = [src for src, extra in jobs if not extra]
    try:
        if plain:
            outcomes += library().ingest(*plain, whisper=mode, progress=progress)
        for src, extra in jobs:
            if extra:
                outcomes += library().ingest(src, whisper=mode, progress=progress, **extra)
    except YtTranscriptError as exc:
        show_error(exc)
    bar.empty()
    for outcome in outcomes:
        if outcome.error is not None:
            show_error(outcome.error) if isinstance(outcome.error, YtTranscriptError) else st.error(
                safe(str(outcome.error)))
        for result in outcome.results:
            if result.ok:
                # Local transcription is worth a word (which model, how fast); a caption file's details are not.
                how = f" Transcribed on this machine ({result.detail})." if "whisper:" in result.detail else ""
                st.success(safe(f"Added “{result.title}”: {result.chunks} passages, ready to search and study.{how}"))
            else:  # the failure as the pipeline words it (a video already here says that it is kept)
                st.error(safe(app_words(result.detail or str(result.error))))


# --- what is there --------------------------------------------------------------------------------------

_FILTER_FROM = 8  # videos: from this many, a filter box above the table


def _table(records) -> list:
    """The library as a table (filtered by words once it is long); returns the videos shown."""
    everything = records
    needle = ""
    if len(records) >= _FILTER_FROM:
        # Kept apart from the widget, whose state Streamlit drops on another page: back from a video, as left.
        if "library_filter" not in st.session_state:
            st.session_state["library_filter"] = st.session_state.get("_library_filter", "")
        needle = st.text_input("Filter the library", key="library_filter", placeholder="words of a title or channel")
        st.session_state["_library_filter"] = needle
        words = needle.casefold().split()
        records = [r for r in records if all(w in f"{r.meta.title} {r.meta.channel}".casefold() for w in words)]
        if not records:
            st.caption("No title or channel holds all of those words.")
            return []
    counts = library().chapter_counts([r.meta.video_id for r in records])

    def chapters(meta) -> str:
        count, source = counts[meta.video_id]  # the overview's own count
        if count is None:
            return "—"  # not counted within this page's budget: a later visit or opening the video counts it
        return str(count) if source == "creator" else f"{count}*"  # short: a phone shows the column whole

    # Length and chapters beside the title: on a phone only the first columns show without a swipe.
    rows = [{"title": " ".join(r.meta.title.split()), "length": format_hms(r.meta.duration_s or 0),
             "chapters": chapters(r.meta), "channel": r.meta.channel or "—",
             "captions": r.meta.captions or "—", "added": r.added_at[:10], "id": r.meta.video_id}
            for r in records]
    # The column's help is a tooltip a phone never shows: its marks are explained in plain sight.
    marks = {row["chapters"][-1:] for row in rows}
    notes = ((["* detected in the transcript"] if "*" in marks else [])
             + (["— not counted yet (the next visit or opening the video counts them)"] if "—" in marks else []))
    shown = f"{len(records)} of {len(everything)}" if len(records) < len(everything) else f"{len(records)}"
    st.caption(f"{shown} video{'' if len(everything) == 1 else 's'}. "
               "Tick the box at the start of a row to open or edit it."
               + (f" Chapters: {'; '.join(notes)}." if notes else ""))
    # Keyed by the filter: a row ticked in one filtered list is not another video's row in the next.
    picked = st.dataframe(rows, hide_index=True, key=f"library_table-{needle.strip().casefold()}", on_select="rerun",
                          selection_mode="single-row",
                          column_config={"title": st.column_config.TextColumn("Title", width="large"),
                                         "length": st.column_config.TextColumn("Length", width="small"),
                                         "chapters": st.column_config.TextColumn(
                                             "Chapters", width="small",
                                             help="The creator's chapters; *: detected in the transcript; "
                                                  "—: not counted yet (the next visit or opening the video counts it)"),
                                         "channel": "Channel",
                                         "captions": "Captions", "added": "Added",
                                         "id": st.column_config.TextColumn("Video id", width="small")})
    selected = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
    row = records[selected[0]].meta.video_id if selected else None
    if row != st.session_state.get("_library_row"):  # a row clicked: manage that video below
        st.session_state["_library_row"] = row
        if row is not None:
            st.session_state["library_video"] = row
    return records


def _manage(records) -> None:
    ids = [r.meta.video_id for r in records]
    titles = {r.meta.video_id: " ".join(r.meta.title.split()) for r in records}
    if st.session_state.get("library_video") not in ids:
        st.session_state["library_video"] = ids[0]
    with st.container(border=True):
        chosen = st.selectbox("Video", ids, key="library_video", format_func=titles.get)
        record = next(r for r in records if r.meta.video_id == chosen)
        st.button(label(f"Open “{titles[chosen]}” on the Video page", 90), key="open", type="primary",
                  on_click=open_video, args=(chosen, 0))
        with st.expander("Edit title and channel"), st.form(key=f"rename-{chosen}", border=False):
            new_title = st.text_input("Title", value=record.meta.title, key=f"title-{chosen}")
            new_channel = st.text_input("Channel", value=record.meta.channel, key=f"channel-{chosen}")
            if st.form_submit_button("Save title and channel"):
                try:
                    library().rename(chosen, title=new_title, channel=new_channel)
                except YtTranscriptError as exc:
                    show_error(exc)
                else:
                    st.rerun()
        with st.expander("Remove from the library"):
            st.write(safe(f"This removes “{titles[chosen]}”, its passages and the questions asked about it. "
                          "Your own notes on it are kept. To get it back, add it again."))
            sure = st.checkbox("Yes, remove it", key=f"sure-{chosen}")
            if st.button("Remove this video", key="remove", disabled=not sure):
                try:
                    library().remove(chosen)
                except YtTranscriptError as exc:
                    show_error(exc)
                    return
                st.session_state.pop("library_video", None)
                if st.session_state.get("video_id") == chosen:  # the Video page opens another, with no error
                    st.session_state.pop("video_id", None)
                    st.session_state["start_s"] = 0
                st.rerun()
