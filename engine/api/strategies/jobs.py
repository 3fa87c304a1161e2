"""Jobs and CronJobs (upstream ``pkg/registry/batch/job/strategy.go`` and
``pkg/registry/batch/cronjob/strategy.go``).

Unless ``spec.manualSelector`` is true, a new Job's template is labelled with
``batch.kubernetes.io/job-name``/``job-name`` (its name) and
``batch.kubernetes.io/controller-uid``/``controller-uid`` (its uid), and its
selector matches ``batch.kubernetes.io/controller-uid``. A Job whose labels
were defaulted from its template shares them with the template (one Go map
upstream), so it carries the generated labels as well.
"""

from __future__ import annotations

from typing import Any

from engine.api.strategies.base import Strategy
from engine.api.strategies.workloads import SpecOnlyStatusStrategy

Obj = dict[str, Any]

JOB_NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")
CONTROLLER_UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")
CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid"


def generate_selector(job: Obj) -> None:
    """``generateSelector``: labels the template and selects on the uid."""
    meta = job.get("metadata") or {}
    spec = job.setdefault("spec", {})
    template = spec.get("template")
    if not isinstance(template, dict):
        template = spec["template"] = {}
    template_meta = template.get("metadata")
    if not isinstance(template_meta, dict):
        template_meta = template["metadata"] = {}
    labels = template_meta.get("labels")
    if not isinstance(labels, dict):
        labels = template_meta["labels"] = {}
    shared = meta.get("labels") == labels and bool(labels)
    for key in JOB_NAME_LABELS:
        labels.setdefault(key, meta.get("name", ""))
    for key in CONTROLLER_UID_LABELS:
        labels.setdefault(key, meta.get("uid", ""))
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        selector = spec["selector"] = {}
    match_labels = selector.get("matchLabels")
    if not isinstance(match_labels, dict):
        match_labels = selector["matchLabels"] = {}
    match_labels.setdefault(CONTROLLER_UID_LABEL, meta.get("uid", ""))
    if shared or not meta.get("labels"):
        job.setdefault("metadata", {})["labels"] = dict(labels)


class JobStrategy(Strategy):
    """``jobStrategy``."""

    zero_status: Obj = {}
    status_class = SpecOnlyStatusStrategy

    def prepare_for_create(self, obj: Obj) -> None:
        spec = obj.get("spec")
        if not isinstance(spec, dict) or spec.get("manualSelector") is not True:
            generate_selector(obj)
        super().prepare_for_create(obj)


class CronJobStrategy(Strategy):
    """``strategy`` of cronjob."""

    zero_status: Obj = {}
    status_class = SpecOnlyStatusStrategy


STRATEGIES = {
    ("batch", "jobs"): JobStrategy,
    ("batch", "cronjobs"): CronJobStrategy,
}
