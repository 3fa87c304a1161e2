"""The why-Pending view: the scheduler's record when present, else an estimate;
once the pod is bound, Scheduled on its node with the winner marked."""

from __future__ import annotations

import json
from typing import Any

from textual.pilot import Pilot

from k9py.app import K9pyApp
from k9py.client import MERGE_PATCH
from k9py.config import Config
from k9py.scheduling import EXPLANATION, explain
from k9py.views.scheduling import SchedulingView
from tests.tui.conftest import drive
from tests.tui.helpers import open_on, screen_text, wait_for


def node(name: str, **spec: object) -> dict:
    return {"metadata": {"name": name, "labels": {"disk": "hdd"}}, "spec": dict(spec),
            "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}


def pod(**spec: object) -> dict:
    return {"metadata": {"name": "p", "uid": "u"}, "spec": {
        "containers": [{"name": "c", "resources": {"requests": {"cpu": "500m"}}}], **spec},
        "status": {"phase": "Pending", "conditions": [{
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
            "message": "0/3 nodes are available"}]}}


def test_estimate_names_the_first_rejecting_filter_in_scheduler_order() -> None:
    nodes = [node("cp", taints=[{"key": "node-role.kubernetes.io/control-plane",
                                 "effect": "NoSchedule"}]),
             node("cordoned", unschedulable=True), node("small"), node("ok")]
    busy = {"metadata": {"name": "hog", "uid": "h"}, "spec": {"nodeName": "small", "containers": [
        {"name": "c", "resources": {"requests": {"cpu": "1800m"}}}]}, "status": {}}
    ex = explain(pod(), nodes, [busy], [{"reason": "FailedScheduling", "message": "x"}])
    verdicts = {v.node: (v.fits, v.filter) for v in ex.verdicts}
    assert verdicts == {"cp": (False, "TaintToleration"),
                        "cordoned": (False, "NodeUnschedulable"),
                        "small": (False, "NodeResourcesFit"), "ok": (True, "")}
    assert ex.source == "estimate" and ex.summary == "0/3 nodes are available"
    assert ex.events == ["x"]
    assert explain(pod(nodeSelector={"disk": "ssd"}), [node("ok")], [], []).verdicts[
        0].filter == "NodeAffinity"


def test_the_schedulers_record_wins() -> None:
    """The record in the compact form engine/scheduler writes on the pod."""
    record = {"v": 1, "result": "Scheduled", "selectedNode": "b",
              "filter": {"reasons": {}, "rejected": {
                  "a": ["TaintToleration", "UnschedulableAndUnresolvable",
                        "node(s) had untolerated taint {dedicated: gpu}"]}},
              "score": {"plugins": ["TaintToleration", "NodeResourcesFit"], "weights": [3, 1],
                        "skipped": [], "nodes": [["b", 380, 0, 100, 80, 80]],
                        "nodesNotShown": 0}}
    p = pod()
    p["metadata"]["annotations"] = {EXPLANATION: json.dumps(record)}
    ex = explain(p, [node("a"), node("b")], [], [])
    assert ex.source == "scheduler" and ex.selected == "b"
    assert [(v.node, v.fits, v.filter, v.total) for v in ex.verdicts] == [
        ("a", False, "TaintToleration", None), ("b", True, "", 380)]
    assert ex.verdicts[0].reason == "node(s) had untolerated taint {dedicated: gpu}"
    assert ex.verdicts[1].scores == {"TaintToleration": 300, "NodeResourcesFit": 80}


def test_record_written_by_the_real_scheduler_is_read(cluster) -> None:  # noqa: ANN001
    cluster.client.create("pods", {"metadata": {"name": "placed"}, "spec": {
        "containers": [{"name": "c", "image": "nginx"}]}}, namespace="default")
    cluster.advance(3)
    placed = cluster.client.get("pods", "placed", "default")
    ex = explain(placed, cluster.client.list("nodes")["items"], [], [])
    assert ex.source == "scheduler"
    assert ex.selected == placed["spec"]["nodeName"]
    rejected = {v.node: v.filter for v in ex.verdicts if not v.fits}
    assert rejected == {"k9py-control-plane": "TaintToleration"}


def test_a_bound_pod_with_an_older_record_is_shown_scheduled() -> None:
    """Bound by someone else after a failed attempt: the record's rejection of the
    node no longer stands; the node is marked the winner, the summary says so."""
    record = {"v": 1, "attempt": 4, "result": "Unschedulable", "message": "0/2 nodes",
              "filter": {"reasons": {}, "rejected": {
                  "a": ["NodeAffinity", "UnschedulableAndUnresolvable", "no match"],
                  "b": ["NodeAffinity", "UnschedulableAndUnresolvable", "no match"]}}}
    p = pod(nodeName="b")
    p["metadata"]["annotations"] = {EXPLANATION: json.dumps(record)}
    p["status"]["conditions"] = [{"type": "PodScheduled", "status": "True",
                                  "lastTransitionTime": "2025-01-01T00:01:00Z"}]
    ex = explain(p, [node("a"), node("b")], [], [{"reason": "FailedScheduling",
                                                  "message": "0/2 nodes"}])
    assert ex.summary.startswith("Scheduled on b (the explanation record is of attempt 4")
    assert ex.scheduled_at == "2025-01-01T00:01:00Z"
    winner = ex.winner()
    assert winner is not None and (winner.node, winner.fits, winner.filter) == ("b", True, "")
    assert "bound here after attempt 4" in winner.reason
    assert [v.node for v in ex.verdicts if not v.fits] == ["a"]
    estimate = explain(pod(nodeName="a"), [node("a"), node("b")], [], [])
    assert estimate.summary == "Scheduled on a" and estimate.winner().node == "a"


AFFINITY = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
    "nodeSelectorTerms": [{"matchExpressions": [
        {"key": "zone", "operator": "In", "values": ["foo"]}]}]}}}


