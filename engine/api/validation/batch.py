"""Validation of ``batch/v1``: Jobs and CronJobs.

Upstream: pkg/apis/batch/validation/validation.go (``ValidateJob``,
``validateGeneratedSelector``, ``ValidateJobSpec``, ``validateJobSpec``,
``validatePodFailurePolicy``, ``ValidateJobUpdate``/``ValidateJobSpecUpdate``,
``validatePodTemplateUpdate``, ``validateCompletions``, ``ValidateJobUpdateStatus``,
``ValidateCronJobCreate``, ``ValidateCronJobUpdate``, ``validateCronJobSpec``,
``validateScheduleFormat``, ``validateTimeZone``, ``ValidateJobTemplateSpec``), with
the v1.32 feature gates: elastic indexed jobs, mutable scheduling directives of
suspended jobs and prefixed job labels on.
"""

from __future__ import annotations

import re
from typing import Any

from engine.api import errors
from engine.api.validation import cronspec, names, podspec
from engine.api.validation.common import (
    IS_NEGATIVE_ERROR_MSG,
    Errs,
    GoValue,
    as_list,
    as_map,
    go_label_selector,
    go_string_map,
    go_value,
    is_int,
    semantic_equal,
    str_map,
    validate_immutable_field,
)
from engine.api.validation.kinds import (
    custom,
    label_selector_as_selector,
    meta_errors,
    meta_update_errors,
)
from engine.api.validation.objectmeta import validate_label_selector
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "batch"
MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000
MAX_FAILED_INDEXES = 100_000
MAX_POD_FAILURE_POLICY_RULES = 20
MAX_ON_EXIT_CODES_VALUES = 255
MAX_ON_POD_CONDITIONS_PATTERNS = 20
POD_FAILURE_POLICY_ACTIONS = ("Count", "FailIndex", "FailJob", "Ignore")
LEGACY_LABELS = ("controller-uid", "job-name")
PREFIXED_LABELS = ("batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name")
_TZ_PART_RE = re.compile(r"^[A-Za-z\.\-_0-9+]{1,14}$")


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


# -- jobs ------------------------------------------------------------------------------


def _has_label(meta: Obj, key: str, expected: str, errs: Errs) -> None:
    """Upstream ``ValidateHasLabel`` on ``spec.template.metadata``."""
    labels = _m(meta, "labels")
    path = f"spec.template.metadata.labels[{key}]"
    if key not in labels:
        errs.append(errors.required(path, f"must be '{expected}'"))
    elif labels[key] != expected:
        errs.append(errors.invalid(path, go_string_map(labels), f"must be '{expected}'"))


def _generated_selector(job: Obj) -> Errs:
    """Upstream ``validateGeneratedSelector``."""
    spec = _m(job, "spec")
    if spec.get("manualSelector") is True or not isinstance(spec.get("selector"), dict):
        return []
    meta = _m(job, "metadata")
    uid, name = _s(meta, "uid"), _s(meta, "name")
    errs: Errs = []
    if not uid:
        errs.append(errors.required("metadata.uid", ""))
    template_meta = _m(_m(spec, "template"), "metadata")
    for key, value in zip(LEGACY_LABELS, (uid, name), strict=True):
        _has_label(template_meta, key, value, errs)
    for key, value in zip(PREFIXED_LABELS, (uid, name), strict=True):
        _has_label(template_meta, key, value, errs)
    expected = dict(zip(PREFIXED_LABELS + LEGACY_LABELS, (uid, name, uid, name), strict=True))
    selector = label_selector_as_selector(spec["selector"])
    if selector is None:
        return errs
    if not selector.matches(expected):
        errs.append(errors.invalid("spec.selector", go_label_selector(spec["selector"]),
                                   "`selector` not auto-generated"))
    return errs


def validate_job_spec_body(spec: Obj, path: str) -> Errs:
    """Upstream ``validateJobSpec`` (shared with job templates)."""
    errs: Errs = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"):
        _nonneg(spec, key, f"{path}.{key}", errs)
    per_index, max_failed = spec.get("backoffLimitPerIndex"), spec.get("maxFailedIndexes")
    if max_failed is not None and per_index is None:
        errs.append(errors.required(f"{path}.backoffLimitPerIndex",
                                    "when maxFailedIndexes is specified"))
    managed_by = spec.get("managedBy")
    if isinstance(managed_by, str):
        from engine.api.validation.networking import is_domain_prefixed_path

        errs.extend(is_domain_prefixed_path(managed_by, f"{path}.managedBy"))
        if len(managed_by) > 63:
            errs.append(errors.too_long(f"{path}.managedBy", 63))
    _completion_mode(spec, path, errs)
    if isinstance(spec.get("podFailurePolicy"), dict):
        _pod_failure_policy(spec, f"{path}.podFailurePolicy", errs)
    _replacement_policy(spec, f"{path}.podReplacementPolicy", errs)
    errs.extend(podspec.validate_pod_template_spec(spec.get("template"), f"{path}.template"))
    _job_restart_policy(spec, path, errs)
    return errs


