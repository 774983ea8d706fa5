"""The yt-transcript command line: a thin layer over `yt_transcript.Library`.

Heavy libraries are imported inside commands, so --help is instant. Domain errors print one line.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from yt_transcript import Library


class _Context:
    """What commands share: the settings given on the command line, and fakes tests pass in."""

    def __init__(self, overrides: dict[str, Any], factories: dict[str, Any]):
        self.overrides = overrides
        self.factories = factories  # "embedder", "youtube", "llm": test doubles, each built from the settings
        self._library: Library | None = None

    def set(self, **values: Any) -> None:
        """Settings a command adds (--model, --proxy, ...), before the library is opened."""
        self.overrides.update({k: v for k, v in values.items() if v is not None})

    @property
    def library(self) -> Library:
        if self._library is None:
            from yt_transcript import Library, Settings

            settings = Settings.load(**{k: v for k, v in self.overrides.items() if v is not None})
            made = {name: factory(settings) for name, factory in self.factories.items()}
            self._library = Library(settings, **made)
        return self._library


class _VideoRef(click.ParamType):
    """A video argument: its id, or a YouTube link to it (a link's id is what the library knows it by)."""

    name = "video"

    def convert(self, value: str, param, ctx) -> str:
        from yt_transcript.ingest.errors import InvalidSource
        from yt_transcript.ingest.sources import parse_source

        try:
            parsed = parse_source(value)
        except InvalidSource:  # a local file's id can be any name: taken as it is
            return value
        return parsed.value if parsed.kind == "video" else value


VIDEO = _VideoRef()


# Words people type for what a command does: told the command's name rather than read as a SOURCE (an
# 11-letter word would otherwise be tried as a YouTube id).
_MEANT = {
    "cards": "study", "flashcards": "study", "quiz": "study", "anki": "study", "deck": "study",
    "summary": "summarize", "summarise": "summarize", "overview": "summarize", "tldr": "summarize",
    "transcript": "get", "transcripts": "get", "download": "get", "notes": "export", "obsidian": "export",
    "add": "ingest", "index": "ingest", "videos": "list", "ls": "list", "library": "list",
    "question": "ask", "answer": "ask", "query": "search", "grep": "find", "app": "ui", "web": "ui",
    "gui": "ui", "delete": "remove", "rm": "remove", "update": "sync",
}


def _a_word(arg: str) -> bool:
    """A lower-case word that can be no SOURCE: a YouTube id has 11 characters (a word of 11 letters may be
    one, unless it is a word for a command), a URL or @handle has punctuation, a file exists."""
    return arg.isalpha() and arg.islower() and (len(arg) != 11 or arg in _MEANT)


class _Group(click.Group):
    """Turns our domain errors into one line on stderr and a non-zero exit, never a traceback."""

    # The group's own options and whether each takes a value: what may come before a command name.
    _GROUP_OPTIONS = {"--home": True, "--chroma-url": True, "--embed-model": True, "--version": False,
                      "-h": False, "--help": False}

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """The original CLI's form, `yt-transcript SOURCE [flags]`: a first argument that is not a command
        name runs `get` on it. Commands keep working as before."""
        i = 0
        while i < len(args):
            name = args[i].split("=", 1)[0]
            if name not in self._GROUP_OPTIONS:
                word = args[i]
                if word not in self.commands and _a_word(word) and not Path(word).exists():
                    import difflib

                    close = difflib.get_close_matches(word, list(self.commands), n=1, cutoff=0.75)
                    meant = _MEANT.get(word) or (close[0] if close else None)
                    ctx.fail(f"No such command '{word}'. " + (f"Did you mean '{meant}'?" if meant else
                                                              f"Commands: {', '.join(sorted(self.commands))}."))
                if args[i] not in self.commands:
                    args = [*args[:i], "get", *args[i:]]
                break
            if name in {"-h", "--help", "--version"}:
                break
            i += 2 if self._GROUP_OPTIONS[name] and "=" not in args[i] else 1
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        from yt_transcript import YtTranscriptError

        try:
            return super().invoke(ctx)
        except YtTranscriptError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False), help="Data home (default: $YT_TRANSCRIPT_HOME or the user data folder).")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://127.0.0.1:8000 (default: $YT_TRANSCRIPT_CHROMA_URL, else embedded).")
