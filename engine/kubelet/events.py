"""The kubelet's event recorder, and a cheaper way to its events.

Events are recorded with :class:`engine.events.recorder.EventRecorder` and
upstream's wording. Two things keep a thousand kubelets affordable:

* events are written without a field manager (real ones carry a
  ``kubelet`` managedFields entry; computing it would triple each event's
  cost, and nobody reads an event's managedFields);
* on the virtual clock many events happen in the same nanosecond, and the
  recorder names events ``<object>.<hex nanoseconds>``, retrying with the
  next nanosecond when the name is taken. :class:`_UniqueNames` remembers the
  highest suffix it created per object, so the retry is answered here
  instead of by a full create in the API server.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.client import LocalClient
from engine.events.recorder import EventRecorder

Obj = dict[str, Any]
MAX_REMEMBERED = 200_000


class _UniqueNames:
    """A client for the recorder that refuses names it knows are taken."""

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
        if nanos <= self._last.get(base, -1):
            raise errors.already_exists("events", "", obj["metadata"]["name"])
        created = self._client.create(resource, obj, **opts)
        if len(self._last) > MAX_REMEMBERED:
            self._last.clear()
        self._last[base] = nanos
        return created

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def kubelet_recorder(client: LocalClient, node: str) -> EventRecorder:
    """``source.component: kubelet``, ``source.host: <node>``."""
    plain = LocalClient(client.api, user=client.user)
    return EventRecorder(_UniqueNames(plain), "kubelet", host=node)  # type: ignore[arg-type]
