"""A 10,000-replica Deployment on 1,000 nodes, from create to fully available.

Goal (issue 3): under 20 s of wall time with the kubelets and the scheduler,
on the virtual clock. When those components are not built yet, a stand-in
marks every new pod Running and Ready (what a kubelet would report), so the
figure is then the workload controllers' and the API's share alone.

Also reported: the ReplicaSet controller's pod creation rate during the run,
and :mod:`benchmarks.controller_costs` (HPA sync per metric type, PVC
create/delete with and without pvc-protection, each beside its baseline).
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks import controller_costs
from benchmarks.common import row
from benchmarks.workloads_bench import stand_in_kubelet
from engine.cluster import Cluster, ClusterConfig
from engine.components import default_components

REPLICAS = 10_000
NODES = 1_000


def _components() -> tuple[list[Any], bool]:
    components = default_components()
    names = {getattr(c, "__module__", "") for c in components}
    real = "engine.kubelet.manager" in names and "engine.scheduler.scheduler" in names
    return (components if real else [*components, stand_in_kubelet]), real


def deployment(replicas: int) -> dict:
    labels = {"app": "bench"}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "bench", "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "app", "image": "nginx:1.14.2",
                                                           "resources": {"requests": {
                                                               "cpu": "10m",
                                                               "memory": "16Mi"}}}]}}}}


def available_in(replicas: int, nodes: int) -> tuple[float, float, bool]:
    """(wall seconds to full availability, pods created per wall second, real kubelets?)."""
    components, real = _components()
    config = ClusterConfig(virtual=True, workers=nodes, fsync=False, components=components)
    with Cluster(config) as cluster:
        cluster.advance(1)
        start = time.perf_counter()
        cluster.client.create("deployments", deployment(replicas))
        created_at = None
        while True:
            cluster.advance(1, timeout=600)
            d = cluster.client.get("deployments", "bench", "default")
            status = d.get("status") or {}
            if created_at is None and status.get("replicas", 0) >= replicas:
                created_at = time.perf_counter()
            if status.get("availableReplicas", 0) >= replicas:
                break
        wall = time.perf_counter() - start
    return wall, replicas / ((created_at or time.perf_counter()) - start), real


def run(quick: bool = False) -> list[dict]:
    replicas, nodes = (2_000, 200) if quick else (REPLICAS, NODES)
    wall, create_rate, real = available_in(replicas, nodes)
    who = "kubelets+scheduler" if real else "stand-in kubelet"
    return [
        row(f"deployment {replicas} replicas on {nodes} nodes available ({who})", wall, "s"),
        row(f"replicaset controller pod creation ({who})", create_rate, "pods/s"),
        *controller_costs.run(quick),  # HPA sync and pvc-protection costs, with baselines
    ]


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run())
