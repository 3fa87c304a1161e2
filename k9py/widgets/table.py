"""The resource table: a line-API widget that renders only the visible rows.

Nothing is laid out per row: ``render_line`` looks the row up by position in
the model's sorted index and formats one line. A table of 100,000 rows costs
what a table of 40 does per frame. Ages are formatted at draw time from the
timestamps in the row, so they tick without touching the model. The cursor
follows its row (by key) when rows move, as in k9s.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from k9py.model.table import TableModel
from k9py.render.base import Column, Row, age
from k9py.themes import Palette

TIME_WIDTH = 8
MIN_WIDTH = 3


class ResourceTable(ScrollView, can_focus=True):
    """A virtual table over a :class:`TableModel`."""

    DEFAULT_CSS = """
    ResourceTable { background: $k9-table-bg; color: $k9-table-fg; scrollbar-size: 1 1; }
    """

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="k9py.table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="k9py.table.down"),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False, id="k9py.table.pageup"),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False,
                id="k9py.table.pagedown"),
        Binding("home,g", "top", "Top", show=False, id="k9py.table.top"),
        Binding("end,G", "bottom", "Bottom", show=False, id="k9py.table.bottom"),
        Binding("left", "scroll_columns(-4)", "Left", show=False),
        Binding("right", "scroll_columns(4)", "Right", show=False),
        Binding("space", "mark", "Mark", id="k9py.table.mark"),
        Binding("ctrl+space", "mark_range", "Mark range", id="k9py.table.markrange"),
        Binding("ctrl+backslash", "clear_marks", "Clear marks", id="k9py.table.clearmarks"),
        Binding("N", "sort('NAME')", "Sort name", id="k9py.table.sortname"),
        Binding("A", "sort('AGE')", "Sort age", id="k9py.table.sortage"),
        Binding("S", "sort('STATUS')", "Sort status", id="k9py.table.sortstatus"),
        Binding("P", "sort('NAMESPACE')", "Sort namespace", id="k9py.table.sortns"),
        Binding("R", "sort('RESTARTS')", "Sort restarts", id="k9py.table.sortrestarts"),
        Binding("C", "sort('CPU')", "Sort CPU", id="k9py.table.sortcpu"),
        Binding("M", "sort('MEM')", "Sort MEM", id="k9py.table.sortmem"),
        Binding("O", "pick_sort", "Sort column…", id="k9py.table.sortpick"),
        Binding("ctrl+w", "toggle_wide", "Wide", id="k9py.table.wide"),
        Binding("ctrl+z", "toggle_faults", "Faults", id="k9py.table.faults"),
        Binding("enter", "select", "View", show=False, id="k9py.table.select"),
    ]

    @dataclass
    class Selected(Message):
        """Enter (or a double click) on a row."""

        table: ResourceTable
        key: str

    @dataclass
    class SortRequested(Message):
        table: ResourceTable

    @dataclass
    class FaultsToggled(Message):
        table: ResourceTable

    def __init__(self, model: TableModel, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.model = model
        self.wide = False
        self.show_namespace = True
        self.cursor = 0
        self.cursor_key: str | None = None
        self.marks: set[str] = set()
        self.palette: Palette | None = None
        self._widths = [max(len(c.name) + 1, TIME_WIDTH if c.time else MIN_WIDTH)
                        for c in model.columns]
        self._visible: list[int] = []
        self._line_width = 0
        self._recompute_columns()

    # -- layout --------------------------------------------------------------------
    def on_mount(self) -> None:
        self._apply_palette()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._apply_palette())
        self._update_virtual_size()

    def _apply_palette(self) -> None:
        self.palette = Palette.from_variables(self.app.theme_variables)
        self.refresh()

    def visible_columns(self) -> list[Column]:
        return [self.model.columns[i] for i in self._visible]

    def _recompute_columns(self) -> None:
        self._visible = [i for i, c in enumerate(self.model.columns)
                         if (self.wide or not c.wide) and (self.show_namespace or not c.namespace)]
        self._line_width = 1 + sum(self._widths[i] + 1 for i in self._visible)

    def set_layout(self, *, wide: bool | None = None, show_namespace: bool | None = None) -> None:
        if wide is not None:
            self.wide = wide
        if show_namespace is not None:
            self.show_namespace = show_namespace
        self._recompute_columns()
        self._update_virtual_size()
        self.refresh()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._line_width, len(self.model) + 1)

    def _grow_widths(self, keys: set[str]) -> bool:
        rows, widths, columns = self.model.rows, self._widths, self.model.columns
        grown = False
        for key in keys:
            row = rows.get(key)
            if row is None:
                continue
            for i, cell in enumerate(row.cells):
                if columns[i].time:
                    continue
                n = len(cell)
                if n >= widths[i]:
                    cap = columns[i].max_width
                    n = min(n, cap) if cap else n
                    if n >= widths[i]:
                        widths[i] = n + 1
                        grown = True
        return grown

    # -- model updates -----------------------------------------------------------------
    def sync(self) -> None:
        """Take the model's changes: refresh only when a visible row or the size changed."""
        changed, resized = self.model.take_changes()
        if not changed and not resized:
            return
        if self._grow_widths(changed):
            self._recompute_columns()
            resized = True
        if resized:
            self._update_virtual_size()
            self._follow_cursor()
            self.refresh()
            return
        if self._any_visible(changed):
            self.refresh()

    def _any_visible(self, changed: set[str]) -> bool:
        top = int(self.scroll_y)
        count = len(self.model)
        for i in range(top, min(count, top + self.size.height)):
            if self.model.key_at(i) in changed:
                return True
        return False

    def _follow_cursor(self) -> None:
        """Keep the cursor on its row when rows are inserted, removed or re-sorted."""
        count = len(self.model)
        if self.cursor_key is not None:
            pos = self.model.position(self.cursor_key)
            if pos is not None:
                self.cursor = pos
        self.cursor = max(0, min(self.cursor, count - 1))
        self.cursor_key = self.model.key_at(self.cursor) if count else None

    # -- rendering ---------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        palette = self.palette or Palette.from_variables(self.app.theme_variables)
        width = self.size.width
        if y == 0:
            return self._header_strip(palette, width)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.model):
            return Strip([Segment(" " * width, palette.base)], width)
        key = self.model.key_at(index)
        row = self.model.rows[key]
        text = self._line(row)
        style = self._row_style(palette, row, key, index)
        x = int(self.scroll_x)
        return Strip([Segment(text[x:x + width].ljust(width), style)], width)

    def _row_style(self, palette: Palette, row: Row, key: str, index: int) -> Style:
        if index == self.cursor and self.has_focus_within_view():
            return palette.cursor
        if key in self.marks:
            return palette.mark
        style = palette.status.get(row.status, palette.base)
        if index == self.cursor:
            return style + Style(reverse=True)
        return style

    def has_focus_within_view(self) -> bool:
        return True

    def _line(self, row: Row) -> str:
        now = self.model.ctx.now()
        parts = [" "]
        widths, columns, cells = self._widths, self.model.columns, row.cells
        for i in self._visible:
            w = widths[i]
            cell = cells[i]
            col = columns[i]
            text = age(cell, now) if col.time else cell
            if len(text) >= w:
                text = text[:w - 2] + "…" if w > 2 else text[:w]
            parts.append(text.rjust(w - 1) + "  " if col.right else text.ljust(w) + " ")
        return "".join(parts)

    def _header_strip(self, palette: Palette, width: int) -> Strip:
        segments = [Segment(" ", palette.header)]
        for i in self._visible:
            col = self.model.columns[i]
            w = self._widths[i]
            name = col.name
            style = palette.header
            if i == self.model.sort_col:
                name += "↓" if self.model.reverse else "↑"
                style = palette.sorter
            text = name.rjust(w - 1) + "  " if col.right else name.ljust(w) + " "
            segments.append(Segment(text, style))
        strip = Strip(segments)
        x = int(self.scroll_x)
        return strip.crop_extend(x, x + width, palette.header)

    # -- cursor and keys -------------------------------------------------------------------
    @property
    def current_key(self) -> str | None:
        return self.model.key_at(self.cursor) if len(self.model) else None

    @property
    def current_row(self) -> Row | None:
        key = self.current_key
        return self.model.rows.get(key) if key else None

    def move_cursor(self, index: int) -> None:
        count = len(self.model)
        if not count:
            return
        self.cursor = max(0, min(index, count - 1))
        self.cursor_key = self.model.key_at(self.cursor)
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        rows = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def select_key(self, key: str) -> bool:
        pos = self.model.position(key)
        if pos is None:
            return False
        self.move_cursor(pos)
        return True

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor + direction * max(1, self.size.height - 2))

    def action_top(self) -> None:
        self.move_cursor(0)

    def action_bottom(self) -> None:
        self.move_cursor(len(self.model) - 1)

    def action_scroll_columns(self, delta: int) -> None:
        self.scroll_to(x=max(0, self.scroll_x + delta), animate=False)

    def action_mark(self) -> None:
        key = self.current_key
        if key is None:
            return
        self.marks.symmetric_difference_update({key})
        self.move_cursor(self.cursor + 1)

    def action_mark_range(self) -> None:
        """Mark from the last mark (in display order) down to the cursor."""
        positions = [p for p in (self.model.position(k) for k in self.marks) if p is not None]
        start = max((p for p in positions if p <= self.cursor), default=self.cursor)
        for i in range(start, self.cursor + 1):
            self.marks.add(self.model.key_at(i))
        self.refresh()

    def action_clear_marks(self) -> None:
        self.marks.clear()
        self.refresh()

    def sort_by(self, name: str) -> bool:
        """Sort by the named column; the same column again reverses the order."""
        names = [c.name for c in self.model.columns]
        if name not in names:
            return False
        col = names.index(name)
        reverse = not self.model.reverse if col == self.model.sort_col else False
        self.model.set_sort(col, reverse)
        self.sync()
        self._follow_cursor()
        self._scroll_to_cursor()
        self.refresh()
        return True

    def action_sort(self, name: str) -> None:
        if not self.sort_by(name) and name == "STATUS":
            self.sort_by("READY")

    def action_pick_sort(self) -> None:
        self.post_message(self.SortRequested(self))

    def action_toggle_wide(self) -> None:
        self.set_layout(wide=not self.wide)

    def action_toggle_faults(self) -> None:
        self.post_message(self.FaultsToggled(self))

    def action_select(self) -> None:
        key = self.current_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    # -- mouse -----------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            self._click_header(event.x + int(self.scroll_x))
            return
        index = int(self.scroll_y) + event.y - 1
        if index < len(self.model):
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_select()

    def _click_header(self, x: int) -> None:
        pos = 1
        for i in self._visible:
            pos += self._widths[i] + 1
            if x < pos:
                self.sort_by(self.model.columns[i].name)
                return
