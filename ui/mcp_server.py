"""The library as an MCP server over stdio, for AI agents: `yt-transcript mcp [--allow-ingest]`.

Thin over `yt_transcript.Library` like the CLI: each tool is one library call, then text formatting.
Times and links in every result come from our code (the stored moments), never from a model.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from importlib.metadata import version
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from yt_transcript import Library, YtTranscriptError, format_hms, watch_url

# About 2,000 tokens: a page of a 3-hour talk fits any agent's context next to everything else.
PAGE_CHARS = 8000

INSTRUCTIONS = (
    "A library of YouTube talks with timestamped transcripts. list_videos shows what is there; search finds "
    "the moments that match a query; get_transcript reads a time range (paged); ask answers with cited "
    "moments; summarize gives the chapter overview. When you cite, use the h:mm:ss times and URLs these tools "
    "return; never make up a time or a link."
)

VideoId = Annotated[str, Field(description="A video id as list_videos shows it, e.g. 'dQw4w9WgXcQ'.")]
VideoIds = Annotated[list[str] | None, Field(description="Only these video ids (default: the whole library).")]


def serve(library: Library, *, allow_ingest: bool = False, page_chars: int = PAGE_CHARS) -> None:
    """Serve `library` over stdin/stdout until the client disconnects."""
    build_server(library, allow_ingest=allow_ingest, page_chars=page_chars).run("stdio")


def build_server(library: Library, *, allow_ingest: bool = False, page_chars: int = PAGE_CHARS) -> MCPServer:
    """The MCP server over `library`; `ingest` is offered only with allow_ingest, because it writes."""
    server = MCPServer("yt-transcript", instructions=INSTRUCTIONS, version=version("yt-transcript-library"),
                       log_level="WARNING")  # stderr is the client's log: problems only, not every request
    # The SDK runs each sync tool on a worker thread, so calls can overlap; one agent gains little from
    # that and the library's catalog connection is shared, so calls take turns.
    lock = threading.Lock()

    def tool(description: str, annotations: ToolAnnotations) -> Callable[[Callable[..., str]], Callable[..., str]]:
        def register(fn: Callable[..., str]) -> Callable[..., str]:
            @functools.wraps(fn)
            def call(*args, **kwargs) -> str:
                with lock:
                    try:
                        return fn(*args, **kwargs)
                    except YtTranscriptError as exc:
                        # ToolError is the SDK's anticipated failure: an isError result with our one line,
                        # logged without a traceback. Anything else is a bug and the SDK hides its text.
                        raise ToolError(str(exc)) from None

            server.add_tool(call, description=description, annotations=annotations, structured_output=False)
            return fn

        return register

    reading = ToolAnnotations(read_only_hint=True, open_world_hint=False)

    @tool("The videos in the library, newest first: one line each with the video id, title, channel, "
          "duration (h:mm:ss) and number of chapters.", reading)
    def list_videos() -> str:
        return _videos_text(library.videos(), allow_ingest)

    @tool("Find the moments where something is talked about. Returns up to k hits, best first, each with "
          "its video id, title, chapter, start time (h:mm:ss), a YouTube link that plays that moment, and the "
          "words spoken from there.", reading)
    def search(query: Annotated[str, Field(description="What to look for, in your own words.")],
               video_ids: VideoIds = None,
               k: Annotated[int, Field(ge=1, le=20, description="How many moments to return.")] = 5) -> str:
        return _hits_text(query, library.search(query, videos=video_ids, k=k))

    @tool("Answer a question from the transcripts. Returns the answer, then its sources: each citation id "
          "with the video id, start time (h:mm:ss), a link to the moment and the quoted words. Without a "
          "language model configured the answer is the best-matching quotes; when the talks do not cover "
          "the question it says so and lists the nearest moments instead.", reading)
    def ask(question: Annotated[str, Field(description="The question, in your own words.")],
            video_ids: VideoIds = None) -> str:
        return _answer_text(library.ask(question, videos=video_ids))

    @tool("A video's chapter overview as Markdown: title, a TL;DR, then one paragraph per chapter with its "
          "start time (h:mm:ss) linked to the moment.", reading)
    def summarize(video_id: VideoId) -> str:
        return library.summarize(video_id).to_markdown()

    @tool(f"Read a video's transcript between start_s and end_s (seconds; default: to the end), as "
          f"paragraphs under chapter headings, each starting with its time (h:mm:ss) linked to the moment. "
          f"Pages hold at most about {page_chars:,} characters; when more follows, the result ends with the "
          f"exact arguments for the next page (the same range with a cursor).", reading)
    def get_transcript(video_id: VideoId,
                       start_s: Annotated[float, Field(ge=0, description="Start of the range, seconds.")] = 0,
                       end_s: Annotated[float | None, Field(gt=0, description="End of the range, seconds "
                                                                              "(default: the end).")] = None,
                       cursor: Annotated[int, Field(ge=0, description="Caption lines of this range already "
                                                                      "read: 0, or the cursor the previous "
                                                                      "page gave.")] = 0) -> str:
        if end_s is not None and end_s <= start_s:
            raise ToolError(f"end_s ({end_s:g}) must be after start_s ({start_s:g})")
        record = library.video(video_id)  # the title, and one clear error for an unknown id
        # As written: the pages count caption lines, and an agent quotes them.
        page = _TranscriptPage(record.meta, library.paragraphs(video_id, as_written=True), start_s, end_s, cursor,
                               page_chars)
        return page.render()

    if allow_ingest:
        @tool("Add YouTube videos, playlists, channels (@handle) or caption files (.vtt, .srt, .json on the "
              "server's disk) to the library; this writes to it. Returns one line per video: ok with its "
              "chunk count, or FAIL with the reason. A source already in the library is updated.",
              ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True,
                              open_world_hint=True))
        def ingest(sources: Annotated[list[str], Field(min_length=1, description="URLs, 11-character video "
                                                                                 "ids, @handles or file paths.")],
                   languages: Annotated[str | None, Field(description="Transcript language priority, e.g. "
                                                                      "'en,de' (default: the library's).")] = None
                   ) -> str:
            outcomes = library.ingest(*sources, languages=languages)
            text = "\n".join(line for outcome in outcomes for line in _ingest_lines(outcome))
            if not all(outcome.ok for outcome in outcomes):  # the CLI's exit code 1, as an isError result
                raise ToolError(text)
            return text

    return server


# --- formatting -----------------------------------------------------------------------------------------

def _videos_text(records, allow_ingest: bool) -> str:
    if not records:
        how = ("Add a talk with the ingest tool." if allow_ingest else
               "Add talks with `yt-transcript ingest URL_OR_FILE`, or start the server with --allow-ingest.")
        return f"The library is empty. {how}"
    lines = [f"{len(records)} video{'s' if len(records) != 1 else ''}:"]
    for record in records:
        m = record.meta
        by = f" by {m.channel}" if m.channel else ""
        duration = format_hms(m.duration_s) if m.duration_s else "duration unknown"
        lines.append(f"- {m.video_id}: {m.title!r}{by}, {duration}, {len(m.chapters)} chapters")
    return "\n".join(lines)


def _moment(video_id: str, title: str, chapter: str | None, start_s: float) -> str:
    where = f" · {chapter}" if chapter else ""
    return f"[{format_hms(start_s)}] {title}{where} ({video_id})"


def _hits_text(query: str, hits) -> str:
    if not hits:
        return f"No moments match {query!r}."
    lines = [f"{len(hits)} moment{'s' if len(hits) != 1 else ''} for {query!r}, best first:", ""]
    for n, hit in enumerate(hits, 1):
        lines.append(f"{n}. {_moment(hit.video_id, hit.title, hit.chapter, hit.start_s)}")
        if hit.url:  # None for a local caption file without a YouTube id
            lines.append(f"   {hit.url}")
        # From the matching sentence on: the words shown are the words the link plays, as in the CLI.
        lines += [f"   {'… ' if hit.from_match != hit.text else ''}{hit.from_match}", ""]
    return "\n".join(lines).rstrip()


def _answer_text(answer) -> str:
    lines = [answer.text.strip()]
    if answer.kind == "generated" and not answer.grounded:
        lines.append("Warning: the model cited none of the retrieved passages; this answer is not grounded "
                     "in the transcripts.")
    if answer.dropped_ids:
        lines.append(f"(Removed citations of passages that were never retrieved: {', '.join(answer.dropped_ids)}.)")
    if answer.citations:
        lines += ["", "Sources:"]
        lines += [" ".join(filter(None, [f"- [{c.id}] {c.video_id} {format_hms(c.start_s)}", c.url,
                                         f"“{c.text.strip()}”"])) for c in answer.citations]
    if answer.nearest:
        lines.append("")
        lines += [f"- {_moment(h.video_id, h.title, h.chapter, h.start_s)} {h.url or ''}".rstrip()
                  for h in answer.nearest]
    return "\n".join(lines)


def _ingest_lines(outcome) -> list[str]:
    if outcome.error is not None:  # the source itself failed: a bad URL, a listing that failed
        return [f"FAIL  {outcome.source}: {outcome.error}"]
    # A failure as the pipeline words it (a video already here says it is kept), its id said once.
    return [f"ok    {r.video_id}  {r.title!r}: {r.chunks} chunks ({r.detail})" if r.ok
            else f"FAIL  {r.video_id}: {(r.detail or str(r.error)).removeprefix(f'{r.video_id}: ')}"
            for r in outcome.results]


class _TranscriptPage:
    """One page of a time range: whole caption lines, grouped into the library's reading paragraphs."""

    def __init__(self, meta, paragraphs, start_s: float, end_s: float | None, cursor: int, page_chars: int):
        self.meta, self.start_s, self.end_s, self.cursor = meta, start_s, end_s, cursor
        # (chapter, paragraph number, line) for every caption line that overlaps the range.
        self.lines = [(chapter, n, s) for n, (chapter, para) in enumerate(paragraphs) for s in para
                      if s.end_s > start_s and (end_s is None or s.start_s < end_s)]
        if cursor and cursor >= len(self.lines):
            raise ToolError(f"cursor {cursor} is past the end of this range ({len(self.lines)} caption lines)")
        self.page_chars = page_chars

    def _link(self, seconds: float) -> str:
        stamp = format_hms(seconds)
        return f"[{stamp}]({watch_url(self.meta.video_id, seconds)})" if self.meta.url else f"[{stamp}]"

    def render(self) -> str:
        m = self.meta
        until = format_hms(self.end_s) if self.end_s is not None else "the end"
        head = f"# {m.title} ({m.video_id})"
        if not self.lines:
            ends = format_hms(m.duration_s) if m.duration_s else "earlier"
            return f"{head}\n\nNothing is said between {format_hms(self.start_s)} and {until}; the video ends at {ends}."
        body, used, shown = "", 0, self.cursor
        chapter = paragraph = None
        for line_chapter, n, line in self.lines[self.cursor:]:
            piece = ""
            if line_chapter is not None and (shown == self.cursor or line_chapter != chapter):
                piece += f"\n\n## {line_chapter.title}"
            # A page starts with a time even mid-paragraph, so every page can be cited on its own.
            if piece or n != paragraph:
                piece += f"\n\n{self._link(line.start_s)} {line.text}"
            else:
                piece += f" {line.text}"
            if shown > self.cursor and used + len(piece) > self.page_chars:
                break  # always at least one line per page, so paging always moves on
            body, used, shown = body + piece, used + len(piece), shown + 1
            chapter, paragraph = line_chapter, n
        total = len(self.lines)
        part = (f"Transcript {format_hms(self.start_s)} to {until}: caption lines {self.cursor + 1}-{shown} "
                f"of {total}.")
        if shown < total:
            args = {"video_id": m.video_id, "start_s": self.start_s, "cursor": shown}
            if self.end_s is not None:
                args["end_s"] = self.end_s
            tail = f"More follows: call get_transcript with {json.dumps(args)}."
        else:
            tail = "End of the range."
        return f"{head}\n\n{part}{body}\n\n{tail}"
