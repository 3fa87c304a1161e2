"""Pod admission: the kubelet's own check before it runs a pod.

Upstream: ``pkg/kubelet/lifecycle/predicate.go`` (``predicateAdmitHandler``)
and ``kubelet.go`` (``rejectPod``). The scheduler normally guarantees a pod
fits, but a pod bound by hand (``spec.nodeName``) is checked again: its
requests (cpu, memory, ephemeral-storage, and one more pod) against the
node's allocatable minus the pods it already runs, and its node selector
against the node's labels. A rejected pod is never started: it is ``Failed``
with reason ``OutOfcpu``/``OutOfmemory``/``OutOfpods``/``NodeAffinity`` and
the message ``Pod was rejected: Node didn't have enough resource: cpu,
requested: 5000, used: 850, capacity: 4000``, and the same Warning event.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from engine.kubelet.usage import quantity

if TYPE_CHECKING:
    from engine.kubelet.kubelet import Kubelet

Obj = dict[str, Any]

CHECKED = ("cpu", "memory", "ephemeral-storage")


def pod_requests(pod: Obj) -> dict[str, float]:
    """``resourcehelper.PodRequests``: the larger of the containers' sum and any
    init container, plus overhead; cpu in millicores, the rest in bytes."""
    spec = pod["spec"]
    total = _sum(spec.get("containers") or ())
    for init in spec.get("initContainers") or ():
        one = _sum([init])
        if init.get("restartPolicy") == "Always":
            total = {k: total.get(k, 0) + v for k, v in {**total, **one}.items()}
            continue
        for k, v in one.items():
            total[k] = max(total.get(k, 0), v)
    for k, v in (spec.get("overhead") or {}).items():
        amount = quantity(v, k == "cpu")
        if amount is not None:
            total[k] = total.get(k, 0) + amount
    return total


def _sum(containers: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for c in containers:
        for k, v in ((c.get("resources") or {}).get("requests") or {}).items():
            amount = quantity(v, k == "cpu")
            if amount is not None:
                out[k] = out.get(k, 0) + amount
    return out


def check(kubelet: Kubelet, pod: Obj, active: list[dict[str, float]],
          wanted: dict[str, float] | None = None) -> tuple[str, str] | None:
    """(reason, message) when ``pod`` must be rejected, else None; ``active`` holds
    the requests of the pods the node runs, ``wanted`` the pod's own when the
    caller has them already (its worker keeps them for later admissions)."""
    node = kubelet.current_node() or {}
    labels = node.get("metadata", {}).get("labels") or {}
    for key, value in (pod["spec"].get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return ("NodeAffinity", "Pod was rejected: Predicate NodeAffinity failed: node(s) "
                                    "didn't match Pod's node affinity/selector")
    spec = kubelet.spec
    pods, limits = _capacity(spec.cpu, spec.memory, spec.ephemeral_storage, spec.pods)
    if len(active) + 1 > int(pods):
        return ("OutOfpods", "Pod was rejected: Node didn't have enough resource: pods, "
                             f"requested: 1, used: {len(active)}, capacity: {pods}")
    if wanted is None:
        wanted = pod_requests(pod)
    used: dict[str, float] = {}
    for other in active:
        for k, v in other.items():
            used[k] = used.get(k, 0) + v
    for name, limit in limits:
        if wanted.get(name, 0) and wanted[name] + used.get(name, 0) > limit:
            return (f"OutOf{name}", "Pod was rejected: Node didn't have enough resource: "
                                  f"{name}, requested: {int(wanted[name])}, used: "
                                  f"{int(used.get(name, 0))}, capacity: {int(limit)}")
    return None


@functools.lru_cache(maxsize=4096)
def _capacity(cpu: str, memory: str, storage: str,
              pods: str) -> tuple[str, tuple[tuple[str, float], ...]]:
    """A machine's pod capacity and its checked resources' limits (node_status
    ``resources``), parsed once per machine shape: every admission asks again."""
    amounts = {"cpu": cpu, "memory": memory, "ephemeral-storage": storage}
    return pods, tuple((name, quantity(amounts[name], name == "cpu") or 0) for name in CHECKED)
