"""Shared informers against the real API server, on the virtual clock."""

from __future__ import annotations

from typing import Any

from engine.api.meta import deep_copy
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.informer import SharedInformer
from engine.runtime.keys import DeletedFinalStateUnknown
from tests.runtime.conftest import Env, configmap


class Recorder(ResourceEventHandler):
    """Records notifications as (verb, name, detail) tuples."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, Any]] = []

    def on_add(self, obj: dict) -> None:
        self.events.append(("add", obj["metadata"]["name"], obj.get("data")))

    def on_update(self, old: dict, new: dict) -> None:
        same = old["metadata"]["resourceVersion"] == new["metadata"]["resourceVersion"]
        self.events.append(("update", new["metadata"]["name"], "same" if same else new.get("data")))

    def on_delete(self, obj: Any) -> None:
        if isinstance(obj, DeletedFinalStateUnknown):
            self.events.append(("delete", obj.obj["metadata"]["name"], "tombstone"))
        else:
            self.events.append(("delete", obj["metadata"]["name"], None))


async def settle(env: Env) -> None:
    """Let the informer apply what the API server has sent."""
    await env.clock.sleep(0.001)


def update_data(env: Env, name: str, **data: str) -> None:
    obj = deep_copy(env.api.get("configmaps", name, "default"))
    obj["data"] = data
    env.api.update("configmaps", obj)


def names(objs: list[dict]) -> list[str]:
    return [o["metadata"]["name"] for o in objs]


def test_syncs_then_sees_add_update_delete(env: Env) -> None:
    env.api.create("configmaps", configmap("a", x="1"))
    env.api.create("configmaps", configmap("b", x="2"))
    informer = SharedInformer(env.client, "configmaps")
    rec = Recorder()
    informer.add_event_handler(rec)
    assert not informer.has_synced()

    async def scenario() -> None:
        informer.start()
        assert await informer.wait_for_cache_sync()
        assert informer.has_synced()
        env.api.create("configmaps", configmap("c", x="3"))
        update_data(env, "a", x="10")
        env.api.delete("configmaps", "b", namespace="default")
        await settle(env)

    env.run(scenario())
    assert rec.events == [
        ("add", "a", {"x": "1"}),
        ("add", "b", {"x": "2"}),
        ("add", "c", {"x": "3"}),
        ("update", "a", {"x": "10"}),
        ("delete", "b", None),
    ]
    assert names(informer.lister().list()) == ["a", "c"]
    assert informer.lister().get("default", "a")["data"] == {"x": "10"}
    assert informer.last_sync_resource_version == str(env.api.store.revision)
    informer.stop()


def test_wait_for_cache_sync_is_false_when_stopped_first(env: Env) -> None:
    informer = SharedInformer(env.client, "configmaps")

    async def scenario() -> bool:
        informer.stop()
        return await informer.wait_for_cache_sync()

    assert env.run(scenario()) is False


def test_relists_after_410_and_catches_a_missed_delete(env: Env) -> None:
    env.api.create("configmaps", configmap("a"))
    env.api.create("configmaps", configmap("b"))
    informer = SharedInformer(env.client, "configmaps", watch_timeout=60)
    rec = Recorder()
    informer.add_event_handler(rec)

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()
        # Other resources move the revision on; the configmap watch's last
        # resourceVersion falls behind, and compaction removes it.
        for i in range(3):
            env.api.create("namespaces", {"metadata": {"name": f"ns{i}"}})
        env.api.compact(env.api.store.revision)
        # The watch times out at t=60, re-watching from a compacted revision
        # gets 410, and the relist comes after a 0.8s backoff: a deletion in
        # that gap is only noticed by the relist.
        env.clock.call_later(60.3, lambda: env.api.delete("configmaps", "b", namespace="default"))
        await env.clock.sleep(62)
        env.api.create("configmaps", configmap("c"))
        await settle(env)

    env.run(scenario())
    assert informer.reflector.list_count == 2
    assert rec.events == [
        ("add", "a", None),
        ("add", "b", None),
        ("update", "a", "same"),
        ("delete", "b", "tombstone"),
        ("add", "c", None),
    ]
    assert names(informer.lister().list()) == ["a", "c"]
    informer.stop()


def test_rewatches_without_relisting_when_a_watch_ends(env: Env) -> None:
    informer = SharedInformer(env.client, "configmaps", watch_timeout=30)
    rec = Recorder()
    informer.add_event_handler(rec)

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()
        await env.clock.sleep(95)
        env.api.create("configmaps", configmap("a"))
        await settle(env)

    env.run(scenario())
    assert informer.reflector.list_count == 1
    assert informer.reflector.watch_count == 4
    assert rec.events == [("add", "a", None)]
    informer.stop()


def test_label_selector_informer_sees_objects_enter_and_leave(env: Env) -> None:
    env.api.create("configmaps", configmap("web", labels={"app": "web"}))
    env.api.create("configmaps", configmap("db", labels={"app": "db"}))
    informer = SharedInformer(env.client, "configmaps", label_selector="app=web")
    rec = Recorder()
    informer.add_event_handler(rec)

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()
        obj = deep_copy(env.api.get("configmaps", "db", "default"))
        obj["metadata"]["labels"]["app"] = "web"
        env.api.update("configmaps", obj)
        obj = deep_copy(env.api.get("configmaps", "web", "default"))
        obj["metadata"]["labels"]["app"] = "api"
        env.api.update("configmaps", obj)
        await settle(env)

    env.run(scenario())
    assert rec.events == [("add", "web", None), ("add", "db", None), ("delete", "web", None)]
    assert names(informer.lister().list()) == ["db"]
    informer.stop()


def test_namespace_and_field_selector_informer(env: Env) -> None:
    env.api.create("namespaces", {"metadata": {"name": "other"}})
    env.api.create("configmaps", configmap("a"))
    env.api.create("configmaps", configmap("a", "other"))
    env.api.create("configmaps", configmap("b", "other"))
    informer = SharedInformer(
        env.client, "configmaps", namespace="other", field_selector="metadata.name=a"
    )

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()

    env.run(scenario())
    assert informer.indexer.list_keys() == ["other/a"]
    informer.stop()


def test_late_handler_gets_synthetic_adds_then_events(env: Env) -> None:
    env.api.create("configmaps", configmap("a"))
    env.api.create("configmaps", configmap("b"))
    informer = SharedInformer(env.client, "configmaps")
    early, late = Recorder(), Recorder()
    informer.add_event_handler(early)

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()
        registration = informer.add_event_handler(late)
        assert registration.has_synced()
        assert late.events == [("add", "a", None), ("add", "b", None)]
        env.api.create("configmaps", configmap("c"))
        await settle(env)

    env.run(scenario())
    assert late.events[-1] == ("add", "c", None)
    assert early.events == [("add", "a", None), ("add", "b", None), ("add", "c", None)]
    informer.stop()


def test_resync_replays_updates_per_handler_period(env: Env) -> None:
    env.api.create("configmaps", configmap("a"))
    env.api.create("configmaps", configmap("b"))
    informer = SharedInformer(env.client, "configmaps", resync_period=10)
    every10, every25, never = Recorder(), Recorder(), Recorder()
    informer.add_event_handler(every10)
    informer.add_event_handler(every25, resync_period=25)
    informer.add_event_handler(never, resync_period=0)

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()
        await env.clock.sleep(55)

    env.run(scenario())

    def resyncs(rec: Recorder) -> list:
        return [e for e in rec.events if e[0] == "update"]

    assert resyncs(every10) == [("update", "a", "same"), ("update", "b", "same")] * 5
    assert resyncs(every25) == [("update", "a", "same"), ("update", "b", "same")] * 2
    assert resyncs(never) == []
    informer.stop()


def test_failing_handler_is_isolated(env: Env) -> None:
    informer = SharedInformer(env.client, "configmaps")
    rec = Recorder()

    def explode(obj: dict) -> None:
        raise RuntimeError("boom")

    informer.add_event_handler(on_add=explode)
    informer.add_event_handler(rec)

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()
        env.api.create("configmaps", configmap("a"))
        env.api.create("configmaps", configmap("b"))
        await settle(env)

    env.run(scenario())
    assert rec.events == [("add", "a", None), ("add", "b", None)]
    informer.stop()


def test_removed_handler_hears_nothing_more(env: Env) -> None:
    informer = SharedInformer(env.client, "configmaps")
    rec = Recorder()
    registration = informer.add_event_handler(rec)

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()
        env.api.create("configmaps", configmap("a"))
        await settle(env)
        informer.remove_event_handler(registration)
        env.api.create("configmaps", configmap("b"))
        await settle(env)

    env.run(scenario())
    assert rec.events == [("add", "a", None)]
    informer.stop()


def test_transform_applies_before_caching(env: Env) -> None:
    env.api.create("configmaps", configmap("a", x="1"))

    def strip(obj: dict) -> dict:
        return {
            **obj,
            "metadata": {k: v for k, v in obj["metadata"].items() if k != "managedFields"},
            "data": None,
        }

    informer = SharedInformer(env.client, "configmaps", transform=strip)

    async def scenario() -> None:
        informer.start()
        await informer.wait_for_cache_sync()

    env.run(scenario())
    assert informer.lister().get("default", "a")["data"] is None
    informer.stop()


def test_stop_ends_run(env: Env) -> None:
    informer = SharedInformer(env.client, "configmaps")

    async def scenario() -> bool:
        task = informer.start()
        await informer.wait_for_cache_sync()
        informer.stop()
        await task
        return task.done()

    assert env.run(scenario())
    assert env.api.cache.watch_count == 0


def test_bookmarks_keep_the_resume_point_fresh_across_compactions(env: Env) -> None:
    env.api.create("configmaps", configmap("a"))
    informer = SharedInformer(env.client, "configmaps", watch_timeout=400)

    async def scenario() -> None:
        env.api.start()  # periodic bookmarks (60s) and compaction (300s)
        informer.start()
        await informer.wait_for_cache_sync()
        for i in range(3):
            env.api.create("namespaces", {"metadata": {"name": f"ns{i}"}})
        await env.clock.sleep(1000)  # two compactions, two watch timeouts

    env.run(scenario())
    assert env.api.store.compact_revision > int(
        env.api.get("configmaps", "a", "default")["metadata"]["resourceVersion"]
    )
    assert informer.reflector.watch_count == 3
    assert informer.reflector.list_count == 1  # resumed from bookmarks, never relisted
    assert informer.last_sync_resource_version == str(env.api.store.revision)
    informer.stop()
