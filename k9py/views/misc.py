"""Namespaces, Services, Events, Secrets: small per-kind behaviours."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from k9py.render.base import Row, map_selector_text, meta
from k9py.views.resource import ResourceView, Scope


class NamespaceView(ResourceView):
    """Enter shows the namespace's pods and makes it the current namespace (as k9s)."""

    BINDINGS: ClassVar = [Binding("u", "use", "Use", id="k9py.nsuse")]

    def drill(self, row: Row) -> None:
        from k9py.views.registry import view_for

        ns = meta(row.obj).get("name")
        self.k9.set_namespace(ns)
        self.k9.push_view(view_for(Scope(self.k9.catalog.by_kind("Pod"), ns)))

    def action_use(self) -> None:
        row = self.current
        if row is not None:
            ns = meta(row.obj).get("name")
            self.k9.set_namespace(ns)
            self.k9.flash(f"namespace {ns} is now the current namespace")


class ServiceView(ResourceView):
    """Enter shows the pods behind the service (its selector, as its endpoints do)."""

    def drill(self, row: Row) -> None:
        from k9py.views.registry import view_for

        selector = (row.obj.get("spec") or {}).get("selector")
        if not selector:
            self.k9.flash("this service has no selector: no pods behind it", "warn")
            return
        m = meta(row.obj)
        scope = Scope(self.k9.catalog.by_kind("Pod"), m.get("namespace"),
                      label_selector=map_selector_text(selector), context=f"svc={m.get('name')}")
        self.k9.push_view(view_for(scope))


class EventView(ResourceView):
    """Events: live, Warnings highlighted, ctrl-z shows only Warnings; no edit."""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "edit":
            return False
        return super().check_action(action, parameters)


class SecretView(ResourceView):
    """Secrets: x shows the decoded data."""

    BINDINGS: ClassVar = [Binding("x", "decode", "Decode", id="k9py.decode")]
    DANGEROUS = ResourceView.DANGEROUS | {"decode"}

    def action_decode(self) -> None:
        from k9py.views.text import YamlView

        row = self.current
        if row is None:
            return
        name, ns = self.object_name(row)
        view = YamlView(self.kind, name, ns)
        view.reveal = True
        view.decode = True
        self.k9.push_view(view)
