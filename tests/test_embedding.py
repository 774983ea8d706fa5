import numpy as np
import pytest

from yt_transcript.ingest.embedding import OnnxEmbedder, export_onnx, load_fast_embedder, onnx_path_for

from .conftest import SAMPLE_VTT, FakeEmbedder

TEXTS = ["what is a morpheme?", "Backpropagation computes gradients with the chain rule. Pasta boils in ten minutes.",
         "short", "a much longer passage " * 20]


def test_batches_keep_input_order():
    fake = FakeEmbedder()
    direct = fake._encode(TEXTS)
    batched = fake.embed(TEXTS, batch_size=2)
    assert np.allclose(direct, batched)
    progress = []
    fake.embed(TEXTS, batch_size=3, progress=lambda done, total: progress.append((done, total)))
    assert progress == [(3, 4), (4, 4)]


def test_unit_vectors_default_to_embedding_each_span():
    fake = FakeEmbedder()
    text = TEXTS[1]
    spans = [(0, 55), (56, len(text))]
    vectors, units = fake.embed_with_units([text], [spans])
    assert np.allclose(units[0], fake._encode([text[a:b] for a, b in spans]))
    assert np.allclose(vectors[0], fake._encode([text])[0])


@pytest.mark.slow
def test_pooled_sentence_vectors_pick_the_matching_sentence(real_embedder):
    text = TEXTS[1]
    _, units = real_embedder.embed_with_units([text], [[(0, 55), (56, len(text))]])
    query = np.array(real_embedder.embed_query("how long should pasta cook"))
    assert query @ np.array(units[0][1]) > query @ np.array(units[0][0])


@pytest.mark.slow
def test_onnx_export_gives_the_same_vectors(real_embedder, tmp_path):
    path = onnx_path_for(tmp_path, real_embedder.name)
    older = path.with_name(f"{real_embedder.name}.onnx")  # an export from before it gave layer 4 too
    older.parent.mkdir(parents=True)
    older.write_bytes(b"an older export")
    assert export_onnx(real_embedder, path) and path.is_file()
    assert not older.exists()  # superseded
    onnx = OnnxEmbedder(real_embedder.name, path, real_embedder._path)
    for a, b in zip(onnx._encode(TEXTS), real_embedder._encode(TEXTS)):
        assert float(np.dot(a, b)) >= 1 - 1e-4
    assert onnx.count_tokens(TEXTS) == real_embedder.count_tokens(TEXTS)
    assert onnx.name == real_embedder.name and onnx.max_tokens == real_embedder.max_tokens
    cached = load_fast_embedder(real_embedder.name, tmp_path)
    assert isinstance(cached, OnnxEmbedder)


