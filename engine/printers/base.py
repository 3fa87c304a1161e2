"""The printer registry and the default printer for kinds without one.

Upstream: ``rest.NewDefaultTableConvertor`` (Name, Created At) and the
``TableGenerator`` handlers each printers module registers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engine.printers.common import NAME, Column, meta, name, parse_time

Obj = dict[str, Any]
RowFn = Callable[[Obj, float], list[Any]]

_CREATED_AT = Column("Created At", type="date",
                     description="CreationTimestamp is a timestamp representing the server time "
                                 "when this object was created.")


@dataclass(frozen=True)
class Printer:
    """One kind's columns and the function that fills a row at time ``now``."""

    columns: tuple[Column, ...]
    row: RowFn

    def definitions(self) -> list[Obj]:
        return [c.definition() for c in self.columns]


def _default_row(obj: Obj, now: float) -> list[Any]:
    stamp = parse_time(meta(obj).get("creationTimestamp"))
    created = "" if stamp is None else datetime.fromtimestamp(stamp, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    return [name(obj), created]


DEFAULT = Printer((NAME, _CREATED_AT), _default_row)

_REGISTRY: dict[tuple[str, str], Printer] = {}
_MODULES = ("pod", "deployment", "replicaset", "statefulset", "daemonset", "job", "cronjob",
            "service", "node", "namespace", "configmap", "secret", "serviceaccount",
            "endpoints", "pdb", "event", "lease", "priorityclass", "hpa", "ingress", "rbac",
            "storage", "controllerrevision", "resourcequota", "networkpolicy",
            "replicationcontroller", "endpointslice", "podtemplate")
_loaded = False


def register(group: str, plural: str, columns: tuple[Column, ...], row: RowFn) -> Printer:
    printer = Printer(columns, row)
    _REGISTRY[(group, plural)] = printer
    return printer


def printer_for(group: str, plural: str) -> Printer:
    """The printer for a resource, loading the per-kind modules once."""
    global _loaded
    if not _loaded:
        for module in _MODULES:
            importlib.import_module(f"engine.printers.{module}")
        _loaded = True
    return _REGISTRY.get((group, plural), DEFAULT)
