"""Workload controllers: Deployments, ReplicaSets, StatefulSets, DaemonSets,
ReplicationControllers (kubectl's printers, k9s's READY = ready/desired)."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    Column,
    Obj,
    RenderContext,
    Renderer,
    container_names,
    created,
    images,
    int_or,
    labels_text,
    map_selector_text,
    name_of,
    namespace_of,
    ratio_status,
    selector_text,
    with_namespace,
)

_WIDE = (Column("CONTAINERS", wide=True), Column("IMAGES", wide=True, max_width=60),
         Column("SELECTOR", wide=True, max_width=60))


def _status(obj: Obj) -> dict[str, Any]:
    return obj.get("status") or {}


def _spec(obj: Obj) -> dict[str, Any]:
    return obj.get("spec") or {}


def desired(obj: Obj) -> int:
    """spec.replicas, defaulting to 1 as the API server does."""
    replicas = _spec(obj).get("replicas")
    return 1 if replicas is None else int_or(replicas)


class DeploymentRenderer(Renderer):
    kind = "Deployment"
    columns = with_namespace(
        Column("NAME"), Column("READY"), Column("UP-TO-DATE", num=True, right=True),
        Column("AVAILABLE", num=True, right=True), *_WIDE,
        Column("LABELS", wide=True, max_width=60), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = _status(obj)
        return (namespace_of(obj), name_of(obj), f"{int_or(st.get('readyReplicas'))}/{desired(obj)}",
                str(int_or(st.get("updatedReplicas"))), str(int_or(st.get("availableReplicas"))),
                container_names(obj), images(obj), selector_text(_spec(obj).get("selector")),
                labels_text(obj), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return ratio_status(int_or(_status(obj).get("availableReplicas")), desired(obj))


class ReplicaSetRenderer(Renderer):
    kind = "ReplicaSet"
    columns = with_namespace(
        Column("NAME"), Column("DESIRED", num=True, right=True),
        Column("CURRENT", num=True, right=True), Column("READY", num=True, right=True),
        *_WIDE, Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = _status(obj)
        return (namespace_of(obj), name_of(obj), str(desired(obj)), str(int_or(st.get("replicas"))),
                str(int_or(st.get("readyReplicas"))), container_names(obj), images(obj),
                selector_text(_spec(obj).get("selector")), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return ratio_status(int_or(_status(obj).get("readyReplicas")), desired(obj))


class ReplicationControllerRenderer(ReplicaSetRenderer):
    kind = "ReplicationController"

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = _status(obj)
        return (namespace_of(obj), name_of(obj), str(desired(obj)), str(int_or(st.get("replicas"))),
                str(int_or(st.get("readyReplicas"))), container_names(obj), images(obj),
                map_selector_text(_spec(obj).get("selector")), created(obj))


class StatefulSetRenderer(Renderer):
    kind = "StatefulSet"
    columns = with_namespace(
        Column("NAME"), Column("READY"), Column("SERVICE"), Column("CONTAINERS", wide=True),
        Column("IMAGES", wide=True, max_width=60), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = _status(obj)
        return (namespace_of(obj), name_of(obj), f"{int_or(st.get('readyReplicas'))}/{desired(obj)}",
                _spec(obj).get("serviceName") or "", container_names(obj), images(obj),
                created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return ratio_status(int_or(_status(obj).get("readyReplicas")), desired(obj))


class DaemonSetRenderer(Renderer):
    kind = "DaemonSet"
    columns = with_namespace(
        Column("NAME"), Column("DESIRED", num=True, right=True),
        Column("CURRENT", num=True, right=True), Column("READY", num=True, right=True),
        Column("UP-TO-DATE", num=True, right=True), Column("AVAILABLE", num=True, right=True),
        Column("NODE SELECTOR"), *_WIDE, Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        st = _status(obj)
        template = (_spec(obj).get("template") or {}).get("spec") or {}
        return (namespace_of(obj), name_of(obj), str(int_or(st.get("desiredNumberScheduled"))),
                str(int_or(st.get("currentNumberScheduled"))), str(int_or(st.get("numberReady"))),
                str(int_or(st.get("updatedNumberScheduled"))),
                str(int_or(st.get("numberAvailable"))),
                map_selector_text(template.get("nodeSelector")), container_names(obj),
                images(obj), selector_text(_spec(obj).get("selector")), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        st = _status(obj)
        return ratio_status(int_or(st.get("numberReady")), int_or(st.get("desiredNumberScheduled")))
