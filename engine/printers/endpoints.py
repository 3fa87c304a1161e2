"""Endpoints: Name, Endpoints, Age; upstream ``printEndpoints`` and
``formatEndpoints`` (at most three ``ip:port`` then ``+ N more...``)."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, NONE, Column, age, name

COLUMNS = (NAME, Column("Endpoints", description="Endpoints is the list of endpoints in the "
                                                 "subsets."), AGE)
MAX_SHOWN = 3


def _host_port(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(obj: dict[str, Any]) -> str:
    subsets = obj.get("subsets") or []
    if not subsets:
        return NONE
    shown: list[str] = []
    count = 0
    for subset in subsets:
        addresses = subset.get("addresses") or []
        ports = subset.get("ports") or []
        pairs = ([a.get("ip", "") for a in addresses] if not ports else
                 [_host_port(a.get("ip", ""), p.get("port", 0)) for p in ports for a in addresses])
        count += len(pairs)
        shown.extend(pairs[: max(0, MAX_SHOWN - len(shown))])
    text = ",".join(shown)
    if count > MAX_SHOWN:
        return f"{text} + {count - MAX_SHOWN} more..."
    return text


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    return [name(obj), format_endpoints(obj), age(obj, now)]


register("", "endpoints", COLUMNS, _row)
