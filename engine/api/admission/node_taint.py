"""TaintNodesByCondition admission (upstream ``plugin/pkg/admission/nodetaint/admission.go``):
every new node starts tainted ``node.kubernetes.io/not-ready:NoSchedule``, so
nothing schedules onto it before the node lifecycle controller sees it Ready
and removes the taint."""

from __future__ import annotations

from typing import Any

from engine.api.admission.base import AdmissionPlugin, Attributes

Obj = dict[str, Any]

NOT_READY_TAINT = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}


class TaintNodesByCondition(AdmissionPlugin):
    name = "TaintNodesByCondition"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        return (
            attrs.operation == "CREATE"
            and attrs.info.plural == "nodes"
            and not attrs.info.group
            and not attrs.subresource
        )

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            spec = obj["spec"] = {}
        taints = spec.get("taints")
        if not isinstance(taints, list):
            taints = spec["taints"] = []
        for taint in taints:
            if (
                isinstance(taint, dict)
                and taint.get("key") == NOT_READY_TAINT["key"]
                and taint.get("effect") == NOT_READY_TAINT["effect"]
            ):
                return
        taints.append(dict(NOT_READY_TAINT))
