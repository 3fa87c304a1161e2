"""Validation of ``autoscaling/v2`` HorizontalPodAutoscalers.

Upstream: pkg/apis/autoscaling/validation/validation.go
(``ValidateHorizontalPodAutoscaler``, ``validateHorizontalPodAutoscalerSpec``,
``ValidateCrossVersionObjectReference``, ``validateMetrics``, ``validateMetricSpec``,
``validateMetricTarget``, ``validateBehavior``, ``validateScalingRules``,
``validateScalingPolicy``, ``ValidateHorizontalPodAutoscalerStatusUpdate``), with
HPAScaleToZero off (minReplicas >= 1).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.validation import names, resourcelists
from engine.api.validation.common import (
    IS_NEGATIVE_ERROR_MSG,
    Errs,
    GoValue,
    as_list,
    as_map,
    is_int,
)
from engine.api.validation.kinds import custom, meta_errors, meta_update_errors
from engine.api.validation.objectmeta import validate_label_selector
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "autoscaling"
MIN_REPLICAS_LOWER_BOUND = 1
MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_WINDOW_SECONDS = 3600
METRIC_SOURCE_TYPES = ("ContainerResource", "External", "Object", "Pods", "Resource")
_SOURCE_FIELDS = {"Object": "object", "Pods": "pods", "Resource": "resource",
                  "External": "external", "ContainerResource": "containerResource"}


def _s(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def validate_cross_version_object_reference(ref: Obj, path: str) -> Errs:
    """Upstream ``ValidateCrossVersionObjectReference``."""
    errs: Errs = []
    for key in ("kind", "name"):
        value = _s(ref, key)
        if not value:
            errs.append(errors.required(f"{path}.{key}", ""))
        else:
            errs.extend(errors.invalid(f"{path}.{key}", value, msg)
                        for msg in names.is_valid_path_segment_name(value))
    return errs


def _metric_target(target: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateMetricTarget``."""
    kind = _s(target, "type")
    if not kind:
        errs.append(errors.required(f"{path}.type", "must specify a metric target type"))
    if kind not in ("Utilization", "Value", "AverageValue"):
        errs.append(errors.invalid(f"{path}.type", kind,
                                   "must be either Utilization, Value, or AverageValue"))
    for key in ("value", "averageValue"):
        if target.get(key) is not None:
            q = resourcelists.parse(target[key])
            if q is not None and q.value <= 0:
                errs.append(errors.invalid(f"{path}.{key}", GoValue(str(q)), "must be positive"))
    utilization = target.get("averageUtilization")
    if is_int(utilization) and utilization < 1:
        errs.append(errors.invalid(f"{path}.averageUtilization", utilization,
                                   "must be greater than 0"))


