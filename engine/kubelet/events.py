"""The kubelet's event recorder, and a cheaper way to its events.

Events are recorded with :class:`engine.events.recorder.EventRecorder` and
upstream's wording. Two things keep a thousand kubelets affordable:

* events are written without a field manager (real ones carry a
  ``kubelet`` managedFields entry; computing it would triple each event's
  cost, and nobody reads an event's managedFields);
* on the virtual clock many events happen in the same nanosecond, and the
  recorder names events ``<object>.<hex nanoseconds>``, retrying with the
  next nanosecond when the name is taken. :class:`_UniqueNames` remembers the
  highest suffix it created per object and creates the event under the
  name the recorder's retries would reach, instead of refusing each taken
  name with a full create in the API server.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.client import LocalClient
from engine.events.recorder import EventRecorder

Obj = dict[str, Any]
MAX_REMEMBERED = 200_000


class _UniqueNames:
    """A client for the recorder that skips the names it knows are taken."""

    def __init__(self, client: LocalClient) -> None:
        self._client = client
        self._last: dict[str, int] = {}

    @property
    def clock(self):  # noqa: ANN201
        return self._client.clock

    def create(self, resource: Any, obj: Obj, **opts: Any) -> Obj:
        base, _, suffix = obj["metadata"]["name"].rpartition(".")
        try:
            nanos = int(suffix, 16)
        except ValueError:
            return self._client.create(resource, obj, **opts)
        last = self._last.get(base, -1)
        if nanos <= last:
            # The recorder would be refused and retry nanos + 1 until past
            # ``last``: take that name at once, without building the errors.
            nanos = last + 1
            obj["metadata"]["name"] = f"{base}.{nanos:x}"
        try:
            created = self._client.create(resource, obj, **opts)
        except errors.StatusError as err:
            if err.reason == "AlreadyExists":  # taken by someone else: the retry goes past it
                self._remember(base, nanos)
            raise
        self._remember(base, nanos)
        return created

    def _remember(self, base: str, nanos: int) -> None:
        if len(self._last) > MAX_REMEMBERED:
            self._last.clear()
        self._last[base] = nanos

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def kubelet_recorder(client: LocalClient, node: str) -> EventRecorder:
    """``source.component: kubelet``, ``source.host: <node>``."""
    plain = LocalClient(client.api, user=client.user)
    return EventRecorder(_UniqueNames(plain), "kubelet", host=node)  # type: ignore[arg-type]
