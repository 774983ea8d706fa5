"""The MCP server end to end: the SDK's own stdio client spawns the real server process on a small library.

The server process opens the library with the fake embedder from conftest, so nothing loads a real model.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from yt_transcript import Library, errors, format_hms

from .conftest import REPO, SAMPLE_VTT, FakeEmbedder

VIDEO = "yttSample01"
PAGE_CHARS = 600  # small, so the four-minute sample needs several pages
READ_TOOLS = {"list_videos", "search", "ask", "summarize", "get_transcript"}
# A question the offline (extractive) answer can cite with the fake embedder's bag-of-words vectors.
QUESTION = "What is the most reliable way to remember something?"

SERVE = textwrap.dedent("""
    import sys
    from yt_transcript import Library
    from yt_transcript.ui.mcp_server import serve
    from tests.conftest import FakeEmbedder
    home, page_chars, flag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    serve(Library.open(home, embedder=FakeEmbedder()), allow_ingest=flag == "--allow-ingest", page_chars=page_chars)
""")
NEXT_PAGE = re.compile(r"More follows: call get_transcript with (\{.*\})\.$")


def fake_server(home: Path, *flags: str) -> list[str]:
    return [sys.executable, "-c", SERVE, str(home), str(PAGE_CHARS), *(flags or ["-"])]


def talk(command: list[str], script, log: Path, timeout_s: float = 120):
    """Spawn the server with the SDK's stdio client, initialize, and run `script(session, tools)`."""

    async def run():
        params = StdioServerParameters(command=command[0], args=command[1:], cwd=REPO)
        with anyio.fail_after(timeout_s), log.open("a") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                tools = {tool.name: tool for tool in (await session.list_tools()).tools}
                return await script(session, tools)

    return anyio.run(run)


def text(result) -> str:
    return "\n".join(block.text for block in result.content)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A library holding the sample talk, ingested through the front door in this process."""
    path = tmp_path_factory.mktemp("mcp") / "home"
    with Library.open(path, embedder=FakeEmbedder()) as lib:
        [outcome] = lib.ingest(str(SAMPLE_VTT))
        assert outcome.ok, outcome
    return path


@pytest.fixture(scope="module")
def reference(home):
    """The same library in this process: what each tool's answer must agree with."""
    lib = Library.open(home, embedder=FakeEmbedder())
    yield lib
    lib.close()


@pytest.fixture(scope="module")
def served(home, tmp_path_factory):
    """One server session (no --allow-ingest) calling every tool; the tests below read what it got."""
    log = tmp_path_factory.mktemp("mcp-log") / "server.stderr"

    async def script(session: ClientSession, tools):
        got = {"tools": tools, "list_videos": await session.call_tool("list_videos", {}),
               "search": await session.call_tool("search", {"query": "spacing versus cramming", "k": 3}),
               "ask": await session.call_tool("ask", {"question": QUESTION}),
               "summarize": await session.call_tool("summarize", {"video_id": VIDEO}),
               "range": await session.call_tool("get_transcript", {"video_id": VIDEO, "start_s": 100, "end_s": 140})}
        pages, arguments = [], {"video_id": VIDEO}
        while arguments is not None and len(pages) < 50:  # follow each page's own next-page instruction
            page = await session.call_tool("get_transcript", arguments)
            pages.append(page)
            found = NEXT_PAGE.search(text(page))
            arguments = json.loads(found.group(1)) if found else None
        got["pages"] = pages
        bad = "zzzzzzzzzzz"
        got["errors"] = [await session.call_tool("summarize", {"video_id": bad}),
                         await session.call_tool("get_transcript", {"video_id": bad}),
                         await session.call_tool("search", {"query": "spacing", "video_ids": [bad]}),
                         await session.call_tool("ask", {"question": QUESTION, "video_ids": [bad]})]
        got["bad_range"] = await session.call_tool("get_transcript", {"video_id": VIDEO, "start_s": 50, "end_s": 10})
        got["bad_k"] = await session.call_tool("search", {"query": "spacing", "k": 0})
        return got

    got = talk(fake_server(home), script, log)
    got["log"] = log.read_text()
    return got


def test_the_read_tools_are_listed_and_ingest_is_not(served):
    assert set(served["tools"]) == READ_TOOLS  # no --allow-ingest: nothing that writes
    for tool in served["tools"].values():  # each says what it gives back, times included
        assert "h:mm:ss" in tool.description, tool.name


def test_list_videos(served, reference):
    out = text(served["list_videos"])
    meta = reference.video(VIDEO).meta
    assert not served["list_videos"].is_error
    assert (f"- {VIDEO}: {meta.title!r} by {meta.channel}, {format_hms(meta.duration_s)}, "
            f"{len(meta.chapters)} chapters") in out.splitlines()


def test_search_returns_timestamped_moments_with_deep_links(served, reference):
    result = served["search"]
    assert not result.is_error
    lines = text(result).splitlines()
    heads = [m for m in (re.match(r"^(\d+)\. \[(\d+:\d\d:\d\d)\] (.+) \((\w+)\)$", line) for line in lines) if m]
    links = [m for m in (re.match(r"^   (https://www\.youtube\.com/watch\?v=(\w+)&t=(\d+)s)$", line)
                         for line in lines) if m]
    expected = reference.search("spacing versus cramming", k=3)
    assert len(heads) == len(links) == len(expected) > 1
    for head, link, hit in zip(heads, links, expected, strict=True):
        assert head.group(2) == format_hms(hit.start_s) == format_hms(int(link.group(3)))  # label and link agree
        assert head.group(4) == link.group(2) == hit.video_id
        assert link.group(1) == hit.url
        assert hit.from_match in text(result)  # the words that play at the link