def _metric_identifier(metric: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateMetricIdentifier``."""
    name = _s(metric, "name")
    if not name:
        errs.append(errors.required(f"{path}.name", "must specify a metric name"))
    else:
        errs.extend(errors.invalid(f"{path}.name", name, msg)
                    for msg in names.is_valid_path_segment_name(name))
    if isinstance(metric.get("selector"), dict):
        errs.extend(validate_label_selector(metric["selector"], f"{path}.selector"))


def _source(kind: str, src: Obj, path: str, errs: Errs) -> None:
    target = as_map(src.get("target"))
    if kind in ("resource", "containerResource"):
        name = _s(src, "name")
        if not name:
            errs.append(errors.required(f"{path}.name", "must specify a resource name"))
        else:
            errs.extend(resourcelists.validate_container_resource_name(name, f"{path}.name"))
        if kind == "containerResource":
            container = _s(src, "container")
            if not container:
                errs.append(errors.required(f"{path}.container", "must specify a container"))
            else:
                errs.extend(errors.invalid(f"{path}.container", container, msg)
                            for msg in names.is_dns1123_label(container))
        _metric_target(target, f"{path}.target", errs)
        if target.get("averageUtilization") is None and target.get("averageValue") is None:
            errs.append(errors.required(f"{path}.target.averageUtilization",
                                        "must set either a target raw value or a target "
                                        "utilization"))
        if target.get("averageUtilization") is not None and target.get("averageValue") is not None:
            errs.append(errors.forbidden(f"{path}.target.averageValue", "may not set both a target "
                                         "raw value and a target utilization"))
        return
    if kind == "object":
        errs.extend(validate_cross_version_object_reference(as_map(src.get("describedObject")),
                                                            f"{path}.describedObject"))
    _metric_identifier(as_map(src.get("metric")), f"{path}.metric", errs)
    _metric_target(target, f"{path}.target", errs)
    if kind == "pods" and target.get("averageValue") is None:
        errs.append(errors.required(f"{path}.target.averageValue",
                                    "must specify a positive target averageValue"))


def _metric_spec(metric: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateMetricSpec``: the type and exactly its source."""
    kind = _s(metric, "type")
    if not kind:
        errs.append(errors.required(f"{path}.type", "must specify a metric source type"))
    present = [f for f in _SOURCE_FIELDS.values() if isinstance(metric.get(f), dict)]
    if present:
        _source(present[0], metric[present[0]], f"{path}.{present[0]}", errs)
    expected = _SOURCE_FIELDS.get(kind)
    if expected is None:
        errs.append(errors.not_supported(f"{path}.type", kind, list(METRIC_SOURCE_TYPES)))
    elif expected not in present:
        errs.append(errors.required(f"{path}.{expected}",
                                    "must populate information for the given metric source"))
    for other in present:
        if other != expected:
            errs.append(errors.forbidden(f"{path}.{other}",
                                         "must populate the given metric source only"))


def _scaling_rules(rules: Any, path: str, errs: Errs) -> None:
    """Upstream ``validateScalingRules`` / ``validateScalingPolicy``."""
    if not isinstance(rules, dict):
        return
    window = rules.get("stabilizationWindowSeconds")
    if is_int(window) and window < 0:
        errs.append(errors.invalid(f"{path}.stabilizationWindowSeconds", window,
                                   "must be greater than or equal to zero"))
    if is_int(window) and window > MAX_STABILIZATION_WINDOW_SECONDS:
        errs.append(errors.invalid(f"{path}.stabilizationWindowSeconds", window,
                                   f"must be less than or equal to "
                                   f"{MAX_STABILIZATION_WINDOW_SECONDS}"))
    select = rules.get("selectPolicy")
    if isinstance(select, str) and select not in ("Disabled", "Max", "Min"):
        errs.append(errors.not_supported(f"{path}.selectPolicy", select,
                                         ["Disabled", "Max", "Min"]))
    policies = as_list(rules.get("policies"))
    if not policies:
        errs.append(errors.required(f"{path}.policies", "must specify at least one Policy"))
    for i, policy in enumerate(policies):
        policy = as_map(policy)
        p = f"{path}.policies[{i}]"
        kind = _s(policy, "type")
        if kind not in ("Pods", "Percent"):
            errs.append(errors.not_supported(f"{p}.type", kind, ["Percent", "Pods"]))
        value, period = policy.get("value", 0), policy.get("periodSeconds", 0)
        if is_int(value) and value <= 0:
            errs.append(errors.invalid(f"{p}.value", value, "must be greater than zero"))
        if is_int(period) and period <= 0:
            errs.append(errors.invalid(f"{p}.periodSeconds", period, "must be greater than zero"))
        if is_int(period) and period > MAX_PERIOD_SECONDS:
            errs.append(errors.invalid(f"{p}.periodSeconds", period,
                                       f"must be less than or equal to {MAX_PERIOD_SECONDS}"))


def validate_hpa_spec(spec: Obj) -> Errs:
    """Upstream ``validateHorizontalPodAutoscalerSpec``."""
    errs: Errs = []
    min_replicas, max_replicas = spec.get("minReplicas"), spec.get("maxReplicas", 0)
    if is_int(min_replicas) and min_replicas < MIN_REPLICAS_LOWER_BOUND:
        errs.append(errors.invalid("spec.minReplicas", min_replicas,
                                   f"must be greater than or equal to {MIN_REPLICAS_LOWER_BOUND}"))
    if is_int(max_replicas) and max_replicas < 1:
        errs.append(errors.invalid("spec.maxReplicas", max_replicas, "must be greater than 0"))
    if is_int(min_replicas) and is_int(max_replicas) and max_replicas < min_replicas:
        errs.append(errors.invalid("spec.maxReplicas", max_replicas,
                                   "must be greater than or equal to `minReplicas`"))
    errs.extend(validate_cross_version_object_reference(as_map(spec.get("scaleTargetRef")),
                                                        "spec.scaleTargetRef"))
    for i, metric in enumerate(as_list(spec.get("metrics"))):
        _metric_spec(as_map(metric), f"spec.metrics[{i}]", errs)
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        _scaling_rules(behavior.get("scaleUp"), "spec.behavior.scaleUp", errs)
        _scaling_rules(behavior.get("scaleDown"), "spec.behavior.scaleDown", errs)
    return errs


def validate_hpa(obj: Obj) -> Errs:
    """Upstream ``ValidateHorizontalPodAutoscaler``."""
    errs = meta_errors(obj, True, names.validate_hpa_name)
    errs.extend(validate_hpa_spec(as_map(obj.get("spec"))))
    return errs


def validate_hpa_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(validate_hpa_spec(as_map(new.get("spec"))))
    return errs


def validate_hpa_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateHorizontalPodAutoscalerStatusUpdate``."""
    errs = meta_update_errors(new, old)
    status = as_map(new.get("status"))
    for key in ("currentReplicas", "desiredReplicas"):
        value = status.get(key)
        if is_int(value) and value < 0:
            errs.append(errors.invalid(f"status.{key}", value, IS_NEGATIVE_ERROR_MSG))
    return errs


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "HorizontalPodAutoscaler"): custom(validate_hpa, validate_hpa_update,
                                               validate_hpa_status_update),
}
