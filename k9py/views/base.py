"""What every view has: a crumb, a framed title, a main widget to focus, a pump.

The app keeps views on a stack in its content area (as k9s's page stack):
pushing hides the view below, popping shows it again with its state intact.
The app's ticker calls :meth:`View.pump` on the visible view only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget

if TYPE_CHECKING:
    from k9py.app import K9pyApp


class View(Vertical):
    """A page of the content area."""

    DEFAULT_CSS = """
    View { border: round $k9-border; border-title-color: $k9-title-fg;
           border-title-align: center; height: 1fr; background: $k9-bg; }
    View:focus-within { border: round $k9-border-focus; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="k9py.back"),
    ]

    crumb = "view"
    # Actions that change the cluster: hidden (and refused) in read-only mode.
    DANGEROUS: frozenset[str] = frozenset()

    @property
    def k9(self) -> K9pyApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Most views are a frame around one widget, their main widget; views
        with more than one override this."""
        main = self.main_widget()
        if main is not None:
            yield main

    def main_widget(self) -> Widget | None:
        return None

    def focus_main(self) -> None:
        widget = self.main_widget()
        if widget is not None:
            widget.focus()

    def pump(self) -> None:
        """Called by the app's ticker while this view is visible."""

    def tick(self) -> None:
        """Called every refresh period (ages, live text)."""

    def stop(self) -> None:
        """Release watches before the view is removed."""

    def command_text(self) -> str | None:
        """The ``:`` command that recreates this view (for history), if any."""
        return None

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return not (action in self.DANGEROUS and self.k9.readonly)

    def action_back(self) -> None:
        self.k9.pop_view()


class PolledView(View):
    """A view built from one-off reads rather than watches (xray, scheduling):
    it reads on mount, on ctrl-r, and again every ``RELOAD_TICKS`` refresh
    periods, so it stays current without holding watches open."""

    RELOAD_TICKS = 3

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.since = 0

    def title(self) -> str:
        """The framed title, set once mounted."""
        return f" {self.crumb} "

    def on_mount(self) -> None:
        self.border_title = self.title()
        self.action_reload()

    def tick(self) -> None:
        self.since += 1
        if self.since >= self.RELOAD_TICKS:
            self.action_reload()

    def action_reload(self) -> None:
        self.since = 0
        self.reload()

    def reload(self) -> None:
        """Read the cluster (on a worker) and redraw when the result arrives."""
        raise NotImplementedError
