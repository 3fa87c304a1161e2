"""Pods (upstream ``pkg/registry/core/pod/strategy.go``, v1.32).

Create starts the status over as ``{phase: Pending, qosClass}``
(``qos.GetPodQOS``), adds the ``SchedulingGated`` condition to gated pods,
merges ``matchLabelKeys``/``mismatchLabelKeys`` into pod (anti-)affinity
selectors (MatchLabelKeysInPodAffinity, beta and on) and syncs the AppArmor
field with its deprecated annotation. Pods have no ``metadata.generation`` in
v1.32 (it arrived in v1.33). Deletion is graceful (``CheckGracefulDelete``).
"""

from __future__ import annotations

from typing import Any

import orjson

from engine.api.defaults.core import default_pod_status
from engine.api.memo import LRU
from engine.api.strategies.base import StatusStrategy, Strategy
from engine.api.validation.quantity import QuantityError, parse_quantity_value

Obj = dict[str, Any]

DEFAULT_GRACE_PERIOD = 30
QOS_RESOURCES = ("cpu", "memory")
APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"


def _positive(value: Any) -> Any:
    """The quantity's exact value when it is > 0, else None."""
    try:
        amount = parse_quantity_value(value).value
    except (QuantityError, ValueError, OverflowError):
        return None
    return amount if amount > 0 else None


def pod_qos_class(pod: Obj) -> str:
    """``qos.ComputePodQOS``: Guaranteed when every container (and init
    container) limits cpu and memory and the summed requests equal the summed
    limits; BestEffort when nothing requests or limits cpu or memory; else Burstable.

    Memoised by the containers' ``resources`` (all the class depends on), since
    every pod of a template has the same."""
    spec = pod.get("spec") or {}
    key = _qos_key(spec)
    if key is None:
        return _compute_qos(spec)
    found = _QOS.get(key)
    if found is None:
        found = _compute_qos(spec)
        _QOS.put(key, found)
    return found


_QOS = LRU(1024)


def _qos_key(spec: Any) -> bytes | None:
    """The JSON of each container's ``resources``, in the order they are summed
    (None when the spec's shape is unusual: then the class is just computed)."""
    if type(spec) is not dict:
        return None
    parts = []
    for key in ("containers", "initContainers"):
        containers = spec.get(key)
        if not containers:
            parts.append([])  # absent, null or empty: nothing to sum
        elif type(containers) is list:
            parts.append([c.get("resources") for c in containers if isinstance(c, dict)])
        else:
            return None
    try:
        return orjson.dumps(parts)
    except (TypeError, orjson.JSONEncodeError):
        return None


def _compute_qos(spec: Any) -> str:
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    guaranteed = True
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or ():
            if not isinstance(container, dict):
                continue
            resources = container.get("resources") or {}
            _sum_into(requests, resources.get("requests"))
            if not {"cpu", "memory"} <= _sum_into(limits, resources.get("limits")):
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if (
        guaranteed
        and requests.keys() == limits.keys()
        and all(limits[name] == amount for name, amount in requests.items())
    ):
        return "Guaranteed"
    return "Burstable"


def _sum_into(total: dict[str, Any], resource_list: Any) -> set[str]:
    """Add a container's positive cpu/memory quantities to ``total``; returns
    the names that had one."""
    found: set[str] = set()
    if not isinstance(resource_list, dict):
        return found
    for name in QOS_RESOURCES:
        if name in resource_list:
            amount = _positive(resource_list[name])
            if amount is not None:
                found.add(name)
                total[name] = total.get(name, 0) + amount
    return found


def get_pod_qos(pod: Obj) -> str:
    """``qos.GetPodQOS``: the class in the status when set, else computed."""
    status = pod.get("status")
    if isinstance(status, dict) and status.get("qosClass"):
        return status["qosClass"]
    return pod_qos_class(pod)


def graceful_delete_period(pod: Obj, requested: int | None) -> int:
    """``podStrategy.CheckGracefulDelete``: the requested period, else the pod's
    ``terminationGracePeriodSeconds`` (30 once defaulted); 0 for pods never
    scheduled or already Succeeded/Failed; a negative period becomes 1."""
    spec = pod.get("spec") or {}
    if requested is not None:
        period = requested
    else:
        period = spec.get("terminationGracePeriodSeconds")
        if not isinstance(period, int):
            period = DEFAULT_GRACE_PERIOD
    if not spec.get("nodeName"):
        period = 0
    if (pod.get("status") or {}).get("phase") in ("Failed", "Succeeded"):
        period = 0
    return 1 if period < 0 else period


# -- PrepareForCreate mutations ------------------------------------------------------
def apply_scheduling_gated_condition(pod: Obj) -> None:
    """``applySchedulingGatedCondition``."""
    if not (pod.get("spec") or {}).get("schedulingGates"):
        return
    conditions = pod["status"].setdefault("conditions", [])
    if any(isinstance(c, dict) and c.get("type") == "PodScheduled" for c in conditions):
        return
    conditions.append(
        {
            "type": "PodScheduled",
            "status": "False",
            "lastProbeTime": None,
            "lastTransitionTime": None,
            "reason": "SchedulingGated",
            "message": "Scheduling is blocked due to non-empty scheduling gates",
        }
    )


