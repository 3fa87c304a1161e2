"""The TUI's figures (issue 5): first frame, keypress-to-frame latency under churn,
memory; against Textual's stock DataTable rebuilt per update, in the same run.

* first frame: ``k9py`` started in a pseudo-terminal until its header is drawn
  (baseline: an empty Textual app, the floor any Textual app pays).
* latency: k9py's pod view with N pods while a rollout churns (pod statuses
  updated through the client from another thread as fast as it goes); a key
  is posted and the clock stops at the first frame written that shows its
  effect (cursor moved; filter applied). The baseline is the same watch
  feeding a stock ``DataTable`` that is cleared and refilled on each update
  batch, as k9s rebuilds its table.
* memory: Python heap retained by the view once it holds N pods (tracemalloc,
  in a separate load so tracing does not slow the timed runs; RSS deltas in one
  process are useless here, freed memory is reused by the next run).

Goals: first frame < 1 s; p95 < 50 ms at 10,000 pods; p95 < 100 ms at 100,000.
"""

from __future__ import annotations

import asyncio
import gc
import os
import pty
import select
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import DataTable

from benchmarks.common import percentile, row
from k9py.config import Config

ROOT = Path(__file__).resolve().parents[1]
NAMESPACE = "bench"
CURSOR_KEYS = ("down", "down", "up", "pagedown", "pageup", "down")


class NullDriver(HeadlessDriver):
    """Renders every frame like a terminal would, then writes it nowhere."""

    @property
    def is_headless(self) -> bool:
        return False


# -- first frame -----------------------------------------------------------------------------
def _first_frame(argv: list[str], needle: bytes, timeout: float = 30.0) -> float:
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "45",
           "K9PY_CONFIG_DIR": "/nonexistent-k9py-bench"}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                            cwd=ROOT, close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
                if needle in seen:
                    return time.perf_counter() - start
        raise RuntimeError(f"no first frame from {argv[0]} in {timeout}s")
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


_EMPTY_APP = ("from textual.app import App\nfrom textual.widgets import Static\n"
              "class A(App):\n    def compose(self):\n        yield Static('Context: hello')\n"
              "A().run()\n")


def first_frame_rows(quick: bool) -> list[dict[str, Any]]:
    k9py = str(Path(sys.executable).parent / "k9py")
    times = 1 if quick else 3
    ours = statistics.median(_first_frame([k9py], b"Context") for _ in range(times))
    floor = statistics.median(_first_frame([sys.executable, "-c", _EMPTY_APP], b"Context")
                              for _ in range(times))
    return [row("tui first frame: k9py start to header drawn (vs empty Textual app)", ours,
                "s", floor)]


# -- the cluster and its churn -----------------------------------------------------------------
def boot_cluster() -> Any:
    from engine.cluster import Cluster, ClusterConfig

    cluster = Cluster(ClusterConfig(components=[], fsync=False)).start()
    cluster.client.create("namespaces", {"metadata": {"name": NAMESPACE}})
    return cluster


def _pod(i: int) -> dict[str, Any]:
    return {"metadata": {"name": f"web-{i:06d}", "labels": {"app": "web", "rev": "1"}},
            "spec": {"nodeName": f"k9py-worker{'' if i % 2 else '2'}",
                     "containers": [{"name": "nginx", "image": "nginx:1.14.2"}]}}


def grow(cluster: Any, n: int) -> None:
    """Create pods up to ``n`` (in batches on the engine loop, through a client)."""
    have = len(cluster.client.list("pods", NAMESPACE)["items"])
    client = cluster.local_client("bench")

    def batch(lo: int, hi: int) -> None:
        for i in range(lo, hi):
            client.create("pods", _pod(i), namespace=NAMESPACE)

    for lo in range(have, n, 1000):
        cluster.call(batch, lo, min(n, lo + 1000))


class Churn:
    """A rollout's worth of status updates, from a thread, through the client."""

    def __init__(self, cluster: Any, n: int) -> None:
        self.client, self.n = cluster.client, n
        self.updates = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Churn:
        self.started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)
        self.rate = self.updates / (time.perf_counter() - self.started)

    def _run(self) -> None:
        i = 0
        while not self._stop.is_set():
            name = f"web-{(i * 7919) % self.n:06d}"
            i += 1
            try:
                pod = self.client.get("pods", name, NAMESPACE)
                ready = bool(i % 3)
                pod["status"].update(phase="Running", podIP=f"10.244.{i % 250}.{i % 200}",
                                     containerStatuses=[{
                                         "name": "nginx", "ready": ready, "restartCount": i % 5,
                                         "image": "nginx:1.14.2", "imageID": "",
                                         "state": {"running": {}} if ready else {
                                             "waiting": {"reason": "ContainerCreating"}}}])
                self.client.update_status("pods", pod)
                self.updates += 1
            except Exception:
                continue


