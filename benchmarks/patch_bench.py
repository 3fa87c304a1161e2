"""Patch benchmarks: each patch type and the managedFields bookkeeping on a Deployment.

Run as ``python -m benchmarks patch_bench [--quick]``. Figures are microseconds per
operation (median of several repetitions). The baseline of each row is a deep
copy of the same Deployment through orjson, the floor for any operation that
must return a new object without touching its input.
"""

from __future__ import annotations

import copy
import statistics
import time
from collections.abc import Callable
from typing import Any

import orjson

from benchmarks.common import row
from engine.api import patch as P

DEPLOY = "io.k8s.api.apps.v1.Deployment"
NOW = "2025-01-01T00:00:00Z"


def deployment() -> dict[str, Any]:
    """A Deployment as the store holds it after defaulting."""
    container = {"name": "nginx", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent",
                 "ports": [{"containerPort": 80, "protocol": "TCP"}],
                 "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                 "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
                 "terminationMessagePath": "/dev/termination-log",
                 "terminationMessagePolicy": "File"}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "uid": "u1", "labels": {"app": "web"}},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                 "strategy": {"type": "RollingUpdate",
                              "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                 "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [container], "restartPolicy": "Always",
                                       "dnsPolicy": "ClusterFirst", "securityContext": {},
                                       "schedulerName": "default-scheduler",
                                       "terminationGracePeriodSeconds": 30}}},
        "status": {"replicas": 3, "readyReplicas": 3}}


def _per_op(fn: Callable[[], Any], count: int, reps: int) -> float:
    def once() -> float:
        start = time.perf_counter()
        for _ in range(count):
            fn()
        return (time.perf_counter() - start) / count * 1e6

    fn()  # warm the schema caches
    return statistics.median(once() for _ in range(reps))


def run(quick: bool = False) -> list[dict[str, Any]]:
    count, reps = (50, 3) if quick else (300, 5)
    live = P.update_managed_fields(None, deployment(), "kubectl-client-side-apply", "Update",
                                   definition=DEPLOY, now=NOW)
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 5
    config = {k: v for k, v in deployment().items() if k != "status"}
    applied = P.server_side_apply(None, config, "kubectl", force=False, definition=DEPLOY, now=NOW)
    set_image = {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "nginx"}],
        "containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}}
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("strategic merge patch (kubectl set image)",
         lambda: P.apply_strategic_merge_patch(live, set_image, DEPLOY)),
        ("merge patch (kubectl scale)", lambda: P.apply_merge_patch(live, {"spec": {"replicas": 5}})),
        ("json patch (replace /spec/replicas)", lambda: P.apply_json_patch(
            live, [{"op": "replace", "path": "/spec/replicas", "value": 5}])),
        ("three-way patch (kubectl apply, unchanged file)",
         lambda: P.create_three_way_merge_patch(config, config, live, DEPLOY)),
        ("managedFields on update", lambda: P.update_managed_fields(
            live, scaled, "kubectl", "Update", definition=DEPLOY, now=NOW)),
        ("managedFields on create", lambda: P.update_managed_fields(
            None, deployment(), "kubectl", "Update", definition=DEPLOY, now=NOW)),
        ("server-side apply, re-apply", lambda: P.server_side_apply(
            applied, config, "kubectl", force=False, definition=DEPLOY, now=NOW)),
    ]
    floor = _per_op(lambda: orjson.loads(orjson.dumps(live)), count, reps)
    return [row(f"patch: {name}", _per_op(fn, count, reps), "us/op", floor)
            for name, fn in cases]


if __name__ == "__main__":
    import sys

    from benchmarks.common import print_table

    print_table(run(quick="--quick" in sys.argv))
