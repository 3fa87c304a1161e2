"""Validation of ``scheduling.k8s.io/v1`` PriorityClasses.

Upstream: pkg/apis/scheduling/validation/validation.go (``ValidatePriorityClass``,
``ValidatePriorityClassUpdate``) and pkg/apis/scheduling/helpers.go
(``IsKnownSystemPriorityClass``).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.validation import names
from engine.api.validation.common import Errs, as_map, validate_immutable_field
from engine.api.validation.kinds import custom, meta_errors, meta_update_errors
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "scheduling.k8s.io"
HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000
SYSTEM_PREFIX = "system-"
# name -> (value, globalDefault)
SYSTEM_PRIORITY_CLASSES = {"system-node-critical": (2_000_001_000, False),
                           "system-cluster-critical": (2_000_000_000, False)}


def _known_system_class(name: str, value: Any, global_default: bool) -> str:
    """Upstream ``IsKnownSystemPriorityClass``: "" or the error text."""
    known = SYSTEM_PRIORITY_CLASSES.get(name)
    if known is None:
        return f"{name} is not a known system priority class"
    if known[0] != value:
        return f"value of {name} PriorityClass must be {known[0]}"
    if known[1] != global_default:
        return f"globalDefault of {name} PriorityClass must be {str(known[1]).lower()}"
    return ""


def validate_priority_class(pc: Obj) -> Errs:
    """Upstream ``ValidatePriorityClass``."""
    errs = meta_errors(pc, False, names.validate_priority_class_name)
    name = as_map(pc.get("metadata")).get("name")
    name = name if isinstance(name, str) else ""
    value = pc.get("value", 0)
    if name.startswith(SYSTEM_PREFIX):
        problem = _known_system_class(name, value, pc.get("globalDefault") is True)
        if problem:
            errs.append(errors.forbidden("metadata.name", "priority class names with 'system-' "
                                         "prefix are reserved for system use only. error: "
                                         + problem))
    elif isinstance(value, int) and value > HIGHEST_USER_DEFINABLE_PRIORITY:
        errs.append(errors.forbidden("value", "maximum allowed value of a user defined priority "
                                     f"is {HIGHEST_USER_DEFINABLE_PRIORITY}"))
    policy = pc.get("preemptionPolicy")
    if isinstance(policy, str):
        if not policy:
            errs.append(errors.required("preemptionPolicy", ""))
        elif policy not in ("PreemptLowerPriority", "Never"):
            errs.append(errors.not_supported("preemptionPolicy", policy,
                                             ["PreemptLowerPriority", "Never"]))
    return errs


def validate_priority_class_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidatePriorityClassUpdate``: value and preemption policy immutable."""
    errs = meta_update_errors(new, old)
    if new.get("value", 0) != old.get("value", 0):
        errs.append(errors.forbidden("value", "may not be changed in an update."))
    errs.extend(validate_immutable_field(new.get("preemptionPolicy"),
                                         old.get("preemptionPolicy"), "preemptionPolicy"))
    return errs


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "PriorityClass"): custom(validate_priority_class, validate_priority_class_update),
}
