"""Validation of ``apps/v1``: Deployments, ReplicaSets, StatefulSets, DaemonSets and
ControllerRevisions.

Upstream: pkg/apis/apps/validation/validation.go (``ValidateDeployment``,
``ValidateDeploymentSpec``, ``ValidateDeploymentStrategy``,
``ValidateRollingUpdateDeployment``, ``ValidatePositiveIntOrPercent``,
``IsNotMoreThan100Percent``, ``ValidateReplicaSet``,
``ValidatePodTemplateSpecForReplicaSet``, ``ValidateStatefulSet``,
``ValidateStatefulSetUpdate``, ``ValidateDaemonSet``, ``ValidateControllerRevision``
and the status updates) plus the selector immutability that pkg/registry/apps/*/
strategy.go adds for apps/v1 (``ValidateImmutableField(spec.selector)``).
"""

from __future__ import annotations

import re
from typing import Any

from engine.api import errors
from engine.api.selectors import LabelSelector
from engine.api.validation import names, podspec
from engine.api.validation.common import (
    IS_NEGATIVE_ERROR_MSG,
    Errs,
    GoValue,
    go_label_selector,
    go_string_map,
    go_value,
    is_int,
    semantic_equal,
    str_map,
    validate_immutable_field,
)
from engine.api.validation.core import replica_status_errors
from engine.api.validation.kinds import (
    custom,
    label_selector_as_selector,
    meta_errors,
    meta_update_errors,
)
from engine.api.validation.objectmeta import validate_annotations, validate_label_selector
from engine.api.validation.objectmeta import validate_labels as _validate_labels
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "apps"
_PERCENT_RE = re.compile(r"^[0-9]+%$")
PERCENT_ERR = names.regex_error(
    "a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%",
    "1%", "93%")


