"""Event handlers: how an informer tells its users that the cache changed.

Upstream: k8s.io/client-go ``tools/cache/controller.go``
(``ResourceEventHandler``, ``ResourceEventHandlerFuncs``,
``FilteringResourceEventHandler``). Handlers run on the engine loop, inline
with the informer's event processing, so they must be quick and must not
block: the idiom is to compute a key and add it to a work queue.

Objects handed to handlers are the cache's shared dicts: never mutate them.
``on_delete`` may receive a :class:`~engine.runtime.keys.DeletedFinalStateUnknown`
tombstone when the deletion itself was missed and noticed on a relist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]


class ResourceEventHandler:
    """Override any of the three; the defaults ignore the notification."""

    def on_add(self, obj: Obj) -> None:
        """``obj`` appeared in the cache (or is replayed to a late handler)."""

    def on_update(self, old: Obj, new: Obj) -> None:
        """``old`` became ``new``; on a resync both are the same object."""

    def on_delete(self, obj: Any) -> None:
        """``obj`` (or a ``DeletedFinalStateUnknown``) left the cache."""


class EventHandlerFuncs(ResourceEventHandler):
    """``ResourceEventHandlerFuncs``: a handler from up to three callables."""

    def __init__(
        self,
        on_add: Callable[[Obj], None] | None = None,
        on_update: Callable[[Obj, Obj], None] | None = None,
        on_delete: Callable[[Any], None] | None = None,
    ) -> None:
        if on_add is not None:
            self.on_add = on_add  # type: ignore[method-assign]
        if on_update is not None:
            self.on_update = on_update  # type: ignore[method-assign]
        if on_delete is not None:
            self.on_delete = on_delete  # type: ignore[method-assign]


class FilteringEventHandler(ResourceEventHandler):
    """``FilteringResourceEventHandler``: only objects passing ``filter_func``
    reach ``handler``; an update that crosses the filter becomes an add or a
    delete, so the handler sees a consistent set."""

    def __init__(self, filter_func: Callable[[Any], bool], handler: ResourceEventHandler) -> None:
        self.filter_func = filter_func
        self.handler = handler

    def on_add(self, obj: Obj) -> None:
        if self.filter_func(obj):
            self.handler.on_add(obj)

    def on_update(self, old: Obj, new: Obj) -> None:
        was, now = self.filter_func(old), self.filter_func(new)
        if was and now:
            self.handler.on_update(old, new)
        elif now:
            self.handler.on_add(new)
        elif was:
            self.handler.on_delete(old)

    def on_delete(self, obj: Any) -> None:
        if self.filter_func(obj):
            self.handler.on_delete(obj)
