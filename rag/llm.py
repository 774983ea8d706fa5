"""Chat models: one wrapper that chooses the model, checks it, invokes it, streams it, and maps its errors."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from yt_transcript.ingest import errors
from yt_transcript.ingest.settings import LLMSettings

DEFAULT_OPENAI_MODEL = "openai:gpt-4o-mini"


@dataclass(frozen=True)
class ModelSpec:
    """provider:name, e.g. openai:gpt-4o-mini. Every OpenAI-compatible server is provider 'openai'."""

    provider: str
    name: str

    def __str__(self) -> str:
        return f"{self.provider}:{self.name}"


def parse_spec(spec: str) -> ModelSpec:
    """Parse 'openai:NAME' (a bare NAME means openai:NAME)."""
    provider, sep, name = spec.strip().partition(":")
    if not sep:
        provider, name = "openai", provider
    if provider.lower() != "openai" or not name.strip():
        raise errors.ModelSpecInvalid(f"unsupported model {spec!r}", spec=spec)
    return ModelSpec("openai", name.strip())


def configured_spec(settings: LLMSettings, override: str | None = None) -> ModelSpec | None:
    """The model to use: the override, else settings, else gpt-4o-mini when a key is set, else None (offline)."""
    spec = override or settings.model
    if spec:
        return parse_spec(spec)
    if settings.key:
        return parse_spec(DEFAULT_OPENAI_MODEL)
    return None


_IDENTIFIED: list = []  # injected models whose id() keys kept results (tests and notebooks inject a handful)
_PROCESS = uuid.uuid4().hex  # ...in this process only: another process's objects may have the same id()


class ChatModel:
    """Any chat model, called one way. Built by `choose`; None from `choose` means work offline.

    `llm` may be any LangChain chat model (tests inject one); without it, an OpenAI-compatible client is
    built from the settings. Every failure leaves as one of our ModelError subclasses, never carrying the key.
    """

    def __init__(self, settings: LLMSettings, spec: ModelSpec | None = None, llm=None):
        self.settings = settings
        self.spec = spec
        self._injected = llm
        self._clients: dict[tuple[bool, int | None], object] = {}
        self._checked = spec is None  # an injected model needs no check
        # Overviews call the model from several threads at once: one of them checks and builds the client
        # while the others wait, instead of all asking a one-slot local server for its model list at once.
        self._lock = threading.RLock()

    @classmethod
    def choose(cls, settings: LLMSettings, override: str | None = None, llm=None) -> ChatModel | None:
        """The configured model, an injected one, or None when no model is configured (offline)."""
        if llm is not None:
            return cls(settings, None, llm)
        spec = configured_spec(settings, override)
        return cls(settings, spec) if spec is not None else None

    @property
    def name(self) -> str:
        """'openai:NAME', or the injected model's own name."""
        if self.spec is not None:
            return str(self.spec)
        return getattr(self._injected, "model_name", None) or "injected"

    @property
    def identity(self) -> str:
        """What kept results are keyed by: the model and where it runs. An injected model is known only as that
        object, so what it made is found again in this process only."""
        if self.spec is not None:
            return f"{self.spec}@{self.where}"
        if not any(kept is self._injected for kept in _IDENTIFIED):
            _IDENTIFIED.append(self._injected)  # held, so no later object can reuse its id()
        return f"{self.name}#{_PROCESS}#{id(self._injected)}"

    @property
    def where(self) -> str:
        return self.settings.base_url or "api.openai.com"

    def complete(self, prompt, *, max_tokens: int | None = None) -> str:
        """One reply to a prompt (a string or LangChain messages), as text."""
        client = self._client(streaming=False, max_tokens=max_tokens)
        try:
            reply = client.invoke(prompt)
        except errors.YtTranscriptError:
            raise
        except Exception as exc:
            raise self.map_error(exc) from None
        return (reply.content if isinstance(reply.content, str) else "").strip()

    def stream(self, messages, on_token: Callable[[str], None] | None, started: float) -> tuple[str, float | None]:
        """The reply streamed to on_token. Returns (text, seconds from `started` to the first token)."""
        client = self._client(streaming=True, max_tokens=None)
        parts: list[str] = []
        first = None
        finished = False
        try:
            for chunk in client.stream(messages):
                finished = finished or bool((chunk.response_metadata or {}).get("finish_reason"))
                piece = chunk.content if isinstance(chunk.content, str) else ""
                if piece:
                    if first is None:
                        first = time.perf_counter() - started
                    parts.append(piece)
                    if on_token:
                        _deliver(on_token, piece)
        except errors.YtTranscriptError:
            raise
        except _CallbackFailed as failed:
            raise failed.__cause__ from None  # the caller's own error, unchanged
        except Exception as exc:
            if self.spec is None:
                raise self.map_error(exc) from None
            if not parts:
                # Some servers (llama.cpp) end or break a stream without saying why when they refuse a
                # request; asking once without streaming returns their real error (or the answer).
                return self._invoke_once(messages, on_token, started)
            error = self.map_error(exc)
            if isinstance(error, errors.ModelUnreachable):
                error = errors.ModelUnreachable(f"{error.message} (the answer stopped part-way; it is incomplete)")
            raise error from None
        if self.spec is not None and parts and not finished:
            # The connection closed before the server said it was done: the answer is cut short.
            raise errors.ModelUnreachable(f"the model server at {self.where} stopped part-way; the answer is incomplete")
        return "".join(parts), first

    def _invoke_once(self, messages, on_token, started: float) -> tuple[str, float | None]:
        # A fresh client: the broken stream may have left a dead connection in the old one's pool.
        # One retry at least: the server may still be closing the failed stream.
        patient = ChatModel(self.settings.model_copy(update={"llm_retries": max(1, self.settings.llm_retries)}), self.spec)
        patient._checked = True
        text = patient.complete(messages)
        if on_token and text:
            on_token(text)
        return text, (time.perf_counter() - started) if text else None

    def _client(self, *, streaming: bool, max_tokens: int | None):
        if self._injected is not None:
            return self._injected
        with self._lock:
            return self._client_once(streaming, max_tokens)

    def _client_once(self, streaming: bool, max_tokens: int | None):
        self.check()
        key = (streaming, max_tokens)
        if key not in self._clients:
            from langchain_openai import ChatOpenAI

            self._clients[key] = ChatOpenAI(
                model=self.spec.name,
                base_url=self.settings.base_url,
                api_key=self.settings.key or "not-needed",  # local servers ignore it, the client insists
                timeout=self.settings.llm_timeout_s,
                max_retries=self.settings.llm_retries,  # the client backs off exponentially on 429, 5xx, resets
                temperature=0.0,
                streaming=streaming,
                max_tokens=max_tokens,
            )
        return self._clients[key]

    def check(self) -> None:
        """Fail early, and clearly, when the server does not serve the named model (once per wrapper).

        Some servers (llama.cpp's) silently answer with another model when the name is wrong; listing
        the served models first turns a typo into a clear error instead of a wrong model's answer.
        """
        with self._lock:
            if not self._checked:
                self._check_served()

    def _check_served(self) -> None:
        import openai

        client = openai.OpenAI(base_url=self.settings.base_url, api_key=self.settings.key or "not-needed",
                               timeout=self.settings.llm_timeout_s, max_retries=self.settings.llm_retries)
        try:
            served = [m.id for m in client.models.list()]
        except openai.NotFoundError:
            served = []  # the server has no model list; the request itself will tell
        except Exception as exc:
            raise self.map_error(exc) from None
        names = set(served) | {m.rsplit("/", 1)[-1] for m in served}
        if served and self.spec.name not in names:
            shown = ", ".join(sorted(names)[:8]) + (" ..." if len(names) > 8 else "")
            raise errors.ModelNotFound(f"{self.where} does not serve model {self.spec.name!r} (it serves: {shown})",
                                       model=self.spec.name)
        self._checked = True

    def map_error(self, exc: Exception) -> errors.ModelError:
        """Our error for the cause of an openai/httpx failure. Messages never carry the key."""
        import openai

        where, name = self.where, self.spec.name if self.spec else self.name
        text = _redact(str(exc), self.settings.key)
        lowered = text.lower()
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return errors.ModelAuthFailed(f"{where} refused the API key")
        if isinstance(exc, openai.NotFoundError) or "model not found" in lowered or "does not exist" in lowered:
            return errors.ModelNotFound(f"{where} does not serve model {name!r}", model=name)
        if "context" in lowered and ("length" in lowered or "exceed" in lowered or "too long" in lowered):
            return errors.ContextTooLong(f"the prompt does not fit {name}'s context window", model=name)
        if isinstance(exc, openai.RateLimitError):
            return errors.ModelRateLimited(f"{where} is rate-limiting requests (after {self.settings.llm_retries} retries)")
        if isinstance(exc, (openai.APIConnectionError, openai.APITimeoutError)) or _is_transport(exc):
            return errors.ModelUnreachable(f"cannot reach the model server at {where}", url=where)
        if isinstance(exc, openai.BadRequestError):
            return errors.ModelFailed(f"{where} rejected the request ({_first_line(text)})")
        return errors.ModelFailed(f"{where} failed ({type(exc).__name__}: {_first_line(text)})")


class _CallbackFailed(Exception):
    """The caller's on_token raised: its own problem (a closed pipe, say), never the model server's."""


def _deliver(on_token: Callable[[str], None], piece: str) -> None:
    try:
        on_token(piece)
    except Exception as exc:
        raise _CallbackFailed() from exc


def _is_transport(exc: Exception) -> bool:
    import httpx

    return isinstance(exc, (httpx.TransportError, ConnectionError))


def _redact(text: str, key: str | None) -> str:
    return text.replace(key, "***") if key else text


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:200]