# -- latency ------------------------------------------------------------------------------------
class FrameClock:
    """Mixin: note when the first frame that satisfies ``expect`` was written."""

    expect: Callable[[], bool] | None = None
    hit: float = 0.0

    def post_display_hook(self) -> None:
        if self.expect is not None and self.expect():
            self.hit = time.perf_counter()
            self.expect = None


async def _latency(app: Any, key: str, expect: Callable[[], bool], limit: float = 30,
                   char: str | None = None) -> float:
    """Seconds from the key to the first frame showing its effect (``limit`` if none)."""
    app.hit = 0.0
    start = time.perf_counter()
    app.expect = expect
    char = char or (key if len(key) == 1 else None)
    app.post_message(events.Key(key, char))
    while not app.hit and time.perf_counter() - start < limit:
        await asyncio.sleep(0.001)
    app.expect = None
    return (app.hit or time.perf_counter()) - start


def _k9py_app(cluster: Any) -> Any:
    from k9py.app import K9pyApp
    from k9py.embedded import session_for

    class BenchK9(FrameClock, K9pyApp):
        pass

    config = Config(namespace=NAMESPACE, favorites=[NAMESPACE])
    app = BenchK9(session_for(cluster), config=config, command=f"pods {NAMESPACE}")
    app.driver_class = NullDriver
    return app


async def _wait(predicate: Callable[[], bool], limit: float) -> float:
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > limit:
            raise RuntimeError("the view never loaded")
        await asyncio.sleep(0.01)
    return time.perf_counter() - start


async def k9py_latency(cluster: Any, n: int, samples: int) -> dict[str, Any]:
    gc.collect()
    app = _k9py_app(cluster)
    out: dict[str, Any] = {}
    start = time.perf_counter()
    async with app.run_test(headless=False, size=(160, 45)):
        def loaded() -> bool:
            top = app.top
            return getattr(top, "model", None) is not None and top.model.synced and \
                len(top.model) == n and not top.model.backlog
        await _wait(loaded, 300)
        out["load"] = time.perf_counter() - start
        table = app.top.table
        table.focus()
        await asyncio.sleep(0.2)
        gc.collect()
        with Churn(cluster, n) as churn:
            lat = []
            for i in range(samples):
                key = CURSOR_KEYS[i % len(CURSOR_KEYS)]
                before = table.cursor
                lat.append(await _latency(app, key, lambda b=before: table.cursor != b))
            flt = await _filter_latency(app)
        out["lat"], out["filter"], out["churn"] = lat, flt, churn.rate
    return out


async def _filter_latency(app: Any) -> list[float]:
    """Typing ``/web-0001`` one key at a time: each key until its rows show."""
    app.post_message(events.Key("slash", "/"))
    await asyncio.sleep(0.2)
    out, typed = [], ""
    for ch in "web-0001":
        typed += ch
        key = "minus" if ch == "-" else ch
        out.append(await _latency(app, key, lambda t=typed: app.top.filter.text == t, char=ch))
    app.post_message(events.Key("escape", None))
    await asyncio.sleep(0.2)
    return out


