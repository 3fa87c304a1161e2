"""Simulated resource usage: what ``kubectl top`` and the HPA would see.

Deterministic functions of the container, its requests and limits, how long
it has run, and its **load** - a number from 0 (idle) upward, taken from the
pod annotation ``k9py.dev/load`` (or ``k9py.dev/load.<container>``), else from
the newest :meth:`UsageModel.set_load` rule whose namespace and label
selector match the pod, else 0:

* CPU = the image's idle baseline + load x the container's CPU request (its
  limit, or 100m, when it requests none), with a slow +-10 % wobble; never
  above the CPU limit (the container is throttled);
* memory = the image's idle baseline, growing over the first 30 s, + load x
  60 % of the memory request (or of 64Mi), with a slow +-3 % drift; kept
  under 95 % of the memory limit (the OOM killer is the ``k9py.dev/oom-after``
  knob's job).

Readings are taken as metrics-server scrapes them: once every 15 s, so every
read within a window agrees. Node usage is its pods' usage plus the node's
own daemons (kubelet, containerd).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.api.validation.quantity import QuantityError, parse_quantity_value

if TYPE_CHECKING:
    from engine.kubelet.runtime import Container

Obj = dict[str, Any]

SCRAPE_INTERVAL = 15.0
MI = 1024 * 1024
DEFAULT_CPU = 100  # millicores a load of 1 means without a request or limit
DEFAULT_MEMORY = 64 * MI
# family -> (idle millicores, idle bytes)
BASELINES = {
    "nginx": (0.2, 3 * MI), "httpd": (0.5, 6 * MI), "redis": (2, 8 * MI),
    "coredns": (3, 14 * MI), "postgres": (4, 28 * MI), "mysql": (8, 380 * MI),
    "shell": (0, 0.4 * MI), "hello": (0, 0.2 * MI), "pause": (0, 0.3 * MI),
    "server": (2, 24 * MI),
}
COMPONENTS = {  # the control plane's own images
    "kube-apiserver": (45, 280 * MI), "kube-controller-manager": (15, 55 * MI),
    "kube-scheduler": (3, 22 * MI), "kube-proxy": (1, 18 * MI), "etcd": (25, 45 * MI),
}
NODE_DAEMONS = (60, 650 * MI)  # kubelet + containerd + systemd


@dataclass(frozen=True)
class LoadRule:
    namespace: str
    selector: Any  # a label matcher, or None for every pod
    value: float


def quantity(value: Any, milli: bool) -> float | None:
    """A resource quantity as millicores (``milli``) or bytes; None if unset or invalid.

    Strings are parsed once: the same few (``100m``, ``128Mi``) come with
    every pod admitted and every usage reading."""
    if type(value) is not str:
        return _quantity(value, milli)
    memo_key = (value, milli)
    try:
        return _QUANTITIES[memo_key]
    except KeyError:
        pass
    amount = _quantity(value, milli)
    if len(_QUANTITIES) < _QUANTITIES_MAX:
        _QUANTITIES[memo_key] = amount
    return amount


def _quantity(value: Any, milli: bool) -> float | None:
    if value is None:
        return None
    try:
        amount = parse_quantity_value(value).value
    except (QuantityError, ValueError, TypeError):
        return None
    return float(amount) * (1000 if milli else 1)


# Parsed quantity strings; bounded so arbitrary input cannot grow it forever.
_QUANTITIES: dict[tuple[str, bool], float | None] = {}
_QUANTITIES_MAX = 4096


class UsageModel:
    """Load rules and readings."""

    def __init__(self) -> None:
        self.rules: list[LoadRule] = []

    def set_load(self, namespace: str, selector: str | None, value: float | None) -> None:
        """Set (or with ``value=None`` clear) the load of the pods a selector picks."""
        from engine.runtime.lister import as_label_selector

        matcher = as_label_selector(selector)
        self.rules = [r for r in self.rules
                      if not (r.namespace == namespace and r.selector == matcher)]
        if value is not None:
            self.rules.append(LoadRule(namespace, matcher, float(value)))

    def load_for(self, pod: Obj, container: Container) -> float:
        if container.behaviour.load is not None:
            return container.behaviour.load
        labels = pod["metadata"].get("labels") or {}
        for rule in reversed(self.rules):
            if rule.namespace in ("", pod["metadata"]["namespace"]) and (
                    rule.selector is None or rule.selector.matches(labels)):
                return rule.value
        return 0.0

    def container(self, pod: Obj, spec: Obj, c: Container, now: float) -> tuple[float, float]:
        """(millicores, bytes) of a container at the scrape before ``now``."""
        if not c.running or c.started_at is None:
            return 0.0, 0.0
        at = math.floor(now / SCRAPE_INTERVAL) * SCRAPE_INTERVAL
        age = max(at - c.started_at, 0.0)
        base_cpu, base_mem = _baseline(c)
        resources = spec.get("resources") or {}
        requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
        load = self.load_for(pod, c)
        cpu_unit = (quantity(requests.get("cpu"), True) or quantity(limits.get("cpu"), True)
                    or DEFAULT_CPU)
        mem_unit = quantity(requests.get("memory"), False) or DEFAULT_MEMORY
        phase = _phase(c.id)
        cpu = (base_cpu + load * cpu_unit) * (1 + 0.1 * math.sin(at / 60 * 2 * math.pi + phase))
        memory = base_mem * min(1.0, 0.4 + age / 50) + load * 0.6 * mem_unit
        memory *= 1 + 0.03 * math.sin(at / 300 * 2 * math.pi + phase)
        cpu_limit = quantity(limits.get("cpu"), True)
        mem_limit = quantity(limits.get("memory"), False)
        if cpu_limit is not None:
            cpu = min(cpu, cpu_limit)
        if mem_limit is not None:
            memory = min(memory, 0.95 * mem_limit)
        return max(cpu, 0.0), max(memory, 0.0)


def _baseline(c: Container) -> tuple[float, float]:
    name = c.image.name
    if name in COMPONENTS:
        return COMPONENTS[name]
    return BASELINES.get(c.behaviour.family, BASELINES["server"])


def _phase(cid: str) -> float:
    return int(hashlib.sha256(cid.encode()).hexdigest()[:6], 16) / 0xFFFFFF * 2 * math.pi


def cpu_string(millicores: float) -> str:
    """metrics-server's CPU: nanocores (``12345678n``)."""
    return f"{int(millicores * 1_000_000)}n"


def memory_string(amount: float) -> str:
    """metrics-server's memory: kibibytes (``12345Ki``)."""
    return f"{int(amount // 1024)}Ki"