def test_ask_cites_moments_resolved_by_our_code(served, reference):
    result = served["ask"]
    assert not result.is_error
    out = text(result)
    answer = reference.ask(QUESTION)
    assert answer.citations and out.startswith(answer.text.strip())
    sources = out.split("\nSources:\n", 1)[1].splitlines()
    assert sources == [f"- [{c.id}] {c.video_id} {format_hms(c.start_s)} {c.url} “{c.text.strip()}”"
                       for c in answer.citations]


def test_summarize_is_the_chapter_overview_in_markdown(served, reference):
    assert not served["summarize"].is_error
    assert text(served["summarize"]) == reference.summarize(VIDEO).to_markdown()


def test_get_transcript_pages_through_the_whole_talk(served, reference):
    pages = [text(page) for page in served["pages"]]
    assert len(pages) > 1 and not any(page.is_error for page in served["pages"])
    snippets = reference.transcript(VIDEO).snippets
    shown = 0
    for n, page in enumerate(pages):
        span = re.search(r"caption lines (\d+)-(\d+) of (\d+)\.", page)
        assert span and int(span.group(1)) == shown + 1 and int(span.group(3)) == len(snippets)
        shown = int(span.group(2))
        body = page.split(span.group(0), 1)[1].rsplit("\n\n", 1)[0]
        assert len(body) <= PAGE_CHARS  # the cap holds
        assert ("More follows" in page) == (n < len(pages) - 1)
        assert re.search(r"\[\d+:\d\d:\d\d\]\(https://www\.youtube\.com/watch\?v=\w+&t=\d+s\)", body)
    assert shown == len(snippets) and pages[-1].endswith("End of the range.")
    # Every caption line once, in order, across the pages.
    joined, at = "\n".join(pages), 0
    for snippet in snippets:
        at = joined.index(snippet.text, at) + len(snippet.text)


def test_get_transcript_reads_a_time_range(served, reference):
    out = text(served["range"])
    inside = [s for s in reference.transcript(VIDEO).snippets if s.end_s > 100 and s.start_s < 140]
    outside = [s for s in reference.transcript(VIDEO).snippets if s not in inside]
    assert inside and all(s.text in out for s in inside[:3])
    assert not any(s.text in out for s in outside)
    assert f"of {len(inside)}." in out and out.startswith(f"# {reference.video(VIDEO).meta.title} ({VIDEO})")


def test_an_unknown_video_is_a_tool_error_with_our_one_line_message(served):
    message = str(errors.VideoNotIndexed("zzzzzzzzzzz"))
    for result in served["errors"]:
        assert result.is_error
        assert message in text(result) and "Traceback" not in text(result)
    assert served["bad_range"].is_error and "must be after start_s" in text(served["bad_range"])
    assert served["bad_k"].is_error  # the input schema's bounds are enforced
    assert "Traceback" not in served["log"]  # anticipated failures, not crashes


def test_ingest_only_with_the_flag(tmp_path):
    empty = tmp_path / "home"

    async def script(session: ClientSession, tools):
        assert set(tools) == READ_TOOLS | {"ingest"}
        before = await session.call_tool("list_videos", {})
        added = await session.call_tool("ingest", {"sources": [str(SAMPLE_VTT)]})
        failed = await session.call_tool("ingest", {"sources": [str(tmp_path / "missing.vtt")]})
        after = await session.call_tool("list_videos", {})
        found = await session.call_tool("search", {"query": "Ebbinghaus nonsense syllables", "k": 1})
        return before, added, failed, after, found

    before, added, failed, after, found = talk(fake_server(empty, "--allow-ingest"), script, tmp_path / "log")
    assert text(before).startswith("The library is empty. Add a talk with the ingest tool.")
    assert not added.is_error and text(added).startswith(f"ok    {VIDEO}  ") and "6 chunks" in text(added)
    assert failed.is_error and "FAIL" in text(failed) and "missing.vtt" in text(failed)
    assert f"- {VIDEO}: " in text(after)
    assert not found.is_error and f"({VIDEO})" in text(found)


@pytest.mark.parametrize("flags", [[], ["--allow-ingest"]])
def test_the_cli_command_serves_the_library(home, tmp_path, flags):
    # The real command with the real settings: list_videos reads only the catalog, so no model loads.
    command = [sys.executable, "-m", "yt_transcript.ui.cli", "--home", str(home), "mcp", *flags]

    async def script(session: ClientSession, tools):
        return set(tools), await session.call_tool("list_videos", {})

    names, listed = talk(command, script, tmp_path / "log")
    assert names == (READ_TOOLS | {"ingest"} if flags else READ_TOOLS)
    assert not listed.is_error and f"- {VIDEO}: " in text(listed)


def test_help_stays_instant_without_the_mcp_sdk():
    code = ("import sys; from yt_transcript.ui.cli import cli; "
            "print([m for m in sys.modules if m == 'mcp' or m.startswith(('mcp.', 'yt_transcript.ui.mcp_server'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"
    help_text = subprocess.run([sys.executable, "-m", "yt_transcript.ui.cli", "mcp", "--help"], capture_output=True,
                               text=True, check=True, cwd=REPO).stdout
    assert "--allow-ingest" in help_text