@click.option("--embed-model", help="Sentence-transformers model name or folder (default: all-MiniLM-L6-v2).")
@click.version_option(package_name="yt-transcript-library")
@click.pass_context
def cli(ctx: click.Context, home: str | None, chroma_url: str | None, embed_model: str | None) -> None:
    """Turn YouTube talks and caption files into a searchable, timestamped library."""
    factories = ctx.obj if isinstance(ctx.obj, dict) else {}
    ctx.obj = _Context({"home": home, "chroma_url": chroma_url, "embed_model": embed_model}, factories)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--lang", help="Language priority, e.g. en,de (default: YT_TRANSCRIPT_LANGUAGES, else en).")
@click.option("--translate", metavar="LANG", help="Have YouTube translate the transcript into LANG.")
@click.option("--limit", type=click.IntRange(min=1), help="Take at most N (newest) videos of a channel or playlist.")
@click.option("--proxy", metavar="URL", help="HTTP(S) proxy for YouTube requests.")
@click.option("--video-id", help="Local files: the YouTube id the captions belong to.")
@click.option("--title", help="Local files: the video title.")
@click.option("--channel", help="Local files: the channel name.")
@click.option("--whisper", "whisper", is_flag=True,
              help="Transcribe a video's audio on this machine when it has no transcript in --lang "
                   "(default: $YT_TRANSCRIPT_WHISPER).")
@click.option("--language", metavar="CODE", help="The language spoken, for local transcription (default: detected).")
@click.pass_obj
def ingest(obj: _Context, sources: tuple[str, ...], lang, translate, limit, proxy, video_id, title, channel,
           whisper: bool, language) -> None:
    """Ingest videos, playlists, channels (@handle), caption files (.vtt, .srt, .json, .txt), or audio and video
    files (.mp3, .m4a, .wav, .ogg, .opus, .flac, .mp4, .mkv, .webm), transcribed on this machine."""
    if (video_id or title) and len(sources) > 1:
        raise click.UsageError("--video-id and --title apply to a single caption file")
    obj.set(proxy=proxy)
    library = obj.library
    # --whisper: transcribe when there is no transcript ("auto"), unless the setting already says "always".
    mode = "auto" if whisper and library.settings.ingest.whisper != "always" else None
    bars = _Bars()
    listing = False

    def report(result) -> None:
        bars.close()
        if listing:  # a playlist or channel: one line per video, then the source's line
            click.echo("  " + _result_line(result))

    failed = False
    for raw in sources:  # one at a time, so each source's line appears as soon as it is done
        listing = _is_listing(raw)
        [outcome] = library.ingest(raw, languages=lang, translate=translate, limit=limit, video_id=video_id,
                                   title=title, channel=channel, whisper=mode, language=language,
                                   progress=bars.update, on_result=report)
        bars.close()
        failed |= not outcome.ok
        click.echo(_source_line(outcome))
    if failed:
        sys.exit(1)


def _is_listing(raw: str) -> bool:
    from yt_transcript import YtTranscriptError, parse_source

    try:
        return parse_source(raw).kind in {"playlist", "channel"}
    except YtTranscriptError:
        return False


def _result_line(result) -> str:
    if result.ok:
        return (f"ok    {result.video_id}  {result.title!r}: {result.chunks} chunks in {result.seconds:.1f} s"
                f"  ({result.detail})")
    return _fail_line(result.video_id, result.detail or result.error)


def _fail_line(label: str, error: object) -> str:
    # Our messages usually start with the id or path already; do not say it twice.
    text = str(error)
    return f"FAIL  {text}" if text.startswith(label) or label in text.split(":")[0] else f"FAIL  {label}: {text}"


def _source_line(outcome) -> str:
    if outcome.error is not None:
        return _fail_line(outcome.source, outcome.error)
    if outcome.kind == "sidecar":
        return f"skip  {outcome.source}: read with {outcome.label}"
    if outcome.kind in {"playlist", "channel"}:
        done = [r for r in outcome.results if r.ok]
        status = "ok  " if outcome.ok else "FAIL"
        return (f"{status}  {outcome.source} ({outcome.label}): {len(done)}/{len(outcome.results)} videos, "
                f"{sum(r.chunks for r in done)} chunks in {outcome.seconds:.1f} s")
    return _result_line(outcome.results[0])