def mutate_pod_affinity(pod: Obj) -> None:
    """``mutatePodAffinity``: each term's ``matchLabelKeys`` become ``In``
    requirements and ``mismatchLabelKeys`` ``NotIn`` requirements on the pod's
    own label values."""
    affinity = (pod.get("spec") or {}).get("affinity")
    if not isinstance(affinity, dict):
        return
    labels = (pod.get("metadata") or {}).get("labels") or {}
    for kind in ("podAffinity", "podAntiAffinity"):
        section = affinity.get(kind)
        if not isinstance(section, dict):
            continue
        for term in section.get("requiredDuringSchedulingIgnoredDuringExecution") or ():
            _apply_label_keys(term, labels)
        for weighted in section.get("preferredDuringSchedulingIgnoredDuringExecution") or ():
            if isinstance(weighted, dict):
                _apply_label_keys(weighted.get("podAffinityTerm"), labels)


def _apply_label_keys(term: Any, labels: dict[str, str]) -> None:
    if not isinstance(term, dict) or not isinstance(term.get("labelSelector"), dict):
        return
    if not term.get("matchLabelKeys") and not term.get("mismatchLabelKeys"):
        return
    selector = term["labelSelector"]
    for field, operator in (("matchLabelKeys", "In"), ("mismatchLabelKeys", "NotIn")):
        for key in term.get(field) or ():
            if key in labels:
                selector.setdefault("matchExpressions", []).append(
                    {"key": key, "operator": operator, "values": [labels[key]]}
                )


def apply_apparmor_version_skew(pod: Obj) -> None:
    """``applyAppArmorVersionSkew``: a container's AppArmor profile (or the
    pod's) is mirrored into the deprecated per-container annotation, and an
    annotation without a field fills the container's field."""
    spec = pod.get("spec") or {}
    if (spec.get("os") or {}).get("name") == "windows":
        return
    pod_profile = (spec.get("securityContext") or {}).get("appArmorProfile")
    meta = pod.setdefault("metadata", {})
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(key) or ():
            if isinstance(container, dict) and isinstance(container.get("name"), str):
                _sync_apparmor(meta, container, pod_profile)


def _sync_apparmor(meta: Obj, container: Obj, pod_profile: Any) -> None:
    key = APPARMOR_ANNOTATION_PREFIX + container["name"]
    annotations = meta.get("annotations") or {}
    profile = (container.get("securityContext") or {}).get("appArmorProfile")
    if key not in annotations:
        value = _annotation_for(profile if profile is not None else pod_profile)
        if value:
            meta.setdefault("annotations", {})[key] = value
        return
    if profile is None:
        field = _field_for(annotations[key])
        if field is not None and field != pod_profile:
            container.setdefault("securityContext", {})["appArmorProfile"] = field


def _annotation_for(profile: Any) -> str:
    if not isinstance(profile, dict):
        return ""
    kind = profile.get("type")
    if kind == "RuntimeDefault":
        return "runtime/default"
    if kind == "Unconfined":
        return "unconfined"
    if kind == "Localhost" and profile.get("localhostProfile"):
        return "localhost/" + profile["localhostProfile"]
    return ""


def _field_for(annotation: Any) -> Obj | None:
    if annotation == "runtime/default":
        return {"type": "RuntimeDefault"}
    if annotation == "unconfined":
        return {"type": "Unconfined"}
    if isinstance(annotation, str) and annotation.startswith("localhost/"):
        name = annotation[len("localhost/") :]
        if name.strip() and len(name) <= 4095:
            return {"type": "Localhost", "localhostProfile": name}
    return None


class PodStrategy(Strategy):
    """``podStrategy``."""

    # Audited: pod defaulting and DefaultTolerationSeconds copy a shared spec
    # or status before they change it; Priority and PrepareForUpdate change
    # only what old lacks, which a shared part never lacks.
    shares_unchanged_parts = True

    def graceful_delete_period(self, obj: Obj, requested: int | None) -> int:
        return graceful_delete_period(obj, requested)

    def initial_status(self, obj: Obj) -> Obj:
        return {"phase": "Pending", "qosClass": get_pod_qos(obj)}

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        apply_scheduling_gated_condition(obj)
        mutate_pod_affinity(obj)
        apply_apparmor_version_skew(obj)

    def default_status(self, obj: Obj) -> None:
        default_pod_status(obj)


class PodStatusStrategy(StatusStrategy):
    """``podStatusStrategy``: the spec and owner references are the stored
    ones; a status without a QoS class keeps the stored class."""

    kept_metadata = ("ownerReferences",)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        status = new.get("status")
        old_class = (old.get("status") or {}).get("qosClass")
        if isinstance(status, dict) and not status.get("qosClass") and old_class:
            status["qosClass"] = old_class


PodStrategy.status_class = PodStatusStrategy

STRATEGIES = {("", "pods"): PodStrategy}
