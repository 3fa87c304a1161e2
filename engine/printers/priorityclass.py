"""PriorityClasses: Name, Value, Global-Default, Age, Preemption Policy;
upstream ``printPriorityClass``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, name

COLUMNS = (
    NAME,
    Column("Value", type="integer", description="The integer value of this priority class."),
    Column("Global-Default", type="boolean", description="globalDefault specifies whether this "
                                                         "PriorityClass should be considered as "
                                                         "the default priority."),
    AGE,
    Column("Preemption Policy", description="PreemptionPolicy is the Policy for preempting pods "
                                            "with lower priority."),
)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    return [name(obj), obj.get("value", 0), bool(obj.get("globalDefault")), age(obj, now),
            obj.get("preemptionPolicy", "")]


register("scheduling.k8s.io", "priorityclasses", COLUMNS, _row)
