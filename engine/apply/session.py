"""``ApplySession``: the apply engine as the TUI and the CLI use it.

::

    session = ApplySession(cluster.client, ["samples/nginx"], ApplyOptions(prune=True))
    results = session.apply_all()            # k9py -f samples/nginx --prune
    session.watch(on_results)                # re-apply on save; on_results(list[ApplyResult])
    session.apply_paths(["other.yaml"])      # :apply other.yaml (also watched from now on)
    session.log                              # every ApplyResult so far, oldest first
    session.stop()

Calls block on the client (run them off the UI's event loop, e.g. in a Textual
worker); the watcher calls ``on_results`` from its own thread. A session only
talks to the cluster through the client's get/list/create/patch/delete.

What a session remembers per file is the canonical JSON of each object as it
was last applied, so a save re-applies only the documents that changed; a
file that fails to load or apply keeps its previous objects (and its previous
record), so they stay running.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from engine.apply.errors import ManifestError
from engine.apply.loader import STDIN, Document, canonical_json, expand_paths, load_file
from engine.apply.objects import Key, resolve
from engine.apply.options import ApplyOptions
from engine.apply.ordering import order_documents, order_files
from engine.apply.prune import ApplySet
from engine.apply.results import ERROR, ApplyResult, from_error
from engine.apply.transaction import Applier
from engine.apply.watcher import Watcher

log = logging.getLogger(__name__)
FILE_REMOVED = "file removed"
Callback = Callable[[list[ApplyResult]], None]


@dataclass
class FileState:
    """What the session last applied from one file."""

    source: str
    objects: dict[Key, bytes] = field(default_factory=dict)  # canonical JSON as applied
    known: bool = False  # applied successfully at least once
    error: str = ""  # the last failure, "" when the last apply worked


class ApplySession:
    """Applies paths through a client and keeps them applied while watching."""

    def __init__(self, client: Any, paths: Sequence[str] = (),
                 options: ApplyOptions | None = None, *, stdin: BinaryIO | None = None,
                 now: Callable[[], float] | None = None, log_size: int = 2000) -> None:
        self.client = client
        self.paths: list[str] = list(paths)
        self.options = options or ApplyOptions()
        self.now = now or clock_of(client)
        self.log: deque[ApplyResult] = deque(maxlen=log_size)
        self.files: dict[str, FileState] = {}
        self.stdin = stdin
        self._origin: dict[Key, str] = {}
        self._lock = threading.RLock()
        self._watcher: Watcher | None = None
        self._callback: Callback | None = None
        o = self.options
        self.applyset = (ApplySet(client, o.applyset, o.namespace or "default",
                                  dry_run=o.dry_run, now=self.now) if o.prune else None)
        labels = self.applyset.labels if self.applyset else None
        self.applier = Applier(client, o, self.now, labels)

    # -- applying ---------------------------------------------------------------------
    def apply_all(self) -> list[ApplyResult]:
        """Apply every path of the session, every document (``k9py -f``)."""
        return self._record(self._run(self.paths, changed_only=False))

    def apply_paths(self, paths: Sequence[str], options: ApplyOptions | None = None
                    ) -> list[ApplyResult]:
        """Apply more paths (``:apply PATH``); they join the session and its watch.

        With ``options`` other than the session's (``:apply x.yaml --dry-run=server``),
        the paths are applied once with those options and do not join; the rows
        still go to :attr:`log`.
        """
        if options is not None and options != self.options:
            once = ApplySession(self.client, paths, options, stdin=self.stdin, now=self.now)
            return self._record(once.apply_all())
        with self._lock:
            for path in paths:
                if path not in self.paths:
                    self.paths.append(path)
                    if self._watcher is not None:
                        self._restart_watch()
        return self._record(self._run(paths, changed_only=False))

    def reapply(self, files: Iterable[str]) -> list[ApplyResult]:
        """Re-apply changed files: only documents that differ from what was applied;
        a file that no longer exists is forgotten (its objects pruned with ``--prune``)."""
        names = [self._name(f) for f in files]
        present = [f for f in names if os.path.exists(f)]
        gone = [f for f in names if not os.path.exists(f)]
        with self._lock:
            results = [r for f in gone for r in self._forget(f)]
            results += self._run(present, changed_only=True, prune=False)
            results += self._prune()
        return self._record(results)

    def _run(self, paths: Sequence[str], *, changed_only: bool,
             prune: bool = True) -> list[ApplyResult]:
        with self._lock:
            results: list[ApplyResult] = []
            loaded = self._load(paths, results)
            if not changed_only and not results and not any(docs for _, _, docs in loaded):
                err = ManifestError("no objects passed to apply", ",".join(paths))
                return [from_error(self.now(), err)]
            for path, source, docs in self._ordered(loaded):
                results += self._apply_file(path, source, docs, changed_only)
            if prune and not any(r.action == ERROR for r in results):
                results += self._prune()
            return results

    def _load(self, paths: Sequence[str], results: list[ApplyResult]
              ) -> list[tuple[str, str, list[Document]]]:
        loaded = []
        for path in paths:
            try:
                files = expand_paths([path], self.options.recursive)
            except ManifestError as err:
                results.append(from_error(self.now(), err))
                continue
            for file in files:
                try:
                    docs = _load_file(file, self.stdin)
                except ManifestError as err:
                    results.append(from_error(self.now(), err, dry_run=self.options.dry_run))
                    self._state(file).error = err.message
                    continue
                loaded.append((file, STDIN if file == "-" else file, docs))
        return loaded

    @staticmethod
    def _ordered(loaded: list[tuple[str, str, list[Document]]]
                 ) -> list[tuple[str, str, list[Document]]]:
        by_path = {path: (path, source, docs) for path, source, docs in loaded}
        ranked = order_files([(path, docs) for path, _, docs in loaded])
        return [(path, by_path[path][1], order_documents(docs)) for path, docs in ranked]

    def _apply_file(self, path: str, source: str, docs: list[Document],
                    changed_only: bool) -> list[ApplyResult]:
        state = self._state(path)
        current = self._canonical(docs)
        todo = docs
        if changed_only and state.known:
            todo = [d for d in docs if id(d) not in current
                    or state.objects.get(current[id(d)][0]) != current[id(d)][1]]
        if not todo:
            state.error = ""
            return []
        if self.applyset and not self.options.dry_run:
            self.applyset.record(k for k, _ in current.values())
        outcome = self.applier.apply_file(source, todo)
        if self.options.dry_run:
            return outcome.results
        if outcome.failed and not self.options.continue_on_error:
            state.error = next((r.message for r in outcome.results if r.action == ERROR), "")
            return outcome.results
        self._remember(state, current, outcome.keys, complete=not outcome.failed)
        return outcome.results

    def _canonical(self, docs: list[Document]) -> dict[int, tuple[Key, bytes]]:
        """Each resolvable document's key and canonical JSON, by ``id(doc)``."""
        out = {}
        labels = self.applyset.labels if self.applyset else None
        for doc in docs:
            try:
                target = resolve(doc, self.options.namespace, labels)
            except ManifestError:
                continue
            out[id(doc)] = (target.key, canonical_json(target.obj))
        return out

    def _remember(self, state: FileState, current: dict[int, tuple[Key, bytes]],
                  applied: set[Key], *, complete: bool) -> None:
        if complete:
            state.objects = dict(current.values())
            state.known, state.error = True, ""
        else:  # continue_on_error: only what was written is as the file says
            state.objects.update((k, v) for k, v in current.values() if k in applied)
            state.known = True
        for key in state.objects:
            self._origin[key] = state.source

    def _name(self, path: str) -> str:
        """How messages name a file the watcher reports (absolute): as the
        session's paths spell it, as kubectl names files found in a directory."""
        full = os.path.abspath(path)
        if full in self.files:
            return self.files[full].source
        for root in self.paths:
            base = os.path.abspath(root)
            if root != "-" and full.startswith(base + os.sep):
                return os.path.join(root, os.path.relpath(full, base))
            if full == base:
                return root
        return path

    def _state(self, path: str) -> FileState:
        full = path if path == "-" else os.path.abspath(path)
        if full not in self.files:
            self.files[full] = FileState(STDIN if path == "-" else path)
        return self.files[full]

    # -- removing ---------------------------------------------------------------------------
    def _forget(self, path: str) -> list[ApplyResult]:
        state = self.files.pop(os.path.abspath(path), None)
        if state is None:
            return []
        note = "its objects are pruned" if self.applyset else "its objects stay (no --prune)"
        return [ApplyResult(self.now(), state.source, FILE_REMOVED,
                            f"{state.source} was removed; {note}")]

    def _prune(self) -> list[ApplyResult]:
        """ApplySet prune, unless some file was never applied (its objects unknown)."""
        if self.applyset is None or not all(s.known for s in self.files.values()):
            return []
        keep = {key for s in self.files.values() for key in s.objects}
        return self.applyset.prune(keep, self._origin)

    def _record(self, results: list[ApplyResult]) -> list[ApplyResult]:
        self.log.extend(results)
        return results

    # -- watching ---------------------------------------------------------------------------
    def watch(self, callback: Callback, *, force_polling: bool | None = None) -> Watcher:
        """Re-apply on every save until :meth:`stop`; ``callback(results)`` runs on
        the watcher's thread after each re-apply that did something."""
        self._callback = callback
        self._force_polling = force_polling
        self._restart_watch()
        assert self._watcher is not None
        return self._watcher

    def _restart_watch(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
        o = self.options
        self._watcher = Watcher(self.paths, self._changed, recursive=o.recursive,
                                step_ms=o.debounce_ms,
                                force_polling=getattr(self, "_force_polling", None)).start()

    def _changed(self, files: list[str]) -> None:
        results = self.reapply(files)
        if results and self._callback is not None:
            self._callback(results)

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    # -- reading --------------------------------------------------------------------------
    @property
    def errors(self) -> dict[str, str]:
        """Files whose last load or apply failed, with the message."""
        return {s.source: s.error for s in self.files.values() if s.error}


def _load_file(path: str, stdin: BinaryIO | None) -> list[Document]:
    """``load_file``, with any unexpected failure turned into a reported error."""
    try:
        return load_file(path, stdin)
    except ManifestError:
        raise
    except Exception as err:  # a loader bug must not take the TUI down
        log.exception("reading %s", path)
        raise ManifestError(f"error reading {path}: {err!r}", path) from None


def clock_of(client: Any) -> Callable[[], float]:
    """The cluster's clock (virtual or real) when the client has one."""
    clock = getattr(client, "clock", None)
    return clock.now if clock is not None and hasattr(clock, "now") else time.time


def summarize(results: Sequence[ApplyResult]) -> str:
    """A flash line: ``2 created, 1 configured`` or the first error with its place."""
    errors = [r for r in results if r.action == ERROR]
    if errors:
        first = errors[0]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{first.where}: {first.message.splitlines()[0]}{more}"
    counts: dict[str, int] = {}
    for r in results:
        counts[r.action] = counts.get(r.action, 0) + 1
    return ", ".join(f"{n} {action}" for action, n in counts.items()) or "nothing to apply"
