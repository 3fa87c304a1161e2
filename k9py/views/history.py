"""``h``: rollout history (revision, change-cause, images, age); enter or ``u``
undoes to the chosen revision, as ``kubectl rollout undo --to-revision``."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable

from k9py.kinds import Kind
from k9py.ops import workloads as ops
from k9py.render.base import age, meta
from k9py.views.base import View


class HistoryView(View):
    BINDINGS: ClassVar = [
        Binding("u", "undo", "Undo to revision", id="k9py.history.undo"),
        Binding("ctrl+r", "reload", "Reload", id="k9py.history.reload"),
    ]
    DANGEROUS = frozenset({"undo"})
    crumb = "history"

    def __init__(self, kind: Kind, owner: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.owner = owner
        self.revisions: list[ops.Revision] = []
        self.table: DataTable = DataTable(cursor_type="row", zebra_stripes=False)

    def main_widget(self) -> Widget | None:
        return self.table

    def on_mount(self) -> None:
        name = meta(self.owner).get("name")
        self.border_title = f" rollout history {self.kind.singular()}/{name} "
        self.table.add_columns("REVISION", "CHANGE-CAUSE", "IMAGES", "AGE", "")
        self.action_reload()

    def action_reload(self) -> None:
        client, kind = self.k9.client, self.kind

        def load() -> tuple[dict[str, Any], list[ops.Revision]]:
            m = meta(self.owner)
            owner = client.get(kind.resource, m["name"], m.get("namespace"))
            return owner, ops.history(client, kind.kind, owner)

        self.k9.cluster_call(load, on_result=self._loaded)

    def _loaded(self, result: tuple[dict[str, Any], list[ops.Revision]]) -> None:
        self.owner, self.revisions = result
        now = self.k9.session.now()
        self.table.clear()
        for r in reversed(self.revisions):
            mark = Text("current", style="bold") if r.current else ""
            self.table.add_row(str(r.number), r.change_cause, r.images, age(r.created, now),
                               mark, key=str(r.number))
        if not self.revisions:
            self.k9.flash("no rollout history yet (revisions are recorded by the "
                          "workload controllers)", "warn")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_undo()

    def action_undo(self) -> None:
        from k9py.dialogs.confirm import ConfirmDialog

        if not self.revisions:
            return
        row = self.table.cursor_row
        chosen = list(reversed(self.revisions))[row]
        if chosen.current:
            self.k9.flash(f"revision {chosen.number} is the current one", "warn")
            return
        owner, kind = copy.deepcopy(self.owner), self.kind.kind
        name = meta(owner).get("name")

        def done(message: str) -> None:
            self.k9.flash(message)
            self.action_reload()

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.k9.cluster_call(ops.undo, self.k9.client, kind, owner, chosen.number,
                                     on_result=done)

        self.app.push_screen(ConfirmDialog(
            "Undo rollout", f"Roll {kind.lower()} {name} back to revision {chosen.number} "
            f"({chosen.images})?", "Undo"), confirmed)
