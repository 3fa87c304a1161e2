"""Cell formatting shared by every printer.

Upstream: k8s.io/kubernetes ``pkg/printers/internalversion/printers.go``
(``translateTimestampSince``, ``layoutContainerCells``, ``formatEndpoints``)
and k8s.io/apimachinery ``pkg/util/duration`` (``HumanDuration``),
``pkg/labels`` (``FormatLabels``, ``Selector.String``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.api import errors, selectors

Obj = dict[str, Any]
NONE = "<none>"


@dataclass(frozen=True)
class Column:
    """``metav1.TableColumnDefinition``; priority 1 columns show with ``-o wide``."""

    name: str
    type: str = "string"
    description: str = ""
    priority: int = 0
    format: str = ""

    def definition(self) -> Obj:
        return {"name": self.name, "type": self.type, "format": self.format,
                "description": self.description, "priority": self.priority}


NAME = Column("Name", format="name",
              description="Name must be unique within a namespace. Is required when creating "
                          "resources, although some resources may allow a client to request the "
                          "generation of an appropriate name automatically.")
AGE = Column("Age", description="CreationTimestamp is a timestamp representing the server time "
                                "when this object was created.")


def wide(name: str, description: str = "") -> Column:
    return Column(name, description=description, priority=1)


def human_duration(seconds: float) -> str:
    """``duration.HumanDuration``: ``45s``, ``3m20s``, ``5h12m``, ``3d4h``, ``2y10d``."""
    secs = int(seconds)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 120:
        return f"{secs}s"
    minutes = secs // 60
    if minutes < 10:
        rest = secs % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = secs // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if rest == 0 else f"{years}y{rest}d"
    return f"{hours // 24 // 365}y"


def parse_time(stamp: str | None) -> float | None:
    """Seconds since the epoch of a ``metav1.Time`` or ``MicroTime`` string."""
    if not stamp:
        return None
    text = stamp.replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def since(stamp: str | None, now: float) -> str:
    """``translateTimestampSince``: ``<unknown>`` for a zero time."""
    at = parse_time(stamp)
    if at is None:
        return "<unknown>"
    return human_duration(now - at)


def age(obj: Obj, now: float) -> str:
    return since(meta(obj).get("creationTimestamp"), now)


def meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def name(obj: Obj) -> str:
    return meta(obj).get("name", "")


def dig(obj: Any, *path: str, default: Any = None) -> Any:
    """``obj[path[0]][path[1]]...`` with missing or null steps giving ``default``."""
    for step in path:
        if not isinstance(obj, dict):
            return default
        obj = obj.get(step)
        if obj is None:
            return default
    return obj


def format_labels(labels: dict[str, str] | None) -> str:
    """``labels.FormatLabels``: sorted ``k=v`` pairs, ``<none>`` when empty."""
    if not labels:
        return NONE
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def selector_string(selector: Obj | None) -> str:
    """``metav1.LabelSelectorAsSelector(sel).String()``: requirements sorted by key."""
    try:
        return str(selectors.label_selector_from_dict(selector))
    except errors.StatusError:
        return "<error>"


def container_cells(pod_spec: Obj | None) -> tuple[str, str]:
    """``layoutContainerCells``: container names and images, comma-joined."""
    containers = (pod_spec or {}).get("containers") or []
    names = ",".join(c.get("name", "") for c in containers)
    images = ",".join(c.get("image", "") for c in containers)
    return names, images


CONTAINERS = wide("Containers", "Names of each container in the template.")
IMAGES = wide("Images", "Images referenced by each container in the template.")
SELECTOR = wide("Selector", "Label selector for pods.")
