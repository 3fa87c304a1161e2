"""The apply engine (issue 6): parsing manifests and client-side apply throughput.

Baselines (same run): PyYAML's C loader on the same text (parsing), and plain
creates of the same objects through the same client (apply = GET + dry run +
create/patch, so about 3-4 requests per object).

Save-to-flash latency: a watched manifest (one ConfigMap) is rewritten and the
clock stops at the first frame k9py writes that shows ``apply: 1 configured``
in its flash line (headless, every frame rendered as for a terminal). The
baseline is the same save seen by a bare ``ApplySession`` watch callback: the
watcher's debounce (150 ms without another change) plus the re-apply, the
floor the TUI adds its hand-over and frame to. Median of 10 saves each.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import yaml

from benchmarks.common import repeat, row
from engine.api.server import APIServer
from engine.apply.loader import parse
from engine.apply.options import ApplyOptions
from engine.apply.transaction import Applier
from engine.client import LocalClient
from engine.clock import VirtualClock
from engine.store import Store

DOC = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  labels: {{app: web-{i}, tier: front}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web-{i}}}
  template:
    metadata:
      labels: {{app: web-{i}}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
        resources:
          requests: {{cpu: 100m, memory: 64Mi}}
"""


def _text(n: int) -> bytes:
    return "---\n".join(DOC.format(i=i) for i in range(n)).encode()


def _client() -> LocalClient:
    clock = VirtualClock()
    clock.new_event_loop()
    api = APIServer(Store(), clock)
    api.create("namespaces", {"metadata": {"name": "default"}})
    return LocalClient(api)


def _parse_rate(data: bytes, n: int) -> float:
    start = time.perf_counter()
    parse("bench.yaml", data)
    return n / (time.perf_counter() - start)


def _pyyaml_rate(data: bytes, n: int) -> float:
    start = time.perf_counter()
    list(yaml.load_all(data, Loader=yaml.CSafeLoader))
    return n / (time.perf_counter() - start)


def _apply_rate(data: bytes, n: int, times: int = 1) -> float:
    client = _client()
    applier = Applier(client, ApplyOptions(), time.time)
    docs = parse("bench.yaml", data)
    applier.apply_file("bench.yaml", docs)
    start = time.perf_counter()
    for _ in range(times):
        out = applier.apply_file("bench.yaml", docs)
    assert not out.failed
    return n * times / (time.perf_counter() - start)


def _create_rate(data: bytes, n: int) -> float:
    client = _client()
    objs = [d.obj for d in parse("bench.yaml", data)]
    start = time.perf_counter()
    for obj in objs:
        client.create("deployments", obj, namespace="default")
    return n / (time.perf_counter() - start)


def _first_apply_rate(data: bytes, n: int) -> float:
    client = _client()
    applier = Applier(client, ApplyOptions(), time.time)
    docs = parse("bench.yaml", data)
    start = time.perf_counter()
    applier.apply_file("bench.yaml", docs)
    return n / (time.perf_counter() - start)


CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  n: \"{i}\"\n"
SAVES = 10


def _saves(path: Any, wait: Callable[[int], float]) -> list[float]:
    """Seconds from each save of ``path`` until ``wait(i)`` says its result arrived."""
    out = []
    for i in range(1, SAVES + 1):
        time.sleep(0.4)  # the previous save's debounce window is over
        start = time.perf_counter()
        path.write_text(CONFIGMAP.format(i=i))
        out.append(wait(i) - start)
    return out


def _session_latency(cluster: Any, path: Any) -> list[float]:
    """The floor: an ApplySession's watch callback, no UI."""
    from engine.apply import ApplySession

    arrived: list[float] = []
    event = threading.Event()

    def callback(rows: list) -> None:
        arrived.append(time.perf_counter())
        event.set()

    session = ApplySession(cluster.client, [str(path)])
    session.apply_all()
    session.watch(callback)
    time.sleep(0.5)

    def wait(_i: int) -> float:
        if not event.wait(10):
            raise RuntimeError("no re-apply within 10 s")
        event.clear()
        return arrived[-1]

    try:
        return _saves(path, wait)
    finally:
        session.stop()


async def _tui_latency(cluster: Any, path: Any) -> list[float]:
    """Save to the first frame drawn with the flash line saying so."""
    from benchmarks.tui_bench import FrameClock, NullDriver
    from k9py.app import K9pyApp
    from k9py.config import Config
    from k9py.embedded import session_for

    class BenchK9(FrameClock, K9pyApp):
        pass

    app = BenchK9(session_for(cluster), config=Config(), command="applylog")
    app.driver_class = NullDriver
    flash = "apply: 1 configured"

    async def until(predicate: Callable[[], Any], limit: float = 10) -> None:
        deadline = time.perf_counter() + limit
        while not predicate():
            if time.perf_counter() > deadline:
                raise RuntimeError("the TUI never showed the apply")
            await asyncio.sleep(0.002)

    async with app.run_test(headless=False, size=(160, 45)):
        await until(lambda: app.top is not None)
        app.apply_command(str(path))
        await until(lambda: app.query_one("#flash").message == "apply: 1 created")
        await asyncio.sleep(0.5)
        out = []
        for i in range(1, SAVES + 1):
            await asyncio.sleep(0.4)
            app.query_one("#flash").clear()
            app.hit = 0.0
            app.expect = lambda: app.query_one("#flash").message == flash
            start = time.perf_counter()
            path.write_text(CONFIGMAP.format(i=i))
            await until(lambda: app.hit)
            out.append(app.hit - start)
    return out


def _save_to_flash() -> tuple[float, float]:
    """Median seconds save-to-frame (TUI) and save-to-callback (the session alone)."""
    import statistics
    import tempfile
    from pathlib import Path

    from engine.cluster import Cluster, ClusterConfig

    with tempfile.TemporaryDirectory() as tmp, \
            Cluster(ClusterConfig(components=[], fsync=False)) as cluster:
        base = Path(tmp) / "session.yaml"
        base.write_text(CONFIGMAP.format(i=0))
        floor = statistics.median(_session_latency(cluster, base))
        path = Path(tmp) / "tui.yaml"
        path.write_text(CONFIGMAP.format(i=0).replace("settings", "tui"))
        tui = statistics.median(asyncio.run(_tui_latency(cluster, path)))
    return tui, floor


def run(quick: bool = False) -> list[dict]:
    n = 100 if quick else 400
    times = 3 if quick else 5
    data = _text(n)
    return [
        row("apply: parse documents (go-yaml rules, limits)",
            repeat(lambda: _parse_rate(data, n), times), "docs/s",
            repeat(lambda: _pyyaml_rate(data, n), times)),
        row("apply: first apply, client-side (vs plain creates)",
            repeat(lambda: _first_apply_rate(data, n), times), "objects/s",
            repeat(lambda: _create_rate(data, n), times)),
        row("apply: re-apply unchanged (GET + three-way diff)",
            repeat(lambda: _apply_rate(data, n), times), "objects/s"),
        _latency_row(),
    ]


def _latency_row() -> dict:
    tui, floor = _save_to_flash()
    return row("apply: file save to TUI flash drawn (vs session callback)", tui * 1000, "ms",
               floor * 1000, higher_is_better=False)
