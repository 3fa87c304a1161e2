"""Secrets: Name, Type, Data, Age; upstream ``printSecret``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, name

COLUMNS = (
    NAME,
    Column("Type", description="Used to facilitate programmatic handling of secret data."),
    Column("Data", type="integer", description="Data contains the secret data."),
    AGE,
)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    keys = set(obj.get("data") or {}) | set(obj.get("stringData") or {})
    return [name(obj), obj.get("type", ""), len(keys), age(obj, now)]


register("", "secrets", COLUMNS, _row)