def pending_pod(name: str) -> dict:
    return {"metadata": {"name": name}, "spec": {
        "affinity": AFFINITY, "containers": [{"name": "c", "image": "nginx"}]}}


def label(cluster: Any, node_name: str) -> None:
    cluster.client.patch("nodes", node_name, {"metadata": {"labels": {"zone": "foo"}}},
                         MERGE_PATCH)


async def open_why(pilot: Pilot, app: K9pyApp, pod_name: str) -> None:
    """``w`` on the pod: the scheduling view showing the rejections."""
    await open_on(pilot, app, f"default/{pod_name}")
    await pilot.press("w")
    await wait_for(pilot, lambda: isinstance(app.top, SchedulingView)
                   and "NodeAffinity" in screen_text(app), what="scheduling view")
    text = screen_text(app)
    assert "Status: Pending" in text and "rejected" in text
    assert "Scheduler: 0/3 nodes are available" in text
    assert "explanation record of attempt" in text and "(Unschedulable" in text


def row_of(text: str, node_name: str) -> str:
    """The table row of a node (its first cell is the node's name)."""
    return next(line for line in text.splitlines()
                if line.strip("│ ").split(" ", 1)[0] == node_name)


def test_view_follows_the_pod_to_its_node_unscored(cluster: Any) -> None:
    """The only feasible node after a label: the scheduler binds without scoring;
    the view (reloading by itself) says Scheduled and keeps the winner's row."""
    cluster.client.create("pods", pending_pod("picky"), namespace="default")
    cluster.advance(3)

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await open_why(pilot, app, "picky")
        label(cluster, "k9py-worker")
        cluster.advance(3)
        assert cluster.client.get("pods", "picky", "default")["spec"]["nodeName"] == \
            "k9py-worker"
        await wait_for(pilot, lambda: "Scheduled on k9py-worker" in screen_text(app),
                       timeout=10, what="Scheduled on k9py-worker")
        text = screen_text(app)
        winner = row_of(text, "k9py-worker")
        assert "scheduled" in winner and "rejected" not in winner
        assert "the only feasible node: not scored" in winner
        assert "NodeAffinity" in row_of(text, "k9py-worker2")
        assert "Scheduler: 0/3" not in text and "Earlier FailedScheduling events:" in text
        assert "(Scheduled" in text and "PodScheduled=True since" in text
        assert app.internal_errors == []

    drive(cluster, steps, command="pods default", config=Config(refresh_rate=0.2))


def test_view_shows_the_winners_scores(cluster: Any) -> None:
    """Two feasible nodes: the winner's row carries its scores, marked scheduled.
    (Both labels land within the pod's backoff after its first attempt, so its
    next attempt sees two feasible nodes.)"""
    cluster.advance(3)
    cluster.client.create("pods", pending_pod("scored"), namespace="default")
    cluster.settle()

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await open_why(pilot, app, "scored")
        label(cluster, "k9py-worker")
        label(cluster, "k9py-worker2")
        cluster.advance(3)
        bound = cluster.client.get("pods", "scored", "default")["spec"]["nodeName"]
        other = "k9py-worker2" if bound == "k9py-worker" else "k9py-worker"
        await wait_for(pilot, lambda: f"Scheduled on {bound}" in screen_text(app),
                       timeout=10, what=f"Scheduled on {bound}")
        text = screen_text(app)
        winner = row_of(text, bound)
        assert "scheduled" in winner and "TaintToleration=" in winner
        assert "fits" in row_of(text, other)
        rows = text.splitlines()
        assert rows.index(winner) < rows.index(row_of(text, other))  # the winner first
        assert app.internal_errors == []

    drive(cluster, steps, command="pods default", config=Config(refresh_rate=0.2))
