"""Per-item rate limiters for work queues.

Upstream: k8s.io/client-go ``util/workqueue/default_rate_limiters.go``. A rate
limiter answers "how long should this item wait before it is retried?"; the
controller calls ``when`` each time a reconcile fails and ``forget`` once it
succeeds, so backoff is per key and resets on success.

The token bucket follows ``golang.org/x/time/rate`` (``Reserve().Delay()``),
reading time from the engine clock so backoff is deterministic on a
:class:`~engine.clock.VirtualClock`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Protocol

from engine.clock import Clock


class RateLimiter(Protocol):
    """``workqueue.TypedRateLimiter``."""

    def when(self, item: Hashable) -> float:
        """Seconds ``item`` should wait before it is processed again."""
        ...

    def forget(self, item: Hashable) -> None:
        """Stop tracking ``item`` (it was processed successfully)."""
        ...

    def num_requeues(self, item: Hashable) -> int:
        """How many times ``item`` has failed since it was last forgotten."""
        ...


class ItemExponentialFailureRateLimiter:
    """``base * 2**failures`` per item, capped at ``max_delay``."""

    def __init__(self, base_delay: float, max_delay: float) -> None:
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._failures: dict[Hashable, int] = {}

    def when(self, item: Hashable) -> float:
        exp = self._failures.get(item, 0)
        self._failures[item] = exp + 1
        # Upstream guards the float overflow the same way: past 2**62 it is max.
        if exp > 62:
            return self.max_delay
        return min(self.base_delay * (2**exp), self.max_delay)

    def forget(self, item: Hashable) -> None:
        self._failures.pop(item, None)

    def num_requeues(self, item: Hashable) -> int:
        return self._failures.get(item, 0)


class ItemFastSlowRateLimiter:
    """``fast_delay`` for the first ``max_fast_attempts`` failures, then ``slow_delay``."""

    def __init__(self, fast_delay: float, slow_delay: float, max_fast_attempts: int) -> None:
        self.fast_delay = fast_delay
        self.slow_delay = slow_delay
        self.max_fast_attempts = max_fast_attempts
        self._failures: dict[Hashable, int] = {}

    def when(self, item: Hashable) -> float:
        count = self._failures.get(item, 0) + 1
        self._failures[item] = count
        return self.fast_delay if count <= self.max_fast_attempts else self.slow_delay

    def forget(self, item: Hashable) -> None:
        self._failures.pop(item, None)

    def num_requeues(self, item: Hashable) -> int:
        return self._failures.get(item, 0)


class BucketRateLimiter:
    """An overall token bucket (``qps`` refill, ``burst`` capacity) shared by
    all items: bounds the retry rate of the whole queue, not of one key.

    Each ``when`` reserves one token; when the bucket is empty the reservation
    goes into debt and the delay is how long until it is paid back, exactly as
    ``rate.Limiter.Reserve`` does.
    """

    def __init__(self, clock: Clock, qps: float, burst: int) -> None:
        self.clock = clock
        self.qps = qps
        self.burst = burst
        self._tokens = float(burst)
        self._last: float | None = None

    def when(self, item: Hashable) -> float:
        now = self.clock.monotonic()
        if self._last is not None and now > self._last:
            self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.qps)
        self._last = now if self._last is None else max(now, self._last)
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.qps

    def forget(self, item: Hashable) -> None:
        """The bucket is not per item: nothing to forget."""

    def num_requeues(self, item: Hashable) -> int:
        return 0


class MaxOfRateLimiter:
    """The longest delay of several limiters (``NewMaxOfRateLimiter``)."""

    def __init__(self, *limiters: RateLimiter) -> None:
        self.limiters = limiters

    def when(self, item: Hashable) -> float:
        return max(limiter.when(item) for limiter in self.limiters)

    def forget(self, item: Hashable) -> None:
        for limiter in self.limiters:
            limiter.forget(item)

    def num_requeues(self, item: Hashable) -> int:
        return max(limiter.num_requeues(item) for limiter in self.limiters)


def default_controller_rate_limiter(clock: Clock) -> MaxOfRateLimiter:
    """``DefaultTypedControllerRateLimiter``: per-item exponential backoff from
    5ms to 1000s, and an overall 10 qps / burst 100 bucket so a storm of
    failures cannot hot-loop the controller."""
    return MaxOfRateLimiter(
        ItemExponentialFailureRateLimiter(0.005, 1000.0),
        BucketRateLimiter(clock, qps=10.0, burst=100),
    )
