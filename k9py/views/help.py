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
    ("0-9", "All namespaces / favourite namespaces"), ("ctrl-e / ctrl-g",
                                                        "Toggle header / crumbs"),
    ("ctrl-c", "Quit"),
]


class HelpView(View):
    """The current view's bindings (RESOURCE), then GENERAL and NAVIGATION."""

    crumb = "help"

    def __init__(self, bindings: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bindings = bindings
        self.scroller = VerticalScroll(Static(self._render(), id="help-body"))

    def _render(self) -> Table:
        table = Table.grid(padding=(0, 3))
        table.add_column()
        table.add_column()
        resource = [(self.app.get_key_display(a.binding), a.binding.description)
                    for a in self.bindings.values()
                    if a.enabled and a.binding.description and a.node is not self.app]
        for title, rows in (("RESOURCE", resource), ("GENERAL", GENERAL),
                            ("NAVIGATION", NAVIGATION)):
            table.add_row(Text(title, style="bold underline"), "")
            for key, desc in rows:
                table.add_row(Text(f"<{key}>", style="bold"), desc)
            table.add_row("", "")
        return table

    def compose(self):  # noqa: ANN201
        yield self.scroller

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

    def compose(self):  # noqa: ANN201
        yield self.scroller

    def on_mount(self) -> None:
        self.border_title = " aliases "

    def main_widget(self) -> Widget | None:
        return self.scroller
