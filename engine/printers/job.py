"""Jobs: Name, Status, Completions, Duration, Age (+ Containers, Images,
Selector); upstream ``printJob`` (the Status column is new in v1.30)."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    SELECTOR,
    Column,
    age,
    container_cells,
    dig,
    human_duration,
    meta,
    name,
    parse_time,
    selector_string,
)

COLUMNS = (
    NAME,
    Column("Status", description="Status of the job."),
    Column("Completions", description="The desired number of successfully finished pods the "
                                      "job should be run with."),
    Column("Duration", description="Time required to complete the job."),
    AGE, CONTAINERS, IMAGES, SELECTOR,
)

_ORDER = (("Complete", "Complete"), ("Failed", "Failed"))
_LATER = (("Suspended", "Suspended"), ("FailureTarget", "FailureTarget"),
          ("SuccessCriteriaMet", "SuccessCriteriaMet"))


def _has(obj: dict[str, Any], kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True"
               for c in dig(obj, "status", "conditions", default=[]))


def job_status(obj: dict[str, Any]) -> str:
    for kind, text in _ORDER:
        if _has(obj, kind):
            return text
    if meta(obj).get("deletionTimestamp"):
        return "Terminating"
    for kind, text in _LATER:
        if _has(obj, kind):
            return text
    return "Running"


def _completions(obj: dict[str, Any]) -> str:
    succeeded = dig(obj, "status", "succeeded", default=0)
    completions = dig(obj, "spec", "completions")
    if completions is not None:
        return f"{succeeded}/{completions}"
    parallelism = dig(obj, "spec", "parallelism", default=0)
    if parallelism > 1:
        return f"{succeeded}/1 of {parallelism}"
    return f"{succeeded}/1"


def _duration(obj: dict[str, Any], now: float) -> str:
    start = parse_time(dig(obj, "status", "startTime"))
    if start is None:
        return ""
    end = parse_time(dig(obj, "status", "completionTime"))
    return human_duration((now if end is None else end) - start)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    names, images = container_cells(dig(obj, "spec", "template", "spec"))
    return [name(obj), job_status(obj), _completions(obj), _duration(obj, now), age(obj, now),
            names, images, selector_string(dig(obj, "spec", "selector"))]


register("batch", "jobs", COLUMNS, _row)