@pytest.mark.slow
def test_onnx_ingest_vectors_match_the_full_model(real_embedder, tmp_path):
    """Ingest may run on the ONNX export: passages and their sentence spans get the same vectors, batched."""
    path = onnx_path_for(tmp_path, real_embedder.name)
    assert export_onnx(real_embedder, path)
    onnx = OnnxEmbedder(real_embedder.name, path, real_embedder._path)
    spans = [[(0, len(t) // 2), (len(t) // 2 + 1, len(t))] for t in TEXTS]
    want, want_units = real_embedder.embed_with_units(TEXTS, spans)
    got, got_units = onnx.embed_with_units(TEXTS, spans, batch_size=2)  # padded batches of unequal lengths
    assert got.dtype == np.float32 and got.shape == want.shape
    assert min(float(a @ b) for a, b in zip(got, want)) >= 1 - 1e-4
    for a, b in zip(got_units, want_units):
        assert a.shape == b.shape and min(float(x @ y) for x, y in zip(a, b)) >= 1 - 1e-4


def test_corrupt_onnx_cache_is_rebuilt(tmp_path, monkeypatch):
    import yt_transcript.ingest.embedding as embedding

    path = onnx_path_for(tmp_path, "all-MiniLM-L6-v2")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a model")
    built, exports = [], []
    monkeypatch.setattr(embedding, "SentenceTransformerEmbedder", lambda model: built.append(model) or FakeEmbedder())
    monkeypatch.setattr(embedding, "export_in_child", lambda model, p: exports.append(p) or False)
    assert isinstance(load_fast_embedder("all-MiniLM-L6-v2", tmp_path), FakeEmbedder)
    assert exports == [path] and built == ["all-MiniLM-L6-v2"] and not path.exists()


def test_an_export_that_fails_is_tried_once_not_at_every_start(tmp_path, monkeypatch):
    import yt_transcript.ingest.embedding as embedding

    exports = []
    monkeypatch.setattr(embedding, "SentenceTransformerEmbedder", lambda model: FakeEmbedder())
    monkeypatch.setattr(embedding, "export_in_child", lambda model, p: exports.append(p) or False)
    (tmp_path / "models").mkdir()
    for _ in range(3):
        assert isinstance(load_fast_embedder("all-MiniLM-L6-v2", tmp_path), FakeEmbedder)
    assert len(exports) == 1  # a read-only home or a model ONNX cannot export: one child, then the marker


@pytest.mark.parametrize("writable", [True, False])
def test_a_home_with_an_older_export_keeps_the_fast_start(tmp_path, monkeypatch, writable):
    import yt_transcript.ingest.embedding as embedding

    path = onnx_path_for(tmp_path, "all-MiniLM-L6-v2")
    older = path.with_name("all-MiniLM-L6-v2.onnx")
    older.parent.mkdir(parents=True)
    older.write_bytes(b"an export from before")
    exports, loaded = [], []
    monkeypatch.setattr(embedding, "_writable", lambda folder: writable)
    monkeypatch.setattr(embedding, "export_in_child", lambda model, p: exports.append(p) or False)
    monkeypatch.setattr(embedding, "OnnxEmbedder", lambda name, p, model_dir: loaded.append(p) or FakeEmbedder())
    monkeypatch.setattr(embedding, "SentenceTransformerEmbedder", lambda model: pytest.fail("torch loaded"))
    assert isinstance(load_fast_embedder("all-MiniLM-L6-v2", tmp_path), FakeEmbedder)
    assert loaded == [older]  # searches start fast; the overview reads breaks by the word table until re-export
    assert exports == ([path] if writable else [])  # a read-only home never spawns the export


@pytest.mark.slow
def test_a_new_home_exports_in_a_child_and_never_loads_torch_here(tmp_path):
    """The first load makes the export in a child process: this process runs on ONNX, without torch."""
    import subprocess
    import sys

    probe = ("import sys; from pathlib import Path; from yt_transcript.ingest.embedding import load_fast_embedder; "
             f"e = load_fast_embedder('all-MiniLM-L6-v2', Path({str(tmp_path)!r})); "
             "print(type(e).__name__, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=900, check=True)
    assert out.stdout.split() == ["OnnxEmbedder", "False", "False"], out.stderr[-2000:]
    assert onnx_path_for(tmp_path, "all-MiniLM-L6-v2").is_file()
    assert not list(tmp_path.rglob("*.tmp.onnx"))


@pytest.mark.slow
def test_the_library_ingest_exports_the_query_model_whoever_calls_it(real_embedder, tmp_path):
    """Not only the CLI: any ingest through the library leaves the fast query model behind."""
    from yt_transcript import Library

    lib = Library.open(tmp_path / "home", embedder=real_embedder)
    [result] = lib.ingest(str(SAMPLE_VTT))
    assert result.ok and onnx_path_for(tmp_path / "home", real_embedder.model).is_file()
    fresh = Library.open(tmp_path / "home")  # a new process's library: searches and ingests run on ONNX
    assert isinstance(fresh._embedder_for_queries(), OnnxEmbedder)
    assert fresh._embedder_for_ingest() is fresh._embedder_for_queries()
    assert fresh.search("spacing", k=1)[0].video_id == "yttSample01"
