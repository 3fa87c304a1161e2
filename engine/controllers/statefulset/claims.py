"""Who owns a StatefulSet pod's claims: ``persistentVolumeClaimRetentionPolicy``.

Upstream: ``pkg/controller/statefulset/stateful_set_utils.go``
(``isClaimOwnerUpToDate``, ``updateClaimOwnerRefForSetAndPod``,
``hasUnexpectedController``, ``hasNonControllerOwner``, ``hasStaleOwnerRef``,
``matchesRef``, ``addControllerRef``), GA in v1.32 (StatefulSetAutoDeletePVC).
The garbage collector does the deleting; the controller only sets
controller references on the claims:

* ``whenScaled: Retain``, ``whenDeleted: Retain`` - no reference;
* ``whenDeleted: Delete`` - a reference to the StatefulSet;
* ``whenScaled: Delete`` - a reference to the pod once it is scaled down
  (and, with ``whenDeleted: Delete``, to the set while it is not).
"""

from __future__ import annotations

from typing import Any

from engine.controllers.statefulset.identity import API_VERSION, KIND, in_ordinal_range
from engine.controllers.util.owners import controller_ref

Obj = dict[str, Any]
RETAIN, DELETE = "Retain", "Delete"


def retention_policy(sts: Obj) -> tuple[str, str]:
    """(whenScaled, whenDeleted); Retain for a missing policy."""
    policy = sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
    return policy.get("whenScaled") or RETAIN, policy.get("whenDeleted") or RETAIN


def _refs(claim: Obj) -> list[Obj]:
    return claim["metadata"].get("ownerReferences") or []


def _matches_ref(ref: Obj, obj: Obj, api_version: str, kind: str) -> bool:
    return (ref.get("apiVersion") == api_version and ref.get("kind") == kind
            and ref.get("name") == obj["metadata"].get("name"))


def _matches_set(ref: Obj, sts: Obj) -> bool:
    return _matches_ref(ref, sts, API_VERSION, KIND)


def _matches_pod(ref: Obj, pod: Obj) -> bool:
    return _matches_ref(ref, pod, "v1", "Pod")


def has_owner_ref(claim: Obj, owner: Obj) -> bool:
    uid = owner["metadata"].get("uid")
    return any(r.get("uid") == uid for r in _refs(claim))


def has_stale_owner_ref(claim: Obj, obj: Obj, api_version: str, kind: str) -> bool:
    """A reference naming ``obj`` with another uid (a deleted predecessor)."""
    for ref in _refs(claim):
        if _matches_ref(ref, obj, api_version, kind):
            return ref.get("uid") != obj["metadata"].get("uid")
    return False


def has_unexpected_controller(claim: Obj, sts: Obj, pod: Obj) -> bool:
    if retention_policy(sts) == (RETAIN, RETAIN):
        return False
    for ref in _refs(claim):
        for owner, match in ((sts, _matches_set), (pod, _matches_pod)):
            if match(ref, owner):
                if ref.get("uid") != owner["metadata"].get("uid"):
                    return True
                break
        else:
            if ref.get("controller"):
                return True
    return False


def _has_non_controller_owner(claim: Obj, sts: Obj, pod: Obj) -> bool:
    uids = {sts["metadata"].get("uid"), pod["metadata"].get("uid")}
    return any(r.get("uid") in uids and not r.get("controller") for r in _refs(claim))


def is_claim_owner_up_to_date(claim: Obj, sts: Obj, pod: Obj) -> bool:
    """``isClaimOwnerUpToDate``."""
    if (has_stale_owner_ref(claim, sts, API_VERSION, KIND)
            or has_stale_owner_ref(claim, pod, "v1", "Pod")):
        return True
    if has_unexpected_controller(claim, sts, pod):
        return not (has_owner_ref(claim, sts) or has_owner_ref(claim, pod))
    if _has_non_controller_owner(claim, sts, pod):
        return False
    want_set, want_pod = _wanted_owners(sts, pod)
    return has_owner_ref(claim, sts) == want_set and has_owner_ref(claim, pod) == want_pod


def _wanted_owners(sts: Obj, pod: Obj) -> tuple[bool, bool]:
    """(reference the set, reference the pod) under the retention policy."""
    when_scaled, when_deleted = retention_policy(sts)
    scaled_down = not in_ordinal_range(pod, sts)
    if when_scaled == DELETE and when_deleted == DELETE:
        return not scaled_down, scaled_down
    if when_scaled == DELETE:
        return False, scaled_down
    if when_deleted == DELETE:
        return True, False
    return False, False


def update_claim_owner_refs(claim: Obj, sts: Obj, pod: Obj) -> None:
    """``updateClaimOwnerRefForSetAndPod``: scrub our references, add the wanted ones."""
    unexpected = has_unexpected_controller(claim, sts, pod)
    refs = [r for r in _refs(claim) if not (_matches_set(r, sts) or _matches_pod(r, pod))]
    if not unexpected:
        want_set, want_pod = _wanted_owners(sts, pod)
        if want_pod:
            refs.append(controller_ref(pod, "v1", "Pod"))
        if want_set:
            refs.append(controller_ref(sts, API_VERSION, KIND))
    if refs:
        claim["metadata"]["ownerReferences"] = refs
    else:
        claim["metadata"].pop("ownerReferences", None)
