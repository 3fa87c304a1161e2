"""API server write throughput and latency for pods (issue: engine foundation).

Goal: at least 20,000 in-memory API writes/s and p99 write latency under 5 ms.
Baseline (same run): the store alone putting the same encoded pods, i.e. the
cost of the API semantics on top of storage."""

from __future__ import annotations

import time

from benchmarks.common import percentile, repeat, row
from engine.api import meta
from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.store import Store


def _pod(i: int) -> dict:
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": f"pod-{i}", "labels": {"app": "bench", "i": str(i % 10)}},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.14.2",
                                 "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]},
    }


def _server() -> APIServer:
    clock = VirtualClock()
    clock.new_event_loop()
    api = APIServer(Store(), clock)
    api.create("namespaces", {"metadata": {"name": "default"}})
    return api


def _creates(n: int, latencies: list[float] | None = None) -> float:
    api = _server()
    pods = [_pod(i) for i in range(n)]
    start = time.perf_counter()
    for p in pods:
        t0 = time.perf_counter()
        api.create("pods", p, namespace="default")
        if latencies is not None:
            latencies.append(time.perf_counter() - t0)
    return n / (time.perf_counter() - start)


def _updates(n: int, latencies: list[float] | None = None) -> float:
    api = _server()
    current = api.create("pods", _pod(0), namespace="default")
    start = time.perf_counter()
    for i in range(n):
        current["metadata"]["labels"]["i"] = str(i)
        t0 = time.perf_counter()
        current = api.update("pods", current)
        if latencies is not None:
            latencies.append(time.perf_counter() - t0)
    return n / (time.perf_counter() - start)


def _store_puts(n: int) -> float:
    store = Store()
    encoded = [meta.encode(_pod(i)) for i in range(n)]
    start = time.perf_counter()
    for i, value in enumerate(encoded):
        store.create(f"/registry/pods/default/pod-{i}", value)
    return n / (time.perf_counter() - start)


def run(quick: bool = False) -> list[dict]:
    n, times = (5_000, 3) if quick else (20_000, 5)
    baseline = repeat(lambda: _store_puts(n), times)
    creates = repeat(lambda: _creates(n), times)
    updates = repeat(lambda: _updates(n), times)
    lat_c: list[float] = []
    lat_u: list[float] = []
    _creates(n, lat_c)
    _updates(n, lat_u)
    return [
        row("store: create of encoded pods (baseline)", baseline, "ops/s"),
        row("api: pod create", creates, "ops/s", baseline),
        row("api: pod update (label change)", updates, "ops/s", baseline),
        row("api: pod create p50 latency", percentile(lat_c, 50) * 1e3, "ms"),
        row("api: pod create p99 latency", percentile(lat_c, 99) * 1e3, "ms"),
        row("api: pod update p99 latency", percentile(lat_u, 99) * 1e3, "ms"),
    ]
