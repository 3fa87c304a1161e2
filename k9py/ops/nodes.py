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


def toleration_matches(tol: Obj, taint: Obj) -> bool:
    """``Toleration.ToleratesTaint``: one toleration against one taint."""
    if tol.get("effect") and tol.get("effect") != taint.get("effect"):
        return False
    if tol.get("key") and tol.get("key") != taint.get("key"):
        return False
    op = tol.get("operator") or "Equal"
    if op == "Exists":
        return True
    return op == "Equal" and (tol.get("value") or "") == (taint.get("value") or "")


def tolerates(pod: Obj, taint: Taint | Obj) -> bool:
    """``v1helper.TolerationsTolerateTaint`` for one taint."""
    t = taint.as_dict() if isinstance(taint, Taint) else taint
    return any(toleration_matches(tol, t)
               for tol in (pod.get("spec") or {}).get("tolerations") or [])


def pods_on(client: ClusterClient, node: str) -> list[Obj]:
    return client.list("pods", None, field_selector=f"spec.nodeName={node}")["items"]


def evicted_by(pods: list[Obj], taint: Taint) -> list[Obj]:
    """Pods a NoExecute taint will evict: those on the node that do not tolerate it."""
    if taint.effect != "NoExecute":
        return []
    return [p for p in pods if not tolerates(p, taint)
            and "deletionTimestamp" not in meta(p)]


# -- NoExecute evictions ----------------------------------------------------------------------
def _leaving(pod: Obj) -> bool:
    """Terminating or finished: the taint eviction controller leaves such pods alone."""
    return "deletionTimestamp" in meta(pod) or (pod.get("status") or {}).get("phase") in (
        "Succeeded", "Failed")


def eviction_delay(pod: Obj, taints: list[Obj]) -> float | None:
    """When the taint eviction controller deletes ``pod`` from a node with ``taints``:
    0 at once (a NoExecute taint no toleration matches), the smallest
    ``tolerationSeconds`` of the matching tolerations, or None (tolerated forever).
    The same decision as engine/controllers/nodelifecycle/eviction.py ``process``
    (upstream ``processPodOnNode``), so the dialog predicts what the cluster does."""
    no_execute = [t for t in taints if t.get("effect") == "NoExecute"]
    if not no_execute:
        return None
    tolerations = [t for t in (pod.get("spec") or {}).get("tolerations") or []
                   if t.get("effect") in (None, "", "NoExecute")]
    used: list[Obj] = []
    for taint in no_execute:
        matching = [t for t in tolerations if toleration_matches(t, taint)]
        if not matching:
            return 0.0
        used += matching
    seconds = [t["tolerationSeconds"] for t in used if t.get("tolerationSeconds") is not None]
    return float(max(min(seconds), 0)) if seconds else None


@dataclass(frozen=True)
class Eviction:
    """A pod a new NoExecute taint evicts: ``after`` seconds (0 = at once)."""

    ref: str  # namespace/name
    uid: str
    after: float


def with_taint(taints: list[Obj], taint: Taint) -> list[Obj]:
    """The node's taints once ``taint`` is added (same key and effect: replaced)."""
    kept = [t for t in taints if (t.get("key"), t.get("effect")) != (taint.key, taint.effect)]
    return [*kept, taint.as_dict()]


def taint_evictions(pods: list[Obj], before: list[Obj], taint: Taint) -> list[Eviction]:
    """The pods that adding ``taint`` to a node with taints ``before`` evicts.

    Computed from the pods *before* the write: the eviction controller deletes
    the pods as soon as it sees the taint, so a list read afterwards finds them
    already Terminating (or gone). A pod already leaving because of an older
    taint counts only if the new one evicts it sooner (at once)."""
    if taint.effect != "NoExecute":
        return []
    after_taints = with_taint(before, taint)
    out = []
    for pod in pods:
        if _leaving(pod):
            continue
        new = eviction_delay(pod, after_taints)
        old = eviction_delay(pod, before)
        if new is not None and (old is None or (new == 0 and old > 0)):
            m = meta(pod)
            out.append(Eviction(f"{m.get('namespace')}/{m.get('name')}", m.get("uid", ""), new))
    return out


