"""The reflector's list/watch loop against a scripted client."""

from __future__ import annotations

import asyncio
from typing import Any

from engine.api import errors
from engine.api.watchcache import WatchEvent
from engine.clock import VirtualClock
from engine.runtime.indexer import Indexer
from engine.runtime.reflector import Backoff, Reflector
from tests.runtime.conftest import Env, configmap


def cm(name: str, rv: int) -> dict:
    obj = configmap(name)
    obj["metadata"]["resourceVersion"] = str(rv)
    return obj


class ScriptedWatch:
    """Hands out its events, then waits until stopped."""

    def __init__(self, events: list[WatchEvent]) -> None:
        self.events = list(events)
        self.stopped = asyncio.get_running_loop().create_future()

    async def next(self) -> WatchEvent | None:
        if self.events:
            return self.events.pop(0)
        await self.stopped
        return None

    def drain(self) -> list[WatchEvent]:
        out, self.events = self.events, []
        return out

    def stop(self) -> None:
        if not self.stopped.done():
            self.stopped.set_result(None)


class ScriptedClient:
    """Each list/watch call takes the next scripted answer (or raises it)."""

    def __init__(self, clock: VirtualClock, lists: list[Any], watches: list[Any]) -> None:
        self.clock = clock
        self.lists = lists
        self.watches = watches
        self.calls: list[tuple[str, str, float]] = []

    def list(self, resource: Any, namespace: Any = None, **_: Any) -> dict:
        answer = self.lists.pop(0)
        self.calls.append(("list", "", self.clock.monotonic()))
        if isinstance(answer, Exception):
            raise answer
        rv, items = answer
        return {"metadata": {"resourceVersion": str(rv)}, "items": items}

    def watch(
        self,
        resource: Any,
        namespace: Any = None,
        *,
        resource_version: str = "",
        allow_bookmarks: bool = False,
        **_: Any,
    ) -> ScriptedWatch:
        assert allow_bookmarks
        self.calls.append(("watch", resource_version, self.clock.monotonic()))
        answer = self.watches.pop(0) if self.watches else []
        if isinstance(answer, Exception):
            raise answer
        return ScriptedWatch(answer)


def run_for(clock: VirtualClock, reflector: Reflector, seconds: float) -> None:
    async def scenario() -> None:
        task = asyncio.ensure_future(reflector.run())
        await clock.sleep(seconds)
        reflector.stop()
        await task

    clock.loop.run_until_complete(scenario())


def test_events_bookmarks_and_errors(clock: VirtualClock) -> None:
    expired = {"kind": "Status", "code": 410, "reason": "Expired", "message": "too old"}
    client = ScriptedClient(
        clock,
        lists=[(10, [cm("a", 5)]), (20, [cm("b", 19)])],
        watches=[
            [
                WatchEvent("ADDED", cm("b", 11)),
                WatchEvent("MODIFIED", cm("a", 12)),
                WatchEvent("BOOKMARK", {"metadata": {"resourceVersion": "15"}}),
                WatchEvent("DELETED", cm("b", 16)),
                WatchEvent("ERROR", expired),
            ],
        ],
    )
    store = Indexer()
    reflector = Reflector(client, "configmaps", store)
    run_for(clock, reflector, 5)
    assert [c[:2] for c in client.calls] == [
        ("list", ""),
        ("watch", "10"),
        ("list", ""),
        ("watch", "20"),
    ]
    assert client.calls[2][2] == 0.8  # relist after the reflector's backoff
    assert store.list_keys() == ["default/b"]
    assert reflector.last_sync_resource_version == "20"


def test_watch_error_other_than_410_relists_after_backoff(clock: VirtualClock) -> None:
    client = ScriptedClient(
        clock,
        lists=[
            (10, []),
            errors.internal_error("etcd down"),
            errors.internal_error("etcd down"),
            (30, []),
        ],
        watches=[errors.service_unavailable("try later")],
    )
    reflector = Reflector(client, "configmaps", Indexer())
    run_for(clock, reflector, 20)
    lists = [round(c[2], 3) for c in client.calls if c[0] == "list"]
    assert lists == [0, 0.8, 2.4, 5.6]  # 0.8s backoff, doubling
    assert reflector.last_sync_resource_version == "30"


def test_backoff_doubles_caps_and_resets(clock: VirtualClock) -> None:
    backoff = Backoff(clock)
    assert [backoff.next() for _ in range(8)] == [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30, 30]
    clock.loop.run_until_complete(clock.sleep(121))
    assert backoff.next() == 0.8


def test_reflector_recovers_from_list_errors_on_the_real_api(env: Env) -> None:
    class Flaky:
        def __init__(self) -> None:
            self.failures = 2
            self.clock = env.clock

        def list(self, *args: Any, **kw: Any) -> dict:
            if self.failures:
                self.failures -= 1
                raise errors.service_unavailable("apiserver starting")
            return env.client.list(*args, **kw)

        def watch(self, *args: Any, **kw: Any) -> Any:
            return env.client.watch(*args, **kw)

    env.api.create("configmaps", configmap("a"))
    store = Indexer()
    reflector = Reflector(Flaky(), "configmaps", store)
    run_for(env.clock, reflector, 10)
    assert store.list_keys() == ["default/a"]
    assert reflector.list_count == 1
