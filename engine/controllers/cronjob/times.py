"""When a CronJob's next Job is due.

Upstream: ``pkg/controller/cronjob/utils.go`` (``mostRecentScheduleTime``,
``nextScheduleTime``, ``nextScheduleTimeDuration``, ``formatSchedule``).
From the last schedule time (or the creation time; with
``startingDeadlineSeconds``, no earlier than now minus the deadline) the
most recent activation not after now is the one to run; more than 100
missed activations are reported. The controller looks again 100 ms after
the next activation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.controllers.cronjob.schedule import Schedule
from engine.controllers.util.timeutil import parse_time

Obj = dict[str, Any]
NEXT_SCHEDULE_DELTA = 0.1
TOO_MANY_MISSED = 100


class InvalidSchedule(ValueError):
    pass


@dataclass
class Recent:
    earliest: float
    most_recent: float | None
    missed: int


def _earliest(cj: Obj) -> float:
    last = parse_time((cj.get("status") or {}).get("lastScheduleTime"))
    if last is not None:
        return last
    return parse_time(cj["metadata"].get("creationTimestamp")) or 0.0


def most_recent_schedule_time(cj: Obj, now: float, schedule: Schedule,
                              with_deadline: bool) -> Recent:
    """``mostRecentScheduleTime``."""
    earliest = _earliest(cj)
    deadline = cj["spec"].get("startingDeadlineSeconds")
    if with_deadline and deadline is not None:
        earliest = max(earliest, now - int(deadline))
    t1 = schedule.next(earliest)
    t2 = schedule.next(t1) if t1 is not None else None
    if t1 is None or now < t1:
        return Recent(earliest, None, 0)
    if t2 is None or now < t2:
        return Recent(earliest, t1, 0)
    between = round(t2 - t1)
    if between < 1:
        raise InvalidSchedule("time difference between two schedules is less than 1 second")
    missed = int(now - t1) // between + 1
    most_recent = None
    t = schedule.next(t1 + (missed - 2) * between)
    while t is not None and t <= now:
        most_recent = t
        t = schedule.next(t)
    return Recent(earliest, most_recent, missed)


def next_schedule_time(cj: Obj, now: float, schedule: Schedule) -> tuple[float | None, bool]:
    """``nextScheduleTime``: (the activation to run now, too many missed)."""
    recent = most_recent_schedule_time(cj, now, schedule, True)
    if recent.most_recent is None or recent.most_recent > now:
        return None, False
    return recent.most_recent, recent.missed > TOO_MANY_MISSED


def next_schedule_delay(cj: Obj, now: float, schedule: Schedule) -> float | None:
    """``nextScheduleTimeDuration``: seconds until 100 ms past the next activation."""
    try:
        recent = most_recent_schedule_time(cj, now, schedule, False).most_recent
        base = recent if recent is not None else _earliest(cj)
    except InvalidSchedule:
        base = now
    nxt = schedule.next(base)
    return None if nxt is None else nxt + NEXT_SCHEDULE_DELTA - now


def format_schedule(cj: Obj) -> tuple[str, bool]:
    """``formatSchedule``: (schedule with the time zone, uses an unsupported TZ= prefix)."""
    from engine.api.validation.cronspec import time_zone_error

    spec = cj["spec"].get("schedule", "")
    if "TZ" in spec:
        return spec, True
    zone = cj["spec"].get("timeZone")
    if zone is not None and time_zone_error(zone) is None:
        return f"TZ={zone} {spec}", False
    return spec, False
