"""DaemonSet pod helpers.

Upstream: ``pkg/controller/daemon/util/daemonset_util.go``
(``CreatePodTemplate``, ``ReplaceDaemonSetPodNodeNameNodeAffinity``,
``GetTargetNodeName``, ``IsPodUpdated``, ``GetTemplateGeneration``,
``SurgeCount``, ``UnavailableCount``, ``AllowsSurge``) and
``daemon_controller.go`` (``podByCreationTimestampAndPhase``).
"""

from __future__ import annotations

import math
from typing import Any

from engine.api import meta
from engine.controllers.daemon.eligibility import add_daemon_tolerations

Obj = dict[str, Any]

HASH_LABEL = "controller-revision-hash"
TEMPLATE_GENERATION_LABEL = "pod-template-generation"
TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation"


def template_generation(ds: Obj) -> str | None:
    """``GetTemplateGeneration``: the API server's annotation, if it parses."""
    value = (ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION_ANNOTATION)
    try:
        return str(int(value)) if value is not None else None
    except ValueError:
        return None


def create_pod_template(ds: Obj, hash_: str) -> Obj:
    """``CreatePodTemplate``: daemon tolerations, the generation and hash labels."""
    template = meta.deep_copy(ds["spec"].get("template") or {})
    spec = template.setdefault("spec", {})
    add_daemon_tolerations(spec)
    labels = template.setdefault("metadata", {}).setdefault("labels", {})
    generation = template_generation(ds)
    if generation is not None:
        labels[TEMPLATE_GENERATION_LABEL] = generation
    if hash_:
        labels[HASH_LABEL] = hash_
    return template


def pin_to_node(spec: Obj, node: str) -> None:
    """``ReplaceDaemonSetPodNodeNameNodeAffinity``: required node affinity on
    ``metadata.name`` in [node], replacing any required terms."""
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
    affinity = spec.setdefault("affinity", {})
    node_affinity = affinity.setdefault("nodeAffinity", {})
    required = node_affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", {})
    required["nodeSelectorTerms"] = [term]


def target_node(pod: Obj) -> str | None:
    """``GetTargetNodeName``: ``nodeName``, or the pinned node before scheduling."""
    if pod["spec"].get("nodeName"):
        return pod["spec"]["nodeName"]
    required = ((((pod["spec"].get("affinity") or {}).get("nodeAffinity") or {})
                 .get("requiredDuringSchedulingIgnoredDuringExecution")) or {})
    for term in required.get("nodeSelectorTerms") or ():
        for req in term.get("matchFields") or ():
            values = req.get("values") or []
            if req.get("key") == "metadata.name" and req.get("operator") == "In" \
                    and len(values) == 1:
                return values[0]
    return None


def is_pod_updated(pod: Obj, hash_: str, generation: str | None) -> bool:
    """``IsPodUpdated``: the current hash, or (legacy) the template generation."""
    labels = pod["metadata"].get("labels") or {}
    return ((bool(hash_) and labels.get(HASH_LABEL) == hash_)
            or (generation is not None and labels.get(TEMPLATE_GENERATION_LABEL) == generation))


def _scaled(value: Any, total: int) -> int:
    """``GetScaledValueFromIntOrPercent`` rounding up."""
    if value is None:
        return 0
    if isinstance(value, str):
        return math.ceil(int(value.rstrip("%")) * total / 100)
    return int(value)


def _rolling(ds: Obj) -> Obj | None:
    strategy = ds["spec"].get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return None
    return strategy.get("rollingUpdate") or {}


def surge_count(ds: Obj, scheduled: int) -> int:
    rolling = _rolling(ds)
    return 0 if rolling is None else _scaled(rolling.get("maxSurge"), scheduled)


def unavailable_count(ds: Obj, scheduled: int) -> int:
    rolling = _rolling(ds)
    return 0 if rolling is None else _scaled(rolling.get("maxUnavailable"), scheduled)


def allows_surge(ds: Obj) -> bool:
    return surge_count(ds, 1) != 0


def by_creation_and_phase(pods: list[Obj]) -> list[Obj]:
    """``podByCreationTimestampAndPhase``: scheduled first, then oldest, then by name."""
    def key(p: Obj) -> tuple:
        return (not p["spec"].get("nodeName"), p["metadata"].get("creationTimestamp") or "",
                p["metadata"]["name"])
    return sorted(pods, key=key)
