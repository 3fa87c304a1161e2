"""Store benchmarks: put throughput (memory, durable, group commit), watch fan-out.

Run as ``python benchmarks/store_bench.py [--quick]`` or through
``python -m benchmarks store_bench``. Every figure is the median of several
repetitions; each row's baseline is measured in the same run:

* in-memory puts vs a plain ``dict`` assignment loop (the floor for any
  Python store);
* fsynced puts vs a raw ``os.write`` + ``fdatasync`` per record on the same
  disk (the floor without group commit); with several writer threads the
  ratio shows what group commit buys;
* watch fan-out: time per event for a put delivered to N list-appending
  watchers vs calling the same N callbacks in a bare loop.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from engine.store import Store

VALUE = b"x" * 200  # about a small encoded object
Row = dict[str, Any]


def _median(fn: Callable[[], float], reps: int) -> float:
    return statistics.median(fn() for _ in range(reps))


def _row(name: str, median: float, unit: str, baseline: float | None = None) -> Row:
    out: Row = {"name": name, "median": median, "unit": unit}
    if baseline:
        out["baseline"] = baseline
        out["ratio"] = median / baseline
    return out


def _keys(n: int) -> list[str]:
    return [f"/registry/pods/default/pod-{i % 5000}" for i in range(n)]


# -- puts ---------------------------------------------------------------------


def dict_puts(n: int) -> float:
    d: dict[str, bytes] = {}
    keys = _keys(n)
    start = time.perf_counter()
    for key in keys:
        d[key] = VALUE
    return n / (time.perf_counter() - start)


def memory_puts(n: int, watchers: int = 0) -> float:
    store = Store()
    for _ in range(watchers):
        store.watch("/registry/", lambda events: None)
    keys = _keys(n)
    put = store.put
    start = time.perf_counter()
    for key in keys:
        put(key, VALUE)
    return n / (time.perf_counter() - start)


def memory_cas_updates(n: int) -> float:
    store = Store()
    kv = store.create("/registry/pods/default/pod", VALUE)
    start = time.perf_counter()
    for _ in range(n):
        kv = store.update(kv.key, VALUE, kv.mod_revision)
    return n / (time.perf_counter() - start)


def durable_puts(n: int, threads: int, *, fsync: bool) -> float:
    tmp = tempfile.mkdtemp(prefix="store-bench-")
    try:
        store = Store(tmp, fsync=fsync)
        keys = _keys(n)
        per = n // threads

        def work(part: list[str]) -> None:
            for key in part:
                store.put(key, VALUE)

        workers = [
            threading.Thread(target=work, args=(keys[i * per : (i + 1) * per],))
            for i in range(threads)
        ]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - start
        store.close()
        return per * threads / elapsed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def raw_fsync_writes(n: int) -> float:
    """One ``write`` + ``fdatasync`` per record: a WAL with no group commit."""
    tmp = tempfile.mkdtemp(prefix="store-bench-")
    sync = getattr(os, "fdatasync", os.fsync)
    try:
        fd = os.open(os.path.join(tmp, "raw.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        record = b"\x00" * (len(VALUE) + 60)
        start = time.perf_counter()
        for _ in range(n):
            os.write(fd, record)
            sync(fd)
        elapsed = time.perf_counter() - start
        os.close(fd)
        return n / elapsed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- watch fan-out --------------------------------------------------------------


def watch_fanout(watchers: int, events: int) -> float:
    """Microseconds per event to deliver it to ``watchers`` appending callbacks."""
    store = Store()
    sinks: list[list] = [[] for _ in range(watchers)]
    for sink in sinks:
        store.watch("/registry/pods/", sink.append)
    start = time.perf_counter()
    for i in range(events):
        store.put(f"/registry/pods/default/p{i % 100}", VALUE)
    elapsed = time.perf_counter() - start
    assert all(len(s) == events for s in sinks)
    return elapsed / events * 1e6


def bare_fanout(watchers: int, events: int) -> float:
    """The same callbacks called in a plain loop, per event, in microseconds."""
    sinks: list[list] = [[] for _ in range(watchers)]
    callbacks = [s.append for s in sinks]
    batch = [object()]
    start = time.perf_counter()
    for _ in range(events):
        for cb in callbacks:
            cb(batch)
    return (time.perf_counter() - start) / events * 1e6


# -- recovery ---------------------------------------------------------------------


def reopen_seconds(n: int) -> float:
    """Seconds to open a directory holding ``n`` writes (snapshot + WAL replay)."""
    tmp = tempfile.mkdtemp(prefix="store-bench-")
    try:
        with Store(tmp, fsync=False) as store:
            for key in _keys(n):
                store.put(key, VALUE)
        start = time.perf_counter()
        Store(tmp, fsync=False).close()
        return time.perf_counter() - start
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(quick: bool = False) -> list[Row]:
    reps = 3 if quick else 5
    n = 20_000 if quick else 100_000
    n_sync = 300 if quick else 2_000
    rows: list[Row] = []
    base = _median(lambda: dict_puts(n), reps)
    rows.append(_row("store put, in memory", _median(lambda: memory_puts(n), reps), "ops/s", base))
    rows.append(
        _row(
            "store put, in memory, 1 watcher",
            _median(lambda: memory_puts(n, watchers=1), reps),
            "ops/s",
            base,
        )
    )
    rows.append(
        _row(
            "store CAS update, in memory",
            _median(lambda: memory_cas_updates(n), reps),
            "ops/s",
            base,
        )
    )
    rows.append(
        _row(
            "store put, WAL without fsync",
            _median(lambda: durable_puts(n // 2, 1, fsync=False), reps),
            "ops/s",
            base,
        )
    )
    raw = _median(lambda: raw_fsync_writes(n_sync), reps)
    for threads in (1, 4, 16):
        rows.append(
            _row(
                f"store put, fsync, {threads} writer thread(s)",
                _median(lambda t=threads: durable_puts(n_sync, t, fsync=True), reps),
                "ops/s",
                raw,
            )
        )
    events = 2_000 if quick else 10_000
    for watchers in (1, 100, 1000):
        count = max(200, events // max(1, watchers // 10))
        rows.append(
            _row(
                f"watch fan-out: put + deliver to {watchers} watcher(s)",
                _median(lambda w=watchers, c=count: watch_fanout(w, c), reps),
                "us/event",
                _median(lambda w=watchers, c=count: bare_fanout(w, c), reps),
            )
        )
    rows.append(_row(f"reopen after {n} writes", _median(lambda: reopen_seconds(n), 3), "s"))
    return rows


def print_table(rows: list[Row]) -> None:
    print(f"{'benchmark':50} {'median':>12} {'unit':9} {'baseline':>12} {'ratio':>7}")
    for r in rows:
        base = f"{r['baseline']:12.4g}" if "baseline" in r else " " * 12
        ratio = f"{r['ratio']:7.3f}" if "ratio" in r else ""
        print(f"{r['name']:50} {r['median']:12.4g} {r['unit']:9} {base} {ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller, faster runs")
    print_table(run(quick=parser.parse_args().quick))


if __name__ == "__main__":
    main()
