"""Cron schedules that can say when they next fire.

Upstream: github.com/robfig/cron/v3 (``ParseStandard``, ``SpecSchedule.Next``,
``dayMatches``, ``ConstantDelaySchedule``), which the CronJob controller
uses. Validation and its error texts live in
:mod:`engine.api.validation.cronspec`; this module builds the bit sets for
a schedule that parsed, and walks them exactly as ``SpecSchedule.Next``
does: month, then day (day-of-month *or* day-of-week when neither is ``*``),
then hour, minute and second, wrapping back when a field rolls over, in the
schedule's time zone (``TZ=``/``CRON_TZ=``, UTC by default - the controller
manager's local zone), giving up after five years.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from engine.api.validation.cronspec import (
    DOW_NAMES,
    MONTH_NAMES,
    CronError,
    parse_go_duration,
    parse_standard,
)

STAR_BIT = 1 << 63
_BOUNDS = {"second": (0, 59, None), "minute": (0, 59, None), "hour": (0, 23, None),
           "dom": (1, 31, None), "month": (1, 12, MONTH_NAMES), "dow": (0, 6, DOW_NAMES)}
_FIELDS = ("second", "minute", "hour", "dom", "month", "dow")


def _bits(low: int, high: int, step: int) -> int:
    if step == 1:
        return ~(~0 << (high + 1)) & (~0 << low)
    return sum(1 << i for i in range(low, high + 1, step))


def _all(field: str) -> int:
    low, high, _ = _BOUNDS[field]
    return _bits(low, high, 1) | STAR_BIT


def _value(text: str, names: dict[str, int] | None) -> int:
    if names is not None and text.lower() in names:
        return names[text.lower()]
    return int(text)


def _range(expr: str, field: str) -> int:
    """robfig ``getRange`` on an expression already validated."""
    low, high, names = _BOUNDS[field]
    range_and_step = expr.split("/")
    low_high = range_and_step[0].split("-")
    extra = 0
    if low_high[0] in ("*", "?"):
        start, end, extra = low, high, STAR_BIT
    else:
        start = _value(low_high[0], names)
        end = _value(low_high[1], names) if len(low_high) == 2 else start
    step = 1
    if len(range_and_step) == 2:
        step = int(range_and_step[1])
        if len(low_high) == 1:
            end = high
        if step > 1:
            extra = 0
    return _bits(start, end, step) | extra


def _field(value: str, field: str) -> int:
    bits = 0
    for expr in value.split(","):
        bits |= _range(expr, field)
    return bits


@dataclass(frozen=True)
class SpecSchedule:
    second: int
    minute: int
    hour: int
    dom: int
    month: int
    dow: int
    location: tzinfo

    def next(self, after: float) -> float | None:
        """``SpecSchedule.Next``: the first activation strictly after ``after``
        (seconds since the epoch); None when none within five years."""
        t = datetime.fromtimestamp(int(after) + 1, self.location)
        found = _walk(self, t)
        return None if found is None else found.timestamp()


@dataclass(frozen=True)
class ConstantDelaySchedule:
    """``@every <duration>``: fires every ``delay`` seconds (at least 1, whole seconds)."""

    delay: int

    def next(self, after: float) -> float:
        return float(int(after) + self.delay)


Schedule = SpecSchedule | ConstantDelaySchedule


def _wall(t: datetime, loc: tzinfo, **fields: int) -> datetime:
    """``time.Date`` with normalisation, in ``loc``."""
    base = datetime(t.year, t.month, 1, tzinfo=loc)
    day = fields.get("day", t.day)
    return (base + timedelta(days=day - 1)).replace(
        hour=fields.get("hour", 0), minute=fields.get("minute", 0), second=0)


def _add(t: datetime, seconds: int) -> datetime:
    """``t.Add``: absolute time."""
    return datetime.fromtimestamp(t.timestamp() + seconds, t.tzinfo)


def _add_month(t: datetime) -> datetime:
    year, month = (t.year + 1, 1) if t.month == 12 else (t.year, t.month + 1)
    return t.replace(year=year, month=month)


def _day_matches(s: SpecSchedule, t: datetime) -> bool:
    dom = bool(1 << t.day & s.dom)
    dow = bool(1 << ((t.weekday() + 1) % 7) & s.dow)
    if s.dom & STAR_BIT or s.dow & STAR_BIT:
        return dom and dow
    return dom or dow


def _walk(s: SpecSchedule, t: datetime) -> datetime | None:  # noqa: C901, PLR0912 - Next's loops
    loc = s.location
    added = False
    year_limit = t.year + 5
    while True:  # WRAP
        if t.year > year_limit:
            return None
        wrapped = False
        while not 1 << t.month & s.month:
            if not added:
                added = True
                t = _wall(t, loc, day=1)
            t = _add_month(t)
            if t.month == 1:
                wrapped = True
                break
        if wrapped:
            continue
        while not _day_matches(s, t):
            if not added:
                added = True
                t = _wall(t, loc)
            t = _wall(t, loc, day=t.day + 1)
            if t.day == 1:
                wrapped = True
                break
        if wrapped:
            continue
        while not 1 << t.hour & s.hour:
            if not added:
                added = True
                t = _wall(t, loc, hour=t.hour)
            t = _add(t, 3600)
            if t.hour == 0:
                wrapped = True
                break
        if wrapped:
            continue
        while not 1 << t.minute & s.minute:
            if not added:
                added = True
                t = t.replace(second=0)
            t = _add(t, 60)
            if t.minute == 0:
                wrapped = True
                break
        if wrapped:
            continue
        while not 1 << t.second & s.second:
            if not added:
                added = True
            t = _add(t, 1)
            if t.second == 0:
                wrapped = True
                break
        if wrapped:
            continue
        return t


# The fields each descriptor leaves at "every value" (the others are their minimum).
_DESCRIPTORS = {"@yearly": ("dow",), "@annually": ("dow",), "@monthly": ("month", "dow"),
                "@weekly": ("dom", "month"), "@daily": ("dom", "month", "dow"),
                "@midnight": ("dom", "month", "dow"), "@hourly": ("hour", "dom", "month", "dow")}


def parse(spec: str) -> Schedule:
    """``cron.ParseStandard``; raises :class:`CronError` with the library's text."""
    error = parse_standard(spec)
    if error is not None:
        raise CronError(error)
    location: tzinfo = UTC
    if spec.startswith(("TZ=", "CRON_TZ=")):
        head, _, spec = spec.partition(" ")
        name = head.split("=", 1)[1]
        location = UTC if name in ("", "UTC", "Local") else zoneinfo.ZoneInfo(name)
        spec = spec.strip()
    if spec.startswith("@every "):
        nanos = parse_go_duration(spec[len("@every "):])
        return ConstantDelaySchedule(max(1, nanos // 1_000_000_000))
    if spec in _DESCRIPTORS:
        return _descriptor(spec, location)
    bits = [_field(v, f) for v, f in zip(["0", *spec.split()], _FIELDS, strict=True)]
    return SpecSchedule(*bits, location=location)


def _descriptor(spec: str, loc: tzinfo) -> SpecSchedule:
    """The descriptors' bit sets, as robfig builds them (``all`` carries the star bit)."""
    bits = {f: (_all(f) if f in _DESCRIPTORS[spec] else 1 << _BOUNDS[f][0]) for f in _FIELDS}
    return SpecSchedule(**bits, location=loc)
