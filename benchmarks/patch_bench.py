"""Patch benchmarks: each patch type and the managedFields bookkeeping on a Deployment.

Run as ``python -m benchmarks patch_bench [--quick]``. Figures are microseconds per
operation (median of several repetitions). The baseline of each row is a deep
copy of the same Deployment through orjson, the floor for any operation that
must return a new object without touching its input. The last three rows are the
managedFields writes of a Deployment's rollout (CPU time, fresh pods each round so
no memo holds their values): the ReplicaSet controller's creates from one
template, the kubelet's pods/status writes as the in-process API server hands
them (old = the object the previous write stored), and the same writes when
old and new are private copies (a write that is not in-process, as api_bench's);
their baseline is a copy of a pod.
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


POD = "io.k8s.api.core.v1.Pod"
_TEMPLATE_SPEC = {
    "containers": [{"name": "app", "image": "nginx:1.14.2",
                    "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}},
                    "imagePullPolicy": "IfNotPresent",
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"}],
    "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "securityContext": {},
    "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler",
    "enableServiceLinks": True, "serviceAccountName": "default", "serviceAccount": "default",
    "priority": 0, "preemptionPolicy": "PreemptLowerPriority",
    "tolerations": [{"key": f"node.kubernetes.io/{t}", "operator": "Exists",
                     "effect": "NoExecute", "tolerationSeconds": 300}
                    for t in ("not-ready", "unreachable")]}


def template_pod(i: int) -> dict[str, Any]:
    """Pod ``i`` of one ReplicaSet as the API server has it when the field manager
    runs (defaulted, the service account token volume admitted: its name differs
    from pod to pod, as does the pod's own name and uid)."""
    token = f"kube-api-access-{i:05x}"
    spec = copy.deepcopy(_TEMPLATE_SPEC)
    spec["containers"][0]["volumeMounts"] = [{
        "name": token, "readOnly": True,
        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]
    spec["volumes"] = [{"name": token, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt",
                       "items": [{"key": "ca.crt", "path": "ca.crt"}]}}]}}]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"generateName": "web-5d4c-", "name": f"web-5d4c-{i:05x}",
                         "namespace": "default", "uid": f"uid-{i}",
                         "creationTimestamp": NOW,
                         "labels": {"app": "web", "pod-template-hash": "5d4c"},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                              "name": "web-5d4c", "uid": "rs-uid",
                                              "controller": True,
                                              "blockOwnerDeletion": True}]},
            "spec": spec, "status": {"phase": "Pending", "qosClass": "Burstable"}}


def kubelet_status(i: int, step: int) -> dict[str, Any]:
    """The status the kubelet writes for pod ``i``: step 0 while its container
    is created, step 1 once it runs (pod IP), later steps only new times."""
    at = f"2025-01-01T00:{step // 60:02d}:{step % 60:02d}Z"
    running = step > 0
    ready = "True" if running else "False"
    conditions = [{"type": t, "status": s, "lastProbeTime": None, "lastTransitionTime": at}
                  for t, s in (("PodReadyToStartContainers", ready), ("Initialized", "True"),
                               ("Ready", ready), ("ContainersReady", ready),
                               ("PodScheduled", "True"))]
    state = {"running": {"startedAt": at}} if running else {
        "waiting": {"reason": "ContainerCreating"}}
    status: dict[str, Any] = {
        "phase": "Running" if running else "Pending", "conditions": conditions,
        "hostIP": f"172.18.{i % 250}.2", "hostIPs": [{"ip": f"172.18.{i % 250}.2"}],
        "startTime": NOW,
        "containerStatuses": [{"name": "app", "state": state, "lastState": {},
                               "ready": running, "restartCount": 0,
                               "image": "docker.io/library/nginx:1.14.2", "imageID": "",
                               "started": running}],
        "qosClass": "Burstable"}
    if running:
        ip = f"10.244.{i // 250 % 250}.{i % 250}"
        status["podIP"], status["podIPs"] = ip, [{"ip": ip}]
    return status


def _owned_status_update(live: dict[str, Any], status: dict[str, Any]) -> dict[str, Any]:
    """A pods/status body as an in-process kubelet write reaches the field manager:
    the stored pod's spec as is, its metadata copied one level, a new status."""
    return {**live, "metadata": dict(live["metadata"]), "status": status}


def _template_rows(count: int, reps: int) -> list[dict[str, Any]]:
    """managedFields of the writes that dominate a Deployment's rollout: the
    ReplicaSet controller creating pods of one template, then the kubelet's
    status writes (old = the object the previous write stored)."""
    creates: list[float] = []
    updates: list[float] = []
    copied: list[float] = []
    first = 0
    for _ in range(reps + 1):  # the first round warms the schema caches
        pods = [template_pod(first + i) for i in range(count)]
        start = time.process_time()
        live = [P.update_managed_fields(None, p, "kube-controller-manager", "Update",
                                        definition=POD, now=NOW) for p in pods]
        creates.append((time.process_time() - start) / count * 1e6)
        spent = 0.0
        for step in range(3):
            bodies = [_owned_status_update(p, kubelet_status(first + i, step))
                      for i, p in enumerate(live)]
            start = time.process_time()
            live = [P.update_managed_fields(old, new, "kubelet", "Update", definition=POD,
                                            now=NOW, subresource="status")
                    for old, new in zip(live, bodies, strict=True)]
            spent += time.process_time() - start
        updates.append(spent / (3 * count) * 1e6)
        copied.append(_copied_status_updates(live, first))
        first += count
    floor = statistics.median(_copy_time(live[0]) for _ in range(reps))
    return [row("patch: managedFields, create from one template",
                statistics.median(creates[1:]), "us/op", floor),
            row("patch: managedFields, pods/status update as the kubelet",
                statistics.median(updates[1:]), "us/op", floor),
            row("patch: managedFields, pods/status update, copies from storage",
                statistics.median(copied[1:]), "us/op", floor)]


def _copied_status_updates(live: list[dict[str, Any]], first: int) -> float:
    """CPU us per pods/status write when old and new are private copies (an API
    write that is not in-process: old decoded from storage, new from the
    request), three writes per pod with the kubelet's steady-state status."""
    spent = 0.0
    for step in range(3, 6):
        pairs = []
        for i, pod in enumerate(live):
            new = orjson.loads(orjson.dumps(pod))
            new["status"] = kubelet_status(first + i, step)
            pairs.append((orjson.loads(orjson.dumps(pod)), new))
        start = time.process_time()
        live = [P.update_managed_fields(old, new, "kubelet", "Update", definition=POD,
                                        now=NOW, subresource="status") for old, new in pairs]
        spent += time.process_time() - start
    return spent / (3 * len(live)) * 1e6


def _copy_time(obj: dict[str, Any]) -> float:
    start = time.process_time()
    for _ in range(100):
        orjson.loads(orjson.dumps(obj))
    return (time.process_time() - start) / 100 * 1e6


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
    return [*(row(f"patch: {name}", _per_op(fn, count, reps), "us/op", floor)
              for name, fn in cases), *_template_rows(count, reps)]


if __name__ == "__main__":
    import sys

    from benchmarks.common import print_table

    print_table(run(quick="--quick" in sys.argv))
