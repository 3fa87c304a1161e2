"""Validation stays cheap: a defaulted Pod and Deployment in well under a millisecond
(the target is ~150 µs on a developer machine; the bound here leaves room for slow CI)."""

from __future__ import annotations

import time

from engine.api.resources import by_group_plural
from engine.api.validation import validate_object
from tests.api.validation import builders as b


def _per_call(plural: str, group: str, obj: dict, n: int = 300) -> float:
    info = by_group_plural(group, plural)
    assert validate_object(info, obj) == []
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            validate_object(info, obj)
        best = min(best, (time.perf_counter() - start) / n)
    return best


def test_pod_and_deployment_validate_fast() -> None:
    pod = b.pod()
    pod["spec"]["containers"].append(b.container("sidecar", "busybox"))
    pod["spec"]["containers"][1]["ports"] = []
    pod["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "500m", "memory": "128Mi"},
                                                 "requests": {"cpu": "500m", "memory": "128Mi"}}
    pod["spec"]["volumes"] = [{"name": "data", "emptyDir": {}}]
    pod["spec"]["containers"][0]["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    assert _per_call("pods", "", pod) < 1e-3
    assert _per_call("deployments", "apps", b.deployment()) < 1e-3
