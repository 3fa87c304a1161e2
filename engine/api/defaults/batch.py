"""Defaults for ``batch/v1``.

Upstream: ``pkg/apis/batch/v1/defaults.go`` (``SetDefaults_Job``,
``SetDefaults_CronJob``, ``SetDefaults_PodFailurePolicyOnPodConditionsPattern``)
with ``zz_generated.defaults.go``: a CronJob's job template gets pod template
defaults only (``SetDefaults_Job`` takes a Job, not a JobTemplateSpec). Feature
gates as in v1.32: JobPodReplacementPolicy and JobBackoffLimitPerIndex on.
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults._util import child, ensure, items, set_if_empty, set_if_none
from engine.api.defaults.podspec import default_template

Obj = dict[str, Any]

MAX_INT32 = 2**31 - 1


def default_job(obj: Obj) -> None:
    """``SetDefaults_Job``."""
    spec = ensure(obj, "spec")
    if spec is None:
        return
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    set_if_none(spec, "parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    template = ensure(spec, "template")
    template_meta = child(template, "metadata") if template is not None else None
    labels = template_meta.get("labels") if template_meta is not None else None
    meta = ensure(obj, "metadata")
    if isinstance(labels, dict) and meta is not None and not meta.get("labels"):
        meta["labels"] = dict(labels)
    set_if_none(spec, "completionMode", "NonIndexed")
    set_if_none(spec, "suspend", False)
    failure_policy = child(spec, "podFailurePolicy")
    if failure_policy is not None:
        for rule in items(failure_policy, "rules"):
            for pattern in items(rule, "onPodConditions"):
                set_if_empty(pattern, "status", "True")
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = (
            "Failed" if failure_policy is not None else "TerminatingOrFailed"
        )
    set_if_none(spec, "manualSelector", False)
    default_template(template)


def default_cron_job(obj: Obj) -> None:
    """``SetDefaults_CronJob``: Allow, not suspended, history 3 succeeded / 1 failed."""
    spec = ensure(obj, "spec")
    if spec is None:
        return
    set_if_empty(spec, "concurrencyPolicy", "Allow")
    set_if_none(spec, "suspend", False)
    set_if_none(spec, "successfulJobsHistoryLimit", 3)
    set_if_none(spec, "failedJobsHistoryLimit", 1)
    job_template = ensure(spec, "jobTemplate")
    job_spec = ensure(job_template, "spec") if job_template is not None else None
    if job_spec is not None:
        default_template(ensure(job_spec, "template"))
        failure_policy = child(job_spec, "podFailurePolicy")
        if failure_policy is not None:
            for rule in items(failure_policy, "rules"):
                for pattern in items(rule, "onPodConditions"):
                    set_if_empty(pattern, "status", "True")


DEFAULTERS = {
    ("batch", "Job"): default_job,
    ("batch", "CronJob"): default_cron_job,
}
