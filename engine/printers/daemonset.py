"""DaemonSets: Name, Desired, Current, Ready, Up-to-date, Available, Node
Selector, Age (+ Containers, Images, Selector); upstream ``printDaemonSet``."""

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
    format_labels,
    name,
    selector_string,
)


def _int(title: str, description: str) -> Column:
    return Column(title, type="integer", description=description)


COLUMNS = (
    NAME,
    _int("Desired", "The total number of nodes that should be running the daemon pod."),
    _int("Current", "The number of nodes that are running at least 1 daemon pod."),
    _int("Ready", "The number of nodes that should be running the daemon pod and have one or "
                  "more of the daemon pod running and ready."),
    _int("Up-to-date", "The total number of nodes that are running updated daemon pod"),
    _int("Available", "The number of nodes that should be running the daemon pod and have one "
                      "or more of the daemon pod running and available."),
    Column("Node Selector", description="NodeSelector is a selector which must be true for the "
                                        "pod to fit on a node."),
    AGE, CONTAINERS, IMAGES, SELECTOR,
)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    s = obj.get("status") or {}
    template = dig(obj, "spec", "template", "spec")
    names, images = container_cells(template)
    return [name(obj), s.get("desiredNumberScheduled", 0), s.get("currentNumberScheduled", 0),
            s.get("numberReady", 0), s.get("updatedNumberScheduled", 0),
            s.get("numberAvailable", 0), format_labels((template or {}).get("nodeSelector")),
            age(obj, now), names, images, selector_string(dig(obj, "spec", "selector"))]


register("apps", "daemonsets", COLUMNS, _row)