# -- the baseline: a stock DataTable rebuilt per update -------------------------------------------
class StockTable(FrameClock, App):
    """The same watch and pod renderer; the table is cleared and refilled on each
    refresh tick that brought updates (once a second: k9s refreshes every 2 s;
    at k9py's 30 Hz the stock table never gets to draw a frame under churn)."""

    def __init__(self, cluster: Any) -> None:
        super().__init__()
        from k9py.model.watcher import ResourceWatcher
        from k9py.render import renderer_for
        from k9py.render.base import RenderContext, age, key_of

        self.watcher = ResourceWatcher(cluster.client, "pods", NAMESPACE)
        self.objects: dict[str, Any] = {}
        self.renderer, self.ctx = renderer_for("Pod"), RenderContext(now=time.time)
        self.key_of, self.age = key_of, age
        self.synced = False
        self.driver_class = NullDriver

    def compose(self):  # noqa: ANN201
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*[c.name for c in self.renderer.columns if not c.wide][1:])
        self.watcher.start()
        self.set_interval(1.0, self.pump)

    def pump(self) -> None:
        events_ = self.watcher.drain()
        if not events_:
            return
        for ev in events_:
            if ev.type == "SYNCED":
                self.synced = True
            elif ev.type == "DELETED":
                self.objects.pop(self.key_of(ev.object), None)
            else:
                self.objects[self.key_of(ev.object)] = ev.object
        self.rebuild()

    def rebuild(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        now = time.time()
        shown = [i for i, c in enumerate(self.renderer.columns) if not c.wide][1:]
        for key in sorted(self.objects):
            cells = self.renderer.cells(self.objects[key], self.ctx)
            table.add_row(*[self.age(cells[i], now) if isinstance(cells[i], float) else cells[i]
                            for i in shown], key=key)
        table.move_cursor(row=cursor)


async def stock_latency(cluster: Any, n: int, samples: int) -> dict[str, Any]:
    gc.collect()
    app = StockTable(cluster)
    out: dict[str, Any] = {}
    start = time.perf_counter()
    async with app.run_test(headless=False, size=(160, 45)):
        table = app.query_one(DataTable)
        await _wait(lambda: app.synced and table.row_count == n, 600)
        out["load"] = time.perf_counter() - start
        table.focus()
        await asyncio.sleep(0.2)
        gc.collect()
        with Churn(cluster, n) as churn:
            lat = []
            for i in range(samples):
                key = CURSOR_KEYS[i % len(CURSOR_KEYS)]
                before = table.cursor_row
                lat.append(await _latency(app, key, lambda b=before: table.cursor_row != b))
        out["lat"], out["churn"] = lat, churn.rate
        app.watcher.stop()
    return out


# -- the table of results --------------------------------------------------------------------------
def _p(values: list[float], pct: float) -> float:
    return percentile(values, pct) * 1000


async def _retained(make: Callable[[], Any], loaded: Callable[[Any], bool]) -> float:
    """MB of Python heap still held once the app shows everything (after a GC)."""
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    app = make()
    async with app.run_test(headless=False, size=(160, 45)):
        await _wait(lambda: loaded(app), 900)
        await asyncio.sleep(0.3)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - base
        watcher = getattr(app, "watcher", None)
        if watcher is not None:
            watcher.stop()
    tracemalloc.stop()
    return held / 2**20


def _k9py_loaded(n: int) -> Callable[[Any], bool]:
    def loaded(app: Any) -> bool:
        top = app.top
        return getattr(top, "model", None) is not None and top.model.synced and \
            len(top.model) == n and not top.model.backlog
    return loaded


def memory_rows(cluster: Any, n: int) -> list[dict[str, Any]]:
    ours = asyncio.run(_retained(lambda: _k9py_app(cluster), _k9py_loaded(n)))
    base = asyncio.run(_retained(lambda: StockTable(cluster), lambda a: a.synced and a.query_one(
        DataTable).row_count == n))
    return [row(f"tui memory: heap held showing {n:,} pods (vs stock DataTable)", ours, "MB",
                base)]


def latency_rows(cluster: Any, n: int, quick: bool) -> list[dict[str, Any]]:
    samples = 12 if quick else (30 if n <= 10_000 else 18)
    stock_samples = 4 if quick else (8 if n <= 10_000 else 3)
    ours = asyncio.run(k9py_latency(cluster, n, samples))
    base = asyncio.run(stock_latency(cluster, n, stock_samples))
    label = f"{n:,} pods"
    print(f"  {label}: churn {ours['churn']:.0f}/s (k9py run), {base['churn']:.0f}/s (stock)",
          file=sys.stderr)
    return [
        row(f"tui key-to-frame p50, {label}, churning (vs stock DataTable)",
            _p(ours["lat"], 50), "ms", _p(base["lat"], 50)),
        row(f"tui key-to-frame p95, {label}, churning (vs stock DataTable)",
            _p(ours["lat"], 95), "ms", _p(base["lat"], 95)),
        row(f"tui filter keystroke-to-frame p95, {label}, churning", _p(ours["filter"], 95),
            "ms"),
        row(f"tui load: view shows all {label} (vs stock DataTable)", ours["load"], "s",
            base["load"]),
    ]


def run(quick: bool = False) -> list[dict[str, Any]]:
    rows = first_frame_rows(quick)
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    cluster = boot_cluster()
    try:
        for n in sizes:
            grow(cluster, n)
            rows += latency_rows(cluster, n, quick)
            rows += memory_rows(cluster, n)
    finally:
        cluster.stop()
    return rows


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run(quick="--quick" in sys.argv))
