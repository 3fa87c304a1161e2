"""Leader election over a Lease, so only one replica of a component acts.

Upstream: k8s.io/client-go ``tools/leaderelection/leaderelection.go``
(``LeaderElector.Run``, ``acquire``, ``renew``, ``tryAcquireOrRenew``,
``release``). The rules that matter:

* a candidate takes the lease when there is none, when it holds no one, or
  when the record has not changed for ``leaseDurationSeconds`` *as this
  candidate observed it* (its own clock, never the holder's timestamps,
  so clock skew between replicas cannot cause two leaders);
* the leader renews every ``retry_period``; if it cannot renew within
  ``renew_deadline`` it stops leading, well before others may take over
  at ``lease_duration``;
* every change of holder increments ``leaseTransitions``.

Defaults are kube-controller-manager's: 15s lease, 10s renew deadline, 2s
retry. Jitter comes from a generator seeded with the identity, so runs on the
virtual clock are reproducible.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from engine.api.errors import StatusError
from engine.clock import Clock
from engine.runtime.resourcelock import LeaderElectionRecord, LeaseLock

logger = logging.getLogger(__name__)

JITTER_FACTOR = 1.2


@dataclass
class LeaderCallbacks:
    """``LeaderCallbacks``. ``on_started_leading`` may be a coroutine function:
    it then runs as a task that is cancelled when leadership ends (upstream
    passes it a context cancelled at that point)."""

    on_started_leading: Callable[[], Awaitable[None] | None] | None = None
    on_stopped_leading: Callable[[], None] | None = None
    on_new_leader: Callable[[str], None] | None = None


@dataclass
class LeaderElectionConfig:
    lock: LeaseLock
    lease_duration: float = 15.0
    renew_deadline: float = 10.0
    retry_period: float = 2.0
    callbacks: LeaderCallbacks = field(default_factory=LeaderCallbacks)
    release_on_cancel: bool = False
    name: str = ""

    def validate(self) -> None:
        """``NewLeaderElector``'s checks."""
        if self.lease_duration <= self.renew_deadline:
            raise ValueError("leaseDuration must be greater than renewDeadline")
        if self.renew_deadline <= JITTER_FACTOR * self.retry_period:
            raise ValueError("renewDeadline must be greater than retryPeriod*JitterFactor")
        if min(self.lease_duration, self.renew_deadline, self.retry_period) < 1:
            raise ValueError("leaseDuration, renewDeadline and retryPeriod must be at least 1s")
        if not self.lock.identity:
            raise ValueError("Lock identity is empty")


