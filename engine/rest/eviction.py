"""Pod eviction that respects PodDisruptionBudgets.

Upstream: ``pkg/registry/core/pod/storage/eviction.go`` (EvictionREST.Create):
terminal, pending or already deleting pods are deleted directly; otherwise
the one PDB whose selector matches the pod must allow a disruption (its
status was computed by the disruption controller for the current
generation), the budget's ``disruptionsAllowed`` is decremented and the pod
recorded in ``disruptedPods``, then the pod is deleted with the request's
DeleteOptions. No budget to spend is 429 TooManyRequests with a
``DisruptionBudget`` cause; more than one matching budget is a 500.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta, selectors
from engine.api.admission.base import UserInfo

Obj = dict[str, Any]
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."
MAX_DISRUPTED_PODS = 2000


def _ignores_budget(pod: Obj) -> bool:
    phase = pod.get("status", {}).get("phase")
    return phase in ("Succeeded", "Failed", "Pending") or bool(
        pod.get("metadata", {}).get("deletionTimestamp"))


def _ready(pod: Obj) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in pod.get("status", {}).get("conditions") or [])


def matching_budgets(api: Any, namespace: str, pod: Obj) -> list[Obj]:
    labels = pod.get("metadata", {}).get("labels") or {}
    out = []
    for pdb in api.list("poddisruptionbudgets", namespace)["items"]:
        selector = pdb.get("spec", {}).get("selector")
        if selector is None:
            continue
        parsed = selectors.label_selector_from_dict(selector)
        if not parsed.empty() and parsed.matches(labels):
            out.append(pdb)
    return out


def too_many(reason: str) -> errors.StatusError:
    err = errors.too_many_requests(VIOLATION)
    err.details = {"causes": [{"reason": "DisruptionBudget", "message": reason}]}
    return err


def _check_budget(pdb: Obj) -> None:
    status, m = pdb.get("status") or {}, pdb.get("metadata") or {}
    name = m.get("name", "")
    if status.get("observedGeneration", 0) < m.get("generation", 0):
        raise too_many(f"The disruption budget {name} is still being processed by the server.")
    allowed = status.get("disruptionsAllowed", 0)
    if allowed < 0:
        raise errors.forbidden_error("pods", "", "", "pdb disruptions allowed is negative")
    if len(status.get("disruptedPods") or {}) > MAX_DISRUPTED_PODS:
        raise errors.forbidden_error("pods", "", "", "DisruptedPods map too big - too many "
                                                     "evictions not confirmed by PDB controller")
    if allowed == 0:
        raise too_many(f"The disruption budget {name} needs {status.get('desiredHealthy', 0)} "
                       f"healthy pods and has {status.get('currentHealthy', 0)} currently")


def _spend(api: Any, pdb: Obj, pod_name: str, user: UserInfo | None, dry_run: bool) -> None:
    updated = meta.deep_copy(pdb)
    status = updated.setdefault("status", {})
    status["disruptionsAllowed"] = status.get("disruptionsAllowed", 0) - 1
    status.setdefault("disruptedPods", {})[pod_name] = api.clock.rfc3339()
    api.update("poddisruptionbudgets", updated, subresource="status", user=user,
               dry_run=dry_run)


def _unhealthy_may_go(pod: Obj, pdb: Obj) -> bool:
    """A pod that is not ready may be evicted without spending the budget
    (unhealthyPodEvictionPolicy AlwaysAllow, or IfHealthyBudget with the
    budget currently met)."""
    if _ready(pod):
        return False
    policy = pdb.get("spec", {}).get("unhealthyPodEvictionPolicy", "IfHealthyBudget")
    status = pdb.get("status") or {}
    return policy == "AlwaysAllow" or (
        status.get("currentHealthy", 0) >= status.get("desiredHealthy", 0) > 0)


def evict(api: Any, namespace: str, name: str, options: Obj, *, user: UserInfo | None,
          dry_run: bool) -> None:
    pod = api.get("pods", name, namespace)
    budgets = [] if _ignores_budget(pod) else matching_budgets(api, namespace, pod)
    if len(budgets) > 1:
        raise errors.internal_error(
            "This pod has more than one PodDisruptionBudget, which the eviction subresource "
            "does not support.")
    if budgets and not _unhealthy_may_go(pod, budgets[0]):
        _check_budget(budgets[0])
        _spend(api, budgets[0], name, user, dry_run)
    dry_run = dry_run or "All" in (options.get("dryRun") or [])
    api.delete("pods", name, namespace=namespace,
               grace_period_seconds=options.get("gracePeriodSeconds"),
               propagation_policy=options.get("propagationPolicy"),
               preconditions=options.get("preconditions"), dry_run=dry_run, user=user)
