"""Kinds without a renderer of their own (CRDs, rarely listed built-ins):
NAME and AGE, plus NAMESPACE for namespaced kinds, as kubectl prints kinds
without a printer (k9s ``internal/render/generic.go``)."""

from __future__ import annotations

from typing import Any

from k9py.render.base import Obj, RenderContext, Renderer, namespace_of, with_namespace


class GenericRenderer(Renderer):
    """One instance per kind: the kind name and scope come from discovery."""

    def __init__(self, kind: str, namespaced: bool) -> None:
        self.kind = kind
        self.namespaced = namespaced
        if namespaced:
            self.columns = with_namespace(*Renderer.columns)

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        base = super().cells(obj, ctx)
        if self.namespaced:
            return (namespace_of(obj), *base)
        return base
