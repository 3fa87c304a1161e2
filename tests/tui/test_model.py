"""The table model: keyed rows, incremental sort and filter, bulk loads, reverse."""

from __future__ import annotations

import random

from k9py.model.filters import parse_filter
from k9py.model.table import TableModel
from k9py.model.watcher import Event
from k9py.render import renderer_for
from k9py.render.base import RenderContext


def pod(name: str, ns: str = "default", phase: str = "Running", restarts: int = 0) -> dict:
    return {"metadata": {"name": name, "namespace": ns, "uid": name,
                         "creationTimestamp": "2025-01-01T00:00:00Z", "labels": {"app": "x"}},
            "spec": {"containers": [{"name": "c"}], "nodeName": "n1"},
            "status": {"phase": phase, "containerStatuses": [
                {"name": "c", "ready": phase == "Running", "restartCount": restarts,
                 "state": {"running": {}} if phase == "Running" else {"waiting": {
                     "reason": "ContainerCreating"}}}]}}


def model_with(names: list[str]) -> TableModel:
    m = TableModel(renderer_for("Pod"), RenderContext())
    m.feed([Event("ADDED", pod(n)) for n in names] + [Event("SYNCED", {})])
    m.process(10)
    return m


def keys(m: TableModel) -> list[str]:
    return [m.key_at(i) for i in range(len(m))]


def test_rows_are_added_changed_and_removed_by_key() -> None:
    m = model_with(["b", "a", "c"])
    assert keys(m) == ["default/a", "default/b", "default/c"] and m.synced
    m.take_changes()
    m.feed([Event("MODIFIED", pod("b", phase="Pending")), Event("DELETED", pod("a")),
            Event("ADDED", pod("aa"))])
    m.process(10)
    assert keys(m) == ["default/aa", "default/b", "default/c"]
    assert m.rows["default/b"].cells[3] == "ContainerCreating"
    changed, resized = m.take_changes()
    assert changed == {"default/a", "default/aa", "default/b"} and resized


def test_events_for_one_key_coalesce_before_rendering() -> None:
    m = model_with(["a"])
    m.take_changes()
    m.feed([Event("MODIFIED", pod("a", restarts=i)) for i in range(100)])
    assert m.backlog == 1
    m.process(10)
    assert m.rows["default/a"].cells[4] == "99"


def test_sort_by_column_reverse_and_incremental_moves() -> None:
    m = model_with([f"p{i}" for i in range(20)])
    names = [c.name for c in m.columns]
    m.set_sort(names.index("RESTARTS"))
    m.feed([Event("MODIFIED", pod("p7", restarts=50)), Event("MODIFIED", pod("p3", restarts=9))])
    m.process(10)
    assert keys(m)[-2:] == ["default/p3", "default/p7"]
    m.set_sort(names.index("RESTARTS"), reverse=True)
    assert keys(m)[:2] == ["default/p7", "default/p3"]
    assert m.position("default/p7") == 0


def test_filters_regex_inverse_fuzzy_and_narrowing() -> None:
    m = model_with(["nginx-1", "nginx-2", "redis-1"])
    m.set_filter(parse_filter("nginx").predicate())
    assert keys(m) == ["default/nginx-1", "default/nginx-2"]
    f1, f2 = parse_filter("nginx"), parse_filter("nginx-2")
    assert f2.narrows(f1)
    m.set_filter(f2.predicate(), narrow=True)
    assert keys(m) == ["default/nginx-2"]
    m.set_filter(parse_filter("!nginx").predicate())
    assert keys(m) == ["default/redis-1"]
    m.set_filter(parse_filter("-f rds").predicate())
    assert keys(m) == ["default/redis-1"]
    m.set_filter(parse_filter("[bad").predicate())  # invalid regex: matched literally
    assert keys(m) == [] and parse_filter("[bad").error
    assert parse_filter("-l app=x").mode == "labels"
    m.set_filter(parse_filter("nginx").predicate())
    m.feed([Event("ADDED", pod("nginx-0")), Event("ADDED", pod("zzz"))])
    m.process(10)
    assert keys(m) == ["default/nginx-0", "default/nginx-1", "default/nginx-2"]


def test_bulk_load_sorts_once_and_matches_incremental_order() -> None:
    names = [f"pod-{i:05d}" for i in range(5000)]
    random.Random(1).shuffle(names)
    m = model_with(names)
    assert keys(m) == sorted(f"default/{n}" for n in names)
    m.feed([Event("DELETED", pod(n)) for n in names[:100]])
    m.process(10)
    assert len(m) == 4900 and keys(m) == sorted(f"default/{n}" for n in names[100:])


def test_time_boxed_processing_leaves_a_backlog() -> None:
    m = TableModel(renderer_for("Pod"), RenderContext())
    m.feed([Event("ADDED", pod(f"p{i}")) for i in range(20000)])
    m.process(0.0001)
    assert m.backlog > 0
    while m.backlog:
        m.process(0.05)
    assert len(m) == 20000
