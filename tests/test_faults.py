"""Injected faults, each followed by a check of the library: kill -9 at every step of a re-ingest and of a
remove, the catalog locked by another process, a full disk, and the Chroma server killed and restarted.

After every fault: SQLite's integrity check passes on the catalog and its full-text index, every listed video
is found by search, no hit comes from a chunk the catalog does not hold, and once the interrupted operation
is run again the vector count matches the catalog.
"""

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from yt_transcript import Library
from yt_transcript.ingest import catalog as catalog_module
from yt_transcript.ingest import errors

from .conftest import REPO, SAMPLE_VTT, FakeEmbedder, _free_port, start_http_server


def check_consistent(lib: Library, *, vectors_match: bool = True) -> None:
    """The invariants every fault must leave intact."""
    db = sqlite3.connect(lib.settings.home / "library.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('integrity-check')")  # raises if FTS disagrees
    finally:
        db.close()
    for record in lib.videos():
        words = " ".join(lib.transcript(record.meta.video_id).snippets[1].text.split()[:6])
        hits = lib.search(words, videos=[record.meta.video_id], k=5)
        assert hits, f"{record.meta.video_id} is listed but not found"
        assert all(h.chunk_id.startswith(f"{record.meta.video_id}:{record.generation}:") for h in hits)
    wide = lib.search("memory forgetting spacing lectures", k=20)  # library-wide: Chroma's own index
    current = {r.meta.video_id: r.generation for r in lib.videos()}
    assert all(h.chunk_id.split(":")[1] == current[h.video_id] for h in wide)  # no orphan is served
    if vectors_match:
        stored = lib.storage.vectors("fake-embedder").count()
        assert stored == sum(r.chunk_count for r in lib.videos())


def changed_copy(tmp_path: Path) -> Path:
    """The sample talk with different words, so a re-ingest writes a new generation."""
    folder = tmp_path / "changed"
    folder.mkdir(exist_ok=True)
    for sidecar in SAMPLE_VTT.parent.glob("study-from-video-lectures.*"):
        text = sidecar.read_text(encoding="utf-8")
        (folder / sidecar.name).write_text(text.replace("Ebbinghaus", "Zebulon Quixotic"), encoding="utf-8")
    return folder / SAMPLE_VTT.name


# --- kill -9 -----------------------------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from yt_transcript import Library
    from yt_transcript.ingest.catalog import Catalog
    from yt_transcript.ingest.store import VectorStore
    from tests.conftest import FakeEmbedder

    home, operation, point, source = sys.argv[1:5]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def before(cls, name):
        real = getattr(cls, name)
        setattr(cls, name, lambda self, *a, **k: (die(), real(self, *a, **k))[1])

    def after(cls, name):
        real = getattr(cls, name)
        def call(self, *a, **k):
            result = real(self, *a, **k)
            die()
            return result
        setattr(cls, name, call)

    def mid_upsert():
        real_upsert, real_call, seen = VectorStore.upsert, VectorStore._call, []
        def upsert(self, chunks, embeddings):
            self._max_batch = 2  # several batches, so the kill lands between two of them
            return real_upsert(self, chunks, embeddings)
        def call(self, fn, *a, **k):
            if getattr(fn, "__name__", "") == "upsert":
                seen.append(1)
                if len(seen) == 2:
                    die()
            return real_call(self, fn, *a, **k)
        VectorStore.upsert, VectorStore._call = upsert, call

    {
        "before-upsert": lambda: before(VectorStore, "upsert"),
        "mid-upsert": mid_upsert,
        "after-upsert": lambda: after(VectorStore, "upsert"),
        "after-commit": lambda: after(Catalog, "commit_video"),
        "after-cleanup": lambda: after(VectorStore, "delete_video"),
        "before-vectors": lambda: before(VectorStore, "delete_video"),
        "after-vectors": lambda: after(VectorStore, "delete_video"),
        "after-catalog": lambda: after(Catalog, "remove"),
    }[point]()
    library = Library.open(Path(home), embedder=FakeEmbedder())
    if operation == "reingest":
        library.ingest(source)
    else:
        library.remove("yttSample01")
    sys.exit(3)  # the kill point was never reached
