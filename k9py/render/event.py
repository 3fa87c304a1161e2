"""Events: LAST SEEN TYPE REASON OBJECT MESSAGE; Warnings are faults."""

from __future__ import annotations

import math
from typing import Any

from k9py.render import base


def last_seen(ev: base.Obj) -> float:
    for field in ("lastTimestamp", "eventTime", "firstTimestamp"):
        ts = base.parse_time(ev.get(field))
        if not math.isnan(ts):
            return ts
    series = ev.get("series") or {}
    ts = base.parse_time(series.get("lastObservedTime"))
    if math.isnan(ts):
        ts = base.parse_time((ev.get("metadata") or {}).get("creationTimestamp"))
    return ts


def involved(ev: base.Obj) -> str:
    ref = ev.get("involvedObject") or ev.get("regarding") or {}
    return f"{(ref.get('kind') or '').lower()}/{ref.get('name', '')}"


class EventRenderer(base.Renderer):
    kind = "Event"
    columns = base.with_namespace(
        base.Column("LAST SEEN", time=True), base.Column("TYPE"), base.Column("REASON"),
        base.Column("OBJECT"),
        base.Column("SUBOBJECT", wide=True), base.Column("SOURCE", wide=True),
        base.Column("MESSAGE", max_width=100), base.Column("FIRST SEEN", wide=True, time=True),
        base.Column("COUNT", wide=True, num=True, right=True), base.Column("NAME", wide=True),
    )

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        ref = obj.get("involvedObject") or {}
        source = obj.get("source") or {}
        src = ", ".join(v for v in (source.get("component"), source.get("host")) if v)
        return (
            base.namespace_of(obj), last_seen(obj), obj.get("type", ""), obj.get("reason", ""),
            involved(obj), ref.get("fieldPath", ""), src or obj.get("reportingComponent", ""),
            (obj.get("message") or "").replace("\n", " "),
            base.parse_time(obj.get("firstTimestamp")), str(obj.get("count") or 1),
            base.name_of(obj),
        )

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        return base.OK if cells[2] in ("Normal", "") else base.WARNING
