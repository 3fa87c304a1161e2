"""Watching the applied paths: each burst of saves becomes one re-apply.

watchfiles (Rust ``notify``) watches the directories involved — a file's
parent directory rather than the file, because editors save by writing a new
file and renaming it over the old one, which ends a watch on the file itself.
Changes are grouped until ``step_ms`` pass without another one (at most
``debounce_ms``), then handed to ``on_change`` with the files they touched:
files named on the command line, and manifest files (``.yaml``, ``.yml``,
``.json``) in watched directories (their subdirectories too when recursive),
as kubectl would read them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable

import watchfiles

from engine.apply.loader import is_manifest_file

OnChange = Callable[[list[str]], None]


class Watcher:
    """A background thread turning file changes into ``on_change(files)`` calls."""

    def __init__(self, paths: Iterable[str], on_change: OnChange, *, recursive: bool = False,
                 step_ms: int = 150, debounce_ms: int = 800,
                 force_polling: bool | None = None) -> None:
        self.files: set[str] = set()
        self.dirs: set[str] = set()
        for path in paths:
            self.add(path)
        self.on_change = on_change
        self.recursive = recursive
        self.step_ms = step_ms
        self.debounce_ms = debounce_ms
        self.force_polling = force_polling
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def add(self, path: str) -> None:
        """Watch another path (the TUI's ``:apply PATH``); takes effect on restart."""
        if path == "-":
            return
        full = os.path.abspath(path)
        (self.dirs if os.path.isdir(full) else self.files).add(full)

    @property
    def roots(self) -> list[str]:
        roots = set(self.dirs) | {os.path.dirname(f) for f in self.files}
        return sorted(r for r in roots if os.path.isdir(r))

    def relevant(self, path: str) -> bool:
        """Whether a changed path is one kubectl would read for our paths."""
        full = os.path.abspath(path)
        if full in self.files:
            return True
        if not is_manifest_file(full):
            return False
        parent = os.path.dirname(full)
        if parent in self.dirs:
            return True
        return self.recursive and any(full.startswith(d + os.sep) for d in self.dirs)

    # -- the thread ---------------------------------------------------------------
    def start(self) -> Watcher:
        self._thread = threading.Thread(target=self._run, name="k9py-apply-watch", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        roots = self.roots
        if not roots:
            return
        try:
            for changes in watchfiles.watch(
                    *roots, debounce=self.debounce_ms, step=self.step_ms,
                    stop_event=self._stop, recursive=self.recursive,
                    force_polling=self.force_polling, raise_interrupt=False,
                    watch_filter=lambda _change, path: self.relevant(path)):
                files = sorted({os.path.abspath(p) for _, p in changes})
                if files:
                    self.on_change(files)
        except BaseException as err:  # reported to the session, never raised in the thread
            self.error = err

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
