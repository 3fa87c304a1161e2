"""ctrl-d: confirm a delete, pick the propagation policy, optionally force."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton, RadioSet, Static

from k9py.dialogs.base import Dialog, dialog_css
from k9py.ops.objects import PROPAGATIONS


class DeleteDialog(Dialog):
    """Returns ``(propagation, force)`` or None."""

    DEFAULT_CSS = dialog_css("DeleteDialog") + """
    DeleteDialog RadioSet { width: 100%; background: $k9-dialog-bg; }
    """
    ok_label = "Delete"

    def __init__(self, kind: str, names: list[str], hidden_marks: int = 0) -> None:
        super().__init__()
        self.kind, self.names, self.hidden = kind, names, hidden_marks
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        self.title_text = f"Delete {kind} {shown}?"

    def fields(self):  # noqa: ANN201
        if self.hidden > 0:
            yield Static(f"{self.hidden} marked row(s) are hidden by the filter and will be "
                         "deleted too", classes="error")
        yield Static("Propagation:", classes="label")
        with RadioSet(id="propagation"):
            for i, p in enumerate(PROPAGATIONS):
                yield RadioButton(p, value=i == 0)
        yield Checkbox("Force (grace period 0)", id="force")

    def on_mount(self) -> None:
        self.query_one("#cancel").focus()

    def submit(self) -> None:
        index = self.query_one(RadioSet).pressed_index
        force = self.query_one("#force", Checkbox).value
        self.dismiss((PROPAGATIONS[max(index, 0)], force))
