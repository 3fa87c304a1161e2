"""Which nodes a DaemonSet's pod should run on.

Upstream: ``pkg/controller/daemon/daemon_controller.go``
(``NodeShouldRunDaemonPod``, ``predicates``, ``NewPod``),
``pkg/controller/daemon/util/daemonset_util.go``
(``AddOrUpdateDaemonPodTolerations``), ``component-helpers``
``nodeaffinity.GetRequiredNodeAffinity`` and ``v1helper``
``FindMatchingUntoleratedTaint``/``ToleratesTaint``.

A node should run the pod when the template's ``nodeName`` (if any),
``nodeSelector`` and required node affinity match it and the pod, with the
tolerations every daemon pod gets, tolerates its NoSchedule and NoExecute
taints. A pod already there may stay on a node whose only untolerated taints
are NoSchedule ("should continue running").
"""

from __future__ import annotations

from typing import Any

from engine.api import meta

Obj = dict[str, Any]

# The tolerations upstream adds to every daemon pod (the last only with hostNetwork).
DAEMON_TOLERATIONS = (
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
)
NETWORK_UNAVAILABLE = ("node.kubernetes.io/network-unavailable", "NoSchedule")


def _same_toleration(a: Obj, b: Obj) -> bool:
    """``Toleration.MatchToleration``: key, operator, value and effect."""
    return all(a.get(k, "") == b.get(k, "") for k in ("key", "operator", "value", "effect"))


def add_or_update_toleration(spec: Obj, toleration: Obj) -> None:
    """``AddOrUpdateTolerationInPodSpec``."""
    current = spec.get("tolerations") or []
    out, updated = [], False
    for tol in current:
        if _same_toleration(toleration, tol):
            if tol == toleration:
                return
            out.append(dict(toleration))
            updated = True
            continue
        out.append(tol)
    if not updated:
        out.append(dict(toleration))
    spec["tolerations"] = out


def add_daemon_tolerations(spec: Obj) -> None:
    """``AddOrUpdateDaemonPodTolerations``."""
    wanted = list(DAEMON_TOLERATIONS)
    if spec.get("hostNetwork"):
        wanted.append(NETWORK_UNAVAILABLE)
    for key, effect in wanted:
        add_or_update_toleration(spec, {"key": key, "operator": "Exists", "effect": effect})


def tolerates(toleration: Obj, taint: Obj) -> bool:
    """``Toleration.ToleratesTaint``."""
    if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
        return False
    if toleration.get("key") and toleration["key"] != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and toleration.get("value", "") == taint.get("value", "")


def untolerated(taints: list[Obj], tolerations: list[Obj], effects: tuple[str, ...]) -> bool:
    """``FindMatchingUntoleratedTaint`` over the taints with ``effects``."""
    return any(t.get("effect") in effects and not any(tolerates(tol, t) for tol in tolerations)
               for t in taints)


def _requirement(expr: Obj, values: dict[str, str]) -> bool:
    op, key, want = expr.get("operator"), expr.get("key", ""), expr.get("values") or []
    if op == "In":
        return key in values and values[key] in want
    if op == "NotIn":
        return values.get(key) not in want
    if op == "Exists":
        return key in values
    if op == "DoesNotExist":
        return key not in values
    if op in ("Gt", "Lt") and key in values and len(want) == 1:
        try:
            have, limit = int(values[key]), int(want[0])
        except ValueError:
            return False
        return have > limit if op == "Gt" else have < limit
    return False


def _term(term: Obj, labels: dict[str, str], fields: dict[str, str]) -> bool:
    exprs, fexprs = term.get("matchExpressions") or [], term.get("matchFields") or []
    if not exprs and not fexprs:
        return False  # an empty term matches nothing
    return (all(_requirement(e, labels) for e in exprs)
            and all(_requirement(e, fields) for e in fexprs))


def matches_node_affinity(spec: Obj, node: Obj) -> bool:
    """``GetRequiredNodeAffinity(pod).Match(node)``: nodeSelector and required terms."""
    labels = node["metadata"].get("labels") or {}
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if required is None:
        return True
    fields = {"metadata.name": node["metadata"]["name"]}
    return any(_term(t, labels, fields) for t in required.get("nodeSelectorTerms") or ())


def daemon_pod_spec(ds: Obj) -> Obj:
    """``NewPod``'s spec: the template's, with the daemon tolerations."""
    spec = meta.deep_copy((ds["spec"].get("template") or {}).get("spec") or {})
    add_daemon_tolerations(spec)
    return spec


def should_run(node: Obj, ds: Obj, spec: Obj | None = None) -> tuple[bool, bool]:
    """``NodeShouldRunDaemonPod``: (should run, should continue running)."""
    spec = spec if spec is not None else daemon_pod_spec(ds)
    wanted_node = spec.get("nodeName")
    if wanted_node and wanted_node != node["metadata"]["name"]:
        return False, False
    if not matches_node_affinity(spec, node):
        return False, False
    taints = (node.get("spec") or {}).get("taints") or []
    tolerations = spec.get("tolerations") or []
    if untolerated(taints, tolerations, ("NoSchedule", "NoExecute")):
        return False, not untolerated(taints, tolerations, ("NoExecute",))
    return True, True
