"""Watches: initial state, resume from a resourceVersion, selector transitions,
bookmarks, and 410 Expired after compaction."""

from __future__ import annotations

import pytest

from engine.api import errors
from engine.api.server import APIServer
from tests.helpers import pod


def kinds(watch) -> list[tuple[str, str]]:
    return [(e.type, e.object["metadata"]["name"]) for e in watch.drain()]


def test_watch_without_version_starts_with_current_state(api: APIServer) -> None:
    api.create("pods", pod("a"), namespace="default")
    w = api.watch("pods", "default")
    api.create("pods", pod("b"), namespace="default")
    api.delete("pods", "a", namespace="default")
    assert kinds(w) == [("ADDED", "a"), ("ADDED", "b"), ("DELETED", "a")]


def test_watch_from_revision_sees_exactly_later_changes_in_order(api: APIServer) -> None:
    api.create("pods", pod("a"), namespace="default")
    rv = api.list("pods", "default")["metadata"]["resourceVersion"]
    a = api.get("pods", "a", "default")
    a["metadata"]["labels"] = {"x": "1"}
    api.update("pods", a)
    api.create("pods", pod("b"), namespace="default")
    w = api.watch("pods", "default", resource_version=rv)
    api.delete("pods", "b", namespace="default")
    events = w.drain()
    assert [(e.type, e.object["metadata"]["name"]) for e in events] == [
        ("MODIFIED", "a"), ("ADDED", "b"), ("DELETED", "b")]
    revs = [int(e.object["metadata"]["resourceVersion"]) for e in events]
    assert revs == sorted(revs) and revs[0] > int(rv)


def test_watch_is_scoped_to_namespace_and_resource(api: APIServer) -> None:
    api.create("namespaces", {"metadata": {"name": "other"}})
    w = api.watch("pods", "default")
    api.create("pods", pod("x"), namespace="other")
    api.create("configmaps", {"metadata": {"name": "x"}}, namespace="default")
    api.create("pods", pod("y"), namespace="default")
    assert kinds(w) == [("ADDED", "y")]


def test_selector_watch_turns_label_changes_into_add_and_delete(api: APIServer) -> None:
    api.create("pods", pod("a", app="web"), namespace="default")
    w = api.watch("pods", "default", label_selector="app=web")
    a = api.get("pods", "a", "default")
    a["metadata"]["labels"] = {"app": "db"}
    a = api.update("pods", a)
    a["metadata"]["labels"] = {"app": "web"}
    api.update("pods", a)
    assert kinds(w) == [("ADDED", "a"), ("DELETED", "a"), ("ADDED", "a")]


def test_watch_from_compacted_revision_is_410_expired(api: APIServer) -> None:
    api.create("pods", pod("a"), namespace="default")
    old = api.list("pods", "default")["metadata"]["resourceVersion"]
    api.create("pods", pod("b"), namespace="default")
    api.compact(api.store.revision)
    with pytest.raises(errors.StatusError) as err:
        api.watch("pods", "default", resource_version=old)
    assert err.value.code == 410
    assert err.value.reason == "Expired"
    assert str(err.value).startswith(f"too old resource version: {old} (")


def test_bookmarks_carry_current_revision(api: APIServer) -> None:
    w = api.watch("pods", "default", resource_version="1", allow_bookmarks=True)
    api.create("pods", pod("a"), namespace="default")
    api.cache.send_bookmarks()
    events = w.drain()
    assert events[-1].type == "BOOKMARK"
    assert events[-1].object["metadata"]["resourceVersion"] == str(api.store.revision)


def test_stopped_watch_gets_nothing_more(api: APIServer) -> None:
    w = api.watch("pods", "default")
    w.stop()
    api.create("pods", pod("a"), namespace="default")
    assert w.drain() == []
    assert api.cache.watch_count == 0


def test_async_consumer_receives_events(api: APIServer) -> None:
    loop = api.clock.loop
    w = api.watch("pods", "default")

    async def consume() -> list[str]:
        api.create("pods", pod("a"), namespace="default")
        first = await w.next()
        w.stop()
        rest = await w.next()
        return [first.object["metadata"]["name"], rest]

    assert loop.run_until_complete(consume()) == ["a", None]


def test_api_lister_is_current_right_after_each_write(api: APIServer) -> None:
    api.create("pods", pod("a"), namespace="default")
    lister = api.lister("pods")
    assert [p["metadata"]["name"] for p in lister.list("default")] == ["a"]
    api.create("pods", pod("b"), namespace="default")
    b = api.get("pods", "b", "default")
    b["metadata"]["labels"] = {"x": "y"}
    api.update("pods", b)
    assert lister.get("b", "default")["metadata"]["labels"] == {"x": "y"}
    api.delete("pods", "a", namespace="default")
    assert [p["metadata"]["name"] for p in lister.list()] == ["b"]
