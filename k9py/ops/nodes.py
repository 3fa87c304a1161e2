"""Cordon, uncordon, taint and drain, as kubectl does them.

* cordon/uncordon: merge patch ``spec.unschedulable`` (true / null).
* taint: the whole ``spec.taints`` list is written (taints are an atomic
  list, so kubectl sends the full list; removing the last one sends null).
* drain: cordon, then evict every pod on the node except mirror pods and,
  with ``ignore_daemonsets``, DaemonSet pods; refuses pods with emptyDir
  data unless ``delete_emptydir_data`` and unmanaged pods unless ``force``
  (kubectl's filters in ``k8s.io/kubectl/pkg/drain/filters.go``), then waits
  for them to go, up to the timeout. Eviction goes through the eviction
  subresource when the cluster offers it, else through DELETE.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from k9py.client import MERGE_PATCH, ClusterClient
from k9py.render.base import meta

Obj = dict[str, Any]
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
MIRROR = "kubernetes.io/config.mirror"


def cordon(client: ClusterClient, node: str, on: bool = True) -> Obj:
    body = {"spec": {"unschedulable": True if on else None}}
    return client.patch("nodes", node, body, MERGE_PATCH, field_manager="kubectl-cordon")


@dataclass(frozen=True)
class Taint:
    key: str
    value: str
    effect: str

    def as_dict(self) -> Obj:
        out: Obj = {"key": self.key, "effect": self.effect}
        if self.value:
            out["value"] = self.value
        return out

    def __str__(self) -> str:
        return f"{self.key}={self.value}:{self.effect}" if self.value else \
            f"{self.key}:{self.effect}"


def parse_taint(text: str, effect: str | None = None) -> Taint:
    """``key=value:Effect`` (effect may come from the picker instead)."""
    text = text.strip()
    if ":" in text:
        text, _, given = text.rpartition(":")
        effect = effect or given
    key, _, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not key:
        raise ValueError("a taint needs a key: key=value:Effect")
    if effect not in EFFECTS:
        raise ValueError(f"effect must be one of {', '.join(EFFECTS)}, not {effect!r}")
    _check_name(key, "key")
    if value:
        _check_name(value, "value", allow_slash=False)
    return Taint(key, value, effect)


def _check_name(text: str, what: str, allow_slash: bool = True) -> None:
    prefix, slash, name = text.rpartition("/")
    if slash and not allow_slash:
        raise ValueError(f"invalid taint {what} {text!r}: '/' is not allowed")
    ok = name and len(name) <= 63 and name[0].isalnum() and name[-1].isalnum() and all(
        c.isalnum() or c in "-_." for c in name)
    if not ok or (slash and not prefix):
        raise ValueError(f"invalid taint {what} {text!r}: must be alphanumeric, '-', '_' or "
                         "'.', starting and ending with an alphanumeric character")


def taints_of(node: Obj) -> list[Obj]:
    return list((node.get("spec") or {}).get("taints") or [])


def _write_taints(client: ClusterClient, node: str, taints: list[Obj]) -> Obj:
    body = {"spec": {"taints": taints or None}}
    return client.patch("nodes", node, body, MERGE_PATCH, field_manager="kubectl-taint")


def add_taint(client: ClusterClient, node: str, taint: Taint) -> Obj:
    """Add (or overwrite the value of) a taint with the same key and effect."""
    current = taints_of(client.get("nodes", node))
    kept = [t for t in current if (t.get("key"), t.get("effect")) != (taint.key, taint.effect)]
    return _write_taints(client, node, [*kept, taint.as_dict()])


def remove_taint(client: ClusterClient, node: str, key: str, effect: str | None = None) -> Obj:
    current = taints_of(client.get("nodes", node))
    kept = [t for t in current
            if not (t.get("key") == key and (effect is None or t.get("effect") == effect))]
    if len(kept) == len(current):
        raise ValueError(f"taint {key!r} not found on node {node}")
    return _write_taints(client, node, kept)


def tolerates(pod: Obj, taint: Taint | Obj) -> bool:
    """``v1helper.TolerationsTolerateTaint`` for one taint."""
    t = taint.as_dict() if isinstance(taint, Taint) else taint
    for tol in (pod.get("spec") or {}).get("tolerations") or []:
        if tol.get("effect") and tol.get("effect") != t.get("effect"):
            continue
        op = tol.get("operator") or "Equal"
        if op == "Exists" and (not tol.get("key") or tol.get("key") == t.get("key")):
            return True
        if op == "Equal" and tol.get("key") == t.get("key") and (
                tol.get("value") or "") == (t.get("value") or ""):
            return True
    return False


def pods_on(client: ClusterClient, node: str) -> list[Obj]:
    return client.list("pods", None, field_selector=f"spec.nodeName={node}")["items"]


def evicted_by(pods: list[Obj], taint: Taint) -> list[Obj]:
    """Pods a NoExecute taint will evict: those on the node that do not tolerate it."""
    if taint.effect != "NoExecute":
        return []
    return [p for p in pods if not tolerates(p, taint)
            and "deletionTimestamp" not in meta(p)]


# -- drain ------------------------------------------------------------------------------------
@dataclass
class DrainOptions:
    ignore_daemonsets: bool = True
    delete_emptydir_data: bool = False
    force: bool = False
    grace_period: int = -1
    timeout: float = 30.0


@dataclass
class DrainStep:
    """One progress line: ``pod`` is ``ns/name`` or empty for node-level steps."""

    message: str
    pod: str = ""
    done: bool = False
    error: bool = False


def _controller(pod: Obj) -> Obj | None:
    return next((r for r in meta(pod).get("ownerReferences") or [] if r.get("controller")), None)


def drain_plan(pods: list[Obj], opts: DrainOptions) -> tuple[list[Obj], list[str], list[str]]:
    """(pods to evict, warnings, errors) as kubectl's drain filters decide."""
    evict, warnings, errors = [], [], []
    for pod in pods:
        m = meta(pod)
        ref = f"{m.get('namespace')}/{m.get('name')}"
        phase = (pod.get("status") or {}).get("phase")
        if MIRROR in (m.get("annotations") or {}):
            continue
        owner = _controller(pod)
        if owner and owner.get("kind") == "DaemonSet":
            if opts.ignore_daemonsets:
                warnings.append(f"ignoring DaemonSet-managed pod {ref}")
            else:
                errors.append(f"cannot delete DaemonSet-managed pod {ref} "
                              "(use ignore DaemonSets)")
            continue
        if phase in ("Succeeded", "Failed"):
            evict.append(pod)
            continue
        if owner is None:
            if not opts.force:
                errors.append(f"cannot delete pod not managed by a controller: {ref} (use force)")
                continue
            warnings.append(f"deleting pod not managed by a controller: {ref}")
        if any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or []):
            if not opts.delete_emptydir_data:
                errors.append(f"cannot delete pod with local storage: {ref} "
                              "(use delete emptyDir data)")
                continue
            warnings.append(f"deleting pod with emptyDir data: {ref}")
        evict.append(pod)
    return evict, warnings, errors