def _completion_mode(spec: Obj, path: str, errs: Errs) -> None:
    mode = spec.get("completionMode")
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    max_failed = spec.get("maxFailedIndexes")
    if isinstance(mode, str):
        if mode not in ("NonIndexed", "Indexed"):
            errs.append(errors.not_supported(f"{path}.completionMode", mode,
                                             ["NonIndexed", "Indexed"]))
        if mode == "Indexed":
            if completions is None:
                errs.append(errors.required(f"{path}.completions",
                                            "when completion mode is Indexed"))
            if is_int(parallelism) and parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB:
                errs.append(errors.invalid(f"{path}.parallelism", parallelism,
                                           "must be less than or equal to 100000 when "
                                           "completion mode is Indexed"))
            if is_int(completions) and is_int(max_failed) and max_failed > completions:
                errs.append(errors.invalid(f"{path}.maxFailedIndexes", max_failed,
                                           "must be less than or equal to completions"))
            if is_int(max_failed) and max_failed > MAX_FAILED_INDEXES:
                errs.append(errors.invalid(f"{path}.maxFailedIndexes", max_failed,
                                           "must be less than or equal to 100000"))
    if mode in (None, "NonIndexed"):
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if is_int(spec.get(key)):
                errs.append(errors.invalid(f"{path}.{key}", spec[key],
                                           "requires indexed completion mode"))


