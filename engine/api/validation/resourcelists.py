"""Resource names and quantities: container resource requirements, quota and limit
range resource names.

Upstream: pkg/apis/core/validation/validation.go (``validateResourceRequirements``,
``validateContainerResourceName``, ``validateResourceName``,
``ValidateResourceQuotaResourceName``, ``ValidateResourceQuantityValue``,
``ValidateNonnegativeQuantity``, ``validateBasicResource``) and
pkg/apis/core/helper/helpers.go (``IsStandardResourceName``, ``IsOvercommitAllowed``,
``IsExtendedResourceName``, ``IsIntegerResourceName``, hugepages helpers).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from engine.api import errors
from engine.api.validation import names
from engine.api.validation.common import IS_NEGATIVE_ERROR_MSG, Errs, GoValue, as_map
from engine.api.validation.quantity import Quantity, QuantityError, parse_quantity_value

IS_NOT_INTEGER_ERROR_MSG = "must be an integer"
IS_NOT_POSITIVE_ERROR_MSG = "must be greater than zero"
IS_INVALID_QUOTA_RESOURCE = "must be a standard resource for quota"

STANDARD_CONTAINER_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})
STANDARD_RESOURCES = frozenset({
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
    "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports",
    "services.loadbalancers",
})
STANDARD_QUOTA_RESOURCES = frozenset({
    "pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
    "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
    "limits.ephemeral-storage", "persistentvolumeclaims", "services", "services.nodeports",
    "services.loadbalancers", "replicationcontrollers", "resourcequotas", "secrets",
    "configmaps",
})
INTEGER_RESOURCES = frozenset({
    "pods", "qos", "services", "replicationcontrollers", "resourcequotas", "secrets",
    "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
})
HUGEPAGES_PREFIX = "hugepages-"


def parse(value: Any) -> Quantity | None:
    """A quantity, or None when it does not parse (decoding reports that)."""
    try:
        return parse_quantity_value(value)
    except (QuantityError, ValueError, ArithmeticError):
        return None


def is_huge_page(name: str) -> bool:
    return name.startswith(HUGEPAGES_PREFIX)


def is_quota_huge_page(name: str) -> bool:
    return name.startswith(("requests.hugepages-", "limits.hugepages-"))


def is_native(name: str) -> bool:
    """Upstream ``IsNativeResource``: unprefixed or in the kubernetes.io domain."""
    return "/" not in name or "kubernetes.io/" in name


def is_extended(name: str) -> bool:
    """Upstream ``IsExtendedResourceName``."""
    if is_native(name) or name.startswith("requests."):
        return False
    return not names.is_qualified_name("requests." + name)


def is_overcommit_allowed(name: str) -> bool:
    """Upstream ``IsOvercommitAllowed``."""
    return is_native(name) and not is_huge_page(name)


def is_integer_resource(name: str) -> bool:
    """Upstream ``IsIntegerResourceName``."""
    return name in INTEGER_RESOURCES or is_extended(name)


def is_standard_resource(name: str) -> bool:
    return name in STANDARD_RESOURCES or is_quota_huge_page(name) or is_huge_page(name)


def validate_resource_name(name: str, path: str) -> Errs:
    """Upstream ``validateResourceName``."""
    errs = [errors.invalid(path, name, msg) for msg in names.is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name and not is_standard_resource(name):
        errs.append(errors.invalid(path, name, "must be a standard resource type or fully qualified"))
    return errs


def validate_container_resource_name(name: str, path: str) -> Errs:
    """Upstream ``validateContainerResourceName``."""
    errs = validate_resource_name(name, path)
    if "/" not in name:
        if name not in STANDARD_CONTAINER_RESOURCES and not is_huge_page(name):
            errs.append(errors.invalid(path, name, "must be a standard resource for containers"))
    elif not is_native(name) and not is_extended(name):
        errs.append(errors.invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def validate_quota_resource_name(name: str, path: str) -> Errs:
    """Upstream ``ValidateResourceQuotaResourceName``."""
    errs = validate_resource_name(name, path)
    if "/" not in name and name not in STANDARD_QUOTA_RESOURCES and not is_quota_huge_page(name):
        errs.append(errors.invalid(path, name, IS_INVALID_QUOTA_RESOURCE))
    return errs


def validate_quantity_value(name: str, q: Quantity, path: str) -> Errs:
    """Upstream ``ValidateResourceQuantityValue``: non-negative, whole for integer resources."""
    errs: Errs = []
    if q.value < 0:
        errs.append(errors.invalid(path, str(q), IS_NEGATIVE_ERROR_MSG))
    if is_integer_resource(name) and q.milli_value() % 1000 != 0:
        errs.append(errors.invalid(path, GoValue(str(q)), IS_NOT_INTEGER_ERROR_MSG))
    return errs


def validate_positive_quantity(q: Quantity, path: str) -> Errs:
    """Upstream ``ValidatePositiveQuantityValue``."""
    if q.value <= 0:
        return [errors.invalid(path, str(q), IS_NOT_POSITIVE_ERROR_MSG)]
    return []


def validate_basic_resource(q: Quantity, path: str) -> Errs:
    """Upstream ``validateBasicResource``."""
    if q.int_value() < 0:
        return [errors.invalid(path, q.int_value(), "must be a valid resource quantity")]
    return []


def _huge_page_size(name: str) -> Fraction | None:
    q = parse(name[len(HUGEPAGES_PREFIX):])
    return q.value if q is not None and q.value > 0 else None


def _huge_page_errors(name: str, q: Quantity, path: str) -> Errs:
    """Upstream ``validateResourceQuantityHugePageValue``."""
    size = _huge_page_size(name)
    if size is not None and (q.value / size).denominator == 1:
        return []
    return [errors.invalid(path, str(q), f"{q} is not positive integer multiple of {name}")]


_VALID_REQUIREMENTS: set[tuple[Any, ...]] = set()


def _requirements_key(limits: dict[str, Any], requests: dict[str, Any], name_fn: Any
                      ) -> tuple[Any, ...] | None:
    """A hashable key for plain string quantities (the common case), else None."""
    try:
        return (name_fn, tuple(limits.items()), tuple(requests.items()))
    except TypeError:
        return None


def validate_resource_requirements(res: Any, path: str, claim_names: set[str] | None = None,
                                   name_fn: Any = validate_container_resource_name) -> Errs:
    """Upstream ``validateResourceRequirements`` (``ValidateContainerResourceRequirements``).

    Requirements already seen valid (same names and quantities, no claims) are not
    checked again."""
    res = as_map(res)
    limits, requests = as_map(res.get("limits")), as_map(res.get("requests"))
    claims = res.get("claims")
    if not limits and not requests and not claims:
        return []
    key = None if claims else _requirements_key(limits, requests, name_fn)
    if key is not None and key in _VALID_REQUIREMENTS:
        return []
    errs = _check_requirements(limits, requests, claims, path, claim_names, name_fn)
    if not errs and key is not None:
        if len(_VALID_REQUIREMENTS) > 16384:
            _VALID_REQUIREMENTS.clear()
        _VALID_REQUIREMENTS.add(key)
    return errs


def _check_requirements(limits: dict[str, Any], requests: dict[str, Any], claims: Any, path: str,
                        claim_names: set[str] | None, name_fn: Any) -> Errs:
    errs: Errs = []
    lim_path, req_path = f"{path}.limits", f"{path}.requests"
    cpu_mem = huge = False
    parsed_limits: dict[str, Quantity] = {}
    for name, raw in limits.items():
        q = parse(raw)
        p = f"{lim_path}[{name}]"
        errs.extend(name_fn(name, p))
        if q is None:
            continue
        parsed_limits[name] = q
        errs.extend(validate_quantity_value(name, q, p))
        if is_huge_page(name):
            huge = True
            errs.extend(_huge_page_errors(name, q, p))
        cpu_mem = cpu_mem or name in ("cpu", "memory")
    for name, raw in requests.items():
        q = parse(raw)
        p = f"{req_path}[{name}]"
        errs.extend(name_fn(name, p))
        if q is None:
            continue
        errs.extend(validate_quantity_value(name, q, p))
        errs.extend(_request_vs_limit(name, q, parsed_limits.get(name), lim_path, req_path))
        if is_huge_page(name):
            huge = True
            errs.extend(_huge_page_errors(name, q, p))
        cpu_mem = cpu_mem or name in ("cpu", "memory")
    if huge and not cpu_mem:
        errs.append(errors.forbidden(path, "HugePages require cpu or memory"))
    errs.extend(_claim_names(claims, claim_names or set(), f"{path}.claims"))
    return errs


def _request_vs_limit(name: str, q: Quantity, limit: Quantity | None, lim_path: str,
                      req_path: str) -> Errs:
    if limit is not None:
        if q.value != limit.value and not is_overcommit_allowed(name):
            return [errors.invalid(req_path, str(q), f"must be equal to {name} limit of {limit}")]
        if q.value > limit.value:
            return [errors.invalid(req_path, str(q),
                                   f"must be less than or equal to {name} limit of {limit}")]
    elif not is_overcommit_allowed(name):
        return [errors.required(lim_path, "Limit must be set for non overcommitable resources")]
    return []


def _claim_names(claims: Any, pod_claims: set[str], path: str) -> Errs:
    """Upstream ``validateResourceClaimNames``."""
    errs: Errs = []
    seen: set[str] = set()
    for i, claim in enumerate(claims if isinstance(claims, list) else []):
        claim = as_map(claim)
        name = claim.get("name") if isinstance(claim.get("name"), str) else ""
        p = f"{path}[{i}]"
        if not name:
            errs.append(errors.required(p, ""))
            continue
        request = claim.get("request") if isinstance(claim.get("request"), str) else ""
        key = f"{name}/{request}" if request else name
        if name in seen or key in seen:
            errs.append(errors.duplicate(p, key if name not in seen else name))
        seen.add(key)
        if name not in pod_claims:
            detail = "must be one of the names in pod.spec.resourceClaims"
            detail += ": " + ", ".join(sorted(pod_claims)) if pod_claims else " which is empty"
            err = errors.not_found_field(p, name)
            err.detail = detail
            errs.append(err)
    return errs