def evict(client: ClusterClient, pod: Obj, grace: int) -> None:
    """Evict through ``pods/eviction`` if the cluster serves it, else delete."""
    m = meta(pod)
    opts: dict[str, Any] = {}
    if grace >= 0:
        opts["grace_period_seconds"] = grace
    eviction = {"apiVersion": "policy/v1", "kind": "Eviction",
                "metadata": {"name": m["name"], "namespace": m["namespace"]},
                "deleteOptions": {"gracePeriodSeconds": grace} if grace >= 0 else {}}
    try:
        client.create("pods", eviction, namespace=m["namespace"], subresource="eviction")
        return
    except TypeError:
        pass  # this client has no subresource creates yet
    except Exception as err:
        if getattr(err, "code", None) not in (404, 405):
            raise
    client.delete("pods", m["name"], namespace=m["namespace"], **opts)


def drain(client: ClusterClient, node: str, opts: DrainOptions,
          sleep: Callable[[float], None] = time.sleep,
          clock: Callable[[], float] = time.monotonic) -> Iterator[DrainStep]:
    """Drain step by step; the caller shows each step as it comes."""
    cordon(client, node, True)
    yield DrainStep(f"node/{node} cordoned")
    pods, warnings, errors = drain_plan(pods_on(client, node), opts)
    for w in warnings:
        yield DrainStep(f"Warning: {w}")
    if errors:
        for e in errors:
            yield DrainStep(f"error: {e}", error=True)
        yield DrainStep(f"drain of node/{node} stopped: fix the errors or change the options",
                        done=True, error=True)
        return
    waiting = {}
    for pod in pods:
        m = meta(pod)
        ref = f"{m['namespace']}/{m['name']}"
        try:
            evict(client, pod, opts.grace_period)
        except Exception as err:
            yield DrainStep(f"error evicting pod {ref}: {err}", ref, error=True)
            continue
        waiting[ref] = m.get("uid")
        yield DrainStep(f"evicting pod {ref}", ref)
    yield from _wait_gone(client, node, waiting, opts.timeout, sleep, clock)


def _wait_gone(client: ClusterClient, node: str, waiting: dict[str, Any], timeout: float,
               sleep: Callable[[float], None], clock: Callable[[], float]) -> Iterator[DrainStep]:
    deadline = clock() + timeout
    while waiting:
        present = {f"{meta(p)['namespace']}/{meta(p)['name']}": meta(p).get("uid")
                   for p in pods_on(client, node)}
        for ref in list(waiting):
            if present.get(ref) != waiting[ref]:
                del waiting[ref]
                yield DrainStep(f"pod/{ref} evicted", ref)
        if not waiting:
            break
        if clock() > deadline:
            yield DrainStep(f"timed out waiting for {len(waiting)} pod(s) to go: "
                            f"{', '.join(sorted(waiting))} (they are Terminating: kubelets "
                            "finish deletions)", done=True, error=True)
            return
        sleep(0.25)
    yield DrainStep(f"node/{node} drained", done=True)
