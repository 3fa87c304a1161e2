"""The REST API under load (issue 7): kubectl over many pods, concurrent
writers, many watches.

* ``kubectl get pods -A`` with 10,000 pods (2,000 in quick mode): wall time of
  the real kubectl (20 pages of Tables); baseline: the in-process
  ``api.list`` of the same pods.
* 100 concurrent HTTPS clients (aiohttp, in a separate process so they do not
  share the server's interpreter) each looping create/update/delete of a
  ConfigMap for 30 s (10 s quick): throughput and p50/p99 latency; baseline:
  the same three calls in-process. Goal: p99 under 50 ms. The same with 10
  clients shows the latency without queueing.
* 1,000 concurrent HTTP watches receiving a burst of 100 changes: time until
  every watcher has every event; baseline: the same burst to 1,000
  in-process engine watches.

Everything listens on and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import percentile, row
from engine.cluster import Cluster, ClusterConfig
from engine.serve import Serving, start


def _pod(i: int) -> dict:
    """A pod no scheduler takes (so 10,000 of them do not keep the scheduler
    and kubelets busy while the listing is timed)."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"bench-{i}", "labels": {"app": "bench"}},
            "spec": {"schedulerName": "bench-unscheduled",
                     "containers": [{"name": "app", "image": "nginx:1.14.2"}]}}


def _serve(tmp: Path) -> Serving:
    cluster = Cluster(ClusterConfig(fsync=False)).start()
    return start(cluster, kubeconfig_path=str(tmp / "kubeconfig"))


# -- kubectl get pods -A ---------------------------------------------------------
def _create_pods(serving: Serving, count: int) -> None:
    api = serving.cluster.api

    def create_all() -> None:
        api.create("namespaces", {"metadata": {"name": "bench"}})
        for i in range(count):
            api.create("pods", _pod(i), namespace="bench")

    serving.cluster.call(create_all)


def bench_kubectl_get(serving: Serving, tmp: Path, pods: int, runs: int) -> list[dict]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return []
    _create_pods(serving, pods)
    cmd = [kubectl, "--kubeconfig", str(tmp / "kubeconfig"), "--cache-dir", str(tmp / "cache"),
           "get", "pods", "-A"]
    subprocess.run(cmd, capture_output=True, check=True)  # warm the discovery cache
    walls = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, check=True, text=True).stdout
        walls.append(time.perf_counter() - t0)
        assert out.count("\n") >= pods
    api = serving.cluster.api
    lists = []
    for _ in range(runs):
        t0 = time.perf_counter()
        serving.cluster.call(lambda: api.list("pods"))
        lists.append(time.perf_counter() - t0)
    return [row(f"kubectl get pods -A, {pods} pods (wall)", statistics.median(walls), "s",
                statistics.median(lists))]


# -- concurrent writers ------------------------------------------------------------------
async def _writer(session: Any, url: str, headers: dict, ident: int, stop_at: float,
                  latencies: list[float]) -> int:
    base = f"{url}/api/v1/namespaces/load/configmaps"
    ops, n = 0, 0
    while time.monotonic() < stop_at:
        name = f"w{ident}-{n}"
        n += 1
        t0 = time.perf_counter()
        async with session.post(base, json={"metadata": {"name": name}}, headers=headers) as r:
            created = await r.json()
        latencies.append(time.perf_counter() - t0)
        created["data"] = {"k": str(n)}
        t0 = time.perf_counter()
        async with session.put(f"{base}/{name}", json=created, headers=headers) as r:
            await r.read()
        latencies.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        async with session.delete(f"{base}/{name}", headers=headers) as r:
            await r.read()
        latencies.append(time.perf_counter() - t0)
        ops += 3
    return ops


async def _load(url: str, token: str, ca: bytes, clients: int, seconds: float) -> tuple:
    import ssl

    import aiohttp

    context = ssl.create_default_context(cadata=ca.decode())
    connector = aiohttp.TCPConnector(ssl=context, limit=clients)
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    async with aiohttp.ClientSession(connector=connector) as session:
        stop_at = time.monotonic() + seconds
        t0 = time.perf_counter()
        ops = await asyncio.gather(*(_writer(session, url, headers, i, stop_at, latencies)
                                     for i in range(clients)))
        elapsed = time.perf_counter() - t0
    return sum(ops), elapsed, latencies


def _load_process(args: tuple, out: Any) -> None:
    out.send(asyncio.run(_load(*args)))


def bench_writers(serving: Serving, clients: int, seconds: float) -> list[dict]:
    parent, child = multiprocessing.get_context("spawn").Pipe()
    args = (serving.url, serving.server.tokens.admin, serving.server.cert.cert_pem, clients,
            seconds)
    proc = multiprocessing.get_context("spawn").Process(target=_load_process, args=(args, child))
    proc.start()
    ops, elapsed, latencies = parent.recv()
    proc.join(30)
    base = _inprocess_write_latency(serving)
    return [
        row(f"REST create/update/delete, {clients} clients", ops / elapsed, "ops/s"),
        row(f"REST write latency p50, {clients} clients", percentile(latencies, 50) * 1e3,
            "ms", base * 1e3),
        row(f"REST write latency p99, {clients} clients (goal < 50)",
            percentile(latencies, 99) * 1e3, "ms", base * 1e3),
    ]


