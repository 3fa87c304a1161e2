"""Yes/no confirmation."""

from __future__ import annotations

from textual.widgets import Static

from k9py.dialogs.base import Dialog, dialog_css


class ConfirmDialog(Dialog):
    DEFAULT_CSS = dialog_css("ConfirmDialog")

    def __init__(self, title: str, message: str, ok_label: str = "OK") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.ok_label = ok_label

    def fields(self):  # noqa: ANN201
        yield Static(self.message)

    def on_mount(self) -> None:
        self.query_one("#cancel").focus()
