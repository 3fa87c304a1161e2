"""API server write throughput and latency for pods (issue: engine foundation).

Goal: at least 20,000 in-memory API writes/s and p99 write latency under 5 ms.
Baselines (same run): the store alone putting the same encoded pods, i.e. the
cost of the API semantics on top of storage; for status updates, the store
compare-and-swapping the same encoded pod; for watch fan-out, pod creates with
no watch open.

* status update: a kubelet-style write of ``pods/status`` (as the kubelet
  writes it: with a field manager), a Ready condition flipping each time;
* watch fan-out: pod creates while 1,000 watches without selectors are open
  (drained between timed batches, as their readers would), and the time per
  delivered event;
* memory: the bytes the server keeps per created pod (tracemalloc), against
  the pod's encoded size (orjson's output buffer, kept as it comes, is ten
  times that).

CPU time per write (this process's, the median of runs) is the figure to
compare on a busy machine: throughput counts wall time. Latency percentiles
come twice: wall clock (what a caller waits, including time the OS gives
other processes on a busy machine: a 4 ms time slice shows up as a 4 ms write) and this process's CPU time per write (the API server's
own tail: its work and garbage collections). The benchmark runs under the
engine's garbage-collector policy (``engine.runtime.gcpolicy``, which
``Cluster.start`` applies), restored afterwards."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable

from benchmarks.common import percentile, repeat, row
from engine.api import meta
from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.runtime.gcpolicy import tune_for_engine
from engine.store import Store

Timer = Callable[[], float]


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


def _creates(n: int, latencies: list[float] | None = None,
             clock: Timer = time.perf_counter) -> float:
    api = _server()
    pods = [_pod(i) for i in range(n)]
    start = time.perf_counter()
    for p in pods:
        t0 = clock()
        api.create("pods", p, namespace="default")
        if latencies is not None:
            latencies.append(clock() - t0)
    return n / (time.perf_counter() - start)


def _updates(n: int, latencies: list[float] | None = None,
             clock: Timer = time.perf_counter) -> float:
    api = _server()
    current = api.create("pods", _pod(0), namespace="default")
    start = time.perf_counter()
    for i in range(n):
        current["metadata"]["labels"]["i"] = str(i)
        t0 = clock()
        current = api.update("pods", current)
        if latencies is not None:
            latencies.append(clock() - t0)
    return n / (time.perf_counter() - start)


def _status(i: int) -> dict:
    ready = "True" if i % 2 else "False"
    return {"phase": "Running", "hostIP": "10.0.0.1", "podIP": "10.244.0.5",
            "podIPs": [{"ip": "10.244.0.5"}], "startTime": "2025-01-01T00:00:01Z",
            "qosClass": "Burstable",
            "conditions": [
                {"type": "Ready", "status": ready, "lastProbeTime": None,
                 "lastTransitionTime": f"2025-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z"},
                {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                 "lastTransitionTime": "2025-01-01T00:00:00Z"}],
            "containerStatuses": [{"name": "app", "ready": ready == "True", "restartCount": 0,
                                   "image": "nginx:1.14.2", "imageID": "", "started": True,
                                   "state": {"running": {"startedAt": "2025-01-01T00:00:05Z"}}}]}


def _status_updates(n: int, latencies: list[float] | None = None,
                    clock: Timer = time.perf_counter) -> float:
    api = _server()
    current = api.create("pods", _pod(0), namespace="default", field_manager="kubectl")
    start = time.perf_counter()
    for i in range(n):
        current["status"] = _status(i)
        t0 = clock()
        current = api.update("pods", current, subresource="status", field_manager="kubelet")
        if latencies is not None:
            latencies.append(clock() - t0)
    return n / (time.perf_counter() - start)


def _store_cas_updates(n: int) -> float:
    api = _server()
    pod = api.create("pods", _pod(0), namespace="default", field_manager="kubectl")
    key = api.info("pods").key("default", "pod-0")
    encoded = []
    for i in range(2):
        pod["status"] = _status(i)
        encoded.append(meta.encode(pod))
    store = api.store
    revision = store.get(key).mod_revision
    start = time.perf_counter()
    for i in range(n):
        revision = store.update(key, encoded[i % 2], revision).mod_revision
    return n / (time.perf_counter() - start)


FANOUT_WATCHERS = 1000


def _fanout_creates(n: int, watchers: int) -> float:
    """Pod creates/s with ``watchers`` watches open on the namespace's pods."""
    api = _server()
    watches = [api.watch("pods", "default") for _ in range(watchers)]
    pods = [_pod(i) for i in range(n)]
    elapsed = 0.0
    for first in range(0, n, 100):
        start = time.perf_counter()
        for p in pods[first:first + 100]:
            api.create("pods", p, namespace="default")
        elapsed += time.perf_counter() - start
        for w in watches:
            w.drain()
    for w in watches:
        w.stop()
    return n / elapsed


