"""ResourceQuotas: Name, Age, Request, Limit; upstream ``printResourceQuota``
(``used/hard`` pairs sorted by resource name, ``limits.*`` in Limit)."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, dig, name

COLUMNS = (NAME, AGE, Column("Request", description="Request represents a minimum amount of "
                                                    "cpu/memory that a container may consume."),
           Column("Limit", description="Limits control the maximum amount of cpu/memory that a "
                                       "container may use independent of contention on the "
                                       "node."))


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    hard = dig(obj, "status", "hard", default={}) or dig(obj, "spec", "hard", default={})
    used = dig(obj, "status", "used", default={})
    requests, limits = [], []
    for key in sorted(hard):
        pair = f"{key}: {used.get(key, '0')}/{hard[key]}"
        (limits if key.startswith("limits.") else requests).append(pair)
    return [name(obj), age(obj, now), ", ".join(requests), ", ".join(limits)]


register("", "resourcequotas", COLUMNS, _row)
