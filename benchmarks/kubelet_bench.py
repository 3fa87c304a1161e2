"""Kubelet throughput: pods bound to nodes until all Running, on the virtual clock.

Creates N nodes (kubelets only, no scheduler or controllers), then P pods
already bound round-robin (``spec.nodeName``), and measures the wall time
until every pod reports Running and Ready, plus status writes and events.

    .venv/bin/python benchmarks/kubelet_bench.py [--nodes 1000] [--pods 10000]
"""

from __future__ import annotations

import argparse
import cProfile
import resource
import time

from engine.bootstrap.nodes import NodeSpec
from engine.cluster import Cluster, ClusterConfig
from engine.kubelet.manager import run_kubelets


def pod(i: int, nodes: int) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"web-{i}", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"nodeName": f"node-{i % nodes}",
                     "containers": [{"name": "nginx", "image": "nginx:1.14.2",
                                     "resources": {"requests": {"cpu": "10m"}}}]}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--pods", type=int, default=10000)
    parser.add_argument("--profile", help="write a cProfile of the engine thread here")
    args = parser.parse_args()
    specs = [NodeSpec(f"node-{i}", i) for i in range(args.nodes)]
    t0 = time.perf_counter()
    with Cluster(ClusterConfig(virtual=True, nodes=specs, components=[run_kubelets],
                               fsync=False)) as cluster:
        profiler = cProfile.Profile() if args.profile else None
        if profiler is not None:
            cluster.call(profiler.enable)
        cluster.advance(1)
        t1 = time.perf_counter()
        print(f"{args.nodes} nodes registered in {t1 - t0:.2f}s wall")

        manager = cluster.kubelets

        def create() -> int:
            for i in range(args.pods):
                cluster.client._local.create("pods", pod(i, args.nodes))
            return manager.statuses.writes

        writes0 = cluster.call(create)
        t2 = time.perf_counter()
        cpu2 = _cpu()
        print(f"{args.pods} pods created in {t2 - t1:.2f}s wall")
        virtual = 0.0
        while True:
            cluster.advance(1)
            virtual += 1
            running = cluster.call(lambda: _running(manager))
            if running >= args.pods or virtual > 600:
                break
        t3 = time.perf_counter()
        print(f"{running} pods Running+Ready after {virtual:.0f}s virtual, "
              f"{t3 - t2:.2f}s wall, {_cpu() - cpu2:.2f}s CPU; "
              f"{manager.statuses.writes - writes0} status writes")
        if profiler is not None:
            cluster.call(profiler.disable)
            profiler.dump_stats(args.profile)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {rss:.0f} MiB")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _running(manager) -> int:  # noqa: ANN001
    count = 0
    for pod in manager.pod_informer.indexer.list():
        status = pod.get("status") or {}
        if status.get("phase") == "Running" and any(
                c.get("type") == "Ready" and c.get("status") == "True"
                for c in status.get("conditions") or ()):
            count += 1
    return count


if __name__ == "__main__":
    main()