def _pod_failure_policy(spec: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validatePodFailurePolicy`` and its rules."""
    rules = as_list(_m(spec, "podFailurePolicy").get("rules"))
    if len(rules) > MAX_POD_FAILURE_POLICY_RULES:
        errs.append(errors.too_many(f"{path}.rules", len(rules), MAX_POD_FAILURE_POLICY_RULES))
    tspec = _m(_m(spec, "template"), "spec")
    containers = {_s(as_map(c), "name") for k in ("containers", "initContainers")
                  for c in as_list(tspec.get(k))}
    for i, rule in enumerate(rules):
        _failure_rule(spec, as_map(rule), f"{path}.rules[{i}]", containers, errs)


def _failure_rule(spec: Obj, rule: Obj, path: str, containers: set[str], errs: Errs) -> None:
    action = _s(rule, "action")
    if not action:
        errs.append(errors.required(f"{path}.action", 'valid values: ["Count" "FailIndex" '
                                    '"FailJob" "Ignore"]'))
    elif action == "FailIndex":
        if spec.get("backoffLimitPerIndex") is None:
            errs.append(errors.invalid(f"{path}.action", action,
                                       "requires the backoffLimitPerIndex to be set"))
    elif action not in POD_FAILURE_POLICY_ACTIONS:
        errs.append(errors.not_supported(f"{path}.action", action,
                                         list(POD_FAILURE_POLICY_ACTIONS)))
    on_exit, on_conditions = rule.get("onExitCodes"), as_list(rule.get("onPodConditions"))
    if isinstance(on_exit, dict):
        _on_exit_codes(on_exit, f"{path}.onExitCodes", containers, errs)
    if on_conditions:
        _on_pod_conditions(on_conditions, f"{path}.onPodConditions", errs)
    if isinstance(on_exit, dict) and on_conditions:
        errs.append(errors.FieldError("Invalid value", "FieldValueInvalid", path, errors.OMIT,
                                      "specifying both OnExitCodes and OnPodConditions is not "
                                      "supported"))
    if not isinstance(on_exit, dict) and not on_conditions:
        errs.append(errors.FieldError("Invalid value", "FieldValueInvalid", path, errors.OMIT,
                                      "specifying one of OnExitCodes and OnPodConditions is "
                                      "required"))


def _on_exit_codes(req: Obj, path: str, containers: set[str], errs: Errs) -> None:
    op = _s(req, "operator")
    if not op:
        errs.append(errors.required(f"{path}.operator", 'valid values: ["In" "NotIn"]'))
    elif op not in ("In", "NotIn"):
        errs.append(errors.not_supported(f"{path}.operator", op, ["In", "NotIn"]))
    container = req.get("containerName")
    if isinstance(container, str) and container not in containers:
        errs.append(errors.invalid(f"{path}.containerName", container, "must be one of the "
                                   "container or initContainer names in the pod template"))
    values = [v for v in as_list(req.get("values")) if is_int(v)]
    if not values:
        errs.append(errors.invalid(f"{path}.values", GoValue("[]int32(nil)"),
                                   "at least one value is required"))
    elif len(values) > MAX_ON_EXIT_CODES_VALUES:
        errs.append(errors.too_many(f"{path}.values", len(values), MAX_ON_EXIT_CODES_VALUES))
    seen: set[int] = set()
    for j, value in enumerate(values):
        if op == "In" and value == 0:
            errs.append(errors.invalid(f"{path}.values[{j}]", 0, "must not be 0 for the In "
                                       "operator"))
        if value in seen:
            errs.append(errors.duplicate(f"{path}.values[{j}]", value))
        seen.add(value)
    if values != sorted(values):
        errs.append(errors.invalid(f"{path}.values", GoValue(
            "[]int32{" + ", ".join(map(str, values)) + "}"), "must be ordered"))


def _on_pod_conditions(patterns: list[Any], path: str, errs: Errs) -> None:
    if len(patterns) > MAX_ON_POD_CONDITIONS_PATTERNS:
        errs.append(errors.too_many(path, len(patterns), MAX_ON_POD_CONDITIONS_PATTERNS))
    for j, pattern in enumerate(patterns):
        pattern = as_map(pattern)
        podspec.qualified_name(_s(pattern, "type"), f"{path}[{j}].type", errs)
        status = _s(pattern, "status")
        if not status:
            errs.append(errors.required(f"{path}[{j}].status", 'valid values: ["False" "True" '
                                        '"Unknown"]'))
        elif status not in ("False", "True", "Unknown"):
            errs.append(errors.not_supported(f"{path}[{j}].status", status,
                                             ["False", "True", "Unknown"]))


def _replacement_policy(spec: Obj, path: str, errs: Errs) -> None:
    policy = spec.get("podReplacementPolicy")
    if not isinstance(policy, str):
        return
    if isinstance(spec.get("podFailurePolicy"), dict):
        if policy != "Failed":
            errs.append(errors.not_supported(path, policy, ["Failed"]))
    elif policy not in ("Failed", "TerminatingOrFailed"):
        errs.append(errors.not_supported(path, policy, ["Failed", "TerminatingOrFailed"]))


def _job_restart_policy(spec: Obj, path: str, errs: Errs) -> None:
    restart = _s(_m(_m(spec, "template"), "spec"), "restartPolicy")
    p = f"{path}.template.spec.restartPolicy"
    if restart in ("Always", ""):
        errs.append(errors.required(p, 'valid values: "OnFailure", "Never"'))
    elif restart not in ("OnFailure", "Never"):
        errs.append(errors.not_supported(p, restart, ["OnFailure", "Never"]))
    elif isinstance(spec.get("podFailurePolicy"), dict) and restart != "Never":
        errs.append(errors.invalid(p, restart, 'only "Never" is supported when podFailurePolicy '
                                   "is specified"))


def validate_job_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateJobSpec``: the body, a required selector matching the template."""
    errs = validate_job_spec_body(spec, "spec")
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        errs.append(errors.required("spec.selector", ""))
    else:
        errs.extend(validate_label_selector(selector, "spec.selector"))
    compiled = label_selector_as_selector(selector)
    if compiled is None:
        return errs
    template_meta = _m(_m(spec, "template"), "metadata")
    if not compiled.matches(str_map(template_meta.get("labels"))):
        errs.append(errors.invalid("spec.template.metadata.labels",
                                   go_string_map(template_meta.get("labels")),
                                   "`selector` does not match template `labels`"))
    return errs


def validate_job(job: Obj) -> Errs:
    """Upstream ``ValidateJob``."""
    errs = meta_errors(job, True, names.validate_replication_controller_name)
    errs.extend(_generated_selector(job))
    spec = _m(job, "spec")
    errs.extend(validate_job_spec(spec))
    completions = spec.get("completions")
    if spec.get("completionMode") == "Indexed" and is_int(completions) and completions > 0:
        name = _s(_m(job, "metadata"), "name")
        hostname = f"{name}-{completions - 1}"
        if names.is_dns1123_label(hostname):
            errs.append(errors.invalid("metadata.name", name, "will not able to create pod with "
                                       f"invalid DNS label: {hostname}"))
    return errs


def _template_update(new: Obj, old: Obj, errs: Errs) -> None:
    """Upstream ``validatePodTemplateUpdate``: the template is immutable, except the
    scheduling directives of a suspended Job that never started."""
    spec, old_spec = _m(new, "spec"), _m(old, "spec")
    template, old_template = _m(spec, "template"), _m(old_spec, "template")
    suspended = old_spec.get("suspend") is True
    not_started = not _m(old, "status").get("startTime")
    if suspended and not_started:
        old_template = _with_scheduling_of(old_template, template)
    if not semantic_equal(template, old_template):
        errs.append(errors.invalid("spec.template", go_value(template), "field is immutable"))


def _with_scheduling_of(old_template: Obj, template: Obj) -> Obj:
    merged = dict(old_template)
    meta = dict(_m(old_template, "metadata"))
    new_meta = _m(template, "metadata")
    for key in ("labels", "annotations"):
        meta[key] = new_meta.get(key)
    merged["metadata"] = meta
    tspec, old_tspec = _m(template, "spec"), dict(_m(old_template, "spec"))
    for key in ("nodeSelector", "tolerations", "schedulingGates"):
        old_tspec[key] = tspec.get(key)
    affinity, old_affinity = tspec.get("affinity"), old_tspec.get("affinity")
    if isinstance(affinity, dict):
        base = dict(old_affinity) if isinstance(old_affinity, dict) else {}
        base["nodeAffinity"] = affinity.get("nodeAffinity")
        old_tspec["affinity"] = base
    elif isinstance(old_affinity, dict):
        rest = {k: v for k, v in old_affinity.items() if k != "nodeAffinity"}
        old_tspec["affinity"] = rest or None
    merged["spec"] = old_tspec
    return merged


def validate_job_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateJobUpdate`` / ``ValidateJobSpecUpdate``."""
    errs = meta_update_errors(new, old)
    spec, old_spec = _m(new, "spec"), _m(old, "spec")
    errs.extend(validate_job_spec(spec))
    errs.extend(_completions_update(spec, old_spec))
    selector, old_selector = spec.get("selector"), old_spec.get("selector")
    if not semantic_equal(selector, old_selector):
        errs.append(errors.invalid("spec.selector", go_label_selector(selector)
                                   if isinstance(selector, dict) else None, "field is immutable"))
    _template_update(new, old, errs)
    for key in ("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy",
                "successPolicy"):
        errs.extend(validate_immutable_field(spec.get(key), old_spec.get(key), f"spec.{key}"))
    return errs


def _completions_update(spec: Obj, old_spec: Obj) -> Errs:
    """Upstream ``validateCompletions`` (ElasticIndexedJob on)."""
    completions = spec.get("completions")
    if spec.get("completionMode") != "Indexed":
        return validate_immutable_field(completions, old_spec.get("completions"),
                                        "spec.completions")
    if semantic_equal(completions, old_spec.get("completions")) or completions is None:
        return []
    if completions != spec.get("parallelism"):
        return [errors.invalid("spec.completions", completions,
                               "can only be modified in tandem with spec.parallelism")]
    return []


def validate_job_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateJobUpdateStatus`` (counters, uncounted pods, decreasing counters)."""
    errs = meta_update_errors(new, old)
    status, old_status = _m(new, "status"), _m(old, "status")
    for key in ("active", "succeeded", "failed", "ready", "terminating"):
        _nonneg(status, key, f"status.{key}", errs)
    seen: set[str] = set()
    uncounted = _m(status, "uncountedTerminatedPods")
    for kind in ("succeeded", "failed"):
        for i, uid in enumerate(as_list(uncounted.get(kind))):
            p = f"status.uncountedTerminatedPods.{kind}[{i}]"
            if not uid:
                errs.append(errors.invalid(p, "", "must not be empty"))
            elif uid in seen:
                errs.append(errors.duplicate(p, uid))
            else:
                seen.add(uid)
    for key in ("failed", "succeeded"):
        value, old_value = status.get(key, 0), old_status.get(key, 0)
        if is_int(value) and is_int(old_value) and value < old_value:
            errs.append(errors.invalid(f"status.{key}", value,
                                       f"cannot decrease the {key} counter"))
    ready, active = status.get("ready"), status.get("active", 0)
    if is_int(ready) and is_int(active) and ready > active:
        errs.append(errors.invalid("status.ready", ready, "cannot set more ready pods than active"))
    return errs


# -- cron jobs ---------------------------------------------------------------------------


def _schedule(schedule: str, allow_tz: bool, time_zone: Any, errs: Errs) -> None:
    """Upstream ``validateScheduleFormat``."""
    problem = cronspec.parse_standard(schedule)
    if problem is not None:
        errs.append(errors.invalid("spec.schedule", schedule, problem))
    if allow_tz and "TZ" in schedule and time_zone is not None:
        errs.append(errors.invalid("spec.schedule", schedule, "cannot use both timeZone field "
                                   "and TZ or CRON_TZ in schedule"))
    elif not allow_tz and "TZ" in schedule:
        errs.append(errors.invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in "
                                   "schedule, use timeZone field instead"))


