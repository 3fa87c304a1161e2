"""``:applylog`` (``:al``): every apply of this session, newest first, live.

One row per result of ``k9py -f``, ``:apply``, the file picker and each
re-apply after a save: TIME (cluster clock, as an age), FILE (with
``:line:col`` when the result has a place), OBJECT, ACTION and kubectl's
MESSAGE, coloured as k9s colours statuses (error red, deleted as killed,
unchanged muted). The rows come from the session's
:class:`~k9py.manifests.Manifests` log, read incrementally on each pump, so
the view is a plain :class:`ResourceTable` (``/`` filters, ctrl-z shows only
errors, sorting keys) with no watch of its own. Enter or ``d`` shows a row's
full text: for an error, what kubectl prints (every cause, the whole patch
error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from k9py.model.filters import both, faults, parse_filter
from k9py.model.table import TableModel
from k9py.render.base import (
    COMPLETED,
    ERROR,
    KILL,
    OK,
    PENDING,
    WARNING,
    Column,
    Obj,
    RenderContext,
    Renderer,
    rfc3339,
)
from k9py.views.base import View
from k9py.widgets.table import ResourceTable

# ApplyResult.action -> row status (the skin's status colours).
STATUSES = {"error": ERROR, "deleted": KILL, "rolled back": KILL, "file removed": KILL,
            "skipped": PENDING, "unchanged": COMPLETED}
PUMP_ROWS = 500  # rows taken from the log per pump: a huge first apply stays smooth


@dataclass(frozen=True, slots=True)
class Entry:
    """A log row as a watch event, for :meth:`TableModel.feed`."""

    type: str
    object: Obj


def row_key(seq: int) -> str:
    """Keys that sort newest first: rows of one cluster instant (a virtual clock,
    one batch) are ordered by key after their TIME."""
    return f"{999_999_999 - seq:09d}"


def place(r: Any) -> str:
    """``file:line:col`` for an error (where to look); the file alone otherwise
    (OBJECT says which document; the detail view has its line)."""
    if not r.line or r.action != "error":
        return r.file
    return f"{r.file}:{r.line}" + (f":{r.column}" if r.column else "")


def object_of(r: Any) -> str:
    """``default/deployment.apps/nginx``, or the document for a manifest error."""
    if r.ref:
        return f"{r.namespace}/{r.ref}" if r.namespace else r.ref
    return f"document {r.doc + 1}" if r.doc is not None else ""


class ApplyLogRenderer(Renderer):
    kind = "ApplyLog"
    columns = (Column("TIME", time=True), Column("FILE", max_width=50),
               Column("OBJECT", max_width=60), Column("ACTION"),
               Column("MESSAGE", max_width=160))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        r = obj["result"]
        action = r.action + (" (dry run)" if r.dry_run else "")
        message = r.message.splitlines()[0] if r.message else ""
        return (float(r.time), place(r), object_of(r), action, message)

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        r = obj["result"]
        if r.action == "error":
            return ERROR
        return STATUSES.get(r.action, WARNING if r.warnings else OK)


class LogTable(ResourceTable):
    """The table without the sort keys of columns it does not have (RESTARTS,
    CPU...): hidden from the header's hints and inert."""

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action == "sort" and parameters:
            return parameters[0] in {c.name for c in self.model.columns}
        return super().check_action(action, parameters)


