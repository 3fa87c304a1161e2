"""Yes/no confirmation."""

from __future__ import annotations

from textual.widgets import Static

from k9py.dialogs.base import Dialog, dialog_css


class ConfirmDialog(Dialog):
    DEFAULT_CSS = dialog_css("ConfirmDialog")

    def __init__(self, title: str, message: str, ok_label: str = "OK",
                 default_ok: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.ok_label = ok_label
        self.default_ok = default_ok

    def fields(self):  # noqa: ANN201
        yield Static(self.message)

    def on_mount(self) -> None:
        self.query_one("#ok" if self.default_ok else "#cancel").focus()
