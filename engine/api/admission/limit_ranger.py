"""LimitRanger admission (upstream ``plugin/pkg/admission/limitranger/admission.go``).

Mutating: a new pod's containers (and init containers) get the default
requests and limits of each ``Container`` item of the namespace's LimitRanges
for whatever they do not set, recorded in the ``kubernetes.io/limit-ranger``
annotation. Validating: containers, pods and claims must stay within each
item's ``min``/``max``/``maxLimitRequestRatio``; a violation is 403 Forbidden
with upstream's wording. Pod updates are not checked (their resources are
immutable), nor are objects being deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api.admission._util import (
    MAX_MILLI_VALUE,
    PerRequest,
    Resources,
    aggregate,
    forbidden,
    list_objects,
    milli_or_units,
    pod_aggregate,
    resource_list,
)
from engine.api.admission.base import AdmissionPlugin, Attributes
from engine.api.validation.quantity import Quantity, canonical

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]

ANNOTATION = "kubernetes.io/limit-ranger"


class LimitRanger(AdmissionPlugin):
    name = "LimitRanger"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        if attrs.subresource or attrs.info.group or not attrs.namespace:
            return False
        if attrs.info.plural == "pods":
            return attrs.operation == "CREATE"
        return attrs.info.plural == "persistentvolumeclaims" and attrs.operation in (
            "CREATE",
            "UPDATE",
        )

    def __init__(self, api: APIServer) -> None:
        super().__init__(api)
        self._ranges = PerRequest()

    def _limit_ranges(self, attrs: Attributes) -> list[Obj]:
        if attrs.old is not None and (attrs.old.get("metadata") or {}).get("deletionTimestamp"):
            return []
        return self._ranges.get(
            attrs, attrs.namespace, lambda: list_objects(self.api, "limitranges", attrs.namespace)
        )

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        if attrs.info.plural != "pods":
            return
        for limit_range in self._limit_ranges(attrs):
            merge_pod_defaults(obj, default_requirements(limit_range))

    def validate(self, attrs: Attributes, obj: Obj) -> None:
        for limit_range in self._limit_ranges(attrs):
            if attrs.info.plural == "pods":
                messages = pod_limit_errors(limit_range, obj)
            else:
                messages = claim_limit_errors(limit_range, obj)
            if messages:
                raise forbidden(attrs, obj, aggregate(messages))


def _items(limit_range: Obj, kind: str) -> list[Obj]:
    limits = (limit_range.get("spec") or {}).get("limits") or ()
    return [item for item in limits if isinstance(item, dict) and item.get("type") == kind]


# -- mutation ----------------------------------------------------------------------------
def default_requirements(limit_range: Obj) -> tuple[dict[str, Any], dict[str, Any]]:
    """``defaultContainerResourceRequirements``: (requests, limits) from the
    ``Container`` items' ``defaultRequest`` and ``default``."""
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    for item in _items(limit_range, "Container"):
        requests.update(item.get("defaultRequest") or {})
        limits.update(item.get("default") or {})
    return requests, limits