def _time_zone(value: Any, errs: Errs) -> None:
    """Upstream ``validateTimeZone``."""
    if not isinstance(value, str):
        return
    path = "spec.timeZone"
    if not value:
        errs.append(errors.invalid(path, "", "timeZone must be nil or non-empty string"))
        return
    for part in value.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART_RE.match(part):
            errs.append(errors.invalid(path, value, f"unknown time zone {value}"))
            return
    if value.lower() == "local":
        errs.append(errors.invalid(path, value, "timeZone must be an explicit time zone as "
                                   "defined in https://www.iana.org/time-zones"))
    problem = cronspec.time_zone_error(value)
    if problem is not None:
        errs.append(errors.invalid(path, value, problem))


def validate_job_template_spec(template: Obj, path: str) -> Errs:
    """Upstream ``ValidateJobTemplateSpec``."""
    spec = _m(template, "spec")
    errs = validate_job_spec_body(spec, f"{path}.spec")
    if spec.get("selector") is not None:
        errs.append(errors.invalid(f"{path}.spec.selector", go_label_selector(spec["selector"]),
                                   "`selector` will be auto-generated"))
    if spec.get("manualSelector") is True:
        errs.append(errors.not_supported(f"{path}.spec.manualSelector", True, ["nil", "false"]))
    return errs


