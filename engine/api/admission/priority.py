"""Priority admission (upstream ``plugin/pkg/admission/priority/admission.go``).

A new pod's ``priorityClassName`` resolves to ``spec.priority`` and
``spec.preemptionPolicy``; a pod without one gets the global default class
(the lowest-valued one marked ``globalDefault``), else priority 0 with
``PreemptLowerPriority``. Unknown classes, and a priority or preemption
policy that disagrees with the class, are refused as upstream words it.
Updates keep the stored priority. Only one PriorityClass may be the global
default, and the built-in ``system-`` classes cannot be deleted (upstream's
priority class storage refuses that; here the check sits with the class's
other admission rules).

The built-in classes ``system-node-critical`` and ``system-cluster-critical``
are created by kube-apiserver at start-up; a class of those names that does
not exist as an object still resolves to its built-in value.
"""

from __future__ import annotations

from typing import Any

from engine.api.admission._util import forbidden, get_object, list_objects
from engine.api.admission.base import AdmissionPlugin, Attributes

Obj = dict[str, Any]

# scheduling.SystemPriorityClasses(): name -> (value, description).
SYSTEM_PRIORITY_CLASSES = {
    "system-node-critical": (
        2000001000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    "system-cluster-critical": (
        2000000000,
        "Used for system critical pods that must run in "
        "the cluster, but can be moved to another node "
        "if necessary.",
    ),
}
DEFAULT_PREEMPTION_POLICY = "PreemptLowerPriority"


def system_priority_class(name: str) -> Obj:
    """A built-in PriorityClass object as kube-apiserver creates it."""
    value, description = SYSTEM_PRIORITY_CLASSES[name]
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        "description": description,
        "preemptionPolicy": DEFAULT_PREEMPTION_POLICY,
    }


class Priority(AdmissionPlugin):
    name = "Priority"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        if attrs.subresource or attrs.info.group not in ("", "scheduling.k8s.io"):
            return False
        return (attrs.info.plural, attrs.info.group) in (
            ("pods", ""),
            ("priorityclasses", "scheduling.k8s.io"),
        )

    def _class(self, name: str) -> Obj | None:
        found = get_object(self.api, "priorityclasses", name)
        if found is None and name in SYSTEM_PRIORITY_CLASSES:
            return system_priority_class(name)
        return found

    def _default_class(self) -> Obj | None:
        """``getDefaultPriorityClass``: among global defaults, the lowest value."""
        defaults = [
            pc
            for pc in list_objects(self.api, "priorityclasses")
            if pc.get("globalDefault") is True
        ]
        return min(defaults, key=lambda pc: pc.get("value", 0), default=None)

    # -- pods ------------------------------------------------------------------------
    def admit(self, attrs: Attributes, obj: Obj) -> None:
        if attrs.info.plural != "pods":
            return
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            return
        if attrs.operation == "UPDATE":
            old_spec = (attrs.old or {}).get("spec") or {}
            if old_spec is spec:  # an unchanged spec shared with old: nothing to carry
                return
            for key in ("priority", "preemptionPolicy"):
                if spec.get(key) is None and old_spec.get(key) is not None:
                    spec[key] = old_spec[key]
            return
        if attrs.operation != "CREATE":
            return
        name = spec.get("priorityClassName") or ""
        if name:
            pc = self._class(name)
            if pc is None:
                raise forbidden(attrs, obj, f"no PriorityClass with name {name} was found")
            priority, policy = pc.get("value", 0), pc.get("preemptionPolicy")
        else:
            pc = self._default_class()
            if pc is not None:
                spec["priorityClassName"] = pc["metadata"]["name"]
                priority, policy = pc.get("value", 0), pc.get("preemptionPolicy")
            else:
                priority, policy = 0, DEFAULT_PREEMPTION_POLICY
        if spec.get("priority") is not None and spec["priority"] != priority:
            raise forbidden(
                attrs,
                obj,
                (
                    f"the integer value of priority ({spec['priority']}) must not be provided in pod "
                    f"spec; priority admission controller computed {priority} from the given "
                    "PriorityClass name"
                ),
            )
        spec["priority"] = priority
        if policy is not None:
            if spec.get("preemptionPolicy") is not None and spec["preemptionPolicy"] != policy:
                raise forbidden(
                    attrs,
                    obj,
                    (
                        f"the string value of PreemptionPolicy ({spec['preemptionPolicy']}) must not "
                        f"be provided in pod spec; priority admission controller computed {policy} "
                        "from the given PriorityClass name"
                    ),
                )
            spec["preemptionPolicy"] = policy

    # -- priority classes --------------------------------------------------------------
    def validate(self, attrs: Attributes, obj: Obj) -> None:
        if attrs.info.plural != "priorityclasses":
            return
        name = (obj.get("metadata") or {}).get("name") or attrs.name
        if attrs.operation == "DELETE":
            if name in SYSTEM_PRIORITY_CLASSES:
                raise forbidden(attrs, obj, "this is a system priority class and cannot be deleted")
            return
        if attrs.operation not in ("CREATE", "UPDATE") or obj.get("globalDefault") is not True:
            return
        current = self._default_class()
        if current is not None and (
            attrs.operation == "CREATE" or current["metadata"]["name"] != name
        ):
            raise forbidden(
                attrs,
                obj,
                f"PriorityClass {current['metadata']['name']} is already "
                "marked as default. Only one default can exist",
            )
