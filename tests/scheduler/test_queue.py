"""The scheduling queue: backoff, unschedulable pods, gates, flushes."""

from __future__ import annotations

import math

from engine.clock import VirtualClock
from engine.cluster import Cluster
from engine.scheduler.framework.types import unresolvable
from engine.scheduler.queue import events as ev
from engine.scheduler.queue.scheduling_queue import SchedulingQueue
from tests.scheduler.helpers import create, events, node_of, pod


def _pod(name: str, priority: int = 0, **spec: object) -> dict:
    return {"metadata": {"name": name, "namespace": "default", "uid": name},
            "spec": {"priority": priority, "containers": [{"name": "c", "image": "x"}], **spec}}


def _queue(**kw: object) -> tuple[SchedulingQueue, VirtualClock]:
    clock = VirtualClock(horizon=math.inf)
    clock.new_event_loop()
    return SchedulingQueue(clock, **kw), clock  # type: ignore[arg-type]


def test_active_queue_orders_by_priority_then_time() -> None:
    q, clock = _queue()
    q.add(_pod("a", 0))
    clock._now += 1
    q.add(_pod("b", 10))
    clock._now += 1
    q.add(_pod("c", 0))
    assert [q.pop_nowait().key for _ in range(3)] == ["default/b", "default/a", "default/c"]


def test_backoff_doubles_to_ten_seconds() -> None:
    q, _ = _queue()
    q.add(_pod("a"))
    qpi = q.pop_nowait()
    durations = []
    for attempts in range(1, 7):
        qpi.attempts = attempts
        durations.append(q.backoff_duration(qpi))
    assert durations == [1, 2, 4, 8, 10, 10]


def test_failure_without_plugin_goes_to_backoff_then_active() -> None:
    q, clock = _queue()
    q.add(_pod("a"))
    qpi = q.pop_nowait()
    assert q.add_unschedulable_if_not_present(qpi) == "backoffQ"
    q.flush_backoff_completed()
    assert q.pop_nowait() is None
    clock._now += 1.0
    q.flush_backoff_completed()
    assert q.pop_nowait().key == "default/a"


def test_unschedulable_pod_moves_only_on_registered_event() -> None:
    hints = {ev.ClusterEvent(ev.NODE, ev.ADD): [("NodeResourcesFit", None)]}
    q, clock = _queue(hints=hints)
    q.add(_pod("a"))
    qpi = q.pop_nowait()
    qpi.unschedulable_plugins = {"NodeResourcesFit"}
    assert q.add_unschedulable_if_not_present(qpi) == "unschedulablePods"
    q.move_all_to_active_or_backoff(ev.ClusterEvent(ev.PVC, ev.ADD))
    assert "default/a" in q.unschedulable
    clock._now += 5
    q.move_all_to_active_or_backoff(ev.NODE_ADD)
    assert "default/a" in q.active


def test_leftover_flush_after_five_minutes() -> None:
    q, clock = _queue()
    q.add(_pod("a"))
    qpi = q.pop_nowait()
    qpi.unschedulable_plugins = {"X"}
    q.add_unschedulable_if_not_present(qpi)
    clock._now += 299
    q.flush_unschedulable_leftover()
    assert "default/a" in q.unschedulable
    clock._now += 2
    q.flush_unschedulable_leftover()
    assert "default/a" in q.active


def test_gated_pod_waits_until_gates_removed() -> None:
    def gate(pi):  # noqa: ANN001, ANN202
        gates = pi.pod["spec"].get("schedulingGates")
        return unresolvable("gated") if gates else None

    hints = {ev.ClusterEvent(ev.POD, ev.UPDATE_POD_SCHEDULING_GATES_ELIMINATED):
             [("SchedulingGates", None)]}
    q, _ = _queue(pre_enqueue=[("SchedulingGates", gate)], hints=hints)
    gated = _pod("g", schedulingGates=[{"name": "wait"}])
    q.add(gated)
    assert q.pop_nowait() is None and q.unschedulable["default/g"].gated
    q.update(gated, _pod("g"))
    assert q.pop_nowait().key == "default/g"


def test_scheduling_gates_end_to_end(cluster: Cluster) -> None:
    create(cluster, pod("gated", schedulingGates=[{"name": "example.com/wait"}]))
    cluster.advance(3)
    assert node_of(cluster, "gated") == ""
    assert not events(cluster, "gated", "FailedScheduling")
    cluster.client.patch("pods", "gated", {"spec": {"schedulingGates": None}},
                         "application/merge-patch+json", namespace="default")
    cluster.advance(2)
    assert node_of(cluster, "gated") != ""


def test_retries_follow_backoff(cluster: Cluster) -> None:
    create(cluster, pod("big", cpu="16"))
    cluster.advance(60)
    failed = events(cluster, "big", "FailedScheduling")
    # One attempt; later ones wait for an event or the 5-minute flush.
    assert failed[-1]["count"] == 1
    cluster.advance(300)
    assert events(cluster, "big", "FailedScheduling")[-1]["count"] == 2
    assert node_of(cluster, "big") == ""

