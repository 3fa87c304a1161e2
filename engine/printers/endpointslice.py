"""EndpointSlices: Name, AddressType, Ports, Endpoints, Age; upstream
``printEndpointSlice``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, name

COLUMNS = (
    NAME,
    Column("AddressType", description="Type of address carried by this EndpointSlice"),
    Column("Ports", description="Ports allowed by this EndpointSlice"),
    Column("Endpoints", description="Endpoints in this EndpointSlice"),
    AGE,
)


def _ports(obj: dict[str, Any]) -> str:
    ports = obj.get("ports") or []
    if not ports:
        return "<unset>"
    return ",".join(str(p.get("port", "")) if p.get("port") is not None else "<unset>"
                    for p in ports)


def _endpoints(obj: dict[str, Any]) -> str:
    addresses = [a for ep in obj.get("endpoints") or [] for a in ep.get("addresses") or []]
    if not addresses:
        return "<unset>"
    text = ",".join(addresses[:3])
    return text + f" + {len(addresses) - 3} more..." if len(addresses) > 3 else text


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    return [name(obj), obj.get("addressType", ""), _ports(obj), _endpoints(obj), age(obj, now)]


register("discovery.k8s.io", "endpointslices", COLUMNS, _row)
