"""A CronJob's Jobs: making them, naming them, and its active list.

Upstream: ``pkg/controller/cronjob/utils.go`` (``getJobFromTemplate2``,
``getJobName``, ``getTimeHashInMinutes``, ``inActiveList``,
``inActiveListByName``, ``deleteFromActiveList``, ``byJobStartTime``) and
``pkg/controller/job/util/utils.go`` (``FinishedCondition``,
``IsJobSucceeded``). A Job is named ``<cronjob>-<scheduled time in minutes
since the epoch>``, so one activation can never create two Jobs, and
carries the ``batch.kubernetes.io/cronjob-scheduled-timestamp`` annotation
(RFC 3339 in the CronJob's time zone).
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from typing import Any

from engine.api import meta
from engine.controllers.util.owners import controller_ref

Obj = dict[str, Any]
SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp"


def job_name(cj: Obj, scheduled: float) -> str:
    return f"{cj['metadata']['name']}-{int(scheduled) // 60}"


def _rfc3339(at: float, zone: str | None) -> str:
    tz = UTC if not zone or zone in ("UTC", "Local") else zoneinfo.ZoneInfo(zone)
    stamp = datetime.fromtimestamp(int(at), tz).isoformat()
    return stamp.replace("+00:00", "Z") if tz is UTC else stamp


def job_from_template(cj: Obj, scheduled: float) -> Obj:
    """``getJobFromTemplate2``."""
    template = cj["spec"].get("jobTemplate") or {}
    tm = template.get("metadata") or {}
    annotations = dict(tm.get("annotations") or {})
    annotations[SCHEDULED_TIMESTAMP] = _rfc3339(scheduled, cj["spec"].get("timeZone"))
    metadata: Obj = {"name": job_name(cj, scheduled), "namespace": cj["metadata"]["namespace"],
                     "annotations": annotations,
                     "ownerReferences": [controller_ref(cj, "batch/v1", "CronJob")]}
    if tm.get("labels"):
        metadata["labels"] = dict(tm["labels"])
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata,
            "spec": meta.deep_copy(template.get("spec") or {})}


def job_ref(job: Obj) -> Obj:
    """``ref.GetReference``: the ObjectReference kept in ``status.active``."""
    m = job["metadata"]
    ref = {"kind": "Job", "namespace": m["namespace"], "name": m["name"], "uid": m["uid"],
           "apiVersion": "batch/v1", "resourceVersion": m.get("resourceVersion", "")}
    return {k: v for k, v in ref.items() if v}


def in_active_list(cj: Obj, uid: str) -> bool:
    return any(r.get("uid") == uid for r in (cj.get("status") or {}).get("active") or ())


def in_active_list_by_name(cj: Obj, name: str) -> bool:
    ns = cj["metadata"]["namespace"]
    return any(r.get("name") == name and r.get("namespace") == ns
               for r in (cj.get("status") or {}).get("active") or ())


def delete_from_active_list(cj: Obj, uid: str) -> None:
    status = cj.setdefault("status", {})
    active = [r for r in status.get("active") or () if r.get("uid") != uid]
    if active:
        status["active"] = active
    else:
        status.pop("active", None)


def finished_condition(job: Obj) -> str | None:
    """``FinishedCondition``: Complete or Failed, when True."""
    for cond in (job.get("status") or {}).get("conditions") or ():
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return cond["type"]
    return None


def by_start_time(jobs: list[Obj]) -> list[Obj]:
    """``byJobStartTime``: started ones first, oldest first, then by name."""
    return sorted(jobs, key=lambda j: ((j.get("status") or {}).get("startTime") is None,
                                       (j.get("status") or {}).get("startTime") or "",
                                       j["metadata"]["name"]))
