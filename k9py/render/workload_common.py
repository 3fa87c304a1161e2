"""What the workload controllers' renderers share (Deployment, ReplicaSet,
ReplicationController, StatefulSet, DaemonSet): spec/status access, the
API server's replica default, and kubectl's ``-o wide`` columns.

Kept apart from ``base`` because only the pod-template kinds need it."""

from __future__ import annotations

from typing import Any

from k9py.render.base import Column, Obj, int_or

WIDE = (Column("CONTAINERS", wide=True), Column("IMAGES", wide=True, max_width=60),
        Column("SELECTOR", wide=True, max_width=60))


def status_of(obj: Obj) -> dict[str, Any]:
    return obj.get("status") or {}


def spec_of(obj: Obj) -> dict[str, Any]:
    return obj.get("spec") or {}


def desired(obj: Obj) -> int:
    """spec.replicas, defaulting to 1 as the API server does."""
    replicas = spec_of(obj).get("replicas")
    return 1 if replicas is None else int_or(replicas)