def _inprocess_write_latency(serving: Serving, rounds: int = 2000) -> float:
    """Median in-process create/update/delete call, the REST layer's floor."""
    api = serving.cluster.api

    def run() -> list[float]:
        out = []
        for i in range(rounds):
            t0 = time.perf_counter()
            obj = api.create("configmaps", {"metadata": {"name": f"base-{i}"}}, namespace="load")
            out.append(time.perf_counter() - t0)
            obj["data"] = {"k": "v"}
            t0 = time.perf_counter()
            api.update("configmaps", obj)
            out.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            api.delete("configmaps", f"base-{i}", namespace="load")
            out.append(time.perf_counter() - t0)
        return out

    return statistics.median(serving.cluster.call(run))


# -- many watches ------------------------------------------------------------------------
async def _watchers(url: str, token: str, ca: bytes, count: int, burst: int,
                    ready: Any, go: Any) -> float:
    import ssl

    import aiohttp

    context = ssl.create_default_context(cadata=ca.decode())
    connector = aiohttp.TCPConnector(ssl=context, limit=0)
    path = f"{url}/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion="
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(connector=connector) as session:
        async def one(rv: str) -> float:
            async with session.get(path + rv, headers=headers,
                                   timeout=aiohttp.ClientTimeout(total=120)) as resp:
                ready.release()
                seen = 0
                async for _line in resp.content:
                    seen += 1
                    if seen == burst:
                        return time.time()
            return time.time()

        rv = await go()
        done = await asyncio.gather(*(one(rv) for _ in range(count)))
    return max(done)


def bench_watches(serving: Serving, count: int, burst: int) -> list[dict]:
    """Open ``count`` HTTP watches from a client process, then change ``burst``
    objects; the figure is the time until the last watcher saw the last event."""
    client = serving.cluster.client
    client.create("namespaces", {"metadata": {"name": "watched"}})
    seed = client.create("configmaps", {"metadata": {"name": "seed"}}, namespace="watched")
    rv = seed["metadata"]["resourceVersion"]
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_watch_process, args=(
        (serving.url, serving.server.tokens.admin, serving.server.cert.cert_pem, count, burst,
         rv), child))
    proc.start()
    assert parent.recv() == "ready"
    cache = serving.cluster.api.cache
    while serving.cluster.call(lambda: cache.watch_count) < count:
        time.sleep(0.05)
    started = time.time()
    serving.cluster.call(lambda: [client._local.create(
        "configmaps", {"metadata": {"name": f"b{i}"}}, namespace="watched")
        for i in range(burst)])
    finished = parent.recv()
    proc.join(30)
    return [row(f"{count} HTTP watches, burst of {burst} (delivery)", finished - started, "s",
                _inprocess_delivery(serving, count, burst))]


def _watch_process(args: tuple, out: Any) -> None:
    url, token, ca, count, burst, rv = args

    async def main() -> float:
        ready = asyncio.Semaphore(0)

        async def go() -> str:
            return rv

        task = asyncio.ensure_future(_watchers(url, token, ca, count, burst, ready, go))
        for _ in range(count):
            await ready.acquire()
        out.send("ready")
        return await task

    out.send(asyncio.run(main()))


def _inprocess_delivery(serving: Serving, count: int, burst: int) -> float:
    """The same burst to ``count`` engine watches consumed on the loop."""
    api = serving.cluster.api

    async def run() -> float:
        watches = [api.watch("configmaps", "watched", resource_version=str(api.store.revision))
                   for _ in range(count)]

        async def drain(w: Any) -> None:
            seen = 0
            while seen < burst:
                await w.next()
                seen += 1 + len(w.drain())

        t0 = time.perf_counter()
        for i in range(burst):
            api.create("configmaps", {"metadata": {"name": f"in-{i}"}}, namespace="watched")
        await asyncio.gather(*(drain(w) for w in watches))
        elapsed = time.perf_counter() - t0
        for w in watches:
            w.stop()
        return elapsed

    return asyncio.run_coroutine_threadsafe(run(), serving.cluster.loop).result(120)


def run(quick: bool = False) -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        serving = _serve(Path(tmp))
        try:
            serving.cluster.client.create("namespaces", {"metadata": {"name": "load"}})
            rows += bench_writers(serving, 10, 5.0 if quick else 10.0)
            rows += bench_writers(serving, 100, 10.0 if quick else 30.0)
            rows += bench_watches(serving, 1000, 100)
            rows += bench_kubectl_get(serving, Path(tmp), 2000 if quick else 10_000,
                                      1 if quick else 3)
        finally:
            serving.stop()
    return rows