def validate_cron_job_spec(spec: Obj, old_spec: Obj | None) -> Errs:
    """Upstream ``validateCronJobSpec``."""
    errs: Errs = []
    schedule = _s(spec, "schedule")
    if not schedule:
        errs.append(errors.required("spec.schedule", ""))
    else:
        allow_tz = old_spec is not None and "TZ" in _s(old_spec, "schedule")
        _schedule(schedule, allow_tz, spec.get("timeZone"), errs)
    _nonneg(spec, "startingDeadlineSeconds", "spec.startingDeadlineSeconds", errs)
    if old_spec is None or old_spec.get("timeZone") != spec.get("timeZone"):
        _time_zone(spec.get("timeZone"), errs)
    policy = _s(spec, "concurrencyPolicy")
    if not policy:
        errs.append(errors.required("spec.concurrencyPolicy", ""))
    elif policy not in ("Allow", "Forbid", "Replace"):
        errs.append(errors.not_supported("spec.concurrencyPolicy", policy,
                                         ["Allow", "Forbid", "Replace"]))
    errs.extend(validate_job_template_spec(_m(spec, "jobTemplate"), "spec.jobTemplate"))
    _nonneg(spec, "successfulJobsHistoryLimit", "spec.successfulJobsHistoryLimit", errs)
    _nonneg(spec, "failedJobsHistoryLimit", "spec.failedJobsHistoryLimit", errs)
    return errs


def validate_cron_job(obj: Obj) -> Errs:
    """Upstream ``ValidateCronJobCreate``: names up to 52 characters."""
    errs = meta_errors(obj, True, names.validate_replication_controller_name)
    errs.extend(validate_cron_job_spec(_m(obj, "spec"), None))
    name = _s(_m(obj, "metadata"), "name")
    if len(name) > 52:
        errs.append(errors.invalid("metadata.name", name, "must be no more than 52 characters"))
    return errs


def validate_cron_job_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateCronJobUpdate``."""
    errs = meta_update_errors(new, old)
    errs.extend(validate_cron_job_spec(_m(new, "spec"), _m(old, "spec")))
    return errs


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "Job"): custom(validate_job, validate_job_update, validate_job_status_update),
    (GROUP, "CronJob"): custom(validate_cron_job, validate_cron_job_update),
}