class _Bars:
    """tqdm progress bars on stderr, one per stage, shown only for long work."""

    def __init__(self):
        self._bar = None
        self._stage = None

    def update(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = tqdm(total=total, desc=stage, unit="", leave=False, file=sys.stderr,
                             disable=None, mininterval=0.5)
        if self._bar is not None:
            self._bar.total = total
            self._bar.n = done
            self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar = None
        self._stage = None


@cli.command("get", help=None, short_help="The original one-liner: print a transcript or its overview.")
@click.argument("source")
@click.option("--summarize", is_flag=True, help="Print the chapter overview instead of the transcript.")
@click.option("--markdown", is_flag=True, help="Write the overview to {id}_summary.md (or -o) in Markdown, and print it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the overview here.")
@click.option("--chapters", "show_chapters", is_flag=True, help="Print the creator's chapters.")
@click.option("--no-cache", is_flag=True, help="Fetch the video again even if the library has it.")
@click.option("--transcript-file", type=click.Path(dir_okay=False),
              help="Save the transcript here instead of {id}_transcript.txt.")
@click.option("--no-save-transcript", is_flag=True, help="Do not save the transcript file.")
@click.option("--verbose", is_flag=True, help="Say on stderr what happens.")
@click.option("--model", help="provider:name for the overview (default: extractive unless a key is set).")
@click.option("--base-url", help="OpenAI-compatible server URL.")
@click.pass_obj
def get(obj: _Context, source: str, summarize: bool, markdown: bool, output: str | None, show_chapters: bool,
        no_cache: bool, transcript_file: str | None, no_save_transcript: bool, verbose: bool, model, base_url) -> None:
    from yt_transcript.ui import oneliner

    obj.set(model=model, base_url=base_url)
    oneliner.run(obj.library, source, summarize=summarize, markdown=markdown, output=output, chapters=show_chapters,
                 no_cache=no_cache, transcript_file=transcript_file, no_save_transcript=no_save_transcript,
                 verbose=verbose)


get.help = """The original one-liner: print a video's transcript, or its chapter overview.

SOURCE is anything `ingest` takes. `yt-transcript SOURCE ...` (no command name) runs this command. With no
flag it prints `[12.3s] text` lines and saves them to {id}_transcript.txt; --summarize prints the overview;
--markdown also writes {id}_summary.md. The video goes into the library on the way, so a second run reads
it from there."""


@cli.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only uploads on or after this date.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the newest N uploads of each channel or playlist.")
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def sync(obj: _Context, since, limit, dry_run: bool, as_json: bool) -> None:
    """Bring every channel and playlist you ingested up to date: new uploads are added, changed captions
    re-indexed. Safe to interrupt: the next run goes on where this one stopped."""
    library = obj.library
    if not library.listings():
        click.echo("Nothing to sync yet: ingest a channel or playlist first.")
        return

    def show(listing: str, outcome) -> None:
        if not as_json:
            detail = f"  {outcome.detail}" if outcome.detail else ""
            click.echo(f"{outcome.action:<12} {outcome.video_id}  ({listing}){detail}")

    report = library.sync(since=since.date() if since else None, limit=limit, dry_run=dry_run, on_outcome=show)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for entry in report.listings:
            if entry["error"]:
                click.echo(f"FAIL         {entry['error']}")
        counts = report.to_dict()["counts"]
        shown = ", ".join(f"{n} {action}" for action, n in counts.items() if n or action in {"added", "failed"})
        click.echo(f"{'dry run' if dry_run else 'synced'} {len(report.listings)} listings: {shown}")
    if not report.ok:
        sys.exit(1)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_videos(obj: _Context, as_json: bool) -> None:
    """List the videos in the library."""
    from yt_transcript import format_hms

    records = obj.library.videos()
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in records], indent=2, ensure_ascii=False))
        return
    if not records:
        click.echo("The library is empty. Add a talk with: yt-transcript ingest URL_OR_FILE")
        return
    counts = obj.library.chapter_counts([r.meta.video_id for r in records])
    for r in records:
        m = r.meta
        duration = format_hms(m.duration_s) if m.duration_s else "?"
        count, source = counts[m.video_id]
        chapters = ("chapters not counted yet" if count is None
                    else f"{count} {'detected ' if source == 'auto' else ''}chapters")
        # As the app's Captions column says it, and which model transcribed them here.
        captions = (f"captions {m.captions}" + (f" ({m.caption_kind})" if m.caption_kind.startswith("whisper") else "")
                    if m.captions else None)
        extras = ", ".join(x for x in [m.channel, m.upload_date, m.language, captions, chapters] if x)
        click.echo(f"{m.video_id}  {duration}  {m.title}  ({extras}; {r.chunk_count} chunks)")


