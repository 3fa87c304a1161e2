"""Bytes the API server keeps (stored values, memo entries) take their own
size, not orjson's whole output buffer (4-16 KiB behind a pod's 1.5 KiB)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

import orjson

from engine.api import meta
from engine.api.memo import LRU

POD = {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "web", "labels": {"app": "web"}},
       "spec": {"containers": [{"name": "app", "image": "nginx:1.14.2", "args": ["x" * 1300]}]}}


def _bytes_per_item(make: Callable[[int], Any], n: int = 200) -> float:
    kept = []
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            kept.append(make(i))
        return (tracemalloc.get_traced_memory()[0] - before) / n
    finally:
        tracemalloc.stop()


def test_a_stored_value_takes_its_own_size() -> None:
    size = len(meta.encode(POD))
    assert size > 1400
    assert _bytes_per_item(lambda i: meta.encode(POD)) < size + 200
    assert meta.encode(POD) == orjson.dumps(POD)


def test_memo_entries_keep_their_own_size() -> None:
    table = LRU(1000)
    spec = orjson.dumps(POD["spec"])

    def put(i: int) -> None:
        table.put((orjson.dumps({**POD["spec"], "n": i}), "web"), orjson.dumps(i))

    assert _bytes_per_item(put) < 2 * len(spec) + 400
    table.put(spec, b"v")
    assert table.get(orjson.dumps(POD["spec"])) == b"v"
