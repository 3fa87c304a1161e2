"""Small helpers several plugins share.

Upstream: ``k8s.io/api/core/v1/toleration.go`` (``ToleratesTaint``),
``pkg/apis/core/v1/helper`` (``FindMatchingUntoleratedTaint``,
``TolerationsTolerateTaint``) and
``k8s.io/component-helpers/scheduling/corev1/nodeaffinity``
(``GetRequiredNodeAffinity``: nodeSelector AND required node affinity).
"""

from __future__ import annotations

from typing import Any

import orjson

from engine.scheduler.framework.selectors import NodeSelector, match_labels_selector

Obj = dict[str, Any]


def tolerates(toleration: Obj, taint: Obj) -> bool:
    """``Toleration.ToleratesTaint``."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    op = toleration.get("operator") or "Equal"
    if op == "Equal":
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return op == "Exists"


def tolerations_tolerate(tolerations: list[Obj], taint: Obj) -> bool:
    return any(tolerates(toleration, taint) for toleration in tolerations)


def find_untolerated_taint(taints: list[Obj], tolerations: list[Obj]) -> Obj | None:
    """The first taint (already filtered to the effects that matter) not tolerated."""
    for taint in taints:
        if not tolerations_tolerate(tolerations, taint):
            return taint
    return None


def pod_tolerations(pod: Obj) -> list[Obj]:
    return (pod.get("spec") or {}).get("tolerations") or []


class RequiredNodeAffinity:
    """``nodeaffinity.RequiredNodeAffinity``: nodeSelector AND required terms."""

    __slots__ = ("selector", "affinity", "empty", "key_id")

    def __init__(self, pod: Obj) -> None:
        spec = pod.get("spec") or {}
        node_selector = spec.get("nodeSelector")
        self.selector = match_labels_selector(node_selector) if node_selector else None
        required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                    .get("requiredDuringSchedulingIgnoredDuringExecution"))
        self.affinity = NodeSelector(required) if required is not None else None
        self.empty = self.selector is None and self.affinity is None
        # A small int naming what this matches (for per-node memos).
        self.key_id = intern_key(("node-affinity", orjson.dumps(
            [node_selector, required], option=orjson.OPT_SORT_KEYS)))

    def matches(self, labels: dict[str, str], name: str) -> bool:
        if self.selector is not None and not self.selector(labels):
            return False
        return self.affinity is None or self.affinity.matches(labels, name)

    def match_node(self, node: Obj) -> bool:
        m = node.get("metadata") or {}
        return self.matches(m.get("labels") or {}, m.get("name", ""))


_KEY_IDS: dict[Any, int] = {}
_NEXT_KEY_ID = [1]


def intern_key(key: Any) -> int:
    """A small int naming ``key``, never reused (so stale memo entries cannot match)."""
    found = _KEY_IDS.get(key)
    if found is None:
        if len(_KEY_IDS) > 10_000:
            _KEY_IDS.clear()
        found = _KEY_IDS[key] = _NEXT_KEY_ID[0]
        _NEXT_KEY_ID[0] += 1
    return found


def node_labels(node: Obj | None) -> dict[str, str]:
    return ((node or {}).get("metadata") or {}).get("labels") or {}


def as_pod(obj: Any) -> Obj | None:
    """The pod in an event object (a tombstone's last state too)."""
    if obj is None:
        return None
    inner = getattr(obj, "obj", None)
    return inner if inner is not None else obj
