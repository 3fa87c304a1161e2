"""DefaultTolerationSeconds admission (upstream
``plugin/pkg/admission/defaulttolerationseconds/admission.go``): a pod that
does not tolerate ``node.kubernetes.io/not-ready`` or
``node.kubernetes.io/unreachable`` NoExecute taints gets a toleration of each
for 300 seconds (kube-apiserver's ``--default-not-ready-toleration-seconds``
and ``--default-unreachable-toleration-seconds``)."""

from __future__ import annotations

from typing import Any

from engine.api import jsonbytes
from engine.api.admission.base import AdmissionPlugin, Attributes

Obj = dict[str, Any]

NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
DEFAULT_TOLERATION_SECONDS = 300


def _tolerates(tolerations: list[Any], key: str) -> bool:
    """Whether a toleration covers ``key``'s NoExecute taint (an empty key or
    effect matches all)."""
    return any(
        isinstance(t, dict)
        and t.get("key") in (key, "", None)
        and t.get("effect") in ("NoExecute", "", None)
        for t in tolerations
    )


def _tolerated(tolerations: list[Any]) -> tuple[bool, bool]:
    """``(_tolerates(tolerations, NOT_READY), _tolerates(tolerations, UNREACHABLE))``
    in one pass (every pod create and update asks)."""
    not_ready = unreachable = False
    for t in tolerations:
        if not isinstance(t, dict) or t.get("effect") not in ("NoExecute", "", None):
            continue
        key = t.get("key")
        if key in ("", None):
            return True, True
        if key == NOT_READY:
            not_ready = True
        elif key == UNREACHABLE:
            unreachable = True
    return not_ready, unreachable


class DefaultTolerationSeconds(AdmissionPlugin):
    name = "DefaultTolerationSeconds"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        return (
            attrs.operation in ("CREATE", "UPDATE")
            and attrs.info.plural == "pods"
            and not attrs.info.group
            and not attrs.subresource
        )

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            return
        tolerations = spec.get("tolerations")
        if not isinstance(tolerations, list):
            tolerations = []
        not_ready, unreachable = _tolerated(tolerations)
        if not_ready and unreachable:
            return
        added = [
            {
                "key": key,
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": DEFAULT_TOLERATION_SECONDS,
            }
            for key, tolerated in ((NOT_READY, not_ready), (UNREACHABLE, unreachable))
            if not tolerated
        ]
        if jsonbytes.known(spec) is not None:
            # An update's spec shared with the stored object: only read.
            spec = obj["spec"] = dict(spec)
        spec["tolerations"] = [*tolerations, *added]
