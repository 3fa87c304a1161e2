"""The ``:`` command and ``/`` filter prompt, with tab completion."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input

from k9py.widgets.inputs import StillInput


class Prompt(StillInput):
    """One line input; ``mode`` is ``command`` or ``filter``."""

    DEFAULT_CSS = """
    Prompt { height: 3; border: round $k9-border-focus; background: $k9-bg;
             color: $k9-prompt-fg; padding: 0 1; display: none; }
    Prompt:focus { border: round $k9-border-focus; }
    Prompt.-filter { border: round $k9-title-filter; }
    Prompt > .input--suggestion { color: $k9-prompt-suggest; }
    """

    BINDINGS = [
        Binding("tab", "complete", "Complete", show=False),
        Binding("escape", "cancel", "Cancel", show=False),
    ]

    @dataclass
    class CommandSubmitted(Message):
        mode: str
        value: str

    @dataclass
    class CommandEdited(Message):
        mode: str
        value: str

    @dataclass
    class CommandCancelled(Message):
        mode: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.mode = "command"
        self._candidates: list[str] = []
        self.can_focus = False  # hidden: never the target of keys (or of auto-focus)

    def open(self, mode: str, value: str = "", candidates: list[str] | None = None) -> None:
        self.mode = mode
        self._candidates = candidates or []
        self.suggester = SuggestFromList(self._candidates, case_sensitive=False) \
            if mode == "command" else None
        self.set_class(mode == "filter", "-filter")
        self.border_title = ":" if mode == "command" else "/"
        self.display = True
        self.can_focus = True
        self.value = value
        self.cursor_position = len(value)
        self.screen.set_focus(self)  # now, so keys typed right after ':' land here

    def close(self) -> None:
        self.display = False
        self.can_focus = False
        self.value = ""

    def completions(self) -> list[str]:
        """Candidates for the word being typed (the first word only)."""
        text = self.value
        if " " in text:
            return []
        return [c for c in self._candidates if c.startswith(text.lower())]

    def action_complete(self) -> None:
        """Tab: take the suggestion, or cycle through the matching names."""
        if self._suggestion:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
            return
        matches = self.completions()
        if matches:
            self.value = matches[0]
            self.cursor_position = len(self.value)

    def action_cancel(self) -> None:
        mode = self.mode
        self.close()
        self.post_message(self.CommandCancelled(mode))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.display:
            self.post_message(self.CommandEdited(self.mode, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        mode, value = self.mode, event.value
        self.close()
        self.post_message(self.CommandSubmitted(mode, value))
