"""List-then-watch one resource through the client, off the UI thread.

As client-go's reflector: list (the view is "synced" once those rows are
in), then watch from the list's resourceVersion. The client runs the watch
callback on the engine thread, so it only appends the batch to a
thread-safe queue; the UI drains the queue on its own timer. Objects in the
events are shared with the engine: the views only read them.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any

from k9py.client import ClusterClient

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Event:
    """A watch event in the shape of the engine's ``WatchEvent``."""

    type: str
    object: dict[str, Any]


SYNCED = Event("SYNCED", {})


class ResourceWatcher:
    """One list+watch; ``drain()`` hands the events seen so far to the UI."""

    def __init__(self, client: ClusterClient, resource: str, namespace: str | None = None, *,
                 label_selector: str | None = None, field_selector: str | None = None) -> None:
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.label_selector = label_selector or None
        self.field_selector = field_selector or None
        self.error: Exception | None = None
        self._queue: queue.SimpleQueue[list[Any]] = queue.SimpleQueue()
        self._handle: Any = None
        self._stopped = False
        self._lock = threading.Lock()

    def start(self) -> ResourceWatcher:
        threading.Thread(target=self._run, name=f"k9py-watch-{self.resource}",
                         daemon=True).start()
        return self

    def _opts(self) -> dict[str, Any]:
        opts: dict[str, Any] = {}
        if self.label_selector:
            opts["label_selector"] = self.label_selector
        if self.field_selector:
            opts["field_selector"] = self.field_selector
        return opts

    def _run(self) -> None:
        try:
            listed = self.client.list(self.resource, self.namespace, **self._opts())
            items = [Event("ADDED", o) for o in listed.get("items", [])]
            self._queue.put([*items, SYNCED])
            rv = (listed.get("metadata") or {}).get("resourceVersion")
            handle = self.client.watch(self.resource, self.namespace, callback=self._queue.put,
                                       resource_version=rv, **self._opts())
        except Exception as err:  # shown by the view; never raised into the UI
            log.debug("watch %s failed: %s", self.resource, err)
            self.error = err
            self._queue.put([SYNCED])
            return
        with self._lock:
            self._handle = handle
            stop_now = self._stopped
        if stop_now:
            self._stop_handle(handle)

    def drain(self) -> list[Any]:
        """Every event received since the last drain, in order."""
        out: list[Any] = []
        get = self._queue.get_nowait
        while True:
            try:
                out.extend(get())
            except queue.Empty:
                return out

    def stop(self) -> None:
        """Stop watching; the engine call happens on a helper thread, never the UI's."""
        with self._lock:
            self._stopped = True
            handle, self._handle = self._handle, None
        if handle is not None:
            threading.Thread(target=self._stop_handle, args=(handle,), daemon=True).start()

    @staticmethod
    def _stop_handle(handle: Any) -> None:
        try:
            handle.stop()
        except Exception as err:  # the cluster may be gone already
            log.debug("stopping a watch failed: %s", err)
