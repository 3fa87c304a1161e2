"""Helpers shared by the benchmarks: repeated timing and the result table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def repeat(fn: Callable[[], float], times: int) -> float:
    """Median of ``times`` runs of ``fn`` (each returns its own figure)."""
    return statistics.median(fn() for _ in range(times))


def rate(count: int, fn: Callable[[], Any]) -> float:
    """Operations per second for ``count`` operations done by ``fn``."""
    start = time.perf_counter()
    fn()
    return count / (time.perf_counter() - start)


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def row(name: str, median: float, unit: str, baseline: float | None = None,
        higher_is_better: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "median": median, "unit": unit}
    if baseline:
        out["baseline"] = baseline
        out["ratio"] = median / baseline
    return out


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'benchmark':58} {'median':>14} {'unit':10} {'baseline':>14} {'ratio':>8}")
    for r in rows:
        base = f"{r['baseline']:14.4g}" if "baseline" in r else " " * 14
        ratio = f"{r['ratio']:8.3f}" if "ratio" in r else ""
        print(f"{r['name']:58} {r['median']:14.4g} {r['unit']:10} {base} {ratio}")
