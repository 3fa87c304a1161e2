"""ControllerRevisions: Name, Controller, Revision, Age; upstream
``printControllerRevision`` (the controller is ``<kind>.<group>/<name>``)."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, NONE, Column, age, meta, name

COLUMNS = (
    NAME,
    Column("Controller", description="Controller of the object"),
    Column("Revision", type="integer", description="Revision indicates the revision of the "
                                                   "state represented by Data."),
    AGE,
)


def _controller(obj: dict[str, Any]) -> str:
    for ref in meta(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            group = ref.get("apiVersion", "").rpartition("/")[0]
            kind = ref.get("kind", "").lower()
            kind = f"{kind}.{group}" if group else kind
            return f"{kind}/{ref.get('name', '')}"
    return NONE


def _row(obj: dict[str, Any], now: float) -> list[Any]:
    return [name(obj), _controller(obj), obj.get("revision", 0), age(obj, now)]


register("apps", "controllerrevisions", COLUMNS, _row)
