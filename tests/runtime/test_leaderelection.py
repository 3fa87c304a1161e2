"""Leader election over a Lease, two candidates, on the virtual clock."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from engine.api import errors
from engine.client import LocalClient
from engine.runtime.leaderelection import LeaderCallbacks, LeaderElectionConfig, LeaderElector
from engine.runtime.resourcelock import LeaseLock
from tests.runtime.conftest import Env

LEASE = "kube-controller-manager"


class Candidate:
    """An elector plus a log of its callbacks, with times."""

    def __init__(self, env: Env, identity: str, client: Any = None, **cfg: Any) -> None:
        self.env = env
        self.log: list[tuple[str, Any]] = []
        self.leading_work_cancelled = False
        lock = LeaseLock(client or env.client, LEASE, identity)
        callbacks = LeaderCallbacks(
            on_started_leading=self._started,
            on_stopped_leading=lambda: self._note("stopped"),
            on_new_leader=lambda who: self._note("leader", who),
        )
        self.elector = LeaderElector(LeaderElectionConfig(lock, callbacks=callbacks, **cfg))
        self.task: asyncio.Task | None = None

    def _note(self, what: str, detail: Any = None) -> None:
        self.log.append((what, detail, round(self.env.clock.monotonic(), 3)))

    async def _started(self) -> None:
        self._note("started")
        try:
            await asyncio.Event().wait()  # lead until cancelled
        except asyncio.CancelledError:
            self.leading_work_cancelled = True
            raise

    def start(self) -> None:
        self.task = asyncio.ensure_future(self.elector.run())

    def events(self, what: str) -> list:
        return [entry for entry in self.log if entry[0] == what]


def lease(env: Env) -> dict:
    return env.api.get("leases", LEASE, "kube-system")["spec"]


def test_one_leader_then_takeover_after_expiry(env: Env) -> None:
    a, b = Candidate(env, "a"), Candidate(env, "b")

    async def scenario() -> None:
        a.start()
        await env.clock.sleep(0.5)
        b.start()
        await env.clock.sleep(60)
        assert a.elector.is_leader() and not b.elector.is_leader()
        assert b.elector.get_leader() == "a"
        spec = lease(env)
        assert spec["holderIdentity"] == "a"
        assert spec["leaseTransitions"] == 0
        assert spec["leaseDurationSeconds"] == 15
        assert spec["renewTime"].endswith("Z") and "." in spec["renewTime"]
        assert spec["renewTime"] > spec["acquireTime"]  # a keeps renewing
        # a stops renewing (a crash: no release); b must wait out the lease.
        a.elector.stop()
        await a.task
        stopped_at = env.clock.monotonic()
        await env.clock.sleep(40)
        assert b.elector.is_leader()
        took_over = b.events("started")[0][2]
        assert stopped_at + 15 - 2 <= took_over <= stopped_at + 15 + 2 * 4.4
        b.elector.stop()
        await b.task

    env.run(scenario())
    spec = lease(env)
    assert spec["holderIdentity"] == "b"
    assert spec["leaseTransitions"] == 1
    assert [e[0] for e in a.log] == ["leader", "started", "stopped"]
    assert [(e[0], e[1]) for e in b.log] == [
        ("leader", "a"),
        ("leader", "b"),
        ("started", None),
        ("stopped", None),
    ]
    assert a.leading_work_cancelled and b.leading_work_cancelled


def test_never_two_leaders_at_once(env: Env) -> None:
    candidates = [Candidate(env, f"c{i}") for i in range(4)]

    async def scenario() -> None:
        for c in candidates:
            c.start()
        for _ in range(60):
            await env.clock.sleep(1)
            assert sum(c.elector.is_leader() for c in candidates) == 1
        for c in candidates:
            c.elector.stop()
        await asyncio.gather(*(c.task for c in candidates))

    env.run(scenario())
    assert sum(bool(c.events("started")) for c in candidates) == 1


def test_release_on_cancel_hands_over_quickly(env: Env) -> None:
    a = Candidate(env, "a", release_on_cancel=True)
    b = Candidate(env, "b")

    async def scenario() -> None:
        a.start()
        await env.clock.sleep(0.5)
        b.start()
        await env.clock.sleep(20)
        a.elector.stop()
        await a.task
        released_at = env.clock.monotonic()
        assert lease(env)["holderIdentity"] == ""
        await env.clock.sleep(10)
        assert b.elector.is_leader()
        assert b.events("started")[0][2] - released_at <= 2 * 2.4 + 0.01
        b.elector.stop()
        await b.task

    env.run(scenario())
    assert lease(env)["leaseTransitions"] == 1


class FailingClient(LocalClient):
    """A client whose Lease writes fail once ``broken`` is set (a partition)."""

    broken = False

    def update(self, resource: Any, obj: dict, **opts: Any) -> dict:
        if self.broken:
            raise errors.service_unavailable("connection refused")
        return super().update(resource, obj, **opts)

    def get(self, resource: Any, name: str, namespace: str | None = None) -> dict:
        if self.broken:
            raise errors.service_unavailable("connection refused")
        return super().get(resource, name, namespace)


def test_leader_steps_down_when_renewals_fail_past_the_deadline(env: Env) -> None:
    flaky = FailingClient(env.api)
    a = Candidate(env, "a", client=flaky)
    b = Candidate(env, "b")

    async def scenario() -> None:
        a.start()
        await env.clock.sleep(0.5)
        b.start()
        await env.clock.sleep(10)
        flaky.broken = True
        broke_at = env.clock.monotonic()
        await a.task  # run() returns once leadership is lost
        lost_at = env.clock.monotonic()
        assert broke_at + 8 <= lost_at <= broke_at + 2 + 10
        assert not a.elector.is_leader() or a.events("stopped")
        await env.clock.sleep(30)
        assert b.elector.is_leader()
        # b could only take over once the lease (not a's deadline) expired.
        assert b.events("started")[0][2] >= broke_at + 15 - 2
        b.elector.stop()
        await b.task

    env.run(scenario())
    assert a.events("stopped") and a.leading_work_cancelled
    assert lease(env)["leaseTransitions"] == 1


def test_sync_callbacks_and_reacquire_own_lease(env: Env) -> None:
    started: list[str] = []
    lock = LeaseLock(env.client, LEASE, "a")
    cfg = LeaderElectionConfig(
        lock, callbacks=LeaderCallbacks(on_started_leading=lambda: started.append("a"))
    )
    first = LeaderElector(cfg)

    async def scenario() -> None:
        task = asyncio.ensure_future(first.run())
        await env.clock.sleep(5)
        first.stop()
        await task
        # The same identity restarting while its lease is still valid gets it
        # back at once, without counting a transition.
        again = LeaderElector(
            LeaderElectionConfig(LeaseLock(env.client, LEASE, "a"), callbacks=cfg.callbacks)
        )
        task = asyncio.ensure_future(again.run())
        await env.clock.sleep(0.1)
        assert again.is_leader()
        again.stop()
        await task

    env.run(scenario())
    assert started == ["a", "a"]
    assert lease(env)["leaseTransitions"] == 0


@pytest.mark.parametrize(
    "cfg, message",
    [
        ({"lease_duration": 10, "renew_deadline": 10}, "leaseDuration"),
        ({"renew_deadline": 2, "retry_period": 2}, "renewDeadline"),
    ],
)
def test_config_validation(env: Env, cfg: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LeaderElector(LeaderElectionConfig(LeaseLock(env.client, LEASE, "a"), **cfg))
    with pytest.raises(ValueError, match="identity"):
        LeaderElector(LeaderElectionConfig(LeaseLock(env.client, LEASE, "")))
