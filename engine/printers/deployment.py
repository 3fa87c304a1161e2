"""Deployments: Name, Ready, Up-to-date, Available, Age (+ Containers, Images,
Selector); upstream ``printDeployment``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    SELECTOR,
    Column,
    age,
    container_cells,
    dig,
    name,
    selector_string,
)

COLUMNS = (
    NAME,
    Column("Ready", description="Number of the pod with ready state"),
    Column("Up-to-date", type="integer", description="Total number of non-terminated pods "
                                                     "targeted by this deployment that have the "
                                                     "desired template spec."),
    Column("Available", type="integer", description="Total number of available pods (ready for "
                                                    "at least minReadySeconds) targeted by this "
                                                    "deployment."),
    AGE, CONTAINERS, IMAGES, SELECTOR,
)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    status = obj.get("status") or {}
    desired = dig(obj, "spec", "replicas", default=0)
    names, images = container_cells(dig(obj, "spec", "template", "spec"))
    return [name(obj), f"{status.get('readyReplicas', 0)}/{desired}",
            status.get("updatedReplicas", 0), status.get("availableReplicas", 0), age(obj, now),
            names, images, selector_string(dig(obj, "spec", "selector"))]


register("apps", "deployments", COLUMNS, _row)
