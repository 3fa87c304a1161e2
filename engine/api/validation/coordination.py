"""Validation of ``coordination.k8s.io/v1`` Leases.

Upstream: pkg/apis/coordination/validation/validation.go (``ValidateLease``,
``ValidateLeaseUpdate``, ``ValidateLeaseSpec``); Leases use apimachinery's
``ValidateObjectMeta`` with subdomain names.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.validation import names
from engine.api.validation.common import IS_NEGATIVE_ERROR_MSG, Errs, as_map, is_int
from engine.api.validation.kinds import custom
from engine.api.validation.objectmeta import validate_object_meta, validate_object_meta_update
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "coordination.k8s.io"


def validate_lease_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateLeaseSpec``."""
    errs: Errs = []
    duration = spec.get("leaseDurationSeconds")
    if is_int(duration) and duration <= 0:
        errs.append(errors.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if is_int(transitions) and transitions < 0:
        errs.append(errors.invalid("spec.leaseTransitions", transitions, IS_NEGATIVE_ERROR_MSG))
    return errs


def validate_lease(obj: Obj) -> Errs:
    errs = validate_object_meta(obj.get("metadata"), True, names.validate_lease_name)
    errs.extend(validate_lease_spec(as_map(obj.get("spec"))))
    return errs


def validate_lease_update(new: Obj, old: Obj) -> Errs:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    errs.extend(validate_lease_spec(as_map(new.get("spec"))))
    return errs


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "Lease"): custom(validate_lease, validate_lease_update),
}
