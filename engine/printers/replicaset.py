"""ReplicaSets: Name, Desired, Current, Ready, Age (+ Containers, Images,
Selector); upstream ``printReplicaSet``."""

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
    Column("Desired", type="integer", description="Replicas is the number of desired pods."),
    Column("Current", type="integer", description="Replicas is the most recently observed "
                                                  "number of replicas."),
    Column("Ready", type="integer", description="The number of ready replicas for this replica "
                                                "set."),
    AGE, CONTAINERS, IMAGES, SELECTOR,
)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    status = obj.get("status") or {}
    names, images = container_cells(dig(obj, "spec", "template", "spec"))
    return [name(obj), dig(obj, "spec", "replicas", default=0), status.get("replicas", 0),
            status.get("readyReplicas", 0), age(obj, now), names, images,
            selector_string(dig(obj, "spec", "selector"))]


register("apps", "replicasets", COLUMNS, _row)