def _names(evictions: list[Eviction], limit: int = 3) -> str:
    names = [e.ref for e in evictions[:limit]]
    if len(evictions) > limit:
        names.append(f"+{len(evictions) - limit} more")
    return ", ".join(names)


def eviction_summary(taint: Taint, node: str, evictions: list[Eviction]) -> str:
    """One sentence on what adding ``taint`` does to the pods already on ``node``."""
    if taint.effect != "NoExecute":
        return f"{taint.effect} affects new pods only: the pods on {node} stay"
    if not evictions:
        return f"no pod on {node} is evicted by it (every pod tolerates it)"
    now = [e for e in evictions if e.after == 0]
    later = [e for e in evictions if e.after > 0]
    parts = []
    if now:
        parts.append(f"it evicts {len(now)} pod(s) at once: {_names(now)}")
    if later:
        parts.append(f"{len(later)} pod(s) after their tolerationSeconds: {_names(later)}")
    return "; ".join(parts)


def evicted_by_taint_manager(pod: Obj) -> bool:
    """The DisruptionTarget condition the taint eviction controller sets before deleting."""
    return any(c.get("type") == "DisruptionTarget" and c.get("reason") ==
               "DeletionByTaintManager" for c in (pod.get("status") or {}).get("conditions") or [])


def eviction_state(pod: Obj | None, eviction: Eviction) -> str:
    """Where a planned eviction stands: gone, Terminating, or still Running."""
    if pod is None or meta(pod).get("uid", "") != eviction.uid:
        return "evicted (deleted)"
    if "deletionTimestamp" in meta(pod):
        return "Terminating"
    if eviction.after > 0:
        return f"Running (evicted {eviction.after:g}s after the taint: tolerationSeconds)"
    return "Running (eviction pending)"


def eviction_lines(pods: list[Obj], evictions: list[Eviction]) -> list[str]:
    """One line per planned eviction, then per other pod the taint manager is
    deleting: a pod stays listed while Terminating and after it is gone."""
    by_ref = {f"{meta(p).get('namespace')}/{meta(p).get('name')}": p for p in pods}
    lines = [f"  {e.ref}  {eviction_state(by_ref.get(e.ref), e)}" for e in evictions]
    planned = {e.ref for e in evictions}
    lines += [f"  {ref}  Terminating (taint eviction)" for ref, p in by_ref.items()
              if ref not in planned and "deletionTimestamp" in meta(p)
              and evicted_by_taint_manager(p)]
    return lines


class TaintSession:
    """The taint dialog's cluster side for one node: writes the taints, and
    remembers which pods the last added taint evicts so the live list can
    follow them through Terminating to gone."""

    def __init__(self, client: ClusterClient, node: str) -> None:
        self.client, self.node = client, node
        self.last: Taint | None = None
        self.planned: list[Eviction] = []

    def add(self, taint: Taint) -> str:
        """Add ``taint``; the pods it evicts are read before the write (see
        :func:`taint_evictions`). Returns the sentence the dialog shows."""
        before = taints_of(self.client.get("nodes", self.node))
        planned = taint_evictions(pods_on(self.client, self.node), before, taint)
        add_taint(self.client, self.node, taint)
        self.last, self.planned = taint, planned
        return eviction_summary(taint, self.node, planned)

    def remove(self, key: str, effect: str) -> None:
        remove_taint(self.client, self.node, key, effect)

    def load(self) -> list[Obj]:
        return taints_of(self.client.get("nodes", self.node))

    def evictions(self) -> str:
        """The live eviction list (read again every half second by the dialog)."""
        pods = pods_on(self.client, self.node)
        lines = eviction_lines(pods, self.planned)
        taint = self.last
        if taint is None:
            head = f"{len(pods)} pod(s) on {self.node}"
            return "\n".join([head + (", being evicted:" if lines else ""), *lines])
        if taint.effect != "NoExecute":
            return f"{taint.effect}: affects new pods only; {len(pods)} pod(s) stay on " \
                   f"{self.node}"
        if not lines:
            return f"no pod on {self.node} is evicted by {taint}"
        return "\n".join([f"evicted by {taint}:", *lines])


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
