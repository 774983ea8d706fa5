"""Chat models: one small factory over LangChain's OpenAI-compatible client, and one error per cause."""

from __future__ import annotations

from dataclasses import dataclass

from ingest import errors
from ingest.settings import Settings

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
        raise errors.ModelSpecInvalid(f"unsupported model {spec!r}")
    return ModelSpec("openai", name.strip())


def configured_model(settings: Settings, override: str | None = None) -> ModelSpec | None:
    """The model to use: --model, else settings, else gpt-4o-mini when a key is set, else None (offline)."""
    spec = override or settings.model
    if spec:
        return parse_spec(spec)
    if settings.api_key is not None and settings.api_key.get_secret_value():
        return parse_spec(DEFAULT_OPENAI_MODEL)
    return None


def chat_model(spec: ModelSpec, settings: Settings, *, streaming: bool = True, max_tokens: int | None = None):
    """A LangChain chat model for the spec, with timeouts and retries with backoff."""
    from langchain_openai import ChatOpenAI

    key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    return ChatOpenAI(
        model=spec.name,
        base_url=settings.base_url,
        # Local servers ignore the key, but the client insists on one.
        api_key=key or "not-needed",
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_retries,  # the openai client backs off exponentially on 429, 5xx, resets
        temperature=0.0,
        streaming=streaming,
        max_tokens=max_tokens,
    )


_checked: set[tuple[str | None, str]] = set()


def check_model(spec: ModelSpec, settings: Settings) -> None:
    """Fail early, and clearly, when the server does not serve the named model.

    Some servers (llama.cpp's) silently answer with another model when the name is wrong; listing
    the served models first turns a typo into a clear error instead of a wrong model's answer.
    """
    if (settings.base_url, spec.name) in _checked:
        return
    import openai

    key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    client = openai.OpenAI(base_url=settings.base_url, api_key=key or "not-needed",
                           timeout=min(settings.llm_timeout_s, 10.0), max_retries=settings.llm_retries)
    try:
        served = [m.id for m in client.models.list()]
    except openai.NotFoundError:
        return  # the server has no model list; the request itself will tell
    except Exception as exc:
        raise map_llm_error(exc, spec, settings) from None
    names = {m for m in served} | {m.rsplit("/", 1)[-1] for m in served}
    if served and spec.name not in names:
        shown = ", ".join(sorted(names)[:8]) + (" ..." if len(names) > 8 else "")
        raise errors.ModelNotFound(f"{settings.base_url or 'api.openai.com'} does not serve model {spec.name!r} "
                                   f"(it serves: {shown})")
    _checked.add((settings.base_url, spec.name))


def map_llm_error(exc: Exception, spec: ModelSpec, settings: Settings) -> errors.YtTranscriptError:
    """Translate an openai/httpx failure into our error for its cause. Messages never carry the key."""
    import openai

    where = settings.base_url or "api.openai.com"
    text = _redact(str(exc), settings)
    lowered = text.lower()
    if isinstance(exc, openai.AuthenticationError) or isinstance(exc, openai.PermissionDeniedError):
        return errors.ModelAuthFailed(f"{where} refused the API key")
    if isinstance(exc, openai.NotFoundError) or "model not found" in lowered or "does not exist" in lowered:
        return errors.ModelNotFound(f"{where} does not serve model {spec.name!r}")
    if "context" in lowered and ("length" in lowered or "exceed" in lowered or "too long" in lowered):
        return errors.ContextTooLong(f"the prompt does not fit {spec.name}'s context window")
    if isinstance(exc, openai.RateLimitError):
        return errors.ModelRateLimited(f"{where} is rate-limiting requests (after {settings.llm_retries} retries)")
    if isinstance(exc, (openai.APIConnectionError, openai.APITimeoutError)) or _is_transport(exc):
        return errors.ModelUnreachable(f"cannot reach the model server at {where}")
    if isinstance(exc, openai.BadRequestError):
        return errors.ModelFailed(f"{where} rejected the request ({_first_line(text)})")
    return errors.ModelFailed(f"{where} failed ({type(exc).__name__}: {_first_line(text)})")


def _is_transport(exc: Exception) -> bool:
    import httpx

    return isinstance(exc, (httpx.TransportError, ConnectionError))


def _redact(text: str, settings: Settings) -> str:
    key = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    return text.replace(key, "***") if key else text


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:200]
