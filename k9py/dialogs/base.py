"""The dialog frame: title, fields, an error line, OK/Cancel, and an action run
on a worker thread whose failure is shown in the dialog, not raised."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from k9py.client import error_text

DIALOG_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > Vertical {{ width: 72; max-width: 95%; height: auto; max-height: 90%;
    border: round $k9-border-focus; background: $k9-dialog-bg; color: $k9-dialog-fg;
    padding: 0 1; overflow-y: auto; scrollbar-size-vertical: 1; }}
{name} Input {{ border: tall $k9-border; background: $k9-bg; }}
{name} Input:focus {{ border: tall $k9-border-focus; }}
{name} .title {{ color: $k9-dialog-label; text-style: bold; width: 100%;
    content-align: center middle; margin-bottom: 1; }}
{name} .error {{ color: $k9-status-error; height: auto; }}
{name} .result {{ color: $k9-title-filter; height: auto; }}
{name} .label {{ color: $k9-dialog-label; }}
{name} .buttons {{ height: 3; align: center middle; margin-top: 1; }}
{name} Button {{ margin: 0 1; min-width: 10; }}
"""


def dialog_css(name: str) -> str:
    return DIALOG_CSS.format(name=name)


class Dialog(ModalScreen[Any]):
    """A titled modal; subclasses yield their fields from :meth:`fields`."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="k9py.dialog.cancel")]
    DEFAULT_CSS = dialog_css("Dialog")
    title_text = "Dialog"
    ok_label = "OK"

    def compose(self):  # noqa: ANN201
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield from self.fields()
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button(self.ok_label, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def fields(self):  # noqa: ANN201
        return iter(())

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        elif event.button.id == "ok":
            self.submit()

    def submit(self) -> None:
        self.dismiss(True)


class ActionDialog(Dialog):
    """Validate, run :meth:`perform` on a worker, close with its message on
    success, or show the error and keep the input on failure."""

    def submit(self) -> None:
        try:
            args = self.validate()
        except ValueError as err:
            self.show_error(str(err))
            return
        self.show_error("")
        self.query_one("#ok", Button).disabled = True
        self._run(args)

    def validate(self) -> Any:
        return None

    def perform(self, args: Any) -> str:
        raise NotImplementedError

    @work(thread=True, exit_on_error=False, group="dialog")
    def _run(self, args: Any) -> None:
        try:
            message = self.perform(args)
        except Exception as err:  # the API's error, shown where the user typed
            self.app.call_from_thread(self._failed, error_text(err))
            return
        self.app.call_from_thread(self.dismiss, message)

    def _failed(self, message: str) -> None:
        self.show_error(message)
        self.query_one("#ok", Button).disabled = False
