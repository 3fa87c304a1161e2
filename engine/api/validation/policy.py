"""Validation of ``policy/v1`` PodDisruptionBudgets.

Upstream: pkg/apis/policy/validation/validation.go (``ValidatePodDisruptionBudget``,
``ValidatePodDisruptionBudgetSpec``, ``ValidatePodDisruptionBudgetStatusUpdate``). The
PDB validators do not check ObjectMeta; ``rest.BeforeCreate``'s closing
``ValidateObjectMetaAccessor`` (path-segment names) does, once the spec is valid.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.validation import names
from engine.api.validation.apps import (
    not_more_than_100_percent,
    validate_positive_int_or_percent,
)
from engine.api.validation.common import IS_NEGATIVE_ERROR_MSG, Errs, GoValue, as_map, is_int
from engine.api.validation.kinds import custom
from engine.api.validation.objectmeta import (
    validate_label_selector,
    validate_object_meta,
    validate_object_meta_update,
)
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "policy"
EVICTION_POLICIES = ("AlwaysAllow", "IfHealthyBudget")


def _go_pdb_spec(spec: Obj) -> GoValue:
    """``%#v`` of the spec (pointer fields print as addresses upstream)."""
    def ptr(key: str, kind: str) -> str:
        return f"({kind})(nil)" if spec.get(key) is None else f"({kind})(0xc000000000)"

    return GoValue("policy.PodDisruptionBudgetSpec{MinAvailable:"
                   + ptr("minAvailable", "*intstr.IntOrString")
                   + ", Selector:" + ptr("selector", "*v1.LabelSelector")
                   + ", MaxUnavailable:" + ptr("maxUnavailable", "*intstr.IntOrString")
                   + ", UnhealthyPodEvictionPolicy:"
                   + ptr("unhealthyPodEvictionPolicy", "*policy.UnhealthyPodEvictionPolicyType")
                   + "}")


def validate_pdb_spec(spec: Obj) -> Errs:
    """Upstream ``ValidatePodDisruptionBudgetSpec``."""
    errs: Errs = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errs.append(errors.invalid("spec", _go_pdb_spec(spec),
                                   "minAvailable and maxUnavailable cannot be both set"))
    for key in ("minAvailable", "maxUnavailable"):
        if spec.get(key) is not None:
            errs.extend(validate_positive_int_or_percent(spec[key], f"spec.{key}"))
            errs.extend(not_more_than_100_percent(spec[key], f"spec.{key}"))
    errs.extend(validate_label_selector(spec.get("selector"), "spec.selector"))
    policy = spec.get("unhealthyPodEvictionPolicy")
    if isinstance(policy, str) and policy not in EVICTION_POLICIES:
        errs.append(errors.not_supported("spec.unhealthyPodEvictionPolicy", policy,
                                         list(EVICTION_POLICIES)))
    return errs


def validate_pdb(obj: Obj) -> Errs:
    errs = validate_pdb_spec(as_map(obj.get("spec")))
    return errs or validate_object_meta(obj.get("metadata"), True,
                                        names.validate_path_segment_name)


def validate_pdb_update(new: Obj, old: Obj) -> Errs:
    errs = validate_pdb_spec(as_map(new.get("spec")))
    return errs or validate_object_meta_update(new.get("metadata"), old.get("metadata"))


def validate_pdb_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidatePodDisruptionBudgetStatusUpdate``."""
    errs: Errs = []
    status = as_map(new.get("status"))
    for key in ("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"):
        value = status.get(key)
        if is_int(value) and value < 0:
            errs.append(errors.invalid(f"status.{key}", value, IS_NEGATIVE_ERROR_MSG))
    return errs or validate_object_meta_update(new.get("metadata"), old.get("metadata"))


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "PodDisruptionBudget"): custom(validate_pdb, validate_pdb_update,
                                           validate_pdb_status_update),
}
