"""PodTemplates: Name, Containers, Images, Pod Labels; upstream
``printPodTemplate``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import NAME, Column, container_cells, dig, format_labels, name

COLUMNS = (
    NAME,
    Column("Containers", description="Names of each container in the template."),
    Column("Images", description="Images referenced by each container in the template."),
    Column("Pod Labels", description="The labels for the pod template."),
)


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    names, images = container_cells(dig(obj, "template", "spec"))
    return [name(obj), names, images, format_labels(dig(obj, "template", "metadata", "labels"))]


register("", "podtemplates", COLUMNS, _row)
