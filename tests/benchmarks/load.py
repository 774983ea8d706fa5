"""Load on a Chroma server: concurrent searchers, a re-ingesting writer, the app in 4 browsers, and 1M chunks.

    python tests/benchmarks/load.py [--chunks 50000] [--seconds 20] [--clients 1,4,16] [--no-browser]
                                    [--million] [--budget-min 25] [--keep DIR]

Starts `chroma run` on loopback (data in a temp dir) and builds a library on it:
- a dozen real Crash Course transcripts from ../shared/data, ingested through `Library.ingest` (the real pipeline and
  embedding model, which also exports the ONNX query model every search below uses);
- synthetic videos (100 chunks each) up to --chunks: text drawn from the real chunks' words, vectors a real chunk's
  vector plus noise, written through `Storage.save` (the pipeline's store step: Chroma first, then the catalog
  switch, then the old generation's cleanup), so catalog and Chroma stay consistent;
- 8 "hot" synthetic videos that the writer re-writes: each generation's chunk ids and text carry its number.

Then, per N in --clients, N searcher *processes* (not threads: the ranking is Python, and 2 cores behind one GIL
would measure the GIL) call `Library.search` (offline, the ONNX query embedder, k=5) in a closed loop for
--seconds, first alone, then while one writer process re-writes the hot videos. A third of the queries are
dev-set questions library-wide, a third name a hot video library-wide, a third search within one hot video; every
result is checked: a hot video's hits must all come from one generation (mixed) and a query about a hot video must
find it (empty). Latency is wall time per call in the client, query embedding included. Then the Streamlit app with
4 concurrent headless Chromium sessions (Debian's, via Playwright) opens a video, asks, and seeks from the first
citation, with the writer still running. --million grows the same library to 1M chunks (or as far as
--budget-min allows) and runs 16 clients library-wide. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

MODEL = "all-MiniLM-L6-v2"
HOT = 8  # videos the writer re-writes
HOT_CHUNKS = 40
PER_VIDEO = 100  # chunks per synthetic video
REAL = ["YcQg1EshfIE", "4KbSRXP0wik", "wuhJ-GkRRQc", "8nz2dtv--ok", "s9shPouRWCs", "qG2SwE_6uVM", "9hdSLiHaJz8",
        "7P0iP2Zm6a4", "w2efaHgJ93A", "PzyXGUCngoU", "XoTx7Rt4dig", "9PW1fwKjo-Y"]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def hot_id(i: int) -> str:
    return f"hotvid{i:02d}"


def hot_query(i: int) -> str:
    return f"what does the lecture say about quokka{i} migration"


def offline_env() -> None:
    """No chat model in this process: searches and the app's answers stay offline (no model-assisted search)."""
    for name in list(os.environ):
        if name in {"OPENAI_API_KEY", "YT_TRANSCRIPT_API_KEY", "YT_TRANSCRIPT_MODEL", "YT_TRANSCRIPT_BASE_URL"}:
            os.environ.pop(name)


# --- building ------------------------------------------------------------------------------------------------


