"""Scheduler throughput (pods/s), in upstream's scheduler_perf shapes.

Upstream: ``test/integration/scheduler_perf`` - SchedulingBasic (nodes with
4 CPUs, 32Gi and 110 pods, pods requesting 100m and 500Mi; 1,000 pods
already placed, then 1,000 measured), SchedulingNodeAffinity (the nodes
labelled with a zone, pods requiring it) and SchedulingPodAntiAffinity
(pods with required anti-affinity on ``kubernetes.io/hostname`` to each
other); and pods owned by a ReplicaSet, which get the system default
topology spreading (what every Deployment's pods go through), on zoned nodes
and on nodes without a zone label (the 10,000-replica Deployment's shape:
hostname spreading only). Kube-scheduler's CI floors at 5,000 nodes: 270 pods/s (basic), 220
(node affinity), 60 (anti-affinity).

As scheduler_perf does, only the scheduler runs (no kubelets): nodes are
created through the API with their status. The measured pods are created
in one engine-loop call before the scheduler can run, so the figure is the
scheduler's own rate: the informer delivering the pods, the scheduling
cycle, the Binding write, the ``Scheduled`` event and the explanation
annotation.

Baselines in the same run: the Binding write alone for the same number of
pods (the floor any scheduler pays here), and a trivial first-fit loop over
the cache (pick the first node with room, then bind).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchmarks.common import row
from engine.cluster import Cluster, ClusterConfig
from engine.scheduler.binding import bind_pod
from engine.scheduler.scheduler import run_scheduler

Obj = dict[str, Any]


def node(i: int, zone: str) -> Obj:
    """A node; ``zone`` "" leaves the zone label out (as the 10k-replica run's nodes)."""
    name = f"node-{i}"
    alloc = {"cpu": "4", "memory": "32Gi", "pods": "110"}
    labels = {"kubernetes.io/hostname": name}
    if zone:
        labels["topology.kubernetes.io/zone"] = zone
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": labels},
            "status": {"capacity": alloc, "allocatable": alloc,
                       "conditions": [{"type": "Ready", "status": "True"}]}}


def pod(name: str, shape: str) -> Obj:
    spec: Obj = {"containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10",
                                 "resources": {"requests": {"cpu": "100m",
                                                            "memory": "500Mi"}}}]}
    labels = {"app": "owned" if shape.startswith("owned") else shape}
    if shape == "affinity":
        spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [
                {"key": "topology.kubernetes.io/zone", "operator": "In",
                 "values": ["zone1"]}]}]}}}
    elif shape == "anti":
        spec["affinity"] = {"podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": {"app": "anti"}},
                 "topologyKey": "kubernetes.io/hostname"}]}}
    meta: Obj = {"name": name, "namespace": "default", "labels": labels}
    if shape.startswith("owned"):
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                    "name": "web", "uid": "rs-uid", "controller": True}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def replica_set() -> Obj:
    """The owner of the ``owned`` pods: its selector drives the default spreading."""
    labels = {"app": "owned"}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 0, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "pause", "image": "registry.k8s.io/pause:3.10"}]}}}}


