"""Per-object controller costs, each against a baseline in the same run.

* HPA reconcile: the median wall time of one ``sync`` (``reconcileAutoscaler``)
  over 100 HPAs in steady state, for Pods and Object metrics (the
  annotation-fed custom metrics adapter) against Resource CPU metrics (the
  resource metrics path, fed by a fixed stand-in for the kubelets so only
  the controller's work is timed). Targets sit at their metric targets, so
  no sync rescales.
* pvc-protection: the wall time to create and delete 200 claims until they
  are gone, with the StorageObjectInUseProtection admission plugin and the
  pvc-protection controller, against a cluster with neither (where a
  deleted claim goes at once).

:mod:`benchmarks.controllers_bench` reports these rows beside its own;
``python -m benchmarks.controller_costs`` runs them alone.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from benchmarks.common import row
from engine.cluster import Cluster, ClusterConfig
from engine.controllers.manager import ControllerManager, default_controllers
from engine.metrics.source import register
from engine.runtime import SharedInformerFactory

HPAS = 100
CLAIMS = 200
Obj = dict[str, Any]


class FixedKubelets:
    """Stand-in metrics source: every pod uses 100m CPU (half its request)."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock

    def pod_metrics(self, namespace: str, name: str) -> Obj:
        return {"timestamp": self.clock.rfc3339(), "window": "15s",
                "containers": [{"name": "app", "usage": {"cpu": "100m", "memory": "10Mi"}}]}


def _app(i: int) -> tuple[Obj, list[Obj]]:
    labels = {"app": f"app-{i}"}
    template = {"metadata": {"labels": labels, "annotations": {
        "k9py.dev/metrics": json.dumps({"qps": "100"})}},
        "spec": {"containers": [{"name": "app", "image": "nginx",
                                 "resources": {"requests": {"cpu": "200m"}}}]}}
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": f"app-{i}", "annotations": {
               "k9py.dev/metrics": json.dumps({"qps": "200"})}},
           "spec": {"replicas": 2, "selector": {"matchLabels": labels}, "template": template}}
    pods = [{"metadata": {"name": f"app-{i}-{n}", **template["metadata"]},
             "spec": {**template["spec"], "nodeName": "k9py-worker"}} for n in range(2)]
    return dep, pods


def _metric(kind: str, i: int) -> Obj:
    if kind == "Resource":
        return {"type": "Resource", "resource": {"name": "cpu", "target": {
            "type": "Utilization", "averageUtilization": 50}}}
    if kind == "Pods":
        return {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {
            "type": "AverageValue", "averageValue": "100"}}}
    return {"type": "Object", "object": {
        "describedObject": {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"app-{i}"},
        "metric": {"name": "qps"}, "target": {"type": "Value", "value": "200"}}}


def _populate(cluster: Cluster) -> None:
    client = cluster.client
    # Started and Ready an hour ago: past the HPA's 5 min CPU initialisation period.
    stamp = datetime.fromtimestamp(cluster.clock.now() - 3600, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for i in range(HPAS):
        dep, pods = _app(i)
        client.create("deployments", dep, namespace="default")
        for pod in pods:
            created = client.create("pods", pod, namespace="default")
            created["status"] = {"phase": "Running", "startTime": stamp, "conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": stamp}]}
            client.update_status("pods", created)


def hpa_sync_medians(rounds: int) -> dict[str, float]:
    """Median seconds per ``sync`` of one HPA, by metric type."""
    from engine.controllers.podautoscaler import HorizontalController

    out: dict[str, float] = {}
    with Cluster(ClusterConfig(virtual=True, components=[], fsync=False)) as cluster:
        register(cluster.api, FixedKubelets(cluster.clock))
        _populate(cluster)
        for kind in ("Resource", "Pods", "Object"):
            for i in range(HPAS):
                spec = {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                           "name": f"app-{i}"},
                        "minReplicas": 1, "maxReplicas": 10, "metrics": [_metric(kind, i)]}
                cluster.client.create("horizontalpodautoscalers", {
                    "metadata": {"name": f"{kind.lower()}-{i}"}, "spec": spec},
                    namespace="default")
        client = cluster.local_client("bench-hpa")
        factory = SharedInformerFactory(client)
        controller = HorizontalController(client, factory)
        cluster.call(factory.start)
        cluster.advance(1)
        for kind in ("Resource", "Pods", "Object"):
            keys = [f"default/{kind.lower()}-{i}" for i in range(HPAS)]
            out[kind] = cluster.call(lambda k=keys: _time_syncs(controller, k, rounds))
        for hpa in cluster.client.list("horizontalpodautoscalers", "default")["items"]:
            active = {c["type"]: c for c in hpa["status"]["conditions"]}["ScalingActive"]
            if active["status"] != "True":  # a failing metric path is not what is timed
                raise RuntimeError(f"{hpa['metadata']['name']}: {active['message']}")
        cluster.call(factory.stop)
    return out


def _time_syncs(controller: Any, keys: list[str], rounds: int) -> float:
    """Each key once to settle the status, then ``rounds`` timed passes."""
    samples: list[float] = []
    for n in range(rounds + 1):
        for key in keys:
            ns, name = key.split("/")
            hpa = controller.client.get("horizontalpodautoscalers", name, ns)
            start = time.perf_counter()
            controller.sync(key, hpa)
            if n:
                samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _manager(protect: bool) -> Callable[[Cluster], Any]:
    async def run(cluster: Cluster) -> None:
        controllers = dict(default_controllers())
        if not protect:
            controllers.pop("pvc-protection")
        await ControllerManager(cluster, controllers=controllers, node_lifecycle=False).run()
    return run


def pvc_churn_seconds(protect: bool) -> float:
    """Wall seconds to create and delete CLAIMS claims until none is left."""
    config = ClusterConfig(virtual=True, components=[_manager(protect)], fsync=False)
    with Cluster(config) as cluster:
        if not protect:
            chain = cluster.api.admission
            chain.plugins = [p for p in chain.plugins
                             if p.name != "StorageObjectInUseProtection"]
        cluster.advance(2)
        claim = {"spec": {"accessModes": ["ReadWriteOnce"],
                          "resources": {"requests": {"storage": "1Gi"}}}}
        start = time.perf_counter()
        for i in range(CLAIMS):
            cluster.client.create("persistentvolumeclaims",
                                  {**claim, "metadata": {"name": f"c{i}"}}, namespace="default")
        cluster.advance(1)
        for i in range(CLAIMS):
            cluster.client.delete("persistentvolumeclaims", f"c{i}", namespace="default")
        while cluster.client.list("persistentvolumeclaims", "default")["items"]:
            cluster.advance(0.5)
        return time.perf_counter() - start


def run(quick: bool = False) -> list[dict]:
    rounds, churns = (2, 1) if quick else (5, 3)
    sync = hpa_sync_medians(rounds)
    with_protection = statistics.median(pvc_churn_seconds(True) for _ in range(churns))
    without = statistics.median(pvc_churn_seconds(False) for _ in range(churns))
    base = sync["Resource"] * 1e3
    return [
        row(f"hpa sync, Resource cpu metric ({HPAS} HPAs, baseline)", base, "ms/sync"),
        row(f"hpa sync, Pods metric ({HPAS} HPAs)", sync["Pods"] * 1e3, "ms/sync", base),
        row(f"hpa sync, Object metric ({HPAS} HPAs)", sync["Object"] * 1e3, "ms/sync", base),
        row(f"{CLAIMS} claims created+deleted, no protection (baseline)", without, "s"),
        row(f"{CLAIMS} claims created+deleted, pvc-protection", with_protection, "s", without),
    ]


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run())
