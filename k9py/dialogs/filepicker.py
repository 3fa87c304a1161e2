"""ctrl-o (or ``:apply`` alone): pick a manifest file to apply.

Lists the files kubectl would read (``engine.apply.loader.expand_paths``:
``.yaml``, ``.yml``, ``.json``) under a directory, the current one by
default, walking down a few levels but skipping hidden directories and
virtualenv/vendor trees, where manifests are not kept and walks are slow.
The listing runs on a worker (a big tree must not freeze the UI); typing
filters it (every word must appear in the path); Enter applies the
highlighted file, escape cancels.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from textual import on, work
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from k9py.dialogs.base import dialog_css

MAX_FILES = 2000
MAX_DEPTH = 6
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", ".venv", "site-packages",
                       "vendor", "dist", "build"})


def candidates(root: str, *, max_files: int = MAX_FILES, max_depth: int = MAX_DEPTH
               ) -> list[str]:
    """Manifest files under ``root`` as paths relative to it, in kubectl's order per directory."""
    from engine.apply.errors import ManifestError
    from engine.apply.loader import expand_paths

    found: list[str] = []
    base = root.rstrip(os.sep) or os.sep
    for here, dirs, _files in os.walk(base):
        depth = here[len(base):].count(os.sep)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                         and depth < max_depth)
        try:
            files = expand_paths([here])  # this directory only (not recursive)
        except ManifestError:  # no manifests here
            continue
        found += [os.path.relpath(f, base) for f in files]
        if len(found) >= max_files:
            return found[:max_files]
    return found


def matches(path: str, text: str) -> bool:
    words = text.lower().split()
    low = path.lower()
    return all(w in low for w in words)


class FilePickerDialog(ModalScreen[Any]):
    """A filter input over the candidate files; Enter picks (the path), escape cancels."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="k9py.filepicker.cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = dialog_css("FilePickerDialog") + """
    FilePickerDialog > Vertical { width: 90; }
    FilePickerDialog OptionList { height: auto; max-height: 20; background: $k9-dialog-bg; }
    FilePickerDialog .hint { color: $k9-dialog-label; }
    """

    def __init__(self, root: str | None = None) -> None:
        super().__init__()
        self.root = root or os.getcwd()
        self.files: list[str] = []
        self.shown: list[str] = []

    def compose(self):  # noqa: ANN201
        with Vertical():
            yield Label("Apply a manifest", classes="title")
            yield Input(placeholder="filter (words in the path)", id="filter")
            yield Label(f"listing {self.root}…", classes="hint", id="hint")
            yield OptionList(id="files")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._list()

    @work(thread=True, exit_on_error=False, group="filepicker")
    def _list(self) -> None:
        try:
            files = candidates(self.root)
        except OSError as err:
            self.app.call_from_thread(self._listed, [], f"cannot list {self.root}: {err}")
            return
        self.app.call_from_thread(self._listed, files, "")

    def _listed(self, files: list[str], error: str) -> None:
        self.files = files
        hint = error or (f"{len(files)} manifest files under {self.root}" if files
                         else f"no manifest files (.yaml, .yml, .json) under {self.root}")
        self.query_one("#hint", Label).update(hint)
        self._show(self.query_one(Input).value)

    def _show(self, text: str) -> None:
        self.shown = [f for f in self.files if matches(f, text)]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self.shown)
        if self.shown:
            options.highlighted = 0

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        index = self.query_one(OptionList).highlighted
        if self.shown and index is not None:
            self._pick(index)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)

    def _pick(self, index: int) -> None:
        """The path as the user would type it: relative when under the current directory."""
        path = os.path.join(self.root, self.shown[index])
        cwd = os.getcwd()
        self.dismiss(os.path.relpath(path, cwd) if path.startswith(cwd + os.sep) else path)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if not self.shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
