"""The original yt-transcript one-liner: `yt-transcript SOURCE [--summarize] [--markdown] ...`.

Its users' scripts and habits keep working: the same flags, `[12.3s] text` lines, `{id}_transcript.txt`
and `{id}_summary.md` in the original's layout. The video goes into the library on the way, so search,
ask and the app see it too, and a second run reads it from there.
"""

from __future__ import annotations

from pathlib import Path

import click

from yt_transcript import Overview, Transcript, VideoRecord, format_hms
from yt_transcript.ingest.models import EXTRACTIVE_LABEL
from yt_transcript.ingest.timecodes import original_watch_url

def transcript_lines(transcript: Transcript) -> str:
    """One `[START_SECONDSs] text` line per caption line, as the original printed and saved them."""
    return "".join(f"[{s.start_s:.1f}s] {s.text}\n" for s in transcript.snippets)


def chapter_lines(record: VideoRecord) -> str:
    """The creator's chapters, one `h:mm:ss title` line each."""
    return "".join(f"{format_hms(c.start_s)} {c.title}\n" for c in record.meta.chapters)


def original_summary(overview: Overview, record: VideoRecord) -> str:
    """The overview in the original's Markdown: title, Channel, Video, ## Summary, then a linked ### per section."""
    meta = record.meta
    lines = [f"# {overview.title}", ""]
    if meta.channel:
        lines += [f"Channel: {meta.channel}", ""]
    if meta.is_youtube:
        lines += [f"Video: {original_watch_url(meta.video_id)}", ""]
    lines += ["## Summary", ""]
    if overview.model == "extractive":
        lines += [f"_{EXTRACTIVE_LABEL}_", ""]
    for chapter in overview.chapters:
        title = chapter.title
        if meta.is_youtube:
            title = f"[{title}]({original_watch_url(meta.video_id, chapter.start_s)})"
        lines += [f"### {title} ({format_hms(chapter.start_s)})", "", chapter.summary, ""]
    return "\n".join(lines).rstrip() + "\n"


def write(path: Path, text: str) -> None:
    """Write a file the user asked for, whole, or fail in one line."""
    from yt_transcript.ingest.export import write_output

    write_output(path, text)


def run(library, source: str, *, summarize: bool, markdown: bool, output: str | None, chapters: bool,
        no_cache: bool, transcript_file: str | None, no_save_transcript: bool, verbose: bool) -> None:
    """What the one-liner does, flag by flag."""
    say = (lambda text: click.echo(text, err=True)) if verbose else (lambda text: None)
    say(f"library: {library.settings.home}")
    record = library.fetch(source, refresh=no_cache)
    video_id = record.meta.video_id
    captions = record.meta.captions or "of unknown origin"
    say(f"{video_id}: {record.meta.title!r}, {record.chunk_count} passages (captions {captions})")
    transcript = library.transcript(video_id)
    if not no_save_transcript:
        saved = Path(transcript_file or f"{video_id}_transcript.txt")
        write(saved, transcript_lines(transcript))
        say(f"saved the transcript to {saved}")
    if chapters:
        if record.meta.chapters:
            click.echo(chapter_lines(record), nl=False)
        else:
            click.echo(f"{video_id} has no creator chapters.", err=True)
    if summarize or markdown or output:
        overview = library.summarize(video_id)
        if markdown or (output or "").endswith(".md"):
            text = original_summary(overview, record)
            target = Path(output or f"{video_id}_summary.md")
            write(target, text)
            say(f"saved the summary to {target}")
        else:
            text = overview.to_text()
            if output:
                write(Path(output), text)
        click.echo(text, nl=False)
    elif not chapters:
        click.echo(transcript_lines(transcript), nl=False)
