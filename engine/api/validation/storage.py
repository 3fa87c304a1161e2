"""Validation of ``storage.k8s.io/v1`` StorageClasses.

Upstream: pkg/apis/storage/validation/validation.go (``ValidateStorageClass``,
``ValidateStorageClassUpdate``, ``validateProvisioner``, ``validateParameters``,
``validateReclaimPolicy``, ``validateVolumeBindingMode``, ``validateAllowedTopologies``).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.validation import names, podspec
from engine.api.validation.common import Errs, as_list, as_map, validate_immutable_field
from engine.api.validation.kinds import custom, meta_errors, meta_update_errors
from engine.api.validation.objectmeta import validate_label_name
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "storage.k8s.io"
MAX_PARAMETERS = 512
MAX_PARAMETERS_SIZE = 256 * (1 << 10)
RECLAIM_POLICIES = ("Delete", "Retain")
BINDING_MODES = ("Immediate", "WaitForFirstConsumer")


def _s(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _parameters(params: Obj, errs: Errs) -> None:
    if len(params) > MAX_PARAMETERS:
        errs.append(errors.too_long("parameters", MAX_PARAMETERS))
        return
    total = 0
    for key, value in params.items():
        if not key:
            errs.append(errors.invalid("parameters", key, "field can not be empty."))
        total += len(key.encode()) + len(value.encode() if isinstance(value, str) else b"")
    if total > MAX_PARAMETERS_SIZE:
        errs.append(errors.too_long("parameters", MAX_PARAMETERS_SIZE))


def _allowed_topologies(terms: list[Any], errs: Errs) -> None:
    """Upstream ``validateAllowedTopologies`` (``ValidateTopologySelectorTerm``)."""
    for i, term in enumerate(terms):
        keys: set[str] = set()
        for j, req in enumerate(as_list(as_map(term).get("matchLabelExpressions"))):
            req = as_map(req)
            p = f"allowedTopologies[{i}].matchLabelExpressions[{j}]"
            values = [v for v in as_list(req.get("values")) if isinstance(v, str)]
            if not values:
                errs.append(errors.required(f"{p}.values", ""))
            seen: set[str] = set()
            for k, value in enumerate(values):
                if value in seen:
                    errs.append(errors.duplicate(f"{p}.values[{k}]", value))
                seen.add(value)
            key = _s(req, "key")
            errs.extend(validate_label_name(key, f"{p}.key"))
            if key in keys:
                errs.append(errors.duplicate(f"{p}.key", key))
            keys.add(key)


def validate_storage_class(sc: Obj) -> Errs:
    """Upstream ``ValidateStorageClass``."""
    errs = meta_errors(sc, False, names.validate_class_name)
    provisioner = _s(sc, "provisioner")
    if not provisioner:
        errs.append(errors.required("provisioner", ""))
    else:
        podspec.qualified_name(provisioner.lower(), "provisioner", errs)
    _parameters(as_map(sc.get("parameters")), errs)
    policy = _s(sc, "reclaimPolicy")
    if policy and policy not in RECLAIM_POLICIES:
        errs.append(errors.not_supported("reclaimPolicy", policy, list(RECLAIM_POLICIES)))
    mode = sc.get("volumeBindingMode")
    if not isinstance(mode, str):
        errs.append(errors.required("volumeBindingMode", ""))
    elif mode not in BINDING_MODES:
        errs.append(errors.not_supported("volumeBindingMode", mode, list(BINDING_MODES)))
    _allowed_topologies(as_list(sc.get("allowedTopologies")), errs)
    return errs


def validate_storage_class_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateStorageClassUpdate``: provisioner, parameters, reclaim policy
    and binding mode are immutable."""
    errs = meta_update_errors(new, old)
    if (new.get("parameters") or {}) != (old.get("parameters") or {}):
        errs.append(errors.forbidden("parameters", "updates to parameters are forbidden."))
    if _s(new, "provisioner") != _s(old, "provisioner"):
        errs.append(errors.forbidden("provisioner", "updates to provisioner are forbidden."))
    if _s(new, "reclaimPolicy") != _s(old, "reclaimPolicy"):
        errs.append(errors.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."))
    errs.extend(validate_immutable_field(new.get("volumeBindingMode"),
                                         old.get("volumeBindingMode"), "volumeBindingMode"))
    return errs


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "StorageClass"): custom(validate_storage_class, validate_storage_class_update),
}