class ApplyLogView(View):
    """The apply log as a live table."""

    BINDINGS: ClassVar = [
        Binding("slash", "filter", "Filter", id="k9py.applylog.filter"),
        Binding("d", "detail", "Detail", id="k9py.applylog.detail"),
        Binding("ctrl+o", "app.pick_manifest", "Apply file", id="k9py.applylog.apply"),
    ]
    crumb = "applylog"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = RenderContext()
        self.model = TableModel(ApplyLogRenderer(), self.ctx)
        self.model.synced = True
        self.table = LogTable(self.model)
        self.filter = parse_filter("")
        self.faults_only = False
        self.seen = 0  # the newest log entry taken
        self._title = ""

    def compose(self):  # noqa: ANN201
        yield self.table

    def main_widget(self) -> Widget | None:
        return self.table

    def command_text(self) -> str | None:
        return "applylog"

    def on_mount(self) -> None:
        self.ctx.now = self.k9.session.now
        self.table.set_layout(show_namespace=False)
        self.pump()
        self._update_title()

    # -- data ------------------------------------------------------------------------------
    def pump(self) -> None:
        manifests = self.k9.session.manifests
        if manifests is None:
            return
        entries = manifests.since(self.seen)[:PUMP_ROWS]
        if not entries:
            return
        self.seen = entries[-1][0]
        at_top = self.table.cursor == 0  # following the newest row, as a log tail does
        self.model.feed(Entry("ADDED", {"metadata": {"name": row_key(seq)}, "result": r})
                        for seq, r in entries)
        self.model.process(budget=1.0)
        self.table.sync()
        if at_top and self.table.cursor != 0:
            self.table.move_cursor(0)
        self._update_title()

    def tick(self) -> None:
        self.table.refresh()  # ages

    def _update_title(self) -> None:
        title = f" [b]applylog[/b]\\[{len(self.model)}]"
        if self.filter.text:
            title += f" </{escape(self.filter.text)}>"
        if self.faults_only:
            title += " <errors>"
        title += " "
        if title != self._title:
            self._title = title
            self.border_title = title

    # -- filtering ----------------------------------------------------------------------------
    def apply_filter(self, text: str) -> None:
        self.filter = parse_filter(text)
        self._apply_predicate()
        if self.filter.error:
            self.k9.flash(self.filter.error, "warn")

    def _apply_predicate(self) -> None:
        predicate = self.filter.predicate()
        self.model.set_filter(both(predicate, faults) if self.faults_only else predicate)
        self.table.sync()
        self._update_title()

    def action_filter(self) -> None:
        self.k9.open_prompt("filter", self.filter.text)

    @on(ResourceTable.FaultsToggled)
    def _faults(self) -> None:
        self.faults_only = not self.faults_only
        self._apply_predicate()

    def action_back(self) -> None:
        if self.filter.text:
            self.apply_filter("")
            return
        super().action_back()

    # -- detail --------------------------------------------------------------------------------
    @on(ResourceTable.Selected)
    def _selected(self, event: ResourceTable.Selected) -> None:
        event.stop()
        self.action_detail()

    def action_detail(self) -> None:
        row = self.table.current_row
        if row is not None:
            self.k9.push_view(ApplyDetailView(row.obj["result"]))


def detail_text(r: Any) -> str:
    """A row in full: where, what, and kubectl's own text (an error as kubectl
    prints it alone: every cause of an Invalid, the whole patch error)."""
    lines = [f"Time:     {rfc3339(r.time)}", f"File:     {r.where}",
             f"Object:   {object_of(r) or '-'}",
             f"Action:   {r.action}" + (" (server dry run)" if r.dry_run else ""), ""]
    if r.action == "error":
        from engine.apply.errors import kubectl_text

        lines.append(kubectl_text(r.message, r.detail, r.status, alone=True))
    else:
        lines.append(r.detail or r.message)
    lines += [f"Warning: {w}" for w in r.warnings]
    return "\n".join(lines)


class ApplyDetailView(View):
    """One apply-log row's full text (Enter or ``d`` in the apply log)."""

    DEFAULT_CSS = """
    ApplyDetailView > VerticalScroll { background: $k9-bg; }
    ApplyDetailView Static { padding: 0 1; }
    ApplyDetailView Static.-error { color: $k9-status-error; }
    """
    crumb = "detail"

    def __init__(self, result: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result
        self.text = detail_text(result)
        body = Static(Text(self.text), classes="-error" if result.action == "error" else "")
        self.scroller = VerticalScroll(body)

    def compose(self):  # noqa: ANN201
        yield self.scroller

    def main_widget(self) -> Widget | None:
        return self.scroller

    def on_mount(self) -> None:
        self.border_title = f" apply {escape(self.result.action)}({escape(self.result.where)}) "
