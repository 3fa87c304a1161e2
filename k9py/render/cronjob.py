"""CronJobs: SCHEDULE, TIMEZONE, SUSPEND, ACTIVE and LAST SCHEDULE (an age column)."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    NONE,
    OK,
    PENDING,
    Column,
    Obj,
    RenderContext,
    Renderer,
    container_names,
    created,
    images,
    name_of,
    namespace_of,
    parse_time,
    with_namespace,
)


class CronJobRenderer(Renderer):
    kind = "CronJob"
    columns = with_namespace(
        Column("NAME"), Column("SCHEDULE"), Column("TIMEZONE"), Column("SUSPEND"),
        Column("ACTIVE", num=True, right=True), Column("LAST SCHEDULE", time=True),
        Column("CONTAINERS", wide=True), Column("IMAGES", wide=True, max_width=60),
        Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        return (namespace_of(obj), name_of(obj), spec.get("schedule", ""),
                spec.get("timeZone") or NONE, str(bool(spec.get("suspend"))).lower().title(),
                str(len(st.get("active") or [])), parse_time(st.get("lastScheduleTime")),
                container_names(obj), images(obj), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        """A suspended CronJob shows as pending: it will not fire until resumed."""
        return PENDING if cells[4] == "True" else OK
