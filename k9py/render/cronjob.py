"""CronJobs: SCHEDULE, TIMEZONE, SUSPEND, ACTIVE and LAST SCHEDULE (an age column)."""

from __future__ import annotations

from typing import Any

from k9py.render import base


class CronJobRenderer(base.Renderer):
    kind = "CronJob"
    columns = base.with_namespace(
        base.Column("NAME"), base.Column("SCHEDULE"), base.Column("TIMEZONE"),
        base.Column("SUSPEND"),
        base.Column("ACTIVE", num=True, right=True), base.Column("LAST SCHEDULE", time=True),
        base.Column("CONTAINERS", wide=True), base.Column("IMAGES", wide=True, max_width=60),
        base.Column("AGE", time=True))

    def cells(self, obj: base.Obj, ctx: base.RenderContext) -> tuple[Any, ...]:
        spec, st = obj.get("spec") or {}, obj.get("status") or {}
        return (base.namespace_of(obj), base.name_of(obj), spec.get("schedule", ""),
                spec.get("timeZone") or base.NONE, str(bool(spec.get("suspend"))).lower().title(),
                str(len(st.get("active") or [])), base.parse_time(st.get("lastScheduleTime")),
                base.container_names(obj), base.images(obj), base.created(obj))

    def status(self, obj: base.Obj, cells: tuple[Any, ...]) -> str:
        """A suspended CronJob shows as pending: it will not fire until resumed."""
        return base.PENDING if cells[4] == "True" else base.OK