def merge_pod_defaults(pod: Obj, defaults: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """``mergePodResourceRequirements``, annotating what it set."""
    notes: list[str] = []
    spec = pod.get("spec") or {}
    for key, label in (("containers", "container"), ("initContainers", "init container")):
        for container in spec.get(key) or ():
            if isinstance(container, dict):
                notes.extend(_merge_container(container, defaults, label))
    if notes:
        annotations = pod.setdefault("metadata", {}).setdefault("annotations", {})
        annotations[ANNOTATION] = "LimitRanger plugin set: " + "; ".join(notes)


def _merge_container(
    container: Obj, defaults: tuple[dict[str, Any], dict[str, Any]], label: str
) -> list[str]:
    requests, limits = defaults
    resources = container.get("resources")
    if not isinstance(resources, dict):
        resources = container["resources"] = {}
    set_requests = _fill(resources, "requests", requests)
    set_limits = _fill(resources, "limits", limits)
    notes = []
    name = container.get("name", "")
    if set_requests:
        notes.append(f"{', '.join(sorted(set_requests))} request for {label} {name}")
    if set_limits:
        notes.append(f"{', '.join(sorted(set_limits))} limit for {label} {name}")
    return notes


def _fill(resources: Obj, field: str, defaults: dict[str, Any]) -> list[str]:
    missing = [name for name in defaults if name not in (resources.get(field) or {})]
    if missing:
        target = resources.get(field)
        if not isinstance(target, dict):
            target = resources[field] = {}
        for name in missing:
            target[name] = defaults[name]
    return missing


# -- validation ----------------------------------------------------------------------------
def min_constraint(
    kind: str, name: str, enforced: Quantity, requests: Resources, limits: Resources
) -> str | None:
    req, lim = requests.get(name), limits.get(name)
    req_v, lim_v, enf_v = milli_or_units(req, lim, enforced)
    if req is None:
        return f"minimum {name} usage per {kind} is {canonical(enforced)}.  No request is specified"
    if req_v < enf_v:
        return (
            f"minimum {name} usage per {kind} is {canonical(enforced)}, but request is "
            f"{canonical(req)}"
        )
    if lim is not None and lim_v < enf_v:
        return (
            f"minimum {name} usage per {kind} is {canonical(enforced)}, but limit is "
            f"{canonical(lim)}"
        )
    return None


def max_constraint(
    kind: str, name: str, enforced: Quantity, requests: Resources, limits: Resources
) -> str | None:
    req, lim = requests.get(name), limits.get(name)
    req_v, lim_v, enf_v = milli_or_units(req, lim, enforced)
    if lim is None:
        return f"maximum {name} usage per {kind} is {canonical(enforced)}.  No limit is specified"
    if lim_v > enf_v:
        return (
            f"maximum {name} usage per {kind} is {canonical(enforced)}, but limit is "
            f"{canonical(lim)}"
        )
    if req is not None and req_v > enf_v:
        return (
            f"maximum {name} usage per {kind} is {canonical(enforced)}, but request is "
            f"{canonical(req)}"
        )
    return None


def max_request_constraint(
    kind: str, name: str, enforced: Quantity, requests: Resources
) -> str | None:
    """``maxRequestConstraint`` (claims have no limits)."""
    req = requests.get(name)
    req_v, _, enf_v = milli_or_units(req, None, enforced)
    if req is None:
        return f"maximum {name} usage per {kind} is {canonical(enforced)}.  No request is specified"
    if req_v > enf_v:
        return (
            f"maximum {name} usage per {kind} is {canonical(enforced)}, but request is "
            f"{canonical(req)}"
        )
    return None


def ratio_constraint(
    kind: str, name: str, enforced: Quantity, requests: Resources, limits: Resources
) -> str | None:
    """``limitRequestRatioConstraint``."""
    req, lim = requests.get(name), limits.get(name)
    req_v, lim_v, _ = milli_or_units(req, lim, enforced)
    ratio = canonical(enforced)
    if req is None or req_v == 0:
        return (
            f"{name} max limit to request ratio per {kind} is {ratio}, but no request is "
            "specified or request is 0"
        )
    if lim is None or lim_v == 0:
        return (
            f"{name} max limit to request ratio per {kind} is {ratio}, but no limit is "
            "specified or limit is 0"
        )
    observed = lim_v / req_v
    shown, allowed = observed, float(enforced.int_value())
    if enforced.int_value() <= MAX_MILLI_VALUE:
        observed *= 1000
        allowed = float(enforced.milli_value())
    if observed > allowed:
        return (
            f"{name} max limit to request ratio per {kind} is {ratio}, but provided ratio "
            f"is {shown:f}"
        )
    return None


def _check(kind: str, item: Obj, requests: Resources, limits: Resources) -> list[str]:
    out = []
    for field, check in (
        ("min", min_constraint),
        ("max", max_constraint),
        ("maxLimitRequestRatio", ratio_constraint),
    ):
        for name, enforced in resource_list(item.get(field)).items():
            message = check(kind, name, enforced, requests, limits)
            if message:
                out.append(message)
    return out


def pod_limit_errors(limit_range: Obj, pod: Obj) -> list[str]:
    """``PodValidateLimitFunc``: Container items apply to each container and
    init container, Pod items to the pod's effective requests and limits."""
    out: list[str] = []
    spec = pod.get("spec") or {}
    for item in _items(limit_range, "Container"):
        for key in ("containers", "initContainers"):
            for container in spec.get(key) or ():
                if isinstance(container, dict):
                    resources = container.get("resources") or {}
                    out += _check(
                        "Container",
                        item,
                        resource_list(resources.get("requests")),
                        resource_list(resources.get("limits")),
                    )
    for item in _items(limit_range, "Pod"):
        out += _check("Pod", item, pod_aggregate(pod, "requests"), pod_aggregate(pod, "limits"))
    return out


def claim_limit_errors(limit_range: Obj, claim: Obj) -> list[str]:
    """``PersistentVolumeClaimValidateLimitFunc``: min and max of the requests."""
    out: list[str] = []
    requests = resource_list(((claim.get("spec") or {}).get("resources") or {}).get("requests"))
    for item in _items(limit_range, "PersistentVolumeClaim"):
        for name, enforced in resource_list(item.get("min")).items():
            message = min_constraint("PersistentVolumeClaim", name, enforced, requests, {})
            if message:
                out.append(message)
        for name, enforced in resource_list(item.get("max")).items():
            message = max_request_constraint("PersistentVolumeClaim", name, enforced, requests)
            if message:
                out.append(message)
    return out
