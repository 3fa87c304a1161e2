"""Namespaces, ConfigMaps, Secrets, ServiceAccounts, PriorityClasses, Leases."""

from __future__ import annotations

from typing import Any

from k9py.render.base import (
    KILL,
    OK,
    Column,
    Obj,
    RenderContext,
    Renderer,
    created,
    labels_text,
    name_of,
    namespace_of,
    with_namespace,
)


class NamespaceRenderer(Renderer):
    kind = "Namespace"
    columns = (Column("NAME"), Column("STATUS"), Column("LABELS", wide=True, max_width=60),
               Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (name_of(obj), (obj.get("status") or {}).get("phase", "Active"), labels_text(obj),
                created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return KILL if cells[1] == "Terminating" else OK


class ConfigMapRenderer(Renderer):
    kind = "ConfigMap"
    columns = with_namespace(Column("NAME"), Column("DATA", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
        return (namespace_of(obj), name_of(obj), str(count), created(obj))


class SecretRenderer(Renderer):
    kind = "Secret"
    columns = with_namespace(Column("NAME"), Column("TYPE"), Column("DATA", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        count = len(obj.get("data") or {}) + len(obj.get("stringData") or {})
        return (namespace_of(obj), name_of(obj), obj.get("type", "Opaque"), str(count),
                created(obj))


class ServiceAccountRenderer(Renderer):
    kind = "ServiceAccount"
    columns = with_namespace(Column("NAME"), Column("SECRETS", num=True, right=True),
                             Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj), str(len(obj.get("secrets") or [])),
                created(obj))


class PriorityClassRenderer(Renderer):
    kind = "PriorityClass"
    columns = (Column("NAME"), Column("VALUE", num=True, right=True),
               Column("GLOBAL-DEFAULT"), Column("PREEMPTIONPOLICY"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (name_of(obj), str(obj.get("value", 0)),
                str(bool(obj.get("globalDefault"))).lower(),
                obj.get("preemptionPolicy", "PreemptLowerPriority"), created(obj))


class LeaseRenderer(Renderer):
    kind = "Lease"
    columns = with_namespace(Column("NAME"), Column("HOLDER"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (namespace_of(obj), name_of(obj),
                (obj.get("spec") or {}).get("holderIdentity", ""), created(obj))
