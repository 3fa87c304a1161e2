"""Resource amounts as integers, and what a pod requests.

Upstream: ``pkg/scheduler/framework/types.go`` (``Resource``: MilliCPU,
Memory, EphemeralStorage, AllowedPodNumber, ScalarResources),
``k8s.io/component-helpers/resource/helpers.go`` (``PodRequests``: the sum
of the containers, the max with each init container (sidecars, i.e.
``restartPolicy: Always`` init containers, add up and keep running), plus the
pod overhead) and ``pkg/scheduler/util/pod_resources.go`` (the non-zero
defaults, 100m CPU and 200Mi memory, used for scoring).

Quantities are parsed once (strings are cached) into millicores for CPU and
plain integers (bytes, counts) for everything else.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from engine.api.validation.quantity import QuantityError, parse_quantity_value

Obj = dict[str, Any]

CPU = "cpu"
MEMORY = "memory"
EPHEMERAL = "ephemeral-storage"
PODS = "pods"

DEFAULT_MILLI_CPU_REQUEST = 100  # 0.1 core
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024  # 200 MiB


@lru_cache(maxsize=4096)
def _milli(text: str) -> int:
    try:
        return parse_quantity_value(text).milli_value()
    except QuantityError:
        return 0


@lru_cache(maxsize=4096)
def _value(text: str) -> int:
    try:
        return parse_quantity_value(text).int_value()
    except QuantityError:
        return 0


def milli_value(q: Any) -> int:
    """``Quantity.MilliValue()`` of a JSON quantity (string or number)."""
    return _milli(q if isinstance(q, str) else str(q))


def int_value(q: Any) -> int:
    """``Quantity.Value()`` of a JSON quantity."""
    return _value(q if isinstance(q, str) else str(q))


def amount(name: str, q: Any) -> int:
    """The integer the scheduler keeps for resource ``name``."""
    return milli_value(q) if name == CPU else int_value(q)


class Resource:
    """``framework.Resource``."""

    __slots__ = ("milli_cpu", "memory", "ephemeral_storage", "allowed_pods", "scalar")

    def __init__(self, milli_cpu: int = 0, memory: int = 0, ephemeral_storage: int = 0,
                 allowed_pods: int = 0, scalar: dict[str, int] | None = None) -> None:
        self.milli_cpu = milli_cpu
        self.memory = memory
        self.ephemeral_storage = ephemeral_storage
        self.allowed_pods = allowed_pods
        self.scalar = scalar or {}

    @classmethod
    def from_list(cls, resources: Obj | None) -> Resource:
        """``NewResource(rl)``."""
        r = cls()
        for name, q in (resources or {}).items():
            r.set(name, amount(name, q))
        return r

    def set(self, name: str, value: int) -> None:
        if name == CPU:
            self.milli_cpu = value
        elif name == MEMORY:
            self.memory = value
        elif name == EPHEMERAL:
            self.ephemeral_storage = value
        elif name == PODS:
            self.allowed_pods = value
        elif is_scalar_resource_name(name):
            self.scalar[name] = value

    def get(self, name: str) -> int:
        if name == CPU:
            return self.milli_cpu
        if name == MEMORY:
            return self.memory
        if name == EPHEMERAL:
            return self.ephemeral_storage
        if name == PODS:
            return self.allowed_pods
        return self.scalar.get(name, 0)

    def add(self, other: Resource, sign: int = 1) -> None:
        self.milli_cpu += sign * other.milli_cpu
        self.memory += sign * other.memory
        self.ephemeral_storage += sign * other.ephemeral_storage
        if other.scalar:
            for name, value in other.scalar.items():
                self.scalar[name] = self.scalar.get(name, 0) + sign * value

    def clone(self) -> Resource:
        return Resource(self.milli_cpu, self.memory, self.ephemeral_storage,
                        self.allowed_pods, dict(self.scalar))

    def is_zero(self) -> bool:
        return not (self.milli_cpu or self.memory or self.ephemeral_storage
                    or any(self.scalar.values()))

    def as_dict(self) -> dict[str, int]:
        out = {CPU: self.milli_cpu, MEMORY: self.memory, EPHEMERAL: self.ephemeral_storage}
        out.update(self.scalar)
        return out

    def __repr__(self) -> str:
        return f"Resource({self.as_dict()}, pods={self.allowed_pods})"


def is_scalar_resource_name(name: str) -> bool:
    """``IsScalarResourceName``: extended, hugepages-, attachable-volumes-, native
    names other than cpu/memory/ephemeral-storage/pods."""
    return name not in (CPU, MEMORY, EPHEMERAL, PODS)


def is_extended_resource_name(name: str) -> bool:
    """``IsExtendedResourceName``: a domain-prefixed name outside kubernetes.io."""
    if "/" not in name or name.startswith("requests."):
        return False
    domain = name.split("/", 1)[0]
    return not (domain == "kubernetes.io" or domain.endswith(".kubernetes.io"))


def _add(into: dict[str, int], reqs: dict[str, int]) -> None:
    for name, value in reqs.items():
        into[name] = into.get(name, 0) + value


def _max(into: dict[str, int], reqs: dict[str, int]) -> None:
    for name, value in reqs.items():
        if value > into.get(name, 0):
            into[name] = value


def _container_requests(container: Obj, non_zero: bool) -> dict[str, int]:
    requests = ((container.get("resources") or {}).get("requests")) or {}
    out = {name: amount(name, q) for name, q in requests.items()}
    if non_zero:
        if CPU not in requests:
            out[CPU] = DEFAULT_MILLI_CPU_REQUEST
        if MEMORY not in requests:
            out[MEMORY] = DEFAULT_MEMORY_REQUEST
    return out


def pod_requests(pod: Obj, *, non_zero: bool = False) -> dict[str, int]:
    """``resourcehelper.PodRequests`` as integers; ``non_zero`` fills missing
    CPU and memory requests of each container with the scoring defaults."""
    spec = pod.get("spec") or {}
    reqs: dict[str, int] = {}
    for c in spec.get("containers") or ():
        _add(reqs, _container_requests(c, non_zero))
    sidecars: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for c in spec.get("initContainers") or ():
        creqs = _container_requests(c, non_zero)
        if c.get("restartPolicy") == "Always":
            _add(reqs, creqs)
            _add(sidecars, creqs)
            current = dict(sidecars)
        else:
            current = dict(creqs)
            _add(current, sidecars)
        _max(init_max, current)
    _max(reqs, init_max)
    overhead = spec.get("overhead")
    if overhead:
        _add(reqs, {name: amount(name, q) for name, q in overhead.items()})
    return reqs


def pod_resource(pod: Obj) -> tuple[Resource, int, int]:
    """The pod's requests as a Resource, and its non-zero CPU and memory."""
    res = Resource()
    for name, value in pod_requests(pod).items():
        res.set(name, value)
    nz = pod_requests(pod, non_zero=True)
    return res, nz.get(CPU, 0), nz.get(MEMORY, 0)
