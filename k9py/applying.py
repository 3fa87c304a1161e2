"""The app's side of applying manifests: ``:apply``, ctrl-o, and what every apply shows.

Every batch of results, whichever thread produced it (the ``-f`` apply at
boot, a ``:apply`` worker, the file watcher after a save), reaches the UI
thread through :meth:`ApplyMixin.show_apply`: one flash line
(``engine.apply.summarize``: counts, or the first error as
``file:line:col (document N): message``). The rows themselves are in the
session's :class:`~k9py.manifests.Manifests` log, which the apply-log view
(``:applylog``) reads. Applying blocks on the cluster, so it never runs on
the UI thread.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

from textual.message import Message

from k9py.client import error_text

if TYPE_CHECKING:
    from k9py.manifests import Manifests, Rows


class ApplyResults(Message):
    """A batch of results from another thread. Posting is thread-safe and never
    blocks, so a watcher thread is never stuck waiting for a UI that is
    shutting down (and joining that very thread)."""

    def __init__(self, rows: Rows) -> None:
        super().__init__()
        self.rows = rows


class ApplyMixin:
    """Mixed into :class:`~k9py.app.K9pyApp` (kept apart so app.py stays small)."""

    session: Any
    readonly: bool

    # -- the session's manifests ------------------------------------------------------------
    @property
    def manifests(self) -> Manifests:
        """The session's apply session; made on first use (no ``-f``, or a remote
        cluster: applying needs only the client)."""
        session = self.session
        if session.manifests is None:
            from k9py.manifests import Manifests

            session.manifests = Manifests(session.client, now=session.now)
            session.manifests.subscribe(self._rows_from_thread)
        return session.manifests

    def attach_manifests(self) -> None:
        """Show the results that came before the app (``-f`` at boot), then every later one."""
        manifests = self.session.manifests
        if manifests is None:
            return
        for rows in manifests.subscribe(self._rows_from_thread):
            self.show_apply(rows)

    def stop_manifests(self) -> None:
        if self.session.manifests is not None:
            self.session.manifests.stop()

    def _rows_from_thread(self, rows: Rows) -> None:
        self.post_message(ApplyResults(rows))  # type: ignore[attr-defined]

    def on_apply_results(self, message: ApplyResults) -> None:
        self.show_apply(message.rows)

    def show_apply(self, rows: Rows) -> None:
        """One flash line per batch: counts, or the first error with its place."""
        from engine.apply import summarize

        failed = any(r.action == "error" for r in rows)
        text = summarize(rows)
        if rows and rows[0].dry_run and not failed:
            text += " (server dry run)"
        self.flash(f"apply: {text}", "error" if failed else "info",  # type: ignore[attr-defined]
                   15.0 if failed else 6.0)

    # -- :apply and ctrl-o -------------------------------------------------------------------
    def apply_command(self, line: str) -> bool:
        """``:apply PATH [-R] [--prune] [--server-side] [--dry-run=server]`` on a
        worker; no arguments opens the file picker."""
        if self.readonly:
            self.flash("read-only mode: apply is disabled", "warn")  # type: ignore[attr-defined]
            return False
        if not line.strip():
            self.action_pick_manifest()
            return True
        try:
            words = shlex.split(line)
        except ValueError as err:
            self.flash(f":apply: {err}", "error")  # type: ignore[attr-defined]
            return False
        paths = [w for w in words if not w.startswith("-") or w == "-"]
        self.flash(f"applying {' '.join(paths) or line}…")  # type: ignore[attr-defined]
        manifests = self.manifests  # made here, on the UI thread: only ever one
        self.run_worker(lambda: self._apply_in_worker(manifests, line), thread=True,  # type: ignore
                        group="apply", exit_on_error=False)
        return True

    def _apply_in_worker(self, manifests: Manifests, line: str) -> None:
        try:
            manifests.apply_command(line)  # results come back through the listener
        except ValueError as err:  # argparse's message for a bad flag
            self.call_from_thread(self.flash, f":apply: {err}", "error")  # type: ignore
        except Exception as err:  # a bug or the cluster going away: said, not raised
            self.call_from_thread(self.flash, f"apply failed: {error_text(err)}",  # type: ignore
                                  "error")

    def action_pick_manifest(self) -> None:
        """ctrl-o: pick a manifest file under the current directory and apply it."""
        from k9py.dialogs.filepicker import FilePickerDialog

        if self.readonly:
            self.flash("read-only mode: apply is disabled", "warn")  # type: ignore[attr-defined]
            return

        def chosen(path: str | None) -> None:
            if path:
                self.apply_command(shlex.quote(path))

        self.push_screen(FilePickerDialog(), chosen)  # type: ignore[attr-defined]
