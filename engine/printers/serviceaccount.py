"""ServiceAccounts: Name, Secrets, Age; upstream ``printServiceAccount``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, name

COLUMNS = (NAME, Column("Secrets", type="integer", description="Secrets is a list of the "
                                                               "secrets in the same namespace."),
           AGE)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    return [name(obj), len(obj.get("secrets") or []), age(obj, now)]


register("", "serviceaccounts", COLUMNS, _row)
