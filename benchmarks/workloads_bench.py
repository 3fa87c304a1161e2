"""Workload controllers at scale (issue 4), on the virtual clock.

* a DaemonSet on every node, from create to every pod ready;
* a Parallel StatefulSet, from create to every replica ready;
* a Job of many completions, from create to Complete.

Pods are made Running and Ready (Job pods: Succeeded) by a stand-in kubelet,
so the figures are the controllers' and the API's share. Goal: each under
20 s of wall time at full size.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import row
from engine.api.errors import StatusError
from engine.cluster import Cluster, ClusterConfig
from engine.runtime import SharedInformerFactory

Obj = dict[str, Any]


async def stand_in_kubelet(cluster: Any) -> None:
    """Every new pod goes Running and Ready at once; a Job's pod Succeeded."""
    client = cluster.local_client("bench-kubelet")
    factory = SharedInformerFactory(client)
    informer = factory.informer_for("pods", namespace="default")
    pending: list[Obj] = []
    wake = asyncio.Event()

    def added(pod: Obj) -> None:
        pending.append(pod)
        wake.set()

    informer.add_event_handler(on_add=added)
    factory.start()
    try:
        while True:
            await wake.wait()
            wake.clear()
            batch, pending[:] = list(pending), []
            for pod in batch:
                with contextlib.suppress(StatusError):
                    client.update_status("pods", {**pod, "status": _status(pod, cluster)})
            await asyncio.sleep(0)
    finally:
        factory.stop()


def _status(pod: Obj, cluster: Any) -> Obj:
    stamp = cluster.clock.rfc3339()
    job = "job-name" in (pod["metadata"].get("labels") or {})
    ready = "False" if job else "True"
    conditions = [{"type": t, "status": ready if t in ("Ready", "ContainersReady") else "True",
                   "lastProbeTime": None, "lastTransitionTime": stamp}
                  for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")]
    return {**pod.get("status", {}), "phase": "Succeeded" if job else "Running",
            "conditions": conditions}


def _nodes(cluster: Cluster, count: int) -> None:
    for i in range(count):
        cluster.client.create("nodes", {"apiVersion": "v1", "kind": "Node",
                                        "metadata": {"name": f"node-{i}"}, "spec": {}})


def _template(name: str) -> Obj:
    return {"metadata": {"labels": {"app": name}},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.14.2"}]}}


def _timed(setup: Callable[[Cluster], None], create: Obj, resource: str,
           done: Callable[[Obj], bool]) -> float:
    from engine.controllers.manager import run_controller_manager

    config = ClusterConfig(virtual=True, fsync=False,
                           components=[run_controller_manager, stand_in_kubelet])
    with Cluster(config) as cluster:
        setup(cluster)
        cluster.advance(1)
        start = time.perf_counter()
        cluster.client.create(resource, create, namespace="default")
        while not done(cluster.client.get(resource, create["metadata"]["name"], "default")):
            cluster.advance(1, timeout=600)
        return time.perf_counter() - start


def daemonset(nodes: int) -> float:
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet",
          "metadata": {"name": "agent", "namespace": "default"},
          "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": _template("agent")}}

    def done(obj: Obj) -> bool:
        return (obj.get("status") or {}).get("numberReady", 0) >= nodes

    return _timed(lambda c: _nodes(c, nodes), ds, "daemonsets", done)


def statefulset(replicas: int) -> float:
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet",
           "metadata": {"name": "db", "namespace": "default"},
           "spec": {"replicas": replicas, "serviceName": "db", "podManagementPolicy": "Parallel",
                    "selector": {"matchLabels": {"app": "db"}}, "template": _template("db")}}

    def done(obj: Obj) -> bool:
        return (obj.get("status") or {}).get("readyReplicas", 0) >= replicas

    return _timed(lambda c: None, sts, "statefulsets", done)


def job(completions: int, parallelism: int) -> float:
    body = {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "batch", "namespace": "default"},
            "spec": {"completions": completions, "parallelism": parallelism,
                     "template": {"spec": {"restartPolicy": "Never",
                                           "containers": [{"name": "w", "image": "busybox",
                                                           "command": ["true"]}]}}}}

    def done(obj: Obj) -> bool:
        return any(c["type"] == "Complete" for c in (obj.get("status") or {}).get("conditions")
                   or ())

    return _timed(lambda c: None, body, "jobs", done)


def run(quick: bool = False) -> list[dict]:
    nodes, replicas, completions = (200, 200, 500) if quick else (1_000, 1_000, 2_000)
    return [
        row(f"daemonset on {nodes} nodes ready (stand-in kubelet)", daemonset(nodes), "s"),
        row(f"statefulset {replicas} Parallel replicas ready (stand-in kubelet)",
            statefulset(replicas), "s"),
        row(f"job {completions} completions x100 complete (stand-in kubelet)",
            job(completions, 100), "s"),
    ]


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run())
