"""Shared fixtures and the fakes of the embedder and yt-dlp. Fakes live here, never in the package."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property-based tests: a few hundred examples each in the suite; tests/benchmarks/fuzz.py asks for more.
hypothesis_settings.register_profile("suite", max_examples=250, deadline=None)
hypothesis_settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES") or 0) or 5000,
                                     deadline=None)
hypothesis_settings.load_profile("fuzz" if os.environ.get("FUZZ_EXAMPLES") else "suite")

from yt_transcript import Library, Settings
from yt_transcript.ingest.embedding import Embedder

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("YT_TRANSCRIPT_SHARED_DATA", REPO.parent / "shared" / "data"))
SAMPLE_VTT = REPO / "ingest" / "samples" / "study-from-video-lectures.en.vtt"
YTA_ASSETS = SHARED / "youtube-transcript-api-fixtures" / "youtube_transcript_api" / "test" / "assets"

needs_shared = pytest.mark.skipif(
    not (SHARED / "corpus.json").is_file(),
    reason=f"shared data not found at {SHARED} (set YT_TRANSCRIPT_SHARED_DATA to its data folder)",
)

_WORD = re.compile(r"\w+|[^\w\s]")


class FakeEmbedder(Embedder):
    """Deterministic bag-of-words hashing embedder: same words, same vector; no model needed."""

    def __init__(self, name: str = "fake-embedder", dims: int = 64, max_tokens: int = 256):
        self.name = name
        self.dims = dims
        self.max_tokens = max_tokens
        self.calls = 0

    def _encode(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        out = []
        for text in texts:
            vec = [0.0] * self.dims
            for word in re.findall(r"\w+", text.lower()):
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                vec[h % self.dims] += 1.0 if (h >> 64) % 2 else -1.0
            norm = math.sqrt(sum(v * v for v in vec)) or 1.0
            out.append([v / norm for v in vec])
        return out

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(_WORD.findall(t)) for t in texts]


class FakeYoutubeDL:
    """Stands in for yt_dlp.YoutubeDL: answers extract_info from recorded info dicts by URL."""

    def __init__(self, answers: dict[str, dict | Exception], options: dict):
        self.answers = answers
        self.options = options
        self.urls: list[str] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def extract_info(self, url: str, download: bool = True):
        self.urls.append(url)
        answer = self.answers.get(url)
        if answer is None:
            raise RuntimeError(f"ERROR: [youtube] unexpected URL in test: {url}")
        if isinstance(answer, Exception):
            raise answer
        playlistend = self.options.get("playlistend")
        if playlistend and "entries" in answer:
            return {**answer, "entries": answer["entries"][:playlistend]}
        return answer


_LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost", "0.0.0.0"}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """No test touches the network: any connection beyond loopback fails like being offline."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host not in _LOCAL_HOSTS:
            raise OSError(f"network access blocked in tests: {address}")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in _LOCAL_HOSTS and host is not None:
            raise socket.gaierror(f"network access blocked in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The real all-MiniLM-L6-v2, loaded once per test session (importing it takes ~10 s)."""
    from yt_transcript.ingest.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", retries=2, backoff_s=0.0)


@pytest.fixture
def library(settings: Settings, fake_embedder: FakeEmbedder):
    """An empty library (the front door) with the fake embedder and a YouTube client that never waits."""
    from yt_transcript.ingest.youtube import YouTubeClient

    lib = Library(settings, embedder=fake_embedder, youtube=YouTubeClient(retries=0))
    yield lib
    lib.close()


def with_llm(lib: Library, llm) -> Library:
    """The same library answering with an injected chat model."""
    return Library(lib.settings, embedder=lib._embedder, llm=llm, storage=lib.storage)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_http_server(args: list[str], probe: str, log_path: Path, timeout_s: float = 120, *,
                      env: dict | None = None, cwd: Path | None = None) -> subprocess.Popen:
    """Start a server process and wait until GET `probe` answers; its output goes to log_path."""
    import urllib.request

    log = open(log_path, "wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    deadline = time.time() + timeout_s
    while True:
        try:
            urllib.request.urlopen(probe, timeout=1).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(f"{args[0]} did not start; see {log_path}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real Chroma server on loopback, started for this session (or YT_TRANSCRIPT_TEST_CHROMA_URL)."""
    if os.environ.get("YT_TRANSCRIPT_TEST_CHROMA_URL"):
        yield os.environ["YT_TRANSCRIPT_TEST_CHROMA_URL"]
        return
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    url = f"http://127.0.0.1:{port}"
    proc = start_http_server([chroma, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
                             f"{url}/api/v2/heartbeat", data / "server.log", timeout_s=60)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def make_fake_chat_model(reply):
    """A LangChain chat model that answers `reply(messages)` (or a fixed string), streaming word by word."""
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

    class FakeChatModel(BaseChatModel):
        calls: list = []

        @property
        def _llm_type(self) -> str:
            return "fake-chat"

        def _text(self, messages) -> str:
            self.calls.append(list(messages))
            return reply(messages) if callable(reply) else reply

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            return ChatResult(generations=[ChatGeneration(message=AIMessage(self._text(messages)))])

        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            for piece in re.split(r"(\s+)", self._text(messages)):
                if piece:
                    yield ChatGenerationChunk(message=AIMessageChunk(content=piece))

    model = FakeChatModel()
    model.calls = []
    return model


@pytest.fixture
def sample_library(library):
    """The sample talk ingested with the fake embedder."""
    [result] = library.ingest(str(SAMPLE_VTT))
    assert result.ok
    return library


def catalog_from_before(tmp_path: Path, table: str):
    """A read-only catalog as an older version left it: without `table`."""
    import sqlite3

    from yt_transcript.ingest.catalog import Catalog

    path = tmp_path / "library.sqlite3"
    Catalog(path).close()
    db = sqlite3.connect(path)
    db.execute(f"DROP TABLE {table}")
    db.commit()
    db.close()
    return Catalog(path, read_only=True)