@cli.command()
@click.argument("video_id", type=VIDEO)
@click.pass_obj
def remove(obj: _Context, video_id: str) -> None:
    """Remove a video and its passages from the library."""
    record = obj.library.remove(video_id)
    click.echo(f"removed {video_id}  {record.meta.title!r}")


@cli.command()
@click.argument("video_id", type=VIDEO)
@click.option("--format", "fmt", type=click.Choice(["txt", "md", "srt", "vtt", "json", "obsidian"]), default="txt",
              show_default=True, help="obsidian: study notes (overview, questions asked) instead of the transcript.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
@click.option("--as-written", is_flag=True,
              help="txt and md as the caption lines are written (default for English: in sentences, restored "
                   "where YouTube's captions have no punctuation, fillers left out, as the app's Transcript tab "
                   "shows them).")
@click.pass_obj
def export(obj: _Context, video_id: str, fmt: str, output: str | None, as_written: bool) -> None:
    """Export a video's timestamped transcript (txt and md: English in sentences), or its study notes for
    Obsidian."""
    text = obj.library.export(video_id, fmt, to=output, as_written=as_written)
    if output:
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("query", nargs=-1, required=True)  # quotes optional: the words are one query
@click.option("--video", "videos", multiple=True, type=VIDEO, metavar="ID", help="Search only this video (repeatable).")
@click.option("--channel", help="Search only this channel's videos.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only videos uploaded on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only videos uploaded on or before this date.")
@click.option("-k", "k", type=click.IntRange(1, 100), default=5, show_default=True, help="Number of results.")
@click.option("--no-model-search", "no_model_search", is_flag=True,
              help="Keep the offline ranking: no query rewriting or reranking by the chat model.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def search(obj: _Context, query: tuple[str, ...], videos: tuple[str, ...], channel: str | None, since, until,
           k: int, no_model_search: bool, as_json: bool) -> None:
    """Find the moments where QUERY is talked about (with a chat model configured, it also rewrites QUERY
    and reranks the results)."""
    obj.set(model_search=False if no_model_search else None)
    hits = obj.library.search(" ".join(query), videos=list(videos), channel=channel, k=k,
                              since=since.date() if since else None, until=until.date() if until else None)
    _print_notice(obj.library.last_notice)
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo("No matching passages.")
        return
    if not obj.library.is_close_match(hits):
        from yt_transcript.ingest.models import NO_CLOSE_MATCH

        click.echo(NO_CLOSE_MATCH + "\n")
    _print_hits(hits)


@cli.command()
@click.argument("video_id", type=VIDEO)
@click.argument("words", nargs=-1, required=True)
@click.option("-k", "k", type=click.IntRange(1, 100), default=5, show_default=True,
              help="Passages about the words to show after the places they are said.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def find(obj: _Context, video_id: str, words: tuple[str, ...], k: int, as_json: bool) -> None:
    """Every place VIDEO_ID says WORDS (as Ctrl-F would, across caption lines, a plural "s" aside), then the
    passages about them elsewhere."""
    from yt_transcript import format_hms

    finding = obj.library.find(video_id, " ".join(words), k=k)
    _print_notice(obj.library.last_notice)
    if as_json:
        click.echo(json.dumps(finding.to_dict(), indent=2, ensure_ascii=False))
        return
    if finding.said:
        click.echo(click.style(f"{finding.said_line}:", bold=True))
        for place in finding.said:
            click.echo(f"  {format_hms(place.start_s)}  {place.text}  {place.url or ''}".rstrip())
        click.echo()
    if finding.related:
        click.echo(click.style(finding.heading, bold=True))
    elif finding.heading:
        click.echo(finding.heading + ("\n" if finding.nearest else ""))
    _print_hits(finding.related or finding.nearest)


def _print_hits(hits) -> None:
    from yt_transcript import format_hms

    for n, hit in enumerate(hits, 1):
        where = f" · {hit.chapter}" if hit.chapter else ""
        click.echo(click.style(f"{n}. {hit.title}{where}  [{format_hms(hit.start_s)}]", bold=True))
        if hit.url:
            click.echo(f"   {hit.url}")
        # From the matching sentence on: the words shown are the words the link plays.
        shown = hit.from_match if hit.from_match == hit.text else f"… {hit.from_match}"
        shown += "" if re.search(r"[.!?][\"')\u201d]*$", shown) else " …"  # the speaker goes on
        click.echo(textwrap.fill(shown, width=100, initial_indent="   ", subsequent_indent="   "))
        click.echo()


def _print_notice(notice: str | None) -> None:
    """Model search's one line when it fell back to the offline ranking: on stderr, so --json stays JSON."""
    if notice:
        click.echo(notice, err=True)


def _print_sources(answer) -> None:
    from yt_transcript import format_hms

    if answer.kind == "not_found":
        for hit in answer.nearest:
            click.echo(f"  - {hit.title}  [{format_hms(hit.start_s)}]  {hit.url or ''}".rstrip())
        return
    if answer.dropped_ids:
        click.echo(f"(removed citations of sources that were never retrieved: {', '.join(answer.dropped_ids)})",
                   err=True)
    if answer.kind == "generated" and not answer.grounded:
        click.echo("Warning: the model cited none of the retrieved passages; this answer is not grounded in the "
                   "transcripts.", err=True)
    if answer.citations:
        click.echo("\nSources:")
        for c in answer.citations:
            click.echo(f"  [{c.id}] {c.title}  {format_hms(c.start_s)}  {c.url or ''}".rstrip())


@cli.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--video", "videos", multiple=True, type=VIDEO, metavar="ID", help="Ask about this video only (repeatable).")
@click.option("--channel", help="Ask about this channel's videos only.")
@click.option("--model", help="provider:name, e.g. openai:gpt-4o-mini (default: offline quotes unless a key is set).")
@click.option("--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama.")
@click.option("--no-model-search", "no_model_search", is_flag=True,
              help="Keep the offline ranking: no query rewriting or reranking by the chat model.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def ask(obj: _Context, question: tuple[str, ...], videos, channel, model, base_url, no_model_search: bool,
        as_json: bool) -> None:
    """Answer QUESTION from the transcripts, citing the moments that support it."""
    question = " ".join(question)  # quotes optional: the words are one question
    obj.set(model=model, base_url=base_url, model_search=False if no_model_search else None)
    streamed: list[str] = []

    def on_token(piece: str) -> None:
        streamed.append(piece)
        click.echo(piece, nl=False)

    answer = obj.library.ask(question, videos=list(videos), channel=channel, on_token=None if as_json else on_token)
    _print_notice(answer.notice)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo("" if streamed else answer.text)
    _print_sources(answer)


@cli.command()
@click.option("--video", "videos", multiple=True, type=VIDEO, metavar="ID", help="Talk about this video only (repeatable).")
@click.option("--model", help="provider:name, e.g. openai:gpt-4o-mini.")
@click.option("--base-url", help="OpenAI-compatible server URL.")
@click.pass_obj
def chat(obj: _Context, videos, model, base_url) -> None:
    """Ask follow-up questions in a conversation (Ctrl-D or 'exit' to leave; '/new' starts a new topic)."""
    from yt_transcript import YtTranscriptError

    obj.set(model=model, base_url=base_url)
    session = obj.library.chat(videos=list(videos))
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            click.echo()
            return
        if question.lower() in {"exit", "quit", ":q"}:
            return
        if question.lower() in {"/new", "/clear"}:  # the next question stands alone, as after "Clear this chat"
            session.clear()
            click.echo(click.style("(a new topic: the next question is read on its own)", dim=True))
            continue
        if not question:
            continue
        streamed: list[str] = []

        def on_token(piece: str) -> None:
            streamed.append(piece)
            click.echo(piece, nl=False)

        try:
            query, answer = session.ask(question, on_token=on_token)
        except YtTranscriptError as exc:  # one failed turn does not end the conversation
            click.echo(f"\nError: {exc}", err=True)
            continue
        if query != question:
            click.echo(click.style(f"(searched for: {query}; a new topic? type /new, then ask it again)", dim=True))
        click.echo("" if streamed else answer.text)
        _print_sources(answer)
        click.echo()


@cli.command()
@click.argument("video_id", type=VIDEO)
@click.option("--model", help="provider:name, e.g. openai:gpt-4o-mini (default: extractive unless a key is set).")
@click.option("--base-url", help="OpenAI-compatible server URL.")
@click.option("--format", "fmt", type=click.Choice(["md", "txt", "json"]), default="md", show_default=True)
@click.option("--chapters", "chapter_mode", type=click.Choice(["creator", "auto"]),
              help="The creator's chapters, or detected ones (default: the creator's when there are any).")
@click.pass_obj
def summarize(obj: _Context, video_id: str, model, base_url, fmt: str, chapter_mode) -> None:
    """A TL;DR and one paragraph per chapter, each chapter linked to its moment."""
    obj.set(model=model, base_url=base_url)
    bars = _Bars()
    overview = obj.library.summarize(video_id, chapters=chapter_mode,
                                     on_progress=lambda done, total: bars.update("summarising chapters", done, total))
    bars.close()
    render = {"md": overview.to_markdown, "txt": overview.to_text, "json": overview.to_json}[fmt]
    click.echo(render(), nl=False)


@cli.command()
@click.argument("video_id", type=VIDEO)
@click.option("--anki", "anki_path", type=click.Path(dir_okay=False), metavar="FILE.apkg",
              help="Also write the cards as an Anki deck; importing a newer deck updates its cards, never copies them.")
@click.option("--model", help="provider:name, e.g. openai:gpt-4o-mini (default: cloze cards unless a key is set).")
@click.option("--base-url", help="OpenAI-compatible server URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
@click.pass_obj
def study(obj: _Context, video_id: str, anki_path: str | None, model, base_url, as_json: bool) -> None:
    """Flashcards for every chapter, each linked to its moment."""
    from yt_transcript import format_hms, watch_url

    obj.set(model=model, base_url=base_url)
    if anki_path:
        deck = obj.library.anki_deck(video_id, anki_path)
        cards = deck.cards
        click.echo(f"wrote {anki_path}: {len(cards)} cards (import it in Anki with File > Import)", err=True)
    else:
        cards = obj.library.study_cards(video_id)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in cards], indent=2, ensure_ascii=False))
        return
    from yt_transcript.rag.study import chapter_hint

    youtube = obj.library.video(video_id).meta.is_youtube
    for n, card in enumerate(cards, 1):
        title = chapter_hint(card)  # as the quiz and the Anki deck show it: never a title holding the answer
        click.echo(click.style(f"{n}. {title}  [{format_hms(card.start_s)}]" if title else
                               f"{n}. [{format_hms(card.start_s)}]", bold=True))
        click.echo(textwrap.fill(f"Q: {card.question}", width=100, initial_indent="   ", subsequent_indent="      "))
        click.echo(textwrap.fill(f"A: {card.answer}", width=100, initial_indent="   ", subsequent_indent="      "))
        if youtube:
            click.echo(f"   {watch_url(video_id, card.start_s)}")
        click.echo()


