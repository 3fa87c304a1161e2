"""StatefulSets: Name, Ready, Age (+ Containers, Images); upstream
``printStatefulSet``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    Column,
    age,
    container_cells,
    dig,
    name,
)

COLUMNS = (NAME, Column("Ready", description="Number of the pod with ready state"), AGE,
           CONTAINERS, IMAGES)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    names, images = container_cells(dig(obj, "spec", "template", "spec"))
    ready = dig(obj, "status", "readyReplicas", default=0)
    return [name(obj), f"{ready}/{dig(obj, 'spec', 'replicas', default=0)}", age(obj, now),
            names, images]


register("apps", "statefulsets", COLUMNS, _row)
