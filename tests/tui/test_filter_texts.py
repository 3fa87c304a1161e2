"""The filter scans texts kept aligned with the sorted keys (k9py.model.index):
after any mix of adds, updates (same or new sort key), deletes, sorts and
filters, the aligned texts are the rows' texts and the filtered keys are what
testing each row would give."""

from __future__ import annotations

import random

from k9py.model.filters import parse_filter
from k9py.model.table import TableModel
from k9py.model.watcher import Event
from k9py.render import renderer_for
from k9py.render.base import RenderContext


def _pod(i: int, phase: str, node: str) -> dict:
    return {"metadata": {"name": f"web-{i:03d}", "namespace": "ns",
                         "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]},
            "status": {"phase": phase}}


def _check(model: TableModel) -> None:
    index = model.index
    assert index.texts == [model.rows[k].text for k in index.ids]
    if model.filtered is not None:
        f = model.filtered
        assert f.texts is None or f.texts == [model.rows[k].text for k in f.ids]
        assert f.ids == [k for k in index.ids if model.predicate(model.rows[k])]


def test_aligned_texts_survive_churn_sorts_and_filters() -> None:
    rng = random.Random(7)
    model = TableModel(renderer_for("Pod"), RenderContext())
    model.feed([Event("ADDED", _pod(i, "Running", "a")) for i in range(300)])
    model.process(10)
    _check(model)
    current = parse_filter("")
    for _ in range(400):
        op = rng.random()
        if op < 0.5:
            i = rng.randrange(320)
            model.feed([Event("MODIFIED", _pod(i, rng.choice(["Running", "Pending", "Failed"]),
                                               rng.choice(["a", "b", "zeta"])))])
        elif op < 0.6:
            model.feed([Event("DELETED", _pod(rng.randrange(320), "Running", "a"))])
        elif op < 0.8:
            new = parse_filter(rng.choice(["", "pend", "pending", "zeta", "web-0", "web-01",
                                           "!zeta", "fail|pend", "-f w1"]))
            model.set_filter(new.predicate(), narrow=new.narrows(current))  # as the view
            current = new
        else:
            model.set_sort(rng.choice([1, 3, 5, 8]), reverse=rng.random() < 0.5)
        model.process(10)
        _check(model)