def _m(obj: Obj, key: str) -> Obj:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _s(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _nonneg(obj: Obj, key: str, path: str, errs: Errs) -> None:
    value = obj.get(key)
    if is_int(value) and value < 0:
        errs.append(errors.invalid(path, value, IS_NEGATIVE_ERROR_MSG))


# -- IntOrString -------------------------------------------------------------------------


def go_int_or_string(value: Any) -> GoValue:
    """``%#v`` of an ``intstr.IntOrString`` (a value type without a Stringer)."""
    if isinstance(value, str):
        return GoValue(f'intstr.IntOrString{{Type:1, IntVal:0, StrVal:"{value}"}}')
    number = value if is_int(value) else 0
    return GoValue(f'intstr.IntOrString{{Type:0, IntVal:{number}, StrVal:""}}')


def _percent(value: Any) -> int | None:
    """Upstream ``getPercentValue``."""
    if isinstance(value, str) and _PERCENT_RE.match(value):
        return int(value[:-1])
    return None


def int_or_percent_value(value: Any) -> int:
    """Upstream ``getIntOrPercentValue``."""
    percent = _percent(value)
    if percent is not None:
        return percent
    if is_int(value):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return 0
    return 0


def validate_positive_int_or_percent(value: Any, path: str) -> Errs:
    """Upstream ``ValidatePositiveIntOrPercent``."""
    if isinstance(value, str):
        if not _PERCENT_RE.match(value):
            return [errors.invalid(path, go_int_or_string(value), PERCENT_ERR)]
        return []
    if is_int(value) and value < 0:
        return [errors.invalid(path, value, IS_NEGATIVE_ERROR_MSG)]
    return []


def not_more_than_100_percent(value: Any, path: str) -> Errs:
    """Upstream ``IsNotMoreThan100Percent``."""
    percent = _percent(value)
    if percent is None or percent <= 100:
        return []
    return [errors.invalid(path, go_int_or_string(value), "must not be greater than 100%")]


# -- templates ---------------------------------------------------------------------------


def _template_labels_value(template: Obj) -> GoValue:
    return go_string_map(_m(template, "metadata").get("labels"))


def _selector_errors(spec: Obj, what: str, errs: Errs) -> bool:
    """Selector required, valid and non-empty; True when it can be matched."""
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        errs.append(errors.required("spec.selector", ""))
        return False
    errs.extend(validate_label_selector(selector, "spec.selector"))
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        errs.append(errors.invalid("spec.selector", go_label_selector(selector),
                                   f"empty selector is invalid for {what}"))
    return True


def as_selector(spec: Obj, errs: Errs, detail: str) -> LabelSelector | None:
    """``metav1.LabelSelectorAsSelector(spec.selector)``: None (and an error with
    ``detail``) when it does not convert; a nil selector selects nothing."""
    selector = spec.get("selector")
    compiled = label_selector_as_selector(selector)
    if compiled is None:
        errs.append(errors.invalid("spec.selector", go_label_selector(selector), detail))
    return compiled


def template_for_replica_set(spec: Obj, kind: str, errs: Errs, full: bool = True) -> None:
    """Upstream ``ValidatePodTemplateSpecForReplicaSet`` (``full=False``: the StatefulSet
    variant, which checks only the template's labels and annotations)."""
    selector = as_selector(spec, errs, "" if not full else "invalid label selector")
    if selector is None:
        return
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(errors.required("spec.template", ""))
        return
    labels = _m(_m(template, "metadata"), "labels")
    if not selector.empty() and not selector.matches(str_map(labels)):
        errs.append(errors.invalid("spec.template.metadata.labels",
                                   _template_labels_value(template),
                                   "`selector` does not match template `labels`"))
    if full:
        errs.extend(podspec.validate_pod_template_spec(template, "spec.template"))
    else:
        meta = _m(template, "metadata")
        errs.extend(_validate_labels(meta.get("labels"), "spec.template.labels"))
        errs.extend(validate_annotations(meta.get("annotations"), "spec.template.annotations"))
        errs.extend(podspec.validate_pod_specific_annotations(
            meta.get("annotations"), _m(template, "spec"), "spec.template.annotations"))
        return
    _always_restart(template, kind, errs)


def _always_restart(template: Obj, kind: str, errs: Errs) -> None:
    tspec = _m(template, "spec")
    restart = _s(tspec, "restartPolicy")
    if restart != "Always":
        errs.append(errors.not_supported("spec.template.spec.restartPolicy", restart, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(errors.forbidden("spec.template.spec.activeDeadlineSeconds",
                                     f"activeDeadlineSeconds in {kind} is not Supported"))


# -- deployments -------------------------------------------------------------------------


def _go_strategy(strategy: Obj) -> GoValue:
    rolling = ("(*apps.RollingUpdateDeployment)(nil)" if strategy.get("rollingUpdate") is None
               else "(*apps.RollingUpdateDeployment)(0xc000000000)")
    return GoValue(f'apps.DeploymentStrategy{{Type:"{_s(strategy, "type")}", '
                   f"RollingUpdate:{rolling}}}")


def validate_deployment_strategy(strategy: Obj, errs: Errs) -> None:
    """Upstream ``ValidateDeploymentStrategy`` / ``ValidateRollingUpdateDeployment``."""
    kind = _s(strategy, "type")
    path = "spec.strategy"
    if kind == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(errors.forbidden(f"{path}.rollingUpdate", "may not be specified when "
                                         "strategy `type` is 'Recreate'"))
    elif kind == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            errs.append(errors.required(f"{path}.rollingUpdate", "this should be defaulted and "
                                        "never be nil"))
            return
        rp = f"{path}.rollingUpdate"
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs.extend(validate_positive_int_or_percent(unavailable, f"{rp}.maxUnavailable"))
        errs.extend(validate_positive_int_or_percent(surge, f"{rp}.maxSurge"))
        if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
            errs.append(errors.invalid(f"{rp}.maxUnavailable", go_int_or_string(unavailable),
                                       "may not be 0 when `maxSurge` is 0"))
        errs.extend(not_more_than_100_percent(unavailable, f"{rp}.maxUnavailable"))
    else:
        errs.append(errors.not_supported(path, _go_strategy(strategy),
                                         ["Recreate", "RollingUpdate"]))


def validate_deployment_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateDeploymentSpec``."""
    errs: Errs = []
    _nonneg(spec, "replicas", "spec.replicas", errs)
    _selector_errors(spec, "deployment", errs)
    template_for_replica_set(spec, "ReplicaSet", errs)
    validate_deployment_strategy(_m(spec, "strategy"), errs)
    _nonneg(spec, "minReadySeconds", "spec.minReadySeconds", errs)
    _nonneg(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", errs)
    deadline = spec.get("progressDeadlineSeconds")
    if is_int(deadline):
        _nonneg(spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds", errs)
        min_ready = spec.get("minReadySeconds", 0)
        if is_int(min_ready) and deadline <= min_ready:
            errs.append(errors.invalid("spec.progressDeadlineSeconds", deadline,
                                       "must be greater than minReadySeconds"))
    return errs


def validate_deployment(obj: Obj) -> Errs:
    """Upstream ``ValidateDeployment``."""
    errs = meta_errors(obj, True, names.validate_deployment_name)
    errs.extend(validate_deployment_spec(_m(obj, "spec")))
    return errs


def _selector_immutable(new: Obj, old: Obj) -> Errs:
    """apps/v1 strategies: ``ValidateImmutableField(spec.selector)``."""
    selector, old_selector = _m(new, "spec").get("selector"), _m(old, "spec").get("selector")
    if semantic_equal(selector, old_selector):
        return []
    value = go_label_selector(selector) if isinstance(selector, dict) else GoValue(
        "(*v1.LabelSelector)(nil)")
    return [errors.invalid("spec.selector", value, "field is immutable")]


def validate_deployment_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateDeploymentUpdate`` plus the selector immutability."""
    errs = meta_update_errors(new, old)
    errs.extend(validate_deployment_spec(_m(new, "spec")))
    errs.extend(_selector_immutable(new, old))
    return errs


def _collision_count(new: Obj, old: Obj, errs: Errs) -> None:
    """Upstream ``IsDecremented`` on ``status.collisionCount``."""
    count, old_count = _m(new, "status").get("collisionCount"), _m(old, "status").get(
        "collisionCount")
    if is_int(old_count) and (not is_int(count) or count < old_count):
        errs.append(errors.invalid("status.collisionCount", count if is_int(count) else 0,
                                   "cannot be decremented"))


def validate_deployment_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateDeploymentStatusUpdate``."""
    errs = meta_update_errors(new, old)
    status = _m(new, "status")
    for key in ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                "availableReplicas", "unavailableReplicas", "collisionCount"):
        _nonneg(status, key, f"status.{key}", errs)
    replicas = status.get("replicas", 0)
    for key in ("updatedReplicas", "readyReplicas", "availableReplicas"):
        value = status.get(key, 0)
        if is_int(value) and is_int(replicas) and value > replicas:
            errs.append(errors.invalid(f"status.{key}", value,
                                       "cannot be greater than status.replicas"))
    available, ready = status.get("availableReplicas", 0), status.get("readyReplicas", 0)
    if is_int(available) and is_int(ready) and available > ready:
        errs.append(errors.invalid("status.availableReplicas", available,
                                   "cannot be greater than readyReplicas"))
    _collision_count(new, old, errs)
    return errs


# -- replica sets ------------------------------------------------------------------------


def validate_replica_set_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateReplicaSetSpec``."""
    errs: Errs = []
    _nonneg(spec, "replicas", "spec.replicas", errs)
    _nonneg(spec, "minReadySeconds", "spec.minReadySeconds", errs)
    _selector_errors(spec, "deployment", errs)
    template_for_replica_set(spec, "ReplicaSet", errs)
    return errs


def validate_replica_set(obj: Obj) -> Errs:
    errs = meta_errors(obj, True, names.validate_replica_set_name)
    errs.extend(validate_replica_set_spec(_m(obj, "spec")))
    return errs


def validate_replica_set_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(validate_replica_set_spec(_m(new, "spec")))
    errs.extend(_selector_immutable(new, old))
    return errs


def validate_replica_set_status_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(replica_status_errors(_m(new, "status")))
    return errs


# -- stateful sets -----------------------------------------------------------------------


def validate_stateful_set_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateStatefulSetSpec``."""
    errs: Errs = []
    policy = _s(spec, "podManagementPolicy")
    if not policy:
        errs.append(errors.required("spec.podManagementPolicy", ""))
    elif policy not in ("OrderedReady", "Parallel"):
        errs.append(errors.invalid("spec.podManagementPolicy", policy,
                                   "must be 'OrderedReady' or 'Parallel'"))
    _stateful_update_strategy(_m(spec, "updateStrategy"), errs)
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if isinstance(retention, dict):
        for key in ("whenDeleted", "whenScaled"):
            value = _s(retention, key)
            if value not in ("Retain", "Delete"):
                errs.append(errors.not_supported(
                    f"spec.persistentVolumeClaimRetentionPolicy.{key}", value,
                    ["Retain", "Delete"]))
    _nonneg(spec, "replicas", "spec.replicas", errs)
    _nonneg(spec, "minReadySeconds", "spec.minReadySeconds", errs)
    _nonneg(_m(spec, "ordinals"), "start", "spec.ordinals.start", errs)
    _selector_errors(spec, "statefulset", errs)
    template_for_replica_set(spec, "StatefulSet", errs, full=False)
    _always_restart(_m(spec, "template"), "StatefulSet", errs)
    return errs


def _stateful_update_strategy(strategy: Obj, errs: Errs) -> None:
    kind = _s(strategy, "type")
    rolling = strategy.get("rollingUpdate")
    if not kind:
        errs.append(errors.required("spec.updateStrategy", ""))
    elif kind == "OnDelete":
        if rolling is not None:
            errs.append(errors.invalid("spec.updateStrategy.rollingUpdate", go_value(rolling),
                                       "only allowed for updateStrategy 'RollingUpdate'"))
    elif kind == "RollingUpdate":
        if isinstance(rolling, dict):
            _nonneg(rolling, "partition", "spec.updateStrategy.rollingUpdate.partition", errs)
    else:
        errs.append(errors.invalid("spec.updateStrategy", go_value(strategy),
                                   "must be 'RollingUpdate' or 'OnDelete'"))


def validate_stateful_set(obj: Obj) -> Errs:
    errs = meta_errors(obj, True, names.validate_stateful_set_name)
    errs.extend(validate_stateful_set_spec(_m(obj, "spec")))
    return errs


STATEFUL_SET_MUTABLE = ("replicas", "ordinals", "template", "updateStrategy",
                        "persistentVolumeClaimRetentionPolicy", "minReadySeconds")


def validate_stateful_set_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateStatefulSetUpdate``."""
    errs = meta_update_errors(new, old)
    spec, old_spec = _m(new, "spec"), _m(old, "spec")
    errs.extend(validate_stateful_set_spec(spec))
    frozen = {k: v for k, v in spec.items() if k not in STATEFUL_SET_MUTABLE}
    old_frozen = {k: v for k, v in old_spec.items() if k not in STATEFUL_SET_MUTABLE}
    if not semantic_equal(frozen, old_frozen):
        errs.append(errors.forbidden("spec", "updates to statefulset spec for fields other than "
                                     "'replicas', 'ordinals', 'template', 'updateStrategy', "
                                     "'persistentVolumeClaimRetentionPolicy' and "
                                     "'minReadySeconds' are forbidden"))
    return errs


def validate_stateful_set_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateStatefulSetStatusUpdate``."""
    status = _m(new, "status")
    errs: Errs = []
    for key in ("replicas", "readyReplicas", "currentReplicas", "updatedReplicas",
                "availableReplicas", "observedGeneration", "collisionCount"):
        _nonneg(status, key, f"status.{key}", errs)
    replicas = status.get("replicas", 0)
    for key in ("readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas"):
        value = status.get(key, 0)
        if is_int(value) and is_int(replicas) and value > replicas:
            errs.append(errors.invalid(f"status.{key}", value,
                                       "cannot be greater than status.replicas"))
    available, ready = status.get("availableReplicas", 0), status.get("readyReplicas", 0)
    if is_int(available) and is_int(ready) and available > ready:
        errs.append(errors.invalid("status.availableReplicas", available,
                                   "cannot be greater than status.readyReplicas"))
    errs.extend(meta_update_errors(new, old))
    _collision_count(new, old, errs)
    return errs


# -- daemon sets -------------------------------------------------------------------------


def validate_daemon_set_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateDaemonSetSpec``."""
    errs: Errs = []
    selector = spec.get("selector")
    errs.extend(validate_label_selector(selector, "spec.selector"))
    template = _m(spec, "template")
    labels = _m(_m(template, "metadata"), "labels")
    compiled = as_selector(spec, [], "")
    if compiled is not None and not compiled.matches(str_map(labels)):
        errs.append(errors.invalid("spec.template.metadata.labels",
                                   _template_labels_value(template),
                                   "`selector` does not match template `labels`"))
    if isinstance(selector, dict) and not selector.get("matchLabels") and not selector.get(
            "matchExpressions"):
        errs.append(errors.invalid("spec.selector", go_label_selector(selector),
                                   "empty selector is invalid for daemonset"))
    errs.extend(podspec.validate_pod_template_spec(template, "spec.template"))
    _always_restart(template, "DaemonSet", errs)
    _nonneg(spec, "minReadySeconds", "spec.minReadySeconds", errs)
    _daemon_update_strategy(_m(spec, "updateStrategy"), errs)
    _nonneg(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", errs)
    return errs


def _daemon_update_strategy(strategy: Obj, errs: Errs) -> None:
    """Upstream ``ValidateDaemonSetUpdateStrategy`` / ``ValidateRollingUpdateDaemonSet``."""
    kind = _s(strategy, "type")
    path = "spec.updateStrategy"
    if kind == "OnDelete":
        return
    if kind != "RollingUpdate":
        rolling = ("(*apps.RollingUpdateDaemonSet)(nil)" if strategy.get("rollingUpdate") is None
                   else "(*apps.RollingUpdateDaemonSet)(0xc000000000)")
        errs.append(errors.not_supported(path, GoValue(
            f'&apps.DaemonSetUpdateStrategy{{Type:"{kind}", RollingUpdate:{rolling}}}'),
            ["RollingUpdate", "OnDelete"]))
        return
    rolling = strategy.get("rollingUpdate")
    if not isinstance(rolling, dict):
        errs.append(errors.required(f"{path}.rollingUpdate", ""))
        return
    rp = f"{path}.rollingUpdate"
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs.extend(validate_positive_int_or_percent(unavailable, f"{rp}.maxUnavailable"))
    errs.extend(validate_positive_int_or_percent(surge, f"{rp}.maxSurge"))
    errs.extend(not_more_than_100_percent(unavailable, f"{rp}.maxUnavailable"))
    errs.extend(not_more_than_100_percent(surge, f"{rp}.maxSurge"))
    has_unavailable = int_or_percent_value(unavailable) != 0
    has_surge = int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errs.append(errors.invalid(f"{rp}.maxSurge", go_int_or_string(surge),
                                   "may not be set when maxUnavailable is non-zero"))
    elif not has_unavailable and not has_surge:
        errs.append(errors.required(f"{rp}.maxUnavailable", "cannot be 0 when maxSurge is 0"))


def validate_daemon_set(obj: Obj) -> Errs:
    errs = meta_errors(obj, True, names.validate_daemon_set_name)
    errs.extend(validate_daemon_set_spec(_m(obj, "spec")))
    return errs


def validate_daemon_set_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(validate_daemon_set_spec(_m(new, "spec")))
    errs.extend(_selector_immutable(new, old))
    return errs


def validate_daemon_set_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateDaemonSetStatusUpdate``."""
    errs = meta_update_errors(new, old)
    status = _m(new, "status")
    for key in ("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
                "numberReady", "observedGeneration", "updatedNumberScheduled", "numberAvailable",
                "numberUnavailable", "collisionCount"):
        _nonneg(status, key, f"status.{key}", errs)
    _collision_count(new, old, errs)
    return errs


# -- controller revisions ------------------------------------------------------------------


def validate_controller_revision(obj: Obj) -> Errs:
    """Upstream ``ValidateControllerRevision``."""
    errs = meta_errors(obj, True, names.validate_controller_revision_name)
    if obj.get("data") is None:
        errs.append(errors.required("data", "data is mandatory"))
    _nonneg(obj, "revision", "revision", errs)
    return errs


def validate_controller_revision_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(validate_controller_revision(new))
    errs.extend(validate_immutable_field(new.get("data"), old.get("data"), "data"))
    return errs


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "Deployment"): custom(validate_deployment, validate_deployment_update,
                                  validate_deployment_status_update),
    (GROUP, "ReplicaSet"): custom(validate_replica_set, validate_replica_set_update,
                                  validate_replica_set_status_update),
    (GROUP, "StatefulSet"): custom(validate_stateful_set, validate_stateful_set_update,
                                   validate_stateful_set_status_update),
    (GROUP, "DaemonSet"): custom(validate_daemon_set, validate_daemon_set_update,
                                 validate_daemon_set_status_update),
    (GROUP, "ControllerRevision"): custom(validate_controller_revision,
                                          validate_controller_revision_update),
}

