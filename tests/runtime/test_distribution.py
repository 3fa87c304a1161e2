"""How an informer hands events to its handlers, with its shortcuts.

Handler methods are looked up once at registration and a method left as
``ResourceEventHandler``'s no-op is not called: each handler must still see
exactly the notifications, in the order, that calling every method on every
event gave. The cache's ``get_by_key`` (the dict's own ``get``) must keep
answering after a relist swaps the contents."""

from __future__ import annotations

import contextlib
from typing import Any

from engine.runtime.handlers import EventHandlerFuncs, FilteringEventHandler, ResourceEventHandler
from engine.runtime.indexer import NAMESPACE_INDEX, Indexer, meta_namespace_index_func
from engine.runtime.informer import SharedInformer, _NotifyingStore
from tests.runtime.conftest import Env, configmap

LOG: list[tuple[str, str, str]] = []


class AddsOnly(ResourceEventHandler):
    def on_add(self, obj: dict) -> None:
        LOG.append(("adds-only", "add", obj["metadata"]["name"]))


class Everything(ResourceEventHandler):
    def __init__(self, tag: str) -> None:
        self.tag = tag

    def on_add(self, obj: dict) -> None:
        LOG.append((self.tag, "add", obj["metadata"]["name"]))

    def on_update(self, old: dict, new: dict) -> None:
        LOG.append((self.tag, "update", new["metadata"]["name"]))

    def on_delete(self, obj: Any) -> None:
        LOG.append((self.tag, "delete", obj["metadata"]["name"]))


class Failing(ResourceEventHandler):
    def on_update(self, old: dict, new: dict) -> None:
        raise RuntimeError("boom")


def _handlers() -> list[ResourceEventHandler]:
    def note(tag: str, verb: str) -> Any:
        return lambda *objs: LOG.append((tag, verb, objs[-1]["metadata"]["name"]))

    return [
        Everything("first"),
        AddsOnly(),
        EventHandlerFuncs(on_update=note("funcs", "update")),
        Failing(),
        FilteringEventHandler(lambda o: o["metadata"]["name"] != "skip", Everything("filtered")),
        EventHandlerFuncs(on_add=note("funcs2", "add"), on_delete=note("funcs2", "delete")),
        Everything("last"),
    ]


def _every_method_on_every_event(
    handlers: list[ResourceEventHandler], events: list[tuple]
) -> list[tuple[str, str, str]]:
    """What calling each handler's current method for each event records."""
    LOG.clear()
    for verb, *objs in events:
        for handler in handlers:
            with contextlib.suppress(RuntimeError):
                getattr(handler, f"on_{verb}")(*objs)
    return list(LOG)


def test_handlers_see_what_calling_every_method_gives(env: Env) -> None:
    a, b, skip = configmap("a"), configmap("b"), configmap("skip")
    a["metadata"]["resourceVersion"] = b["metadata"]["resourceVersion"] = "1"
    a2 = {**a, "metadata": {**a["metadata"], "resourceVersion": "2"}}
    events = [
        ("add", a),
        ("add", b),
        ("add", skip),
        ("update", a, a2),
        ("update", skip, skip),
        ("delete", b),
    ]
    expected = _every_method_on_every_event(_handlers(), events)

    informer = SharedInformer(env.client, "configmaps")
    for handler in _handlers():
        informer.add_event_handler(handler)
    store = _NotifyingStore(informer)
    LOG.clear()
    for verb, *objs in events:
        if verb == "delete":
            store.delete(objs[-1])
        else:
            store.add(objs[-1])
    assert expected == LOG


def test_removed_handler_is_no_longer_called(env: Env) -> None:
    informer = SharedInformer(env.client, "configmaps")
    keep, gone = Everything("keep"), Everything("gone")
    informer.add_event_handler(keep)
    registration = informer.add_event_handler(gone)
    informer.remove_event_handler(registration)
    LOG.clear()
    _NotifyingStore(informer).add(configmap("a"))
    assert LOG == [("keep", "add", "a")]


def test_get_by_key_follows_a_relist() -> None:
    indexer = Indexer(indexers={NAMESPACE_INDEX: meta_namespace_index_func})
    one = {"metadata": {"name": "one", "namespace": "ns"}}
    two = {"metadata": {"name": "two", "namespace": "ns"}}
    indexer.add(one)
    assert indexer.get_by_key("ns/one") is one
    indexer.replace([two], "7")
    assert indexer.get_by_key("ns/one") is None
    assert indexer.get_by_key("ns/two") is two
    assert indexer.list_keys() == ["ns/two"]
    assert indexer.by_index(NAMESPACE_INDEX, "ns") == [two]
    indexer.delete(two)
    assert indexer.get_by_key("ns/two") is None