async def _until(predicate: Any, timeout: float = 600.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("scheduler did not finish")
        await asyncio.sleep(0)


def _add_nodes(cluster: Cluster, count: int, zones: bool = True) -> None:
    api = cluster.api
    for i in range(count):
        obj = node(i, ("zone1" if i % 2 == 0 else "zone2") if zones else "")
        created = api.create("nodes", obj)
        created["status"] = obj["status"]
        api.update("nodes", created, subresource="status")


def _create_pods(cluster: Cluster, prefix: str, count: int, shape: str) -> None:
    api = cluster.api
    for i in range(count):
        api.create("pods", pod(f"{prefix}-{i}", shape), namespace="default")


def schedule_rate(nodes: int, init_pods: int, pods: int, shape: str) -> tuple[float, float]:
    """Pods per second for ``pods`` measured pods (after ``init_pods``): per wall
    second, and per second of the engine thread's CPU time (the machine is
    shared, so the wall figure moves with the load of other processes)."""
    config = ClusterConfig(virtual=True, workers=0, control_planes=1, fsync=False,
                           components=[run_scheduler])
    with Cluster(config) as cluster:
        cluster.call(_add_nodes, cluster, nodes, shape != "owned-zoneless")
        if shape.startswith("owned"):
            cluster.client.create("replicasets", replica_set(), namespace="default")
        cluster.settle()

        async def measure() -> tuple[float, float]:
            sched = cluster.scheduler
            await _until(lambda: sched.cache.num_nodes() == nodes)
            _create_pods(cluster, "init", init_pods, "basic" if shape != "anti" else shape)
            await _until(lambda: sched.scheduled >= init_pods)
            base = sched.scheduled
            _create_pods(cluster, "measured", pods, shape)
            start, cpu = time.perf_counter(), time.thread_time()  # informer delivery counts
            await _until(lambda: sched.scheduled >= base + pods)
            return (pods / (time.perf_counter() - start), pods / (time.thread_time() - cpu))

        return asyncio.run_coroutine_threadsafe(measure(), cluster.loop).result(3600)


def binding_rate(pods: int) -> float:
    """The Binding write alone, for the same number of pods."""
    config = ClusterConfig(virtual=True, workers=0, control_planes=1, fsync=False,
                           components=[])
    with Cluster(config) as cluster:
        def go() -> float:
            _create_pods(cluster, "b", pods, "basic")
            start = time.perf_counter()
            for i in range(pods):
                bind_pod(cluster.api, "default", f"b-{i}", "node-0")
            return pods / (time.perf_counter() - start)

        return cluster.call(go)


def first_fit_rate(nodes: int, pods: int) -> float:
    """A trivial scheduler: the first node of the cache with room, then bind."""
    config = ClusterConfig(virtual=True, workers=0, control_planes=1, fsync=False,
                           components=[run_scheduler])
    with Cluster(config) as cluster:
        cluster.call(_add_nodes, cluster, nodes)
        cluster.settle()

        def go() -> float:
            cluster.scheduler.queue.close()
            cache = cluster.scheduler.cache
            _create_pods(cluster, "f", pods, "basic")
            start = time.perf_counter()
            for i in range(pods):
                target = next(n for n in cache.list() if n.free_cpu >= 100 and
                              len(n.pods) < n.alloc_pods)
                target.req_cpu += 100
                target.free_cpu -= 100
                bind_pod(cluster.api, "default", f"f-{i}", target.name)
            return pods / (time.perf_counter() - start)

        return cluster.call(go)


def run(quick: bool = False) -> list[dict]:
    pods = 300 if quick else 1000
    sizes = (1000,) if quick else (1000, 5000)
    rows = []
    bind_only = binding_rate(pods)
    rows.append(row(f"baseline: Binding write alone ({pods} pods)", bind_only, "pods/s"))
    for nodes in sizes:
        ff = first_fit_rate(nodes, pods)
        rows.append(row(f"baseline: first-fit + bind, {nodes} nodes", ff, "pods/s"))
        for shape, label in (("basic", "SchedulingBasic"), ("affinity", "NodeAffinity"),
                             ("anti", "PodAntiAffinity"),
                             ("owned", "ReplicaSet pods (default spreading)"),
                             ("owned-zoneless", "ReplicaSet pods, nodes without zones")):
            if shape == "anti" and nodes < pods + pods:
                continue  # one pod per node: needs room for init and measured pods
            wall, cpu = schedule_rate(nodes, pods, pods, shape)
            rows.append(row(f"scheduler {label}, {nodes} nodes, {pods} pods", wall, "pods/s",
                            baseline=ff))
            rows.append(row(f"scheduler {label}, {nodes} nodes (engine CPU time)", cpu,
                            "pods/s"))
    return rows


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run())
