"""client-go's default rate limiters, on the virtual clock."""

from __future__ import annotations

import pytest

from engine.clock import VirtualClock
from engine.runtime.ratelimiter import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    ItemFastSlowRateLimiter,
    MaxOfRateLimiter,
    default_controller_rate_limiter,
)


def test_exponential_doubles_from_base_to_max() -> None:
    limiter = ItemExponentialFailureRateLimiter(0.005, 1000)
    delays = [limiter.when("k") for _ in range(20)]
    assert delays[:4] == [0.005, 0.01, 0.02, 0.04]
    assert delays[-1] == 1000
    assert max(delays) == 1000
    assert limiter.num_requeues("k") == 20
    limiter.forget("k")
    assert limiter.when("k") == 0.005


def test_exponential_survives_huge_failure_counts() -> None:
    limiter = ItemExponentialFailureRateLimiter(0.005, 1000)
    for _ in range(2000):
        delay = limiter.when("k")
    assert delay == 1000


def test_fast_slow() -> None:
    limiter = ItemFastSlowRateLimiter(0.1, 10, 2)
    assert [limiter.when("k") for _ in range(4)] == [0.1, 0.1, 10, 10]


def test_bucket_allows_burst_then_spaces_at_qps(clock: VirtualClock) -> None:
    limiter = BucketRateLimiter(clock, qps=10, burst=100)
    burst = [limiter.when(i) for i in range(100)]
    assert burst == [0] * 100
    assert limiter.when("a") == pytest.approx(0.1)
    assert limiter.when("b") == pytest.approx(0.2)


def test_bucket_refills_with_time(clock: VirtualClock) -> None:
    limiter = BucketRateLimiter(clock, qps=10, burst=100)
    for i in range(100):
        limiter.when(i)
    clock.loop.run_until_complete(clock.sleep(1))  # ten tokens back
    assert [limiter.when(i) for i in range(10)] == [0] * 10
    assert limiter.when("x") == pytest.approx(0.1)


def test_max_of_takes_the_longest(clock: VirtualClock) -> None:
    limiter = MaxOfRateLimiter(
        ItemExponentialFailureRateLimiter(1, 100), ItemFastSlowRateLimiter(5, 50, 1)
    )
    assert limiter.when("k") == 5
    assert limiter.when("k") == 50
    assert limiter.num_requeues("k") == 2
    limiter.forget("k")
    assert limiter.num_requeues("k") == 0


def test_default_controller_rate_limiter(clock: VirtualClock) -> None:
    limiter = default_controller_rate_limiter(clock)
    assert [limiter.when("k") for _ in range(3)] == [0.005, 0.01, 0.02]
    # 200 distinct keys failing at once: the bucket spaces the tail at 10 qps.
    delays = [limiter.when(f"key-{i}") for i in range(200)]
    assert delays[0] == 0.005
    assert delays[-1] == pytest.approx(10.3)
