"""ReplicationControllers: as ReplicaSets, with a map selector; upstream
``printReplicationController``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import (
    CONTAINERS,
    IMAGES,
    SELECTOR,
    age,
    container_cells,
    dig,
    format_labels,
    name,
)
from engine.printers.replicaset import COLUMNS


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    status = obj.get("status") or {}
    names, images = container_cells(dig(obj, "spec", "template", "spec"))
    return [name(obj), dig(obj, "spec", "replicas", default=0), status.get("replicas", 0),
            status.get("readyReplicas", 0), age(obj, now), names, images,
            format_labels(dig(obj, "spec", "selector"))]


register("", "replicationcontrollers", COLUMNS[:5] + (CONTAINERS, IMAGES, SELECTOR), _row)
