"""Namespaces: Name, Status, Age; upstream ``printNamespace``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, dig, name

COLUMNS = (NAME, Column("Status", description="The status of the namespace"), AGE)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    return [name(obj), dig(obj, "status", "phase", default=""), age(obj, now)]


register("", "namespaces", COLUMNS, _row)
