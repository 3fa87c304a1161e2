"""Per-resource storage hooks: what a resource's REST storage does beyond the
generic registry store, such as allocating and releasing a Service's
ClusterIP and NodePorts (upstream ``pkg/registry/core/service/storage/alloc.go``).

A resource registers a :class:`RESTHooks` subclass in :data:`HOOKS`; the API
server calls it around every write. Hooks raise StatusErrors to refuse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api.resources import ResourceInfo

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]


class RESTHooks:
    """No-op hooks; subclasses override what their resource needs."""

    def __init__(self, api: APIServer, info: ResourceInfo) -> None:
        self.api = api
        self.info = info

    def before_create(self, obj: Obj, dry_run: bool) -> None:
        """Called after validation and admission, before the store write."""

    def create_failed(self, obj: Obj) -> None:
        """The store refused the create: undo what before_create reserved."""

    def before_update(self, new: Obj, old: Obj, dry_run: bool) -> None:
        """Called after validation and admission, before the store write."""

    def update_failed(self, new: Obj, old: Obj) -> None:
        """The store refused the update: undo what before_update reserved."""

    def after_update(self, new: Obj, old: Obj) -> None:
        """The update was stored: release what ``old`` held and ``new`` does not."""

    def after_delete(self, obj: Obj) -> None:
        """The object is gone from the store: release what it held."""


# (group, plural) -> hooks class, filled by the modules that need one.
HOOKS: dict[tuple[str, str], type[RESTHooks]] = {}


def hooks_for(api: APIServer, info: ResourceInfo) -> RESTHooks:
    cache: dict[ResourceInfo, RESTHooks] = api.__dict__.setdefault("_rest_hooks", {})
    found = cache.get(info)
    if found is None:
        cls = HOOKS.get((info.group, info.plural), RESTHooks)
        found = cache[info] = cls(api, info)
    return found
import engine.api.hooks  # noqa: E402,F401  (registers per-resource hooks)
