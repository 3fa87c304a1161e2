"""Events: LAST SEEN TYPE REASON OBJECT MESSAGE; Warnings are faults."""

from __future__ import annotations

import math
from typing import Any

from k9py.render.base import (
    OK,
    WARNING,
    Column,
    Obj,
    RenderContext,
    Renderer,
    name_of,
    namespace_of,
    parse_time,
    with_namespace,
)


def last_seen(ev: Obj) -> float:
    for field in ("lastTimestamp", "eventTime", "firstTimestamp"):
        ts = parse_time(ev.get(field))
        if not math.isnan(ts):
            return ts
    series = ev.get("series") or {}
    ts = parse_time(series.get("lastObservedTime"))
    if math.isnan(ts):
        ts = parse_time((ev.get("metadata") or {}).get("creationTimestamp"))
    return ts


def involved(ev: Obj) -> str:
    ref = ev.get("involvedObject") or ev.get("regarding") or {}
    return f"{(ref.get('kind') or '').lower()}/{ref.get('name', '')}"


class EventRenderer(Renderer):
    kind = "Event"
    columns = with_namespace(
        Column("LAST SEEN", time=True), Column("TYPE"), Column("REASON"), Column("OBJECT"),
        Column("SUBOBJECT", wide=True), Column("SOURCE", wide=True),
        Column("MESSAGE", max_width=100), Column("FIRST SEEN", wide=True, time=True),
        Column("COUNT", wide=True, num=True, right=True), Column("NAME", wide=True),
    )

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        ref = obj.get("involvedObject") or {}
        source = obj.get("source") or {}
        src = ", ".join(v for v in (source.get("component"), source.get("host")) if v)
        return (
            namespace_of(obj), last_seen(obj), obj.get("type", ""), obj.get("reason", ""),
            involved(obj), ref.get("fieldPath", ""), src or obj.get("reportingComponent", ""),
            (obj.get("message") or "").replace("\n", " "),
            parse_time(obj.get("firstTimestamp")), str(obj.get("count") or 1), name_of(obj),
        )

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return OK if cells[2] in ("Normal", "") else WARNING
