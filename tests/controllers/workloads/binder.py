"""A stand-in scheduler for the workload tests, used while ``engine.scheduler``
has no ``run_scheduler``: it binds each pending pod to the feasible node with
the fewest pods, checking what the tests rely on - ``nodeName``,
``nodeSelector``, required node affinity (label expressions and the
``metadata.name`` field DaemonSet pods carry), taints and tolerations, and
``spec.unschedulable``. Binding is the ``pods/binding`` subresource's effect
(``nodeName`` and ``PodScheduled=True``), through ``api.bind`` when the API
server has it.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

from engine.api import errors, meta
from engine.runtime import SharedInformerFactory

Obj = dict[str, Any]


def scheduler_component() -> Any:
    try:
        module = importlib.import_module("engine.scheduler.scheduler")
    except ModuleNotFoundError:
        return run_binder
    return getattr(module, "run_scheduler", run_binder)


async def run_binder(cluster: Any) -> None:
    client = cluster.local_client("default-scheduler")
    factory = SharedInformerFactory(client)
    pods = factory.informer_for("pods")
    nodes = factory.informer_for("nodes")
    factory.start()
    await factory.wait_for_cache_sync()
    wake = asyncio.Event()
    for informer in (pods, nodes):
        informer.add_event_handler(on_add=lambda _o: wake.set(),
                                   on_update=lambda _o, _n: wake.set(),
                                   on_delete=lambda _o: wake.set())
    try:
        while True:
            await wake.wait()
            wake.clear()
            _bind_pending(cluster, pods.lister().list(), nodes.lister().list())
    finally:
        factory.stop()


def _bind_pending(cluster: Any, pods: list[Obj], nodes: list[Obj]) -> None:
    load: dict[str, int] = {}
    for pod in pods:
        node = pod["spec"].get("nodeName")
        if node:
            load[node] = load.get(node, 0) + 1
    for pod in sorted(pods, key=lambda p: p["metadata"].get("creationTimestamp") or ""):
        if pod["spec"].get("nodeName") or "deletionTimestamp" in pod["metadata"]:
            continue
        if (pod.get("status") or {}).get("phase") not in (None, "Pending"):
            continue
        fit = [n for n in nodes if feasible(pod, n)]
        if not fit:
            continue
        node = min(fit, key=lambda n: (load.get(n["metadata"]["name"], 0), n["metadata"]["name"]))
        name = node["metadata"]["name"]
        if _bind(cluster, pod, name):
            load[name] = load.get(name, 0) + 1


def feasible(pod: Obj, node: Obj) -> bool:
    spec, labels = pod["spec"], node["metadata"].get("labels") or {}
    if (node.get("spec") or {}).get("unschedulable") and not _tolerates(
            spec, {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}):
        return False
    if any(k not in labels or labels[k] != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    if not _affinity(spec, node):
        return False
    taints = (node.get("spec") or {}).get("taints") or ()
    return all(_tolerates(spec, t) for t in taints if t.get("effect") in ("NoSchedule",
                                                                            "NoExecute"))


def _tolerates(spec: Obj, taint: Obj) -> bool:
    for tol in spec.get("tolerations") or ():
        if tol.get("effect") and tol["effect"] != taint.get("effect"):
            continue
        if tol.get("operator") == "Exists":
            if not tol.get("key") or tol["key"] == taint.get("key"):
                return True
        elif tol.get("key") == taint.get("key") and tol.get("value", "") == taint.get("value",
                                                                                        ""):
            return True
    return False


def _affinity(spec: Obj, node: Obj) -> bool:
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if not required:
        return True
    labels = node["metadata"].get("labels") or {}
    fields = {"metadata.name": node["metadata"]["name"]}
    return any(all(_expr(e, labels) for e in term.get("matchExpressions") or ())
               and all(_expr(e, fields) for e in term.get("matchFields") or ())
               for term in required.get("nodeSelectorTerms") or ())


def _expr(expr: Obj, values: dict[str, str]) -> bool:
    op, key, want = expr.get("operator"), expr.get("key"), expr.get("values") or []
    if op == "In":
        return values.get(key) in want
    if op == "NotIn":
        return values.get(key) not in want
    if op == "Exists":
        return key in values
    if op == "DoesNotExist":
        return key not in values
    return False


def _bind(cluster: Any, pod: Obj, node: str) -> bool:
    api, m = cluster.api, pod["metadata"]
    try:
        if hasattr(api, "bind"):
            api.bind(m["name"], node, namespace=m["namespace"])
        else:
            _store_bind(api, m["namespace"], m["name"], node)
    except errors.StatusError:
        return False
    return True


def _store_bind(api: Any, namespace: str, name: str, node: str) -> None:
    key = api.info("pods").key(namespace, name)
    kv = api.store.get(key)
    if kv is None:
        raise errors.not_found("pods", "", name)
    pod = meta.decode(kv.value, kv.mod_revision)
    if pod["spec"].get("nodeName") or pod["metadata"].get("deletionTimestamp"):
        raise errors.conflict("pods", "", name)
    pod["spec"]["nodeName"] = node
    conds = [c for c in (pod.setdefault("status", {}).get("conditions") or ())
             if c.get("type") != "PodScheduled"]
    conds.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                  "lastTransitionTime": api.clock.rfc3339()})
    pod["status"]["conditions"] = conds
    if api.store.update(key, meta.encode(pod), kv.mod_revision) is None:
        raise errors.conflict("pods", "", name)