""")


def _kill_at(home: Path, operation: str, point: str, source: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD, str(home), operation, point, str(source)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.parametrize("point", ["before-upsert", "mid-upsert", "after-upsert", "after-commit", "after-cleanup"])
def test_kill_9_during_a_reingest(tmp_path, point):
    home = tmp_path / "home"
    lib = Library.open(home, embedder=FakeEmbedder())
    assert lib.ingest(str(SAMPLE_VTT))[0].ok
    old = lib.video("yttSample01").generation
    lib.close()
    changed = changed_copy(tmp_path)
    _kill_at(home, "reingest", point, changed)
    after = Library.open(home, embedder=FakeEmbedder())
    generation = after.video("yttSample01").generation
    assert (generation == old) == (point in {"before-upsert", "mid-upsert", "after-upsert"})
    check_consistent(after, vectors_match=point in {"before-upsert", "after-cleanup"})
    assert after.ingest(str(changed))[0].ok  # what a user does next: run it again
    check_consistent(after)
    assert any("Zebulon" in h.text for h in after.search("Zebulon Quixotic", k=3))


@pytest.mark.parametrize("point", ["before-vectors", "after-vectors", "after-catalog"])
def test_kill_9_during_a_remove(tmp_path, point):
    home = tmp_path / "home"
    lib = Library.open(home, embedder=FakeEmbedder())
    assert lib.ingest(str(SAMPLE_VTT))[0].ok and lib.ingest(str(changed_copy(tmp_path)), video_id="otherCopy01")[0].ok
    lib.close()
    _kill_at(home, "remove", point, SAMPLE_VTT)
    after = Library.open(home, embedder=FakeEmbedder())
    listed = {r.meta.video_id for r in after.videos()}
    assert ("yttSample01" in listed) == (point != "after-catalog")
    if point == "after-vectors":
        # Listed until the remove runs again; its words still find it, and nothing is left behind after.
        assert after.search("Ebbinghaus nonsense syllables", videos=["yttSample01"], k=1)
    else:
        check_consistent(after)
    if "yttSample01" in listed:
        after.remove("yttSample01")
    check_consistent(after)
    assert {r.meta.video_id for r in after.videos()} == {"otherCopy01"}


# --- the catalog locked by another process ------------------------------------------------------------------

LOCKER = textwrap.dedent("""
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.read()  # hold the lock until the test closes our stdin
""")


def test_catalog_locked_past_the_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog_module, "_BUSY_TIMEOUT_S", 0.5)
    home = tmp_path / "home"
    lib = Library.open(home, embedder=FakeEmbedder())
    assert lib.ingest(str(SAMPLE_VTT))[0].ok
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(home / "library.sqlite3")], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        [outcome] = lib.ingest(str(changed_copy(tmp_path)))
        error = outcome.results[0].error
        assert isinstance(error, errors.CatalogBusy) and "stayed locked" in str(error) and error.advice
        with pytest.raises(errors.CatalogBusy):
            lib.remove("yttSample01")
    finally:
        locker.stdin.close()
        locker.wait(10)
    check_consistent(lib, vectors_match=False)  # the failed re-ingest left vectors only its next run removes
    assert lib.ingest(str(changed_copy(tmp_path)))[0].ok
    check_consistent(lib)


# --- a full disk ----------------------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 24 MB tmpfs (root can mount one here); skips where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_disk_full_during_an_ingest(small_disk, tmp_path):
    lib = Library.open(small_disk / "home", embedder=FakeEmbedder())
    assert lib.ingest(str(SAMPLE_VTT))[0].ok
    filler = small_disk / "filler"
    with open(filler, "wb") as out:  # take every byte that is left
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    [outcome] = lib.ingest(str(changed_copy(tmp_path)), video_id="secondTalk1")
    error = outcome.results[0].error
    assert isinstance(error, errors.StoreError) and "\n" not in str(error), error
    filler.unlink()
    check_consistent(lib)
    assert [r.meta.video_id for r in lib.videos()] == ["yttSample01"]
    assert lib.ingest(str(changed_copy(tmp_path)), video_id="secondTalk1")[0].ok
    check_consistent(lib)


# --- the Chroma server killed and restarted -------------------------------------------------------------------

def _start_chroma(data: Path, port: int):
    chroma = str(Path(sys.executable).with_name("chroma"))
    return start_http_server([chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                             f"http://127.0.0.1:{port}/api/v2/heartbeat", data.parent / f"chroma-{port}.log",
                             timeout_s=60)


@pytest.mark.chroma_server
def test_chroma_server_killed_and_restarted_mid_ingest_and_mid_search(tmp_path, monkeypatch):
    from yt_transcript.ingest import storage

    monkeypatch.setattr(storage, "_EXACT_MAX", 0)  # search through the server, as a library past 10k chunks does
    port, data = _free_port(), tmp_path / "chroma-data"
    server = _start_chroma(data, port)
    try:
        lib = Library.open(tmp_path / "home", embedder=FakeEmbedder(), chroma_url=f"http://127.0.0.1:{port}")
        assert lib.ingest(str(SAMPLE_VTT))[0].ok
        # Mid-ingest: the server dies just as the new vectors are written.
        from yt_transcript.ingest.store import VectorStore

        real = VectorStore.upsert

        def killed_first(self, *args, **kwargs):
            server.kill()
            server.wait(10)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(VectorStore, "upsert", killed_first)
        [outcome] = lib.ingest(str(changed_copy(tmp_path)), video_id="secondTalk1")
        assert isinstance(outcome.results[0].error, errors.StoreUnavailable)
        monkeypatch.undo()
        monkeypatch.setattr(storage, "_EXACT_MAX", 0)
        # Mid-search burst: library-wide searches fail in one line while it is down...
        failures = 0
        for _ in range(5):
            try:
                lib.search("forgetting curve", k=3)
            except errors.StoreUnavailable as exc:
                failures += 1
                assert "\n" not in str(exc)
        assert failures == 5
        server = _start_chroma(data, port)  # ...and work again once it is back, with nothing lost
        for _ in range(5):
            assert lib.search("forgetting curve", k=3)
        check_consistent(lib)
        assert [r.meta.video_id for r in lib.videos()] == ["yttSample01"]
        assert lib.ingest(str(changed_copy(tmp_path)), video_id="secondTalk1")[0].ok
        check_consistent(lib)
    finally:
        server.kill()
