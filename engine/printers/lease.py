"""Leases: Name, Holder, Age; upstream ``printLease``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, dig, name

COLUMNS = (NAME, Column("Holder", description="The holder of this lease."), AGE)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    return [name(obj), dig(obj, "spec", "holderIdentity", default=""), age(obj, now)]


register("coordination.k8s.io", "leases", COLUMNS, _row)
