"""CronJobs: Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age
(+ Containers, Images, Selector); upstream ``printCronJob``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    NONE,
    SELECTOR,
    Column,
    age,
    container_cells,
    dig,
    name,
    selector_string,
    since,
)

COLUMNS = (
    NAME,
    Column("Schedule", description="The schedule in Cron format, see "
                                   "https://en.wikipedia.org/wiki/Cron."),
    Column("Timezone", description="The time zone name for the given schedule."),
    Column("Suspend", type="boolean", description="This flag tells the controller to suspend "
                                                  "subsequent executions."),
    Column("Active", type="integer", description="A list of pointers to currently running jobs."),
    Column("Last Schedule", description="Information when was the last time the job was "
                                        "successfully scheduled."),
    AGE, CONTAINERS, IMAGES, SELECTOR,
)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    spec = obj.get("spec") or {}
    suspend = spec.get("suspend")
    last = dig(obj, "status", "lastScheduleTime")
    job_spec = dig(spec, "jobTemplate", "spec") or {}
    names, images = container_cells(dig(job_spec, "template", "spec"))
    selector = job_spec.get("selector")
    return [name(obj), spec.get("schedule", ""), spec.get("timeZone") or NONE,
            "<unset>" if suspend is None else ("True" if suspend else "False"),
            len(dig(obj, "status", "active", default=[])), since(last, now) if last else NONE,
            age(obj, now), names, images, selector_string(selector) if selector else NONE]


register("batch", "cronjobs", COLUMNS, _row)
