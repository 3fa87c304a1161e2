"""The Controller base: a toy ConfigMap copier, retries, requeues, workers."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from engine.api import errors
from engine.api.meta import deep_copy
from engine.client import LocalClient
from engine.runtime.controller import Controller
from engine.runtime.factory import SharedInformerFactory
from engine.runtime.keys import split_meta_namespace_key
from tests.runtime.conftest import Env, configmap

SUFFIX = "-copy"


class Copier(Controller):
    """Keeps ``<name>-copy`` equal to every source ConfigMap labelled copy=yes."""

    name = "copier"

    def __init__(self, client: LocalClient, factory: SharedInformerFactory, **kw: Any) -> None:
        super().__init__(client.clock, **kw)
        self.client = client
        informer = factory.informer_for("configmaps")
        self.configmaps = informer.lister()
        self.watch(informer, self.source_key)
        self.reconciled: list[str] = []

    @staticmethod
    def source_key(obj: dict) -> str:
        m = obj["metadata"]
        name = m["name"].removesuffix(SUFFIX)
        return f"{m['namespace']}/{name}"

    async def reconcile(self, key: str) -> None:
        self.reconciled.append(key)
        ns, name = split_meta_namespace_key(key)
        src = self.configmaps.get(ns, name)
        copy = self.configmaps.get(ns, name + SUFFIX)
        if src is None or (src["metadata"].get("labels") or {}).get("copy") != "yes":
            if copy is not None:
                self.client.delete("configmaps", name + SUFFIX, namespace=ns)
            return
        if copy is None:
            self.client.create("configmaps", configmap(name + SUFFIX, ns, **src.get("data", {})))
        elif copy.get("data") != src.get("data"):
            new = deep_copy(copy)
            new["data"] = src.get("data", {})
            self.client.update("configmaps", new)


def source(name: str, **data: str) -> dict:
    return configmap(name, labels={"copy": "yes"}, **data)


def data_of(env: Env, name: str) -> dict | None:
    try:
        return env.api.get("configmaps", name, "default").get("data", {})
    except errors.StatusError:
        return None


async def start(ctrl: Controller, factory: SharedInformerFactory) -> asyncio.Task:
    factory.start()
    task = asyncio.ensure_future(ctrl.run())
    await ctrl.clock.sleep(0.1)
    return task


async def stop(ctrl: Controller, factory: SharedInformerFactory, task: asyncio.Task) -> None:
    ctrl.stop()
    await task
    factory.stop()


def test_copier_converges_and_is_level_triggered(env: Env) -> None:
    env.api.create("configmaps", source("a", x="1"))
    env.api.create("configmaps", source("b", y="2"))
    factory = SharedInformerFactory(env.client)
    ctrl = Copier(env.client, factory, workers=2)

    async def scenario() -> None:
        task = await start(ctrl, factory)
        assert data_of(env, "a-copy") == {"x": "1"}
        assert data_of(env, "b-copy") == {"y": "2"}
        # Desired state changes: the copy follows.
        obj = deep_copy(env.api.get("configmaps", "a", "default"))
        obj["data"] = {"x": "42"}
        env.api.update("configmaps", obj)
        await env.clock.sleep(0.1)
        assert data_of(env, "a-copy") == {"x": "42"}
        # Someone tampers with the copy: the controller compares with the
        # source (level), not with what the event said, and restores it.
        tampered = deep_copy(env.api.get("configmaps", "b-copy", "default"))
        tampered["data"] = {"y": "evil"}
        env.api.update("configmaps", tampered)
        env.api.delete("configmaps", "a-copy", namespace="default")
        await env.clock.sleep(0.1)
        assert data_of(env, "b-copy") == {"y": "2"}
        assert data_of(env, "a-copy") == {"x": "42"}
        # The source goes: so does the copy.
        env.api.delete("configmaps", "b", namespace="default")
        await env.clock.sleep(0.1)
        assert data_of(env, "b-copy") is None
        await stop(ctrl, factory, task)

    env.run(scenario())


def test_bursts_of_changes_collapse_into_few_reconciles(env: Env) -> None:
    env.api.create("configmaps", source("a", v="0"))
    factory = SharedInformerFactory(env.client)
    ctrl = Copier(env.client, factory)

    async def scenario() -> None:
        task = await start(ctrl, factory)
        ctrl.reconciled.clear()
        for i in range(1, 51):
            obj = deep_copy(env.api.get("configmaps", "a", "default"))
            obj["data"] = {"v": str(i)}
            env.api.update("configmaps", obj)
        await env.clock.sleep(0.1)
        await stop(ctrl, factory, task)

    env.run(scenario())
    assert data_of(env, "a-copy") == {"v": "50"}
    # 50 updates, but the key was queued once (plus once for the copy's own update).
    assert ctrl.reconciled.count("default/a") <= 3


class Flaky(Controller):
    """Fails ``failures`` times per key, recording when each attempt ran."""

    def __init__(self, env: Env, failures: int, **kw: Any) -> None:
        super().__init__(env.clock, name="flaky", **kw)
        self.failures = failures
        self.attempts: list[float] = []

    async def reconcile(self, key: str) -> float | None:
        self.attempts.append(self.clock.monotonic())
        if len(self.attempts) <= self.failures:
            raise RuntimeError(f"attempt {len(self.attempts)} fails")
        return None


def gaps(times: list[float]) -> list[float]:
    return [round(b - a, 6) for a, b in zip(times, times[1:], strict=False)]


def test_raised_errors_retry_with_exponential_backoff(env: Env, caplog: Any) -> None:
    ctrl = Flaky(env, failures=4)

    async def scenario() -> None:
        task = asyncio.ensure_future(ctrl.run())
        ctrl.queue.add("default/x")
        await env.clock.sleep(5)
        assert ctrl.queue.num_requeues("default/x") == 0  # forgotten on success
        ctrl.stop()
        await task

    with caplog.at_level(logging.WARNING, logger="engine.runtime.controller"):
        env.run(scenario())
    assert gaps(ctrl.attempts) == [0.005, 0.01, 0.02, 0.04]
    assert sum("error syncing default/x" in r.getMessage() for r in caplog.records) == 4


def test_max_retries_drops_the_key(env: Env) -> None:
    ctrl = Flaky(env, failures=100, max_retries=3)

    async def scenario() -> None:
        task = asyncio.ensure_future(ctrl.run())
        ctrl.queue.add("k")
        await env.clock.sleep(60)
        ctrl.stop()
        await task

    env.run(scenario())
    assert len(ctrl.attempts) == 4
    assert ctrl.queue.num_requeues("k") == 0


def test_returning_seconds_requeues_after_that_long(env: Env) -> None:
    class Periodic(Controller):
        def __init__(self) -> None:
            super().__init__(env.clock, name="periodic")
            self.times: list[float] = []

        async def reconcile(self, key: str) -> float | None:
            self.times.append(self.clock.monotonic())
            return 30.0 if len(self.times) < 4 else None

    ctrl = Periodic()

    async def scenario() -> None:
        task = asyncio.ensure_future(ctrl.run())
        ctrl.queue.add("k")
        await env.clock.sleep(600)
        ctrl.stop()
        await task

    env.run(scenario())
    assert gaps(ctrl.times) == [30.0, 30.0, 30.0]


def test_workers_run_keys_in_parallel_but_never_one_key_twice(env: Env) -> None:
    class Slow(Controller):
        def __init__(self) -> None:
            super().__init__(env.clock, name="slow", workers=4)
            self.active: set[str] = set()
            self.peak = 0
            self.done: list[str] = []

        async def reconcile(self, key: str) -> None:
            assert key not in self.active
            self.active.add(key)
            self.peak = max(self.peak, len(self.active))
            await self.clock.sleep(1)
            self.active.discard(key)
            self.done.append(key)

    ctrl = Slow()

    async def scenario() -> float:
        task = asyncio.ensure_future(ctrl.run())
        for key in "abcdefgh":
            ctrl.queue.add(key)
        await env.clock.sleep(0.5)
        ctrl.queue.add("a")  # while "a" is being reconciled
        await env.clock.sleep(10)
        ctrl.stop()
        await task
        return env.clock.monotonic()

    env.run(scenario())
    assert ctrl.peak == 4
    assert sorted(ctrl.done) == sorted("abcdefgh" + "a")


def test_run_waits_for_caches_and_stop_before_sync_returns(env: Env) -> None:
    factory = SharedInformerFactory(env.client)
    ctrl = Copier(env.client, factory)

    async def scenario() -> None:
        task = asyncio.ensure_future(ctrl.run())  # informers never started
        await env.clock.sleep(10)
        assert not task.done()
        ctrl.stop()
        await asyncio.wait_for(task, 1)

    env.run(scenario())
    assert ctrl.reconciled == []


def test_reconcile_must_be_implemented(env: Env) -> None:
    ctrl = Controller(env.clock)

    async def scenario() -> None:
        task = asyncio.ensure_future(ctrl.run())
        ctrl.queue.add("k")
        await env.clock.sleep(0.001)
        ctrl.stop()
        await task

    env.run(scenario())
    assert ctrl.queue.num_requeues("k") == 1


@pytest.mark.parametrize("workers", [1, 3])
def test_copier_many_objects(env: Env, workers: int) -> None:
    for i in range(50):
        env.api.create("configmaps", source(f"s{i}", i=str(i)))
    factory = SharedInformerFactory(env.client)
    ctrl = Copier(env.client, factory, workers=workers)

    async def scenario() -> None:
        task = await start(ctrl, factory)
        await env.clock.sleep(1)
        await stop(ctrl, factory, task)

    env.run(scenario())
    assert all(data_of(env, f"s{i}-copy") == {"i": str(i)} for i in range(50))


def test_identical_runs_reconcile_identically() -> None:
    """Same inputs, same schedule: the order and virtual times of reconciles
    (including retries after AlreadyExists races) repeat exactly."""
    from engine.api.server import APIServer
    from engine.clock import VirtualClock
    from engine.store import Store

    def one_run() -> list[tuple[str, float]]:
        clock = VirtualClock()
        loop = clock.new_event_loop()
        api = APIServer(Store(), clock)
        api.create("namespaces", {"metadata": {"name": "default"}})
        client = LocalClient(api)
        factory = SharedInformerFactory(client)
        ctrl = Copier(client, factory, workers=3)
        seen: list[tuple[str, float]] = []
        original = ctrl.reconcile

        async def traced(key: str) -> None:
            seen.append((key, clock.monotonic()))
            await original(key)

        ctrl.reconcile = traced  # type: ignore[method-assign]

        async def scenario() -> None:
            task = await start(ctrl, factory)
            for i in range(20):
                client.create("configmaps", source(f"s{i}", i=str(i)))
                await clock.sleep(0.003 * (i % 4))
            await clock.sleep(5)
            await stop(ctrl, factory, task)

        loop.run_until_complete(scenario())
        api.close()
        loop.close()
        return seen

    first = one_run()
    assert len(first) >= 40
    assert first == one_run()
