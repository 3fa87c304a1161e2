"""Pick one item from a list (columns to sort by, containers, revisions...)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList

from k9py.dialogs.base import dialog_css


class PickerDialog(ModalScreen[Any]):
    """Enter picks; escape cancels (returns None)."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = dialog_css("PickerDialog") + """
    PickerDialog OptionList { height: auto; max-height: 20; background: $k9-dialog-bg; }
    """

    def __init__(self, title: str, items: list[str], values: list[Any] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.items = items
        self.values = values if values is not None else items

    def compose(self):  # noqa: ANN201
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield OptionList(*self.items)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
