"""PodDisruptionBudgets: Name, Min Available, Max Unavailable, Allowed
Disruptions, Age; upstream ``printPodDisruptionBudget``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, dig, name

COLUMNS = (
    NAME,
    Column("Min Available", description="The minimum number of pods that must be available "
                                        "simultaneously."),
    Column("Max Unavailable", description="The maximum number of pods that may be unavailable "
                                          "simultaneously."),
    Column("Allowed Disruptions", type="integer", description="Calculated number of pods that "
                                                              "may be disrupted at this time."),
    AGE,
)


def _value(v: Any) -> str:
    return "N/A" if v is None else str(v)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    spec = obj.get("spec") or {}
    return [name(obj), _value(spec.get("minAvailable")), _value(spec.get("maxUnavailable")),
            dig(obj, "status", "disruptionsAllowed", default=0), age(obj, now)]


register("policy", "poddisruptionbudgets", COLUMNS, _row)