class Synth:
    """Synthetic chunks: words drawn from the real chunks' words, vectors a real chunk's vector plus noise."""

    def __init__(self, storage, seed: int = 0):
        import numpy as np

        self.np = np
        self.rng = np.random.default_rng(seed)
        records = [r for r in storage.records() if r.meta.video_id in REAL]  # the real videos only
        words, vecs = [], []
        for r in records:
            ids, matrix = storage.catalog.chunk_vectors([r.meta.video_id])
            vecs.append(matrix)
            for chunk, _ in storage.chunks(ids).values():
                words.extend(re.findall(r"[A-Za-z']+", chunk.text.lower()))
        self.words = np.array(words)
        self.vectors = np.concatenate(vecs).astype(np.float32)

    def _unit_rows(self, base, n):
        rows = base + self.rng.normal(0, 0.02, (n, base.shape[0])).astype(self.np.float32)
        return rows / self.np.linalg.norm(rows, axis=1, keepdims=True)

    def video(self, video_id: str, generation: str, n: int, title: str, marker: str = "", near=None):
        """(transcript, chunks, vectors, unit vectors) of one video of n chunks, 30 s each, 4 sentences per chunk."""
        from yt_transcript.ingest.models import Chunk, Snippet, Transcript, VideoMeta

        np = self.np
        chunks, snippets, units_all = [], [], []
        base = self.vectors[self.rng.integers(0, len(self.vectors), n)] if near is None else np.tile(near, (n, 1))
        vectors = base + self.rng.normal(0, 0.03 if near is None else 0.02, base.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        for i in range(n):
            sentences = [" ".join(self.words[self.rng.integers(0, len(self.words), 15)]).capitalize() + "."
                         for _ in range(4)]
            if marker:
                sentences[1] = f"{marker} {sentences[1]}"
            text, spans, pos = "", [], 0
            for k, s in enumerate(sentences):
                spans.append((i * 30.0 + k * 7.5, pos, pos + len(s)))
                text += s + " "
                pos += len(s) + 1
            text = text.rstrip()
            chunks.append(Chunk(f"{video_id}:{generation}:{i:05d}", video_id, generation, i, text, i * 30.0,
                                i * 30.0 + 30.0, None, tuple(spans)))
            snippets.append(Snippet(text, i * 30.0, i * 30.0 + 30.0))
            units_all.append(self._unit_rows(vectors[i], 4))
        meta = VideoMeta(video_id=video_id, title=title, channel="Synthetic", duration_s=n * 30.0, language="en",
                         source=f"synthetic:{video_id}")
        return Transcript(meta, snippets), chunks, vectors, units_all

    def hot(self, i: int, rev: int, qvec):
        marker = f"quokka{i} rev{rev}"
        return self.video(hot_id(i), f"rev{rev}", HOT_CHUNKS, f"Hot video {i}", marker=marker, near=qvec)


def grow(storage, synth: Synth, total: int, deadline: float | None = None, report_every: int = 0) -> int:
    """Add synthetic videos until the store holds `total` chunks (or the deadline passes); returns the count."""
    have = sum(r.chunk_count for r in storage.records())
    n = sum(1 for r in storage.records() if r.meta.video_id.startswith("syn"))
    t0, last = time.perf_counter(), have
    while have < total and (deadline is None or time.time() < deadline):
        storage.save(*synth.video(f"syn{n:06d}", "g0", PER_VIDEO, f"Synthetic talk {n}"), MODEL)
        have += PER_VIDEO
        n += 1
        if report_every and have - last >= report_every:
            print(f"  {have:>9,} chunks, {time.perf_counter() - t0:6.0f} s", flush=True)
            last = have
    return have


# --- clients -------------------------------------------------------------------------------------------------


def searcher(home: str, url: str, queries: list, offset: int, sync, out) -> None:
    """One client process: Library.search in a closed loop from the go signal until the shared stop time."""
    offline_env()
    from yt_transcript import Library

    lib = Library.open(home, chroma_url=url).offline()
    lib.search(queries[offset % len(queries)][1], k=5)  # warm: the query model and the store connection
    samples, errors = [], []
    stop_at = started(sync)
    n = offset
    while time.time() < stop_at:
        kind, text, target = queries[n % len(queries)]
        n += 1
        t0 = time.perf_counter()
        try:
            hits = lib.search(text, videos=[target] if kind == "within" else None, k=5)
        except Exception as exc:  # noqa: BLE001 - counted and shown, never raised
            errors.append(f"{type(exc).__name__}: {exc}"[:160])
            continue
        ms = (time.perf_counter() - t0) * 1000
        samples.append((kind, ms, verdict(hits, target) if target else "ok"))
    out.put((samples, errors))


def verdict(hits, target: str) -> str:
    """'mixed' if a hot video's hits (or one hit) hold two generations; 'empty' if the target is not found."""
    generations: dict[str, set[str]] = {}
    for h in hits:
        if h.video_id.startswith("hotvid"):
            in_id = h.chunk_id.split(":")[1]
            in_text = set(re.findall(r"\brev\d+\b", h.text))
            generations.setdefault(h.video_id, set()).update({in_id} | in_text)
    if any(len(g) > 1 for g in generations.values()):
        return "mixed"
    return "ok" if target in generations else "empty"


def writer(home: str, url: str, qvecs: list, sync, out) -> None:
    """Re-write the hot videos one after another (a new generation each time) until the shared stop time."""
    from yt_transcript.ingest.settings import Settings
    from yt_transcript.ingest.storage import Storage

    storage = Storage(Settings(home=Path(home), chroma_url=url))
    synth = Synth(storage, seed=int(time.time()))
    revs = {r.meta.video_id: int(r.generation[3:]) for r in storage.records() if r.meta.video_id.startswith("hotvid")}
    saves, errors, i = [], [], 0
    stop_at = started(sync) + 1  # writing from before the first search to after the last
    while time.time() < stop_at:
        vid = hot_id(i % HOT)
        revs[vid] += 1
        parts = synth.hot(i % HOT, revs[vid], qvecs[i % HOT])
        t0 = time.perf_counter()
        try:
            storage.save(*parts, MODEL)
            saves.append((time.perf_counter() - t0) * 1000)
        except Exception as exc:  # noqa: BLE001 - counted and shown
            errors.append(f"{type(exc).__name__}: {exc}"[:160])
        i += 1
    out.put((saves, errors))


def started(sync) -> float:
    """Say this process is ready, wait for the go, and return the stop time."""
    ready, go, stop_at = sync
    ready.put(os.getpid())
    go.wait()
    return stop_at.value


def run_level(ctx, home, url, queries, clients: int, seconds: float, with_writer: bool, qvecs) -> dict:
    """Start the clients (and the writer), wait until all have warmed up, then let them run for `seconds`."""
    out, wq = ctx.Queue(), ctx.Queue()
    sync = (ctx.Queue(), ctx.Event(), ctx.Value("d", 0.0))
    procs = [ctx.Process(target=searcher, args=(home, url, queries, i * 7, sync, out)) for i in range(clients)]
    if with_writer:
        procs.append(ctx.Process(target=writer, args=(home, url, qvecs, sync, wq)))
    for p in procs:
        p.start()
    for _ in procs:
        sync[0].get(timeout=300)
    sync[2].value = time.time() + seconds
    sync[1].set()
    results = [out.get() for _ in range(clients)]
    saves, werrors = wq.get() if with_writer else ([], [])
    for p in procs:
        p.join()
    samples = [s for r in results for s in r[0]]
    errors = [e for r in results for e in r[1]]
    lat = [ms for _, ms, _ in samples]
    hot = [v for k, _, v in samples if k != "wide"]
    return {"n": len(lat), "qps": len(lat) / seconds, "p50": pct(lat, 50), "p95": pct(lat, 95),
            "p99": pct(lat, 99), "errors": errors, "hot": len(hot), "mixed": hot.count("mixed"),
            "empty": hot.count("empty"), "saves": saves, "writer_errors": werrors}


def print_level(label: str, r: dict) -> None:
    line = (f"{label:24s} {r['n']:6d} searches {r['qps']:6.1f}/s  p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  "
            f"p99 {r['p99']:7.1f} ms  errors {len(r['errors'])}")
    if r["saves"] or r["writer_errors"]:
        line += (f"  | hot-video results {r['hot']}: mixed {r['mixed']}, empty {r['empty']}; writer "
                 f"{len(r['saves'])} re-writes (p50 {pct(r['saves'], 50):.0f} ms), errors {len(r['writer_errors'])}")
    print(line, flush=True)
    for e in sorted(set(r["errors"] + r["writer_errors"]))[:3]:
        print(f"    error: {e}")


# --- the app in browsers -------------------------------------------------------------------------------------


def browsers(app: str, videos: list[tuple[str, str]], seconds: float, sessions: int = 4) -> dict:
    """`sessions` concurrent Chromium pages, each: open a video, ask, seek from [S1]; per-action latency in ms."""
    import asyncio

    from playwright.async_api import async_playwright

    timings: dict[str, list[float]] = {"open": [], "ask": [], "seek": []}
    errors: list[str] = []
    cited: list[bool] = []  # the first source was a citation [S1], not one of the nearest passages

    async def session(browser, n: int, stop_at: float) -> None:
        context = await browser.new_context(viewport={"width": 1400, "height": 900})
        page = await context.new_page()
        k = n
        while time.time() < stop_at:
            video_id, question = videos[k % len(videos)]
            k += sessions
            step = "open"
            try:
                t0 = time.perf_counter()
                await page.goto(f"{app}/?page=video&v={video_id}")
                await page.get_by_text("Playing from 0:00:00").wait_for(timeout=120_000)
                timings["open"].append((time.perf_counter() - t0) * 1000)
                step = "ask"
                player = page.locator("iframe[src*='youtube']").first
                before = await player.get_attribute("src")
                box = page.get_by_placeholder("Ask about this video", exact=False)
                await box.fill(question)
                t0 = time.perf_counter()
                await box.press("Enter")
                cite = page.locator(".st-key-chat_latest").get_by_role("button", name=re.compile(r"Play \d")).first
                await cite.wait_for(timeout=120_000)
                timings["ask"].append((time.perf_counter() - t0) * 1000)
                cited.append((await cite.inner_text()).startswith("[S1]"))
                step = "seek"
                t0 = time.perf_counter()
                await cite.click()
                deadline = time.time() + 120
                while True:
                    src = await player.get_attribute("src")
                    if src != before and "start=" in (src or ""):
                        break
                    if time.time() > deadline:
                        raise TimeoutError("the player did not move")
                    await asyncio.sleep(0.02)
                timings["seek"].append((time.perf_counter() - t0) * 1000)
            except Exception as exc:  # noqa: BLE001 - counted and shown
                errors.append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        await context.close()

    async def main() -> None:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            warm = await browser.new_page()  # untimed: the app's first run loads the query model
            await warm.goto(f"{app}/?page=video&v={videos[0][0]}")
            await warm.get_by_text("Playing from 0:00:00").wait_for(timeout=180_000)
            await warm.close()
            stop_at = time.time() + seconds
            await asyncio.gather(*(session(browser, n, stop_at) for n in range(sessions)))
            await browser.close()

    asyncio.run(main())
    return {"timings": timings, "errors": errors, "cited": cited}


# --- main ----------------------------------------------------------------------------------------------------


def start_chroma(data: Path) -> tuple:
    from tests.conftest import start_http_server

    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_http_server([chroma, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
                             f"{url}/api/v2/heartbeat", data / "chroma.log", timeout_s=60)
    return proc, url


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def machine() -> str:
    meminfo, cpuinfo = Path("/proc/meminfo").read_text(), Path("/proc/cpuinfo").read_text()
    mem = next(int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({cpu}), {mem / 1024 ** 2:.1f} GB RAM, Python {platform.python_version()}, "
            f"load average at start {load[0]:.2f} (the machine is shared)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunks", type=int, default=50_000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", default="1,4,16")
    ap.add_argument("--browser-seconds", type=float, default=None, help="default: 3 x --seconds")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--million", action="store_true")
    ap.add_argument("--budget-min", type=float, default=25, help="stop growing toward 1M after this many minutes")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temp dir, removed)")
    args = ap.parse_args()
    offline_env()
    import chromadb
    from yt_transcript.ingest.embedding import load_fast_embedder

    from tests.conftest import SHARED
    from yt_transcript import Library

    root = args.keep or Path(tempfile.mkdtemp(prefix="ytt-load-"))
    root.mkdir(parents=True, exist_ok=True)
    home = root / "home"
    print(f"machine: {machine()}")
    print(f"chromadb {chromadb.__version__}: `chroma run` on 127.0.0.1, data in {root}")
    server, url = start_chroma(root)
    app = None
    try:
        lib = Library.open(home, chroma_url=url)
        storage = lib.storage
        t0 = time.perf_counter()
        fresh = not storage.records()
        if fresh:
            rows = {r["video_id"]: r for r in json.loads((SHARED / "corpus.json").read_text())}
            for vid in REAL:
                lib.ingest(str(SHARED / rows[vid]["transcript"]), video_id=vid, title=rows[vid]["title"],
                           channel="CrashCourse")
        real = [r for r in storage.records() if r.meta.video_id in REAL]
        print(f"real videos: {len(real)} Crash Course transcripts, {sum(r.chunk_count for r in real)} chunks, "
              + (f"ingested with the real model through Library.ingest in {time.perf_counter() - t0:.0f} s (model "
                 "load included)" if fresh else "already in the kept library"))
        embedder = load_fast_embedder(MODEL, home)
        print(f"query embedder: {type(embedder).__name__} (the ONNX export the ingest made)")
        import numpy as np

        qvecs = [np.asarray(embedder.embed_query(hot_query(i)), dtype=np.float32) for i in range(HOT)]
        synth = Synth(storage)
        if not any(r.meta.video_id.startswith("hotvid") for r in storage.records()):
            for i in range(HOT):
                storage.save(*synth.hot(i, 0, qvecs[i]), MODEL)
        t0 = time.perf_counter()
        have0 = sum(r.chunk_count for r in storage.records())
        total = grow(storage, synth, args.chunks)
        build_s = time.perf_counter() - t0
        rate = (total - have0) / build_s if total > have0 else float("nan")
        print(f"library: {total:,} chunks in {len(storage.records())} videos; synthetic part "
              + (f"({total - have0:,} chunks) written through Storage.save in {build_s:.0f} s ({rate:.0f} chunks/s)"
                 if total > have0 else "already in the kept library"))

        dev = [json.loads(line)["question"] for line in (REPO / "tests/data/retrieval_dev.jsonl").open()]
        queries = []
        for n in range(max(len(dev), 3 * HOT)):
            queries.append(("wide", dev[n % len(dev)], None))
            queries.append(("hot-wide", hot_query(n % HOT), hot_id(n % HOT)))
            queries.append(("within", hot_query(n % HOT), hot_id(n % HOT)))
        print(f"\n== search: N client processes x Library.search(k=5) in a closed loop, {args.seconds:.0f} s per "
              f"row; latency in the client, query embedding included; 1/3 dev questions library-wide, 1/3 about a "
              f"hot video library-wide, 1/3 within a hot video")
        ctx = mp.get_context("spawn")
        levels = [int(c) for c in args.clients.split(",")]
        for clients in levels:
            print_level(f"{clients:2d} clients", run_level(ctx, str(home), url, queries, clients, args.seconds,
                                                           False, qvecs))
            print_level(f"{clients:2d} clients + writer", run_level(ctx, str(home), url, queries, clients,
                                                                     args.seconds, True, qvecs))

        if not args.no_browser:
            seconds = args.browser_seconds or 3 * args.seconds
            port = free_port()
            app = _start_app(port, {**os.environ, "YT_TRANSCRIPT_HOME": str(home), "YT_TRANSCRIPT_CHROMA_URL": url},
                             root)
            by_video = {}
            for line in (REPO / "tests/data/retrieval_dev.jsonl").open():
                row = json.loads(line)
                if row["video_id"] in REAL:
                    by_video.setdefault(row["video_id"], row["question"])
            videos = list(by_video.items())
            wq, sync = ctx.Queue(), (ctx.Queue(), ctx.Event(), ctx.Value("d", 0.0))
            w = ctx.Process(target=writer, args=(str(home), url, qvecs, sync, wq))
            w.start()
            sync[0].get(timeout=300)
            sync[2].value = time.time() + 100_000  # stopped below, once the browsers are done
            sync[1].set()
            res = browsers(f"http://127.0.0.1:{port}", videos, seconds)
            w.terminate()
            w.join()
            print(f"\n== the app: 4 concurrent headless Chromium sessions (Playwright, {CHROMIUM}) for {seconds:.0f} s, "
                  f"the writer re-writing hot videos meanwhile; each loop opens a Crash Course video's page, asks "
                  f"one dev question in the chat (offline answer), clicks the first citation")
            for action, what in (("open", "page load to 'Playing from'"), ("ask", "Enter to the first citation"),
                                 ("seek", "citation click to the player's new start=")):
                t = res["timings"][action]
                print(f"{action:5s} {len(t):4d} done  p50 {pct(t, 50):7.0f}  p95 {pct(t, 95):7.0f} ms   ({what})")
            print(f"errors {len(res['errors'])}; answers whose first source was a citation [S1]: "
                  f"{sum(res['cited'])} of {len(res['cited'])} (the rest: nearest passages)")
            for e in sorted(set(res["errors"]))[:5]:
                print(f"    error: {e}")
            stop(app)
            app = None

        if args.million:
            print(f"\n== growing to 1,000,000 chunks (budget {args.budget_min:.0f} min)", flush=True)
            t0 = time.perf_counter()
            have0 = sum(r.chunk_count for r in storage.records())
            total = grow(storage, synth, 1_000_000, deadline=time.time() + 60 * args.budget_min, report_every=100_000)
            build_s = time.perf_counter() - t0
            done = "reached" if total >= 1_000_000 else "STOPPED at the budget:"
            print(f"{done} {total:,} chunks; added {total - have0:,} in {build_s:.0f} s "
                  f"({(total - have0) / build_s:.0f} chunks/s)")
            wide = [q for q in queries if q[0] == "wide"]
            print_level(f"16 clients, {total // 1000}k", run_level(ctx, str(home), url, wide, 16, args.seconds,
                                                                   False, qvecs))
            print("(library-wide dev questions only; goal p95 <= 200 ms)")
    finally:
        if app is not None:
            stop(app)
        stop(server)
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _start_app(port: int, env: dict, root: Path):
    from tests.conftest import start_http_server

    return start_http_server(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "ui" / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--client.toolbarMode", "viewer", "--server.fileWatcherType", "none"],
        f"http://127.0.0.1:{port}/_stcore/health", root / "streamlit.log",
        90, env=env, cwd=REPO)


if __name__ == "__main__":
    main()
