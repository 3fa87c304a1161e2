"""Workload controllers' objects (upstream ``pkg/registry/apps/{deployment,
replicaset,statefulset,daemonset,controllerrevision}/strategy.go`` and
``pkg/registry/core/{replicationcontroller,podtemplate}/strategy.go``).

Each starts with generation 1 and its zero status, bumps its generation when
the spec changes and keeps its status on main-resource writes. A DaemonSet
also carries its template generation in the
``deprecated.daemonset.template.generation`` annotation (the v1 form of the
internal ``spec.templateGeneration``), bumped when the template changes.
"""

from __future__ import annotations

from typing import Any

from engine.api.strategies.base import StatusStrategy, Strategy, semantic_equal

Obj = dict[str, Any]

TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation"


class SpecOnlyStatusStrategy(StatusStrategy):
    """``<kind>StatusStrategy`` that only resets the spec (``new.Spec = old.Spec``)."""

    kept_metadata = ()


class DeploymentStrategy(Strategy):
    """``deploymentStrategy``."""

    zero_status: Obj = {}


class DeploymentStatusStrategy(StatusStrategy):
    """``deploymentStatusStrategy``: spec and labels are the stored ones."""

    kept_metadata = ("labels",)


DeploymentStrategy.status_class = DeploymentStatusStrategy


class ReplicaSetStrategy(Strategy):
    """``rsStrategy`` (and ``rcStrategy``: the status serialises ``replicas: 0``)."""

    zero_status = {"replicas": 0}
    status_class = SpecOnlyStatusStrategy


class StatefulSetStrategy(Strategy):
    """``statefulSetStrategy``."""

    zero_status = {"replicas": 0, "availableReplicas": 0}
    status_class = SpecOnlyStatusStrategy


class DaemonSetStrategy(Strategy):
    """``daemonSetStrategy``."""

    zero_status = {
        "currentNumberScheduled": 0,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 0,
        "numberReady": 0,
    }
    status_class = SpecOnlyStatusStrategy

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        meta = obj.setdefault("metadata", {})
        if _template_generation(meta) < 1:
            meta.setdefault("annotations", {})[TEMPLATE_GENERATION_ANNOTATION] = "1"

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        old_generation = _template_generation(old.get("metadata") or {})
        generation = old_generation
        if not semantic_equal(
            (new.get("spec") or {}).get("template"), (old.get("spec") or {}).get("template")
        ):
            generation = old_generation + 1
        if generation >= 1:
            new["metadata"].setdefault("annotations", {})[TEMPLATE_GENERATION_ANNOTATION] = str(
                generation
            )


def _template_generation(meta: Obj) -> int:
    value = (meta.get("annotations") or {}).get(TEMPLATE_GENERATION_ANNOTATION)
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class PodTemplateStrategy(Strategy):
    """``podTemplateStrategy``: generation counts changes to the template."""

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        return not semantic_equal(new.get("template"), old.get("template"))


STRATEGIES = {
    ("apps", "deployments"): DeploymentStrategy,
    ("apps", "replicasets"): ReplicaSetStrategy,
    ("apps", "statefulsets"): StatefulSetStrategy,
    ("apps", "daemonsets"): DaemonSetStrategy,
    ("", "replicationcontrollers"): ReplicaSetStrategy,
    ("", "podtemplates"): PodTemplateStrategy,
}
