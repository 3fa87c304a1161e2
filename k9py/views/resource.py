"""The resource browser: a live table of one kind, with the actions every kind has.

A view is a :class:`Scope` (kind, namespace, selectors, owner) plus a filter.
Its rows come from a list+watch (:mod:`k9py.model.watcher`) applied to a
:class:`TableModel` in time-boxed slices by :meth:`ResourceView.pump`.
Per-kind views (pods, deployments, nodes...) subclass it and add their keys,
as k9s's ``internal/view/<kind>.go`` extend its browser.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.markup import escape
from textual import on
from textual.binding import Binding
from textual.widget import Widget

from k9py.kinds import Kind
from k9py.model.filters import both, faults, parse_filter
from k9py.model.table import TableModel
from k9py.model.watcher import ResourceWatcher
from k9py.ops import objects
from k9py.render import Renderer, renderer_for
from k9py.render.base import Obj, RenderContext, Row, meta
from k9py.views.base import View
from k9py.widgets.table import ResourceTable

# Per tick, at most this long is spent applying watch events (a frame is 16 ms).
PUMP_BUDGET = 0.012


@dataclass(frozen=True)
class Scope:
    """Which objects a view shows."""

    kind: Kind
    namespace: str | None = None  # None: all namespaces
    label_selector: str | None = None
    field_selector: str | None = None
    owner_uid: str | None = None  # only objects this owner controls
    context: str = ""  # shown in the title, e.g. "node=k9py-worker"

    @property
    def fixed(self) -> bool:
        """Drill-down scopes keep their namespace when 0-9 are pressed."""
        return bool(self.field_selector or self.owner_uid)


def _owned_by(uid: str) -> Any:
    return lambda row: any(r.get("uid") == uid for r in meta(row.obj).get(
        "ownerReferences") or [])


class ResourceView(View):
    """A live table of one kind."""

    BINDINGS: ClassVar = [
        Binding("slash", "filter", "Filter", id="k9py.filter"),
        Binding("d", "describe", "Describe", id="k9py.describe"),
        Binding("y", "yaml", "YAML", id="k9py.yaml"),
        Binding("e", "edit", "Edit", id="k9py.edit"),
        Binding("ctrl+d", "delete", "Delete", id="k9py.delete"),
        Binding("ctrl+k", "kill", "Kill", id="k9py.kill"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="k9py.reload"),
        *[Binding(str(i), f"namespace({i})", f"ns {i}", show=False, id=f"k9py.ns{i}")
          for i in range(10)],
    ]
    DANGEROUS = frozenset({"edit", "delete", "kill"})

    def __init__(self, scope: Scope, filter_text: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scope = scope
        self.kind = scope.kind
        self.crumb = scope.kind.plural
        self.ctx = RenderContext()
        self.model = TableModel(self.make_renderer(), self.ctx, explode=self.explode())
        self.table = ResourceTable(self.model)
        self.filter = parse_filter(filter_text)
        self.faults_only = False
        self.watcher: ResourceWatcher | None = None
        self._error_shown: Exception | None = None
        self._title = ""

    # -- lifecycle ---------------------------------------------------------------------
    def explode(self) -> Any:
        return None

    def make_renderer(self) -> Renderer:
        return renderer_for(self.scope.kind.kind, self.scope.kind.namespaced)

    def main_widget(self) -> Widget | None:
        return self.table

    def on_mount(self) -> None:
        self.ctx.now = self.k9.session.now
        self.table.set_layout(show_namespace=self.scope.namespace is None
                              and self.kind.namespaced)
        self._apply_predicate()
        self.start_watch()
        self._update_title()

    def start_watch(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        labels = self.scope.label_selector
        if self.filter.mode == "labels":
            labels = ",".join(s for s in (labels, self.filter.term) if s)
        self.watcher = ResourceWatcher(self.k9.client, self.kind.resource, self._namespace(),
                                       label_selector=labels,
                                       field_selector=self.scope.field_selector).start()

    def _namespace(self) -> str | None:
        return self.scope.namespace if self.kind.namespaced else None

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def command_text(self) -> str | None:
        if self.scope.fixed:
            return None
        parts = [self.kind.plural]
        if self.kind.namespaced:
            parts.append(self.scope.namespace or "all")
        if self.scope.label_selector:
            parts.append(self.scope.label_selector)
        return " ".join(parts)

    # -- data ----------------------------------------------------------------------------
    def pump(self) -> None:
        watcher = self.watcher
        if watcher is None:
            return
        events = watcher.drain()
        if events:
            self.model.feed(events)
        if watcher.error is not None and watcher.error is not self._error_shown:
            self._error_shown = watcher.error
            self.k9.flash_error(watcher.error)
        if self.model.backlog or events:
            self.model.process(PUMP_BUDGET)
            self.table.sync()
            self.on_rows_changed()
        self._update_title()

    def on_rows_changed(self) -> None:
        """Hook for views that derive something from their rows."""

    def tick(self) -> None:
        self.table.refresh()

    def _update_title(self) -> None:
        ns = self.scope.namespace if self.kind.namespaced else None
        where = self.scope.context or (ns if ns else ("all" if self.kind.namespaced else ""))
        title = f" [b]{escape(self.kind.plural)}[/b]"
        if where:
            title += f"([b]{escape(where)}[/b])"
        count = len(self.model)
        title += f"\\[{count}]" if self.model.synced else "\\[Synchronizing…]"
        if self.filter.text:
            title += f" </{escape(self.filter.text)}>"
        if self.faults_only:
            title += " <faults>"
        if self.scope.label_selector:
            title += f" <{escape(self.scope.label_selector)}>"
        title += " "
        if title != self._title:
            self._title = title
            self.border_title = title

    # -- rows ----------------------------------------------------------------------------
    @property
    def current(self) -> Row | None:
        return self.table.current_row

    def selected_rows(self) -> list[Row]:
        """Marked rows, else the row under the cursor."""
        rows = [self.model.rows[k] for k in self.table.marks if k in self.model.rows]
        if rows:
            return rows
        row = self.current
        return [row] if row is not None else []

    def object_name(self, row: Row) -> tuple[str, str | None]:
        m = meta(row.obj)
        return m.get("name", ""), m.get("namespace")

    # -- filtering ---------------------------------------------------------------------
    def apply_filter(self, text: str) -> None:
        new = parse_filter(text)
        old = self.filter
        self.filter = new
        if new.mode == "labels" or old.mode == "labels":
            self.model.clear()
            self._apply_predicate()
            self.start_watch()
        else:
            self._apply_predicate(narrow=new.narrows(old) and not self.faults_only)
        if new.error:
            self.k9.flash(new.error, "warn")
        self.table.sync()
        self._update_title()

    def _apply_predicate(self, narrow: bool = False) -> None:
        predicate = self.filter.predicate()
        if self.faults_only:
            predicate = both(predicate, faults)
        if self.scope.owner_uid:
            predicate = both(predicate, _owned_by(self.scope.owner_uid))
        self.model.set_filter(predicate, narrow=narrow)

    @on(ResourceTable.FaultsToggled)
    def _faults(self) -> None:
        self.faults_only = not self.faults_only
        self._apply_predicate()
        self.table.sync()
        self._update_title()

    @on(ResourceTable.SortRequested)
    def _pick_sort(self) -> None:
        from k9py.dialogs.picker import PickerDialog

        names = [c.name for c in self.table.visible_columns()]

        def chosen(name: str | None) -> None:
            if name:
                self.table.sort_by(name)

        self.app.push_screen(PickerDialog("Sort by column", names), chosen)

    def action_filter(self) -> None:
        self.k9.open_prompt("filter", self.filter.text)

    def action_back(self) -> None:
        if self.filter.text:
            self.apply_filter("")
            return
        super().action_back()

    def action_reload(self) -> None:
        self.model.clear()
        self._apply_predicate()
        self.start_watch()
        self.k9.flash(f"reloading {self.kind.plural}")

    def action_namespace(self, index: int) -> None:
        self.k9.switch_namespace(index)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action == "namespace":
            return self.kind.namespaced and not self.scope.fixed
        if action in ("edit", "delete", "kill") and not self.kind.can(
                {"edit": "update"}.get(action, "delete")):
            return False
        return super().check_action(action, parameters)

    def with_namespace(self, namespace: str | None) -> ResourceView:
        """The same view for another namespace (0-9 keys)."""
        return type(self)(replace(self.scope, namespace=namespace), self.filter.text)

    # -- drill down ---------------------------------------------------------------------
    @on(ResourceTable.Selected)
    def _selected(self, event: ResourceTable.Selected) -> None:
        event.stop()
        row = self.model.rows.get(event.key)
        if row is not None:
            self.drill(row)

    def drill(self, row: Row) -> None:
        """Enter: describe, unless the kind has somewhere to go (pods, containers...)."""
        self.show_describe(row)

    # -- common actions ------------------------------------------------------------------
    def action_describe(self) -> None:
        row = self.current
        if row is not None:
            self.show_describe(row)

    def show_describe(self, row: Row) -> None:
        from k9py.views.text import DescribeView

        name, ns = self.object_name(row)
        self.k9.push_view(DescribeView(self.kind, name, ns))

    def action_yaml(self) -> None:
        from k9py.views.text import YamlView

        row = self.current
        if row is not None:
            name, ns = self.object_name(row)
            self.k9.push_view(YamlView(self.kind, name, ns))

    def action_edit(self) -> None:
        row = self.current
        if row is None:
            return
        name, ns = self.object_name(row)
        self.k9.edit_object(self.kind, name, ns)

    def action_delete(self) -> None:
        from k9py.dialogs.delete import DeleteDialog

        rows = self.selected_rows()
        if not rows:
            return
        names = [self.object_name(r) for r in rows]
        hidden = len(self.table.marks) - sum(1 for k in self.table.marks if
                                             self.model.position(k) is not None)

        def confirmed(result: tuple[str, bool] | None) -> None:
            if result is None:
                return
            propagation, force = result
            for name, ns in names:
                self.k9.cluster_call(objects.delete, self.k9.client, self.kind.resource, name,
                                     ns, propagation=propagation, force=force,
                                     ok=f"delete of {self.kind.singular()} {name} requested")
            self.table.action_clear_marks()

        self.app.push_screen(DeleteDialog(self.kind.kind, [n for n, _ in names], hidden),
                             confirmed)

    def action_kill(self) -> None:
        """ctrl-k: delete now, no grace period. Pods go at once (as in k9s); other
        kinds, where a slip costs more, ask first."""
        from k9py.dialogs.confirm import ConfirmDialog

        names = [self.object_name(r) for r in self.selected_rows()]
        if not names:
            return

        def kill(ok: bool | None = True) -> None:
            if not ok:
                return
            for name, ns in names:
                self.k9.cluster_call(objects.kill, self.k9.client, self.kind.resource, name,
                                     ns, ok=f"killed {self.kind.singular()} {name}")
            self.table.action_clear_marks()

        if self.kind.kind == "Pod":
            kill()
            return
        label = ", ".join(n for n, _ in names[:5])
        self.app.push_screen(ConfirmDialog("Kill", f"Delete {self.kind.singular()} {label} "
                                           "now, with no grace period?", "Kill",
                                           default_ok=False), kill)


def row_object(row: Row) -> Obj:
    return row.obj