@cli.command()
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.pass_obj
def ui(obj: _Context, port: int, host: str) -> None:
    """Open the study room in your browser (Streamlit)."""
    import os
    import subprocess
    from pathlib import Path

    env = dict(os.environ)
    for name, value in obj.overrides.items():  # --home and --chroma-url reach the app as settings
        if value is not None:
            env[f"YT_TRANSCRIPT_{name.upper()}"] = str(value)
    app = Path(__file__).with_name("app.py")
    args = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port), "--server.address", host,
            "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer", "--server.fileWatcherType", "none"]
    if os.name == "posix":  # become the server, so stopping this process stops it (a child would outlive us)
        os.execve(sys.executable, args, env)
    raise SystemExit(subprocess.call(args, env=env))


@cli.command("mcp")
@click.option("--allow-ingest", is_flag=True, help="Also offer the ingest tool, which writes to the library.")
@click.pass_obj
def mcp_server(obj: _Context, allow_ingest: bool) -> None:
    """Serve the library to AI agents over MCP (stdio): search, ask, summarize, read transcripts."""
    from yt_transcript.ui.mcp_server import serve  # the MCP SDK loads only for this command

    serve(obj.library, allow_ingest=allow_ingest)


@cli.group("eval")
def evaluate() -> None:
    """Measure retrieval quality on your own question sets."""


