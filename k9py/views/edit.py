"""``e``: edit an object's YAML in the app (or in ``$EDITOR``); saving applies it.

Saving is an update carrying the resourceVersion that was read, so a
concurrent change is a 409 Conflict, not a silent overwrite. A validation
error from the API is shown above the editor and the edit is kept.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from typing import Any, ClassVar

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static, TextArea

from k9py.client import error_text
from k9py.kinds import Kind
from k9py.ops import objects
from k9py.views.base import View


class EditView(View):
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save (apply)", id="k9py.edit.save", priority=True),
        Binding("escape", "back", "Cancel", id="k9py.edit.cancel"),
    ]
    DEFAULT_CSS = """
    EditView #edit-status { height: auto; max-height: 8; color: $k9-status-error; padding: 0 1; }
    EditView #edit-status.-ok { color: $k9-title-filter; }
    EditView TextArea { height: 1fr; }
    """
    crumb = "edit"

    def __init__(self, kind: Kind, name: str, namespace: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind, self.obj_name, self.namespace = kind, name, namespace
        self.original: dict[str, Any] | None = None
        self.status = Static("loading…", id="edit-status")
        self.editor = TextArea("", language=None, id="editor", soft_wrap=False,
                               show_line_numbers=True)
        self.saving = False

    def compose(self):  # noqa: ANN201
        yield self.status
        yield self.editor

    def main_widget(self) -> Widget | None:
        return self.editor

    def on_mount(self) -> None:
        where = f"{self.namespace}/{self.obj_name}" if self.namespace else self.obj_name
        self.border_title = f" edit {self.kind.singular()}({where}) — ctrl-s applies, esc cancels "
        self.k9.cluster_call(self.k9.client.get, self.kind.resource, self.obj_name, self.namespace,
                             on_result=self._loaded, on_error=self._load_failed)

    def _loaded(self, obj: dict[str, Any]) -> None:
        self.original = obj
        text = objects.to_yaml(objects.clean_for_display(
            obj, reveal=True, api_version=self.kind.api_version, kind=self.kind.kind))
        self.editor.load_text(text)
        self.status.update("edit and press ctrl-s to apply")
        self.status.set_class(True, "-ok")
        self.editor.focus()

    def _load_failed(self, err: Exception) -> None:
        self.status.update(f"cannot edit: {error_text(err)}")

    def action_save(self) -> None:
        if self.original is None or self.saving:
            return
        self.saving = True
        self.status.update("applying…")
        self.k9.cluster_call(objects.apply_edit, self.k9.client, self.kind.resource,
                             self.original, self.editor.text, on_result=self._saved,
                             on_error=self._save_failed)

    def _saved(self, obj: dict[str, Any]) -> None:
        self.saving = False
        self.k9.flash(f"{self.kind.singular()}/{self.obj_name} edited")
        self.k9.pop_view()

    def _save_failed(self, err: Exception) -> None:
        self.saving = False
        self.status.set_class(False, "-ok")
        self.status.update(f"not applied — {error_text(err)}\n(your edit is kept: fix it and "
                           "press ctrl-s again, or esc to cancel)")


def edit_external(app: Any, kind: Kind, name: str, namespace: str | None) -> None:
    """``$EDITOR`` in a suspended app (the object is read on a worker first)."""
    app.cluster_call(app.client.get, kind.resource, name, namespace,
                     on_result=lambda obj: _run_editor(app, kind, name, obj))


def _run_editor(app: Any, kind: Kind, name: str, obj: dict[str, Any]) -> None:
    editor = os.environ.get("EDITOR") or os.environ.get("VISUAL") or "vi"
    text = objects.to_yaml(objects.clean_for_display(obj, reveal=True))
    with tempfile.NamedTemporaryFile("w+", suffix=".yaml", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        with app.suspend():
            subprocess.run([*shlex.split(editor), path], check=False)
        with open(path) as f:
            edited = f.read()
    finally:
        os.unlink(path)
    if edited == text:
        app.flash("edit cancelled, no changes made")
        return
    app.cluster_call(objects.apply_edit, app.client, kind.resource, obj, edited,
                     ok=f"{kind.singular()}/{name} edited")
