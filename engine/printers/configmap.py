"""ConfigMaps: Name, Data, Age; upstream ``printConfigMap`` (Data counts
``data`` and ``binaryData`` keys)."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, name

COLUMNS = (NAME, Column("Data", type="integer", description="Data contains the configuration "
                                                            "data."), AGE)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
    return [name(obj), count, age(obj, now)]


register("", "configmaps", COLUMNS, _row)
