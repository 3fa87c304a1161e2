"""Cron schedules as CronJob validation parses them: ``cron.ParseStandard`` of
github.com/robfig/cron/v3 (five fields, month and weekday names, ``*``/``?``, ranges,
steps, ``@yearly``-style descriptors, ``@every <duration>`` and a ``TZ=``/``CRON_TZ=``
prefix), with the library's error texts, and Go's ``time.ParseDuration``.

:func:`parse_standard` returns None for a valid schedule, or the error text
upstream puts after ``spec.schedule: Invalid value: "...":``.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass

DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight",
                         "@hourly"})
MONTH_NAMES = {name: i + 1 for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
DOW_NAMES = {name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
MAX_INT64 = 2**63 - 1


@dataclass(frozen=True)
class _Bounds:
    low: int
    high: int
    names: dict[str, int] | None = None


# Seconds are not part of the standard spec: they are filled with "0".
_FIELDS = (_Bounds(0, 59), _Bounds(0, 59), _Bounds(0, 23), _Bounds(1, 31),
           _Bounds(1, 12, MONTH_NAMES), _Bounds(0, 6, DOW_NAMES))


class CronError(ValueError):
    """A schedule robfig/cron rejects; ``str()`` is the library's message."""


def _go_atoi(text: str) -> int:
    """``strconv.Atoi`` with its error texts."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        raise CronError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    value = int(text)
    if not -(2**63) <= value <= MAX_INT64:
        raise CronError(f'strconv.Atoi: parsing "{text}": value out of range')
    return value


def _must_parse_int(expr: str) -> int:
    try:
        num = _go_atoi(expr)
    except CronError as err:
        raise CronError(f"failed to parse int from {expr}: {err}") from None
    if num < 0:
        raise CronError(f"negative number ({num}) not allowed: {expr}")
    return num


def _int_or_name(expr: str, names: dict[str, int] | None) -> int:
    if names is not None and expr.lower() in names:
        return names[expr.lower()]
    return _must_parse_int(expr)


def _get_range(expr: str, bounds: _Bounds) -> None:
    """robfig ``getRange``: validates ``a``, ``a-b``, ``*``, ``?`` with an optional ``/step``."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    if low_and_high[0] in ("*", "?"):
        start, end = bounds.low, bounds.high
    else:
        start = _int_or_name(low_and_high[0], bounds.names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], bounds.names)
        else:
            raise CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _must_parse_int(range_and_step[1])
        if single:
            end = bounds.high
    else:
        raise CronError(f"too many slashes: {expr}")
    if start < bounds.low:
        raise CronError(f"beginning of range ({start}) below minimum ({bounds.low}): {expr}")
    if end > bounds.high:
        raise CronError(f"end of range ({end}) above maximum ({bounds.high}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")


def _go_fields_repr(fields: list[str]) -> str:
    """``%s`` of a ``[]string``."""
    return "[" + " ".join(fields) + "]"


_DURATION_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
                   "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_NUMBER_RE = re.compile(r"([0-9]*)(\.[0-9]*)?")
_UNIT_RE = re.compile(r"[^0-9.]*")


def parse_go_duration(text: str) -> int:
    """Go's ``time.ParseDuration`` (nanoseconds), raising its error texts."""
    quoted = '"' + text + '"'
    rest = text
    negative = False
    if rest[:1] in "+-":
        negative = rest[0] == "-"
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise CronError(f"time: invalid duration {quoted}")
    total = 0
    while rest:
        number = _NUMBER_RE.match(rest)
        whole, frac = number.group(1), number.group(2) or ""
        if not whole and frac in ("", "."):
            raise CronError(f"time: invalid duration {quoted}")
        rest = rest[number.end():]
        unit = _UNIT_RE.match(rest).group(0)
        if not unit:
            raise CronError(f"time: missing unit in duration {quoted}")
        if unit not in _DURATION_UNITS:
            raise CronError(f'time: unknown unit "{unit}" in duration {quoted}')
        rest = rest[len(unit):]
        scale = _DURATION_UNITS[unit]
        value = int(whole or "0") * scale
        if len(frac) > 1:
            value += int(int(frac[1:]) * scale / 10 ** (len(frac) - 1))
        total += value
        if total > MAX_INT64:
            raise CronError(f"time: invalid duration {quoted}")
    return -total if negative else total


def _load_location(name: str) -> None:
    """``time.LoadLocation``: raises ``unknown time zone <name>``."""
    if name in ("", "UTC", "Local"):
        return
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise CronError(f"unknown time zone {name}") from None


def parse_standard(spec: str) -> str | None:
    """``cron.ParseStandard(spec)``: None when valid, else the error text."""
    try:
        _parse(spec)
    except CronError as err:
        return str(err)
    return None


def _parse(spec: str) -> None:
    if not spec:
        raise CronError("empty spec string")
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space, eq = spec.find(" "), spec.find("=")
        location = spec[eq + 1:space] if space > eq else spec[eq + 1:]
        try:
            _load_location(location)
        except CronError as err:
            raise CronError(f"provided bad location {location}: {err}") from None
        spec = spec[space:].strip() if space >= 0 else ""
    if spec.startswith("@"):
        _descriptor(spec)
        return
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: "
                        f"{_go_fields_repr(fields)}")
    for value, bounds in zip(["0", *fields], _FIELDS, strict=True):
        for expr in value.split(","):
            _get_range(expr, bounds)


def _descriptor(spec: str) -> None:
    if spec in DESCRIPTORS:
        return
    every = "@every "
    if spec.startswith(every):
        try:
            parse_go_duration(spec[len(every):])
        except CronError as err:
            raise CronError(f"failed to parse duration {spec}: {err}") from None
        return
    raise CronError(f"unrecognized descriptor: {spec}")


def time_zone_error(name: str) -> str | None:
    """``time.LoadLocation(name)``'s error text, or None."""
    try:
        _load_location(name)
    except CronError as err:
        return str(err)
    return None
