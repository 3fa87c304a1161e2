"""Core Events: Last Seen, Type, Reason, Object, Message (+ Subobject, Source,
First Seen, Count, Name); upstream ``printEvent``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import Column, dig, name, since, wide

COLUMNS = (
    Column("Last Seen", description="The time at which the most recent occurrence of this "
                                    "event was recorded."),
    Column("Type", description="Type of this event (Normal, Warning), new types could be added "
                               "in the future."),
    Column("Reason", description="This should be a short, machine understandable string that "
                                 "gives the reason for the transition into the object's current "
                                 "status."),
    Column("Object", description="The object that this event is about."),
    wide("Subobject", "The subobject that this event is about."),
    wide("Source", "The component reporting this event."),
    Column("Message", description="A human-readable description of the status of this "
                                  "operation."),
    wide("First Seen", "The time at which the event was first recorded."),
    Column("Count", type="integer", description="The number of times this event has occurred.",
           priority=1),
    wide("Name", "Name of the event."),
)


def _source(ev: dict[str, Any]) -> str:
    component = dig(ev, "source", "component") or ev.get("reportingComponent") or ""
    host = dig(ev, "source", "host") or ev.get("reportingInstance") or ""
    return f"{component}, {host}" if host else component


def _row(ev: dict[str, Any], now: float) -> list[Any]:
    first = since(ev.get("firstTimestamp") or ev.get("eventTime"), now)
    last = since(ev["lastTimestamp"], now) if ev.get("lastTimestamp") else first
    count = ev.get("count") or 0
    series = ev.get("series")
    if series:
        last = since(series.get("lastObservedTime"), now)
        count = series.get("count", 0)
    elif count == 0:
        count = 1
    involved = ev.get("involvedObject") or {}
    target = (involved.get("kind") or "").lower()
    if involved.get("name"):
        target = f"{target}/{involved['name']}"
    return [last, ev.get("type", ""), ev.get("reason", ""), target,
            involved.get("fieldPath", ""), _source(ev), (ev.get("message") or "").strip(), first,
            count, name(ev)]


register("", "events", COLUMNS, _row)