@evaluate.command("retrieval")
@click.option("--questions", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help='JSONL: {"id", "question", "video_id", "gold": [[start_s, end_s], ...]} per line.')
@click.option("--video", "video_id", type=VIDEO, metavar="ID", help="Only this video's questions, searched within it.")
@click.option("--each-video", is_flag=True, help="Search each question within its own video (default: library-wide).")
@click.option("-k", "k", type=click.IntRange(1, 100), default=10, show_default=True, help="Results per question.")
@click.option("--model", help="Measure model search with this chat model, provider:name (default: offline search).")
@click.option("--base-url", help="OpenAI-compatible server of --model, e.g. http://localhost:11434/v1.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def eval_retrieval(obj: _Context, path: str, video_id: str | None, each_video: bool, k: int, model: str | None,
                   base_url: str | None, as_json: bool) -> None:
    """Hit@1, hit@5 and MRR@10 of search over what is ingested, with one line per miss."""
    obj.set(base_url=base_url)
    report = obj.library.evaluate_retrieval(path, video=video_id, each_video=each_video, k=k, model=model)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for miss in report["misses"]:
        gold = ", ".join(f"{a:.0f}-{b:.0f}s" for a, b in miss["gold"])
        top = f"{miss['top']['video_id']}@{miss['top']['start']:.0f}s" if miss["top"] else "nothing"
        rank = f"found at rank {miss['rank']}" if miss["rank"] else f"not in top {max(k, 10)}"
        click.echo(f"miss  {miss['id']}: {rank}; top was {top}, gold {miss['video_id']} {gold}  ({miss['question']})")
    click.echo(f"n={report['n']}  hit@1={report['hit@1']:.3f}  hit@5={report['hit@5']:.3f}  "
               f"mrr@10={report['mrr@10']:.3f}")
    if model is not None:
        click.echo(f"model search with {report['model']}: fell back to the offline ranking, at least in part, on "
                   f"{report['model_fallbacks']} of {report['n']} questions")
        for notice in report["model_notices"]:
            click.echo(f"  {notice}", err=True)


