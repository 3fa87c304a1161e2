"""metrics.k8s.io list cost: PodMetrics for every pod, beside a plain pod list.

A cluster of kubelets only (no scheduler or controllers) runs P pods bound
round-robin to N nodes on the virtual clock; then, on the engine's loop (where
the API server runs), each list is timed: the plain pod list is the baseline
the PodMetrics list builds on (metrics-server lists its pods too, then reads
each one's usage), the node list the NodeMetrics list's. The TUI's poll (node
metrics, nodes, all pod metrics through the ThreadClient, in wall time) is
timed against a plain pod list through the same client.
Readings are kept for their 15 s scrape window (as metrics-server serves its
last scrape), so the first list in a window is timed apart.

    .venv/bin/python -m benchmarks metrics_bench [--quick]
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.common import repeat, row
from engine.bootstrap.nodes import NodeSpec
from engine.cluster import Cluster, ClusterConfig
from engine.kubelet.manager import run_kubelets


def _pod(i: int, nodes: int) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"web-{i}", "namespace": f"ns-{i % 10}",
                         "labels": {"app": "web", "shard": str(i % 10)}},
            # no token volume: without controllers no namespace gets kube-root-ca.crt
            "spec": {"nodeName": f"node-{i % nodes}", "automountServiceAccountToken": False,
                     "containers": [{"name": "nginx", "image": "nginx:1.14.2",
                                     "resources": {"requests": {"cpu": "10m",
                                                                "memory": "32Mi"}}}]}}


def _running(cluster: Cluster, want: int) -> None:
    """Advance the virtual clock until ``want`` pods have readings."""
    for _ in range(120):
        cluster.advance(5)
        got = cluster.call(lambda: len(cluster.api.list("pods.metrics.k8s.io")["items"]))
        if got >= want:
            return
    raise RuntimeError(f"only {got} of {want} pods running")


def _timed(cluster: Cluster, fn: Any) -> float:
    """CPU milliseconds of ``fn()`` on the engine loop's thread (``thread_time``: the
    two shared cores are busy with other work, so wall time would measure them)."""
    def measure() -> float:
        start = time.thread_time()
        fn()
        return (time.thread_time() - start) * 1000
    return cluster.call(measure)


def run(quick: bool = False) -> list[dict[str, Any]]:
    pods, nodes, times = (2_000, 20, 3) if quick else (10_000, 100, 5)
    specs = [NodeSpec(f"node-{i}", i) for i in range(nodes)]
    with Cluster(ClusterConfig(virtual=True, nodes=specs, components=[run_kubelets],
                               fsync=False)) as cluster:
        cluster.advance(1)
        cluster.call(lambda: [cluster.api.create("namespaces", {"metadata": {"name": f"ns-{i}"}})
                              for i in range(10)])
        cluster.call(lambda: [cluster.api.create("pods", _pod(i, nodes)) for i in range(pods)])
        _running(cluster, pods)
        api = cluster.api
        plain = repeat(lambda: _timed(cluster, lambda: api.list("pods")), times)
        mx = repeat(lambda: _timed(cluster, lambda: api.list("pods.metrics.k8s.io")), times)
        cold = repeat(lambda: _cold(cluster, "pods.metrics.k8s.io"), max(2, times // 2))
        cold_nodes = repeat(lambda: _cold(cluster, "nodes.metrics.k8s.io"), max(2, times // 2))
        one_ns = repeat(lambda: _timed(cluster, lambda: api.list("pods", "ns-3")), times)
        mx_ns = repeat(lambda: _timed(
            cluster, lambda: api.list("pods.metrics.k8s.io", "ns-3")), times)
        node_list = repeat(lambda: _timed(cluster, lambda: api.list("nodes")), times)
        node_mx = repeat(lambda: _timed(
            cluster, lambda: api.list("nodes.metrics.k8s.io")), times)
        poll = repeat(lambda: _poll(cluster), times)
        client_list = repeat(lambda: _wall(lambda: cluster.client.list("pods")), times)
    return [
        row(f"metrics: PodMetrics list, {pods} pods (base: pod list)", mx, "ms CPU", plain),
        row(f"metrics: PodMetrics list, {pods} pods, new scrape (base: pods)", cold, "ms CPU",
            plain),
        row(f"metrics: PodMetrics list, 1 ns of {pods // 10} (base: pod list)", mx_ns, "ms CPU",
            one_ns),
        row(f"metrics: NodeMetrics list, {nodes} nodes (base: node list)", node_mx, "ms CPU",
            node_list),
        row(f"metrics: NodeMetrics list, {nodes} nodes, new scrape (base: pods)", cold_nodes,
            "ms CPU", plain),
        row(f"metrics: TUI poll, all {pods} pods (wall; base: pod list)", poll, "ms",
            client_list),
    ]


def _cold(cluster: Cluster, resource: str) -> float:
    """The first list in a scrape window: every reading computed afresh."""
    from engine.kubelet.usage import SCRAPE_INTERVAL

    cluster.advance(SCRAPE_INTERVAL)
    return _timed(cluster, lambda: cluster.api.list(resource))


def _wall(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _poll(cluster: Cluster) -> float:
    """One MetricsPoller poll of every pod, wall time through the ThreadClient."""
    from k9py.model.metrics import MetricsPoller

    poller = MetricsPoller(cluster.client, 1.0, lambda *_: None)
    poller.set_pod_scope(None)
    start = time.perf_counter()
    poller.poll_once()
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run(quick=True))
