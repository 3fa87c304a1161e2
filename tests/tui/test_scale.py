"""Scale: the model and the table at 100,000 rows (slow: ``make test-slow``)."""

from __future__ import annotations

import time

import pytest

from k9py.model.filters import parse_filter
from k9py.model.table import TableModel
from k9py.model.watcher import Event
from k9py.render import renderer_for
from k9py.render.base import RenderContext

pytestmark = pytest.mark.slow
N = 100_000


def pod(i: int, restarts: int = 0) -> dict:
    return {"metadata": {"name": f"web-{i:06d}", "namespace": "bench", "uid": str(i),
                         "creationTimestamp": "2025-01-01T00:00:00Z", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c"}], "nodeName": f"n{i % 7}"},
            "status": {"phase": "Running", "podIP": f"10.0.{i % 250}.{i % 200}",
                       "containerStatuses": [{"name": "c", "ready": True,
                                              "restartCount": restarts,
                                              "state": {"running": {}}}]}}


def test_hundred_thousand_rows_change_filter_and_sort_within_bounds() -> None:
    model = TableModel(renderer_for("Pod"), RenderContext())
    model.feed([Event("ADDED", pod(i)) for i in range(N)] + [Event("SYNCED", {})])
    start = time.perf_counter()
    while model.backlog:
        model.process(0.05)
    load = time.perf_counter() - start
    assert len(model) == N and load < 10
    # churn: 1,000 changed pods apply in well under a frame's worth of ticks
    model.feed([Event("MODIFIED", pod(i * 97 % N, restarts=3)) for i in range(1000)])
    start = time.perf_counter()
    model.process(1.0)
    assert time.perf_counter() - start < 0.2 and not model.backlog
    for text, expected in (("web-0999", 100), ("web-09999", 10), ("!web", 0), ("n[0-3]", None)):
        start = time.perf_counter()
        model.set_filter(parse_filter(text).predicate())
        took = time.perf_counter() - start
        assert (expected is None or len(model) == expected) and took < 0.5, (text, took)
    model.set_filter(None)
    names = [c.name for c in model.columns]
    start = time.perf_counter()
    model.set_sort(names.index("RESTARTS"), reverse=True)
    assert time.perf_counter() - start < 3
    assert model.rows[model.key_at(0)].cells[4] == "3"