def _retained_per_pod(n: int) -> tuple[float, float]:
    """Bytes the API server keeps per created pod (tracemalloc: the store's
    value, key, revision records and watch cache entries), and the pod's
    encoded size, the least any store of it can keep."""
    api = _server()
    pods = [_pod(i) for i in range(n)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for p in pods:
            api.create("pods", p, namespace="default")
        kept = (tracemalloc.get_traced_memory()[0] - before) / n
    finally:
        tracemalloc.stop()
    size = len(api.store.get(api.info("pods").key("default", "pod-0")).value)
    return kept, float(size)


def _store_puts(n: int) -> float:
    store = Store()
    encoded = [meta.encode(_pod(i)) for i in range(n)]
    start = time.perf_counter()
    for i, value in enumerate(encoded):
        store.create(f"/registry/pods/default/pod-{i}", value)
    return n / (time.perf_counter() - start)


def run(quick: bool = False) -> list[dict]:
    before = tune_for_engine()
    try:
        return _run(quick)
    finally:
        gc.set_threshold(*before)


def _cpu_mean(fn: Callable[..., float], n: int) -> float:
    """``fn``'s CPU time per write in µs (this process's: unlike throughput,
    not inflated by other processes' time slices on a busy machine)."""
    samples: list[float] = []
    fn(n, samples, time.process_time)
    return sum(samples) / len(samples) * 1e6


def _cpu_p99(fn: Callable[..., float], n: int) -> float:
    """p99 of ``fn``'s writes in this process's CPU time, in ms."""
    samples: list[float] = []
    fn(n, samples, time.process_time)
    return percentile(samples, 99) * 1e3


def _run(quick: bool) -> list[dict]:
    n, times = (5_000, 3) if quick else (20_000, 5)
    n_fan = 500 if quick else 2_000
    baseline = repeat(lambda: _store_puts(n), times)
    creates = repeat(lambda: _creates(n), times)
    updates = repeat(lambda: _updates(n), times)
    cas = repeat(lambda: _store_cas_updates(n), times)
    statuses = repeat(lambda: _status_updates(n), times)
    plain = repeat(lambda: _fanout_creates(n_fan, 0), times)
    fanout = repeat(lambda: _fanout_creates(n_fan, FANOUT_WATCHERS), times)
    cpu_c = repeat(lambda: _cpu_mean(_creates, n), times)
    cpu_u = repeat(lambda: _cpu_mean(_updates, n), times)
    cpu_s = repeat(lambda: _cpu_mean(_status_updates, n), times)
    lat_c: list[float] = []
    lat_u: list[float] = []
    lat_s: list[float] = []
    _creates(n, lat_c)
    _updates(n, lat_u)
    _status_updates(n, lat_s)
    per_event = (1 / fanout - 1 / plain) / FANOUT_WATCHERS * 1e6
    kept, encoded = _retained_per_pod(2_000)
    return [
        row("store: create of encoded pods (baseline)", baseline, "ops/s"),
        row("api: pod create", creates, "ops/s", baseline),
        row("api: pod update (label change)", updates, "ops/s", baseline),
        row("api: pod create CPU time per write", cpu_c, "us"),
        row("api: pod update CPU time per write", cpu_u, "us"),
        row("api: pod status update CPU time per write", cpu_s, "us"),
        row("api: pod create p50 latency", percentile(lat_c, 50) * 1e3, "ms"),
        row("api: pod create p99 latency", percentile(lat_c, 99) * 1e3, "ms"),
        row("api: pod update p99 latency", percentile(lat_u, 99) * 1e3, "ms"),
        row("api: pod create p99 CPU time", _cpu_p99(_creates, n), "ms"),
        row("api: pod update p99 CPU time", _cpu_p99(_updates, n), "ms"),
        row("store: CAS update of an encoded pod (baseline)", cas, "ops/s"),
        row("api: pod status update (subresource, field manager)", statuses, "ops/s", cas),
        row("api: pod status update p99 latency", percentile(lat_s, 99) * 1e3, "ms"),
        row("api: pod status update p99 CPU time", _cpu_p99(_status_updates, n), "ms"),
        row("api: pod create, no watchers (baseline)", plain, "ops/s"),
        row(f"api: pod create, {FANOUT_WATCHERS:,} watchers", fanout, "ops/s", plain),
        row("api: watch fan-out per delivered event", per_event, "us"),
        row("api: memory kept per created pod (baseline: its encoded size)", kept, "bytes",
            encoded),
    ]
