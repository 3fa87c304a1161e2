"""NetworkPolicies: Name, Pod-Selector, Age; upstream ``printNetworkPolicy``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, dig, name, selector_string

COLUMNS = (NAME, Column("Pod-Selector", description="Selects the pods to which this "
                                                    "NetworkPolicy object applies."), AGE)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    selector = dig(obj, "spec", "podSelector", default={})
    return [name(obj), selector_string(selector) or "<none>", age(obj, now)]


register("networking.k8s.io", "networkpolicies", COLUMNS, _row)