@evaluate.command("chapters")
@click.option("--corpus", "manifest", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSON list of {video_id, transcript, chapters, duration_s}; paths relative to its folder.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with per-video and mean figures.")
@click.pass_obj
def eval_chapters(obj: _Context, manifest: str, as_json: bool) -> None:
    """Boundary precision, recall and F1 at ±30 s and ±60 s of detected chapters, with two baselines."""
    report = obj.library.evaluate_chapters(manifest)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    for video in report["videos"]:
        scores = "  ".join(f"{name}: {s['f1@30']:.2f}/{s['f1@60']:.2f}" for name, s in video["scores"].items())
        click.echo(f"{video['video_id']}  {video['duration_s'] / 60:5.1f} min  {video['true_chapters']:2d} true, "
                   f"{video['detected_chapters']:2d} found  F1@30/@60  {scores}")
    for label, key in (("all videos", "mean"), ("over 30 min", "mean_long")):
        n = report["n"] if key == "mean" else report["n_long"]
        if report[key]:
            scores = "  ".join(f"{name}: P {s['p@60']:.2f} R {s['r@60']:.2f} F1@30 {s['f1@30']:.2f} F1@60 "
                               f"{s['f1@60']:.2f}" for name, s in report[key].items())
            click.echo(f"mean, {label} (n={n}): {scores}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="yt-transcript")


if __name__ == "__main__":
    main()
