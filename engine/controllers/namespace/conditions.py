"""Namespace deletion conditions.

Upstream: ``pkg/controller/namespace/deletion/status_condition_utils.go``
(``namespaceConditionUpdater``): every condition type is always written,
True with a failure reason or False with its "ok" reason and message.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure"
GV_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure"
CONTENT_FAILURE = "NamespaceDeletionContentFailure"
CONTENT_REMAINING = "NamespaceContentRemaining"
FINALIZERS_REMAINING = "NamespaceFinalizersRemaining"
TYPES = (DISCOVERY_FAILURE, GV_PARSING_FAILURE, CONTENT_FAILURE, CONTENT_REMAINING,
         FINALIZERS_REMAINING)

OK = {
    DISCOVERY_FAILURE: ("ResourcesDiscovered", "All resources successfully discovered"),
    GV_PARSING_FAILURE: ("ParsedGroupVersions", "All legacy kube types successfully parsed"),
    CONTENT_FAILURE: ("ContentDeleted",
                      "All content successfully deleted, may be waiting on finalization"),
    CONTENT_REMAINING: ("ContentRemoved", "All content successfully removed"),
    FINALIZERS_REMAINING: ("ContentHasNoFinalizers",
                           "All content-preserving finalizers finished"),
}


def content_conditions(remaining: dict[str, int], finalizers: dict[str, int],
                       errors: list[str], now: str) -> list[Obj]:
    """``ProcessContentTotals`` and ``makeDeleteContentCondition``; ``remaining``
    is keyed ``<resource>.<group>``."""
    out: list[Obj] = []
    if remaining:
        parts = sorted(f"{gr} has {n} resource instances" for gr, n in remaining.items() if n)
        out.append(_cond(CONTENT_REMAINING, "True", "SomeResourcesRemain",
                         f"Some resources are remaining: {', '.join(parts)}", now))
    if finalizers:
        parts = sorted(f"{f} in {n} resource instances" for f, n in finalizers.items() if n)
        out.append(_cond(FINALIZERS_REMAINING, "True", "SomeFinalizersRemain",
                         "Some content in the namespace has finalizers remaining: "
                         f"{', '.join(parts)}", now))
    if errors:
        msgs = sorted(errors)
        out.append(_cond(CONTENT_FAILURE, "True", "ContentDeletionFailed",
                         f"Failed to delete all resource types, {len(msgs)} remaining: "
                         f"{', '.join(msgs)}", now))
    return out


def update_conditions(status: Obj, new: list[Obj], now: str) -> bool:
    """``updateConditions``: every type present; True when anything changed."""
    by_type = {c["type"]: c for c in new}
    conds = status.setdefault("conditions", [])
    changed = False
    for cond_type in TYPES:
        cond = by_type.get(cond_type) or _cond(cond_type, "False", *OK[cond_type], now)
        old = next((c for c in conds if c.get("type") == cond_type), None)
        if old is None:
            conds.append(cond)
            changed = True
        elif any(old.get(k) != cond[k] for k in ("status", "reason", "message")):
            old.update(cond)
            changed = True
    return changed


def _cond(cond_type: str, status: str, reason: str, message: str, now: str) -> Obj:
    return {"type": cond_type, "status": status, "lastTransitionTime": now,
            "reason": reason, "message": message}
