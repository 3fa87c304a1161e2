"""``?`` help (every binding of the current view) and ctrl-a aliases."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from k9py.kinds import Catalog
from k9py.views.base import View

NAVIGATION = [
    ("j/k, ↑/↓", "Up / down"), ("g/G, home/end", "Top / bottom"),
    ("ctrl-f/ctrl-b, pgdn/pgup", "Page down / up"), ("←/→", "Scroll columns"),
    ("esc", "Back (or clear the filter)"), ("enter", "View / drill down"),
]
GENERAL = [
    (":", "Command mode (:po, :dp ns, :po app=x, :xray dp, :pulses, :theme, :q)"),
    ("/", "Filter: regex, !inverse, -f fuzzy, -l label selector"), ("?", "Help"),
    ("ctrl-a", "Aliases"), ("[ / ]", "History back / forward"), ("-", "Last view"),
    (":apply PATH, ctrl-o", "Apply manifests, re-applied on save"),
    (":applylog, :al", "Apply log (every apply, errors in full)"),
    ("0-9", "All namespaces / favourite namespaces"), ("ctrl-e / ctrl-g",
                                                        "Toggle header / crumbs"),
    ("ctrl-c", "Quit"),
]


class HelpView(View):
    """The current view's bindings (RESOURCE), then GENERAL and NAVIGATION."""

    crumb = "help"

    def __init__(self, bindings: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bindings = bindings
        self.scroller = VerticalScroll(Static(self._help_table(), id="help-body"))

    def _help_table(self) -> Table:
        """k9s's layout: RESOURCE, GENERAL and NAVIGATION side by side."""
        outer = Table.grid(padding=(0, 4))
        sections = (("RESOURCE", self.bindings), ("GENERAL", GENERAL),
                    ("NAVIGATION", NAVIGATION))
        for _ in sections:
            outer.add_column(vertical="top")
        outer.add_row(*(self._section(title, rows) for title, rows in sections))
        return outer

    @staticmethod
    def _section(title: str, rows: list[tuple[str, str]]) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column()
        table.add_column()
        table.add_row(Text(title, style="bold underline"), "")
        for key, desc in rows:
            table.add_row(Text(f"<{key}>", style="bold"), desc)
        return table

    def on_mount(self) -> None:
        self.border_title = " help "

    def main_widget(self) -> Widget | None:
        return self.scroller


class AliasesView(View):
    """Every name ``:`` accepts, by resource (k9s's ctrl-a)."""

    crumb = "aliases"

    def __init__(self, catalog: Catalog, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        table = Table(box=None, header_style="bold")
        table.add_column("RESOURCE")
        table.add_column("COMMAND")
        for resource, names in catalog.aliases():
            table.add_row(resource, names)
        self.scroller = VerticalScroll(Static(table))

    def on_mount(self) -> None:
        self.border_title = " aliases "

    def main_widget(self) -> Widget | None:
        return self.scroller
