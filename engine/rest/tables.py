"""Table responses for ``Accept: application/json;as=Table;v=v1;g=meta.k8s.io``.

Upstream: k8s.io/apiserver ``pkg/endpoints/handlers/response.go``
(``asTable``: every column, priority 1 included, and each row's object as
``PartialObjectMetadata`` unless ``includeObject`` says ``None`` or
``Object``) and ``watch.go`` (each watch event is a one-row Table; only
the first carries ``columnDefinitions``).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.resources import ResourceInfo
from engine.printers import printer_for

Obj = dict[str, Any]
INCLUDE_OBJECT = ("None", "Metadata", "Object")


def include_object(query: Any) -> str:
    value = query.get("includeObject") or "Metadata"
    if value not in INCLUDE_OBJECT:
        raise errors.bad_request(
            f'includeObject: Unsupported value: "{value}": supported values: '
            '"Metadata", "None", "Object"')
    return value


def row_object(obj: Obj, include: str, version: str) -> Obj | None:
    if include == "None":
        return None
    if include == "Object":
        return obj
    return {"kind": "PartialObjectMetadata", "apiVersion": f"meta.k8s.io/{version}",
            "metadata": obj.get("metadata", {})}


def table(info: ResourceInfo, items: list[Obj], now: float, *, include: str = "Metadata",
          version: str = "v1", list_meta: Obj | None = None, columns: bool = True) -> Obj:
    """A ``meta.k8s.io`` Table of ``items``."""
    printer = printer_for(info.group, info.plural)
    rows = []
    for obj in items:
        row: Obj = {"cells": printer.row(obj, now)}
        shown = row_object(obj, include, version)
        if shown is not None:
            row["object"] = shown
        rows.append(row)
    out: Obj = {"kind": "Table", "apiVersion": f"meta.k8s.io/{version}",
                "metadata": list_meta or {}}
    out["columnDefinitions"] = printer.definitions() if columns else []
    out["rows"] = rows
    return out


def list_table(info: ResourceInfo, listed: Obj, now: float, include: str, version: str) -> Obj:
    return table(info, listed["items"], now, include=include, version=version,
                 list_meta=listed.get("metadata", {}))


def object_table(info: ResourceInfo, obj: Obj, now: float, include: str, version: str) -> Obj:
    rv = obj.get("metadata", {}).get("resourceVersion")
    return table(info, [obj], now, include=include, version=version,
                 list_meta={"resourceVersion": rv} if rv else {})