class LeaderElector:
    """Contends for ``config.lock``; :meth:`run` returns when leadership ends."""

    def __init__(self, config: LeaderElectionConfig, clock: Clock | None = None) -> None:
        config.validate()
        self.config = config
        self.lock = config.lock
        self.clock: Clock = clock or config.lock.client.clock
        self.observed_record: LeaderElectionRecord | None = None
        self.observed_time = 0.0
        self._reported_leader = ""
        self._random = random.Random(self.lock.identity)
        self._stop: asyncio.Future[None] | None = None
        self._stopping = False

    # -- state -------------------------------------------------------------------------
    @property
    def identity(self) -> str:
        return self.lock.identity

    def is_leader(self) -> bool:
        return (
            self.observed_record is not None
            and self.observed_record.holder_identity == self.identity
        )

    def get_leader(self) -> str:
        """The last holder this elector observed."""
        return self.observed_record.holder_identity if self.observed_record else ""

    # -- Run -----------------------------------------------------------------------------
    async def run(self) -> None:
        """Acquire, lead while renewals succeed, then return (``Run``).

        Unlike upstream, ``on_stopped_leading`` is only called if this
        elector did lead (upstream also calls it when it never acquired)."""
        self._stop = asyncio.get_running_loop().create_future()
        if self._stopping:
            return
        if not await self._acquire():
            return
        work = self._start_leading()
        try:
            await self._renew()
        finally:
            if self.config.release_on_cancel:
                self.release()
            await _cancel(work)
            _safe(self.config.callbacks.on_stopped_leading)

    def stop(self) -> None:
        """Stop contending or leading (upstream cancels Run's context)."""
        self._stopping = True
        if self._stop is not None and not self._stop.done():
            self._stop.set_result(None)

    def _start_leading(self) -> asyncio.Task[Any] | None:
        callback = self.config.callbacks.on_started_leading
        if callback is None:
            return None
        if inspect.iscoroutinefunction(callback):
            return asyncio.get_running_loop().create_task(callback())
        _safe(callback)
        return None

    async def _acquire(self) -> bool:
        """Try every ``retry_period`` (jittered) until the lease is ours."""
        logger.info("attempting to acquire leader lease %s...", self.lock.describe())
        while not self._stopping:
            acquired = self.try_acquire_or_renew()
            self._maybe_report_transition()
            if acquired:
                logger.info("successfully acquired lease %s", self.lock.describe())
                return True
            period = self.config.retry_period
            if not await self._sleep(period + self._random.random() * JITTER_FACTOR * period):
                break
        return False

    async def _renew(self) -> None:
        """Renew every ``retry_period``; give up once a renewal has not
        succeeded within ``renew_deadline``."""
        cfg = self.config
        while not self._stopping:
            deadline = self.clock.monotonic() + cfg.renew_deadline
            renewed = self.try_acquire_or_renew()
            while not renewed and not self._stopping:
                left = deadline - self.clock.monotonic()
                if left <= 0:
                    break
                if not await self._sleep(min(cfg.retry_period, left)):
                    return
                if self.clock.monotonic() < deadline:
                    renewed = self.try_acquire_or_renew()
            self._maybe_report_transition()
            if not renewed:
                logger.info("failed to renew lease %s: timed out", self.lock.describe())
                return
            if not await self._sleep(cfg.retry_period):
                return

    # -- one attempt -------------------------------------------------------------------------
    def try_acquire_or_renew(self) -> bool:
        """Take or renew the lease if it is free, ours, or expired."""
        stamp = self.clock.rfc3339_micro()
        record = LeaderElectionRecord(self.identity, int(self.config.lease_duration), stamp, stamp)
        if self.is_leader() and self._lease_valid():
            # Fast path: assume the record we last wrote is still current.
            old = self.observed_record
            record.acquire_time, record.leader_transitions = (
                old.acquire_time,
                old.leader_transitions,
            )
            if self._write(self.lock.update, record):
                return True
        try:
            old = self.lock.get()
        except StatusError as err:
            if err.code != 404:
                logger.warning("error retrieving lease lock %s: %s", self.lock.describe(), err)
                return False
            return self._write(self.lock.create, record)
        except Exception as err:
            logger.warning("error retrieving lease lock %s: %s", self.lock.describe(), err)
            return False
        if old != self.observed_record:
            self._observe(old)
        if old.holder_identity and self._lease_valid() and not self.is_leader():
            logger.debug("lock is held by %s and has not yet expired", old.holder_identity)
            return False
        if self.is_leader():
            record.acquire_time, record.leader_transitions = (
                old.acquire_time,
                old.leader_transitions,
            )
        else:
            record.leader_transitions = old.leader_transitions + 1
        return self._write(self.lock.update, record)

    def release(self) -> bool:
        """Give the lease up (holder "", 1s duration) so a successor need not wait."""
        try:
            old = self.lock.get()
        except Exception as err:
            logger.warning("failed to get lease %s to release it: %s", self.lock.describe(), err)
            return False
        self._observe(old)
        if not self.is_leader():
            return True
        stamp = self.clock.rfc3339_micro()
        record = LeaderElectionRecord("", 1, stamp, stamp, old.leader_transitions)
        return self._write(self.lock.update, record)

    def _write(
        self, verb: Callable[[LeaderElectionRecord], None], record: LeaderElectionRecord
    ) -> bool:
        try:
            verb(record)
        except Exception as err:
            logger.info("failed to write lease %s: %s", self.lock.describe(), err)
            return False
        self._observe(record)
        return True

    def _observe(self, record: LeaderElectionRecord) -> None:
        self.observed_record = record
        self.observed_time = self.clock.monotonic()

    def _lease_valid(self) -> bool:
        record = self.observed_record
        duration = record.lease_duration_seconds if record else 0
        return self.observed_time + duration > self.clock.monotonic()

    def _maybe_report_transition(self) -> None:
        leader = self.get_leader()
        if leader == self._reported_leader:
            return
        self._reported_leader = leader
        callback = self.config.callbacks.on_new_leader
        if callback is not None:
            _safe(callback, leader)

    async def _sleep(self, delay: float) -> bool:
        """Sleep on the clock; False if :meth:`stop` was called meanwhile."""
        if self._stopping:
            return False
        await asyncio.wait({self._stop}, timeout=delay)
        return not self._stopping


def _safe(fn: Callable[..., Any] | None, *args: Any) -> None:
    if fn is None:
        return
    try:
        fn(*args)
    except Exception:
        logger.exception("leader election callback %r failed", fn)


async def _cancel(task: asyncio.Task[Any] | None) -> None:
    """Cancel the leading work and collect its outcome (logging a failure)."""
    if task is None:
        return
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    except Exception:
        logger.exception("on_started_leading failed")
