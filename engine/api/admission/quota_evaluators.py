"""Quota usage evaluators (upstream ``pkg/quota/v1/evaluator/core`` and
``staging/src/k8s.io/apiserver/pkg/quota/v1/generic``): which quota resource
names a kind consumes, how much one object uses, and which quota scopes it
falls under."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from engine.api.admission._util import (
    Resources,
    pod_limits,
    pod_requests,
    quantity,
    resource_list,
)
from engine.api.admission.storage import claim_class
from engine.api.resources import ResourceInfo
from engine.api.strategies.pods import get_pod_qos
from engine.api.validation.quantity import DECIMAL_SI, Quantity

Obj = dict[str, Any]

# legacyObjectCountAliases: the old names some object counts also have.
LEGACY_COUNT_ALIASES = {
    "configmaps": "configmaps",
    "resourcequotas": "resourcequotas",
    "replicationcontrollers": "replicationcontrollers",
    "secrets": "secrets",
}
STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/"
POD_COMPUTE = (
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
)
VALIDATION_SET = frozenset(
    {"cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"}
)
NATIVE_PREFIXES = ("kubernetes.io/", "requests.")


def count_name(info: ResourceInfo) -> str:
    """``ObjectCountQuotaResourceNameFor``: ``count/pods``, ``count/deployments.apps``."""
    return f"count/{info.plural}" + (f".{info.group}" if info.group else "")


def one() -> Quantity:
    return Quantity(Fraction(1), DECIMAL_SI)


class ObjectCountEvaluator:
    """``generic.NewObjectCountEvaluator``: counts objects on create only."""

    scoped = False

    def __init__(self, info: ResourceInfo) -> None:
        self.info = info
        names = [count_name(info)]
        if not info.group and info.plural in LEGACY_COUNT_ALIASES:
            names.append(LEGACY_COUNT_ALIASES[info.plural])
        self.names = tuple(names)

    def handles(self, operation: str) -> bool:
        return operation == "CREATE"

    def matching_resources(self, names: list[str]) -> list[str]:
        return [n for n in names if n in self.names]

    def constraints(self, required: list[str], obj: Obj) -> str | None:
        return None

    def matches_scope(self, scope: Obj, obj: Obj) -> bool:
        return False

    def usage(self, obj: Obj, now: float) -> Resources:
        return {name: one() for name in self.names}


class ServiceEvaluator(ObjectCountEvaluator):
    """``serviceEvaluator``: services, node ports and load balancers."""

    def __init__(self, info: ResourceInfo) -> None:
        super().__init__(info)
        self.names = (count_name(info), "services", "services.nodeports", "services.loadbalancers")

    def handles(self, operation: str) -> bool:
        return operation in ("CREATE", "UPDATE")

    def usage(self, obj: Obj, now: float) -> Resources:
        spec = obj.get("spec") or {}
        ports = [p for p in spec.get("ports") or () if isinstance(p, dict)]
        zero = Quantity(Fraction(0), DECIMAL_SI)
        result = {
            count_name(self.info): one(),
            "services": one(),
            "services.loadbalancers": zero,
            "services.nodeports": zero,
        }
        kind = spec.get("type")
        if kind == "NodePort":
            result["services.nodeports"] = Quantity(Fraction(len(ports)), DECIMAL_SI)
        elif kind == "LoadBalancer":
            node_ports = len(ports)
            if spec.get("allocateLoadBalancerNodePorts") is False:
                node_ports = sum(1 for p in ports if p.get("nodePort"))
            result["services.nodeports"] = Quantity(Fraction(node_ports), DECIMAL_SI)
            result["services.loadbalancers"] = one()
        return result


class ClaimEvaluator(ObjectCountEvaluator):
    """``pvcEvaluator``: claims and requested storage, also per storage class."""

    def __init__(self, info: ResourceInfo) -> None:
        super().__init__(info)
        self.names = (count_name(info), "persistentvolumeclaims", "requests.storage")

    def handles(self, operation: str) -> bool:
        return operation in ("CREATE", "UPDATE")

    def matching_resources(self, names: list[str]) -> list[str]:
        return [
            n
            for n in names
            if n in self.names
            or any(
                n.endswith(STORAGE_CLASS_SUFFIX + r)
                for r in ("persistentvolumeclaims", "requests.storage")
            )
        ]

    def usage(self, obj: Obj, now: float) -> Resources:
        result = {"persistentvolumeclaims": one(), count_name(self.info): one()}
        storage_class = claim_class(obj)
        if storage_class:
            result[storage_class + STORAGE_CLASS_SUFFIX + "persistentvolumeclaims"] = one()
        storage = self._storage(obj)
        if storage is not None:
            result["requests.storage"] = storage
            if storage_class:
                result[storage_class + STORAGE_CLASS_SUFFIX + "requests.storage"] = storage
        return result

    @staticmethod
    def _storage(obj: Obj) -> Quantity | None:
        """The request (or a larger allocation), rounded up to whole bytes."""
        requests = ((obj.get("spec") or {}).get("resources") or {}).get("requests") or {}
        request = quantity(requests["storage"]) if "storage" in requests else None
        if request is None:
            return None
        allocated = ((obj.get("status") or {}).get("allocatedResources") or {}).get("storage")
        allocated_q = quantity(allocated) if allocated is not None else None
        if allocated_q is not None and allocated_q.value > request.value:
            request = allocated_q
        if request.value.denominator != 1:
            request = Quantity(Fraction(math.ceil(request.value)), request.format)
        return request


class PodEvaluator(ObjectCountEvaluator):
    """``podEvaluator``: object count, compute resources, hugepages and
    extended resources; only on create (in-place resize is off in v1.32)."""

    scoped = True

    def __init__(self, info: ResourceInfo) -> None:
        super().__init__(info)
        self.names = (count_name(info), *POD_COMPUTE)

    def matching_resources(self, names: list[str]) -> list[str]:
        return [
            n
            for n in names
            if n in self.names
            or n.startswith(("hugepages-", "requests.hugepages-"))
            or _is_extended_quota_name(n)
        ]

    def constraints(self, required: list[str], obj: Obj) -> str | None:
        """Every container must request/limit the cpu and memory the quota covers."""
        required_set = set(required) & VALIDATION_SET
        missing: dict[str, list[str]] = {}
        spec = obj.get("spec") or {}
        for key in ("containers", "initContainers"):
            for container in spec.get(key) or ():
                resources = container.get("resources") or {}
                have = set(
                    _compute_usage(
                        resource_list(resources.get("requests")),
                        resource_list(resources.get("limits")),
                    )
                )
                for name in sorted(required_set - have):
                    names = missing.setdefault(name, [])
                    if container.get("name", "") not in names:
                        names.append(container.get("name", ""))
        if not missing:
            return None
        parts = [f"{name} for: {','.join(sorted(missing[name]))}" for name in sorted(missing)]
        return "must specify " + "; ".join(parts)

    def matches_scope(self, scope: Obj, obj: Obj) -> bool:
        """``podMatchesScopeFunc``."""
        name = scope.get("scopeName")
        spec = obj.get("spec") or {}
        if name in ("Terminating", "NotTerminating"):
            deadline = spec.get("activeDeadlineSeconds")
            terminating = isinstance(deadline, int) and deadline >= 0
            return terminating if name == "Terminating" else not terminating
        if name in ("BestEffort", "NotBestEffort"):
            best_effort = get_pod_qos(obj) == "BestEffort"
            return best_effort if name == "BestEffort" else not best_effort
        if name == "PriorityClass":
            return _selector_matches(scope, spec.get("priorityClassName") or "")
        if name == "CrossNamespacePodAffinity":
            return _cross_namespace_affinity(spec)
        return False

    def usage(self, obj: Obj, now: float) -> Resources:
        """``PodUsageFunc``: the count always; compute only for live pods."""
        result: Resources = {count_name(self.info): one()}
        if not _pod_counts(obj, now):
            return result
        result.update(_compute_usage(pod_requests(obj), pod_limits(obj)))
        return result


def _is_extended_quota_name(name: str) -> bool:
    """``isExtendedResourceNameForQuota``: ``requests.<extended resource>``."""
    if not name.startswith("requests."):
        return False
    return _is_extended(name[len("requests.") :])


def _is_extended(name: str) -> bool:
    """``helper.IsExtendedResourceName``: qualified, outside ``kubernetes.io/``."""
    return "/" in name and not name.startswith(NATIVE_PREFIXES)


def _compute_usage(requests: Resources, limits: Resources) -> Resources:
    """``podComputeUsageHelper``."""
    result: Resources = {"pods": one()}
    for resource in ("cpu", "memory", "ephemeral-storage"):
        if resource in requests:
            result[resource] = requests[resource]
            result[f"requests.{resource}"] = requests[resource]
        if resource in limits:
            result[f"limits.{resource}"] = limits[resource]
    for name, q in requests.items():
        if name.startswith("hugepages-"):
            result[name] = q
            result[f"requests.{name}"] = q
        if _is_extended(name):
            result[f"requests.{name}"] = q
    return result


def _pod_counts(pod: Obj, now: float) -> bool:
    """``QuotaV1Pod``: terminal pods, and pods past their deletion grace, are free."""
    if (pod.get("status") or {}).get("phase") in ("Failed", "Succeeded"):
        return False
    meta = pod.get("metadata") or {}
    deleted, grace = meta.get("deletionTimestamp"), meta.get("deletionGracePeriodSeconds")
    if deleted and grace is not None:
        try:
            at = datetime.strptime(deleted, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
        except (TypeError, ValueError):
            return True
        if now > at + grace:
            return False
    return True


def _selector_matches(requirement: Obj, value: str) -> bool:
    """A scope selector requirement against ``{PriorityClass: <name>}`` (no
    label when the pod has no class), with label selector semantics."""
    operator = requirement.get("operator")
    values = requirement.get("values") or []
    present = bool(value)
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator == "In":
        return present and value in values
    if operator == "NotIn":
        return not present or value not in values
    return False


def _cross_namespace_affinity(spec: Obj) -> bool:
    """``usesCrossNamespacePodAffinity``: any term naming namespaces or a
    namespace selector."""
    affinity = spec.get("affinity") or {}
    for kind in ("podAffinity", "podAntiAffinity"):
        section = affinity.get(kind) or {}
        terms = list(section.get("requiredDuringSchedulingIgnoredDuringExecution") or ())
        terms += [
            w.get("podAffinityTerm") or {}
            for w in section.get("preferredDuringSchedulingIgnoredDuringExecution") or ()
        ]
        if any(t.get("namespaces") or t.get("namespaceSelector") is not None for t in terms):
            return True
    return False


def evaluator_for(info: ResourceInfo) -> ObjectCountEvaluator:
    if not info.group and info.plural == "pods":
        return PodEvaluator(info)
    if not info.group and info.plural == "services":
        return ServiceEvaluator(info)
    if not info.group and info.plural == "persistentvolumeclaims":
        return ClaimEvaluator(info)
    return ObjectCountEvaluator(info)
