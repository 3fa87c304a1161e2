"""The session's manifests: ``k9py -f``, ``:apply`` and the file watch, as the TUI sees them.

A thin layer over ``engine.apply.ApplySession`` (a client-side library, as
kubectl's apply is: it needs only the client's get/list/create/patch/delete,
so it works on a remote cluster too). What it adds is what a UI needs:

* one numbered log of every result (``-f``, ``:apply``, each re-apply on save)
  that the apply-log view reads incrementally with :meth:`Manifests.since`;
* one listener for every batch of results. The watcher and worker threads
  call it; batches published before anyone listens (the first ``-f`` apply
  during boot, a save while the TUI starts) wait and are handed over by
  :meth:`Manifests.subscribe`, so no result is lost and none is shown twice.

``engine.apply`` is imported when a :class:`Manifests` is made: the TUI starts
without it.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

log = logging.getLogger(__name__)
Rows = list[Any]  # list[engine.apply.ApplyResult]
Listener = Callable[[Rows], None]


class Manifests:
    """The apply session of one k9py session, with its log and its listener."""

    def __init__(self, client: Any, paths: Sequence[str] = (), options: Any = None, *,
                 now: Callable[[], float] | None = None, stdin: BinaryIO | None = None,
                 log_size: int = 2000) -> None:
        from engine.apply import ApplySession

        self.session = ApplySession(client, paths, options, stdin=stdin, now=now,
                                    log_size=log_size)
        self.entries: deque[tuple[int, Any]] = deque(maxlen=log_size)
        self.total = 0  # results ever logged: the sequence number of the newest
        self.watching = False
        self._listener: Listener | None = None
        self._waiting: list[Rows] = []
        self._lock = threading.Lock()

    @property
    def options(self) -> Any:
        return self.session.options

    @property
    def paths(self) -> list[str]:
        return self.session.paths

    # -- applying (blocking: call from worker threads) ------------------------------------
    def apply_all(self) -> Rows:
        """Every path of the session (``k9py -f``)."""
        return self._publish(self.session.apply_all())

    def apply_command(self, line: str) -> Rows:
        """``:apply PATH [flags]``. With the session's own options the paths join
        the watch; other flags (``--dry-run=server``) apply once. Bad flags raise
        ``ValueError`` with argparse's message."""
        from engine.apply.cli import parse_command

        paths, options = parse_command(line, self.options)
        if not paths:
            raise ValueError("give a file or a directory to apply (ctrl-o picks one)")
        rows = self.session.apply_paths(paths, options)
        if options == self.options:
            self.start_watch()
        return self._publish(rows)

    def start_watch(self) -> None:
        """Re-apply saved files from now on (the watcher thread publishes its results)."""
        with self._lock:
            if self.watching:
                return
            self.watching = True
        self.session.watch(self._publish)

    def stop(self) -> None:
        self.session.stop()

    # -- results ---------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> list[Rows]:
        """Send every later batch to ``listener`` (from the publishing thread);
        returns the batches published so far that nobody has seen."""
        with self._lock:
            self._listener = listener
            waiting, self._waiting = self._waiting, []
        return waiting

    def since(self, seen: int) -> list[tuple[int, Any]]:
        """Log entries numbered after ``seen`` (those still kept), oldest first."""
        with self._lock:
            new = self.total - seen
            if new <= 0:
                return []
            return list(self.entries)[-new:]

    def _publish(self, rows: Rows) -> Rows:
        with self._lock:
            for row in rows:
                self.total += 1
                self.entries.append((self.total, row))
            listener = self._listener
            if listener is None:
                self._waiting.append(rows)
        if listener is not None:
            try:
                listener(rows)
            except Exception:  # the app is gone (shutting down): the log keeps the rows
                log.debug("apply listener failed", exc_info=True)
        return rows
