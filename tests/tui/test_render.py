"""Renderers: kubectl's STATUS logic, ages, columns per kind, status colours."""

from __future__ import annotations

import math

import pytest

from k9py.render import renderer_for
from k9py.render.base import (
    COMPLETED,
    CORDONED,
    ERROR,
    KILL,
    OK,
    PENDING,
    WARNING,
    RenderContext,
    human_duration,
)
from k9py.render.pod import phase_reason


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (119, "119s"), (120, "2m"), (125, "2m5s"), (600, "10m"), (3 * 3600 - 1, "179m"),
    (3 * 3600, "3h"), (5 * 3600 + 120, "5h2m"), (30 * 3600, "30h"), (50 * 3600, "2d2h"),
    (9 * 86400, "9d"), (800 * 86400, "2y70d"), (9 * 365 * 86400, "9y"), (math.nan, "<unknown>"),
])
def test_ages_are_kubectls_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def pod(phase: str = "Running", **status: object) -> dict:
    return {"metadata": {"name": "p", "namespace": "default",
                         "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}], "nodeName": "n1"},
            "status": {"phase": phase, **status}}


def cstatus(name: str, ready: bool, state: dict, restarts: int = 0) -> dict:
    return {"name": name, "ready": ready, "state": state, "restartCount": restarts}


def test_pod_status_follows_kubectl() -> None:
    running = {"running": {}}
    p = pod(containerStatuses=[cstatus("a", True, running), cstatus("b", True, running, 3)])
    row = renderer_for("Pod").row("default/p", p, RenderContext())
    assert row.cells[1:5] == ("p", "2/2", "Running", "3")
    assert row.status == OK
    crash = pod(containerStatuses=[cstatus("a", False, {"waiting": {
        "reason": "CrashLoopBackOff"}}), cstatus("b", True, running)])
    assert phase_reason(crash) == "CrashLoopBackOff"
    assert renderer_for("Pod").row("k", crash, RenderContext()).status == ERROR
    done = pod("Succeeded", containerStatuses=[cstatus("a", False, {"terminated": {
        "exitCode": 0, "reason": "Completed"}})])
    assert renderer_for("Pod").row("k", done, RenderContext()).status == COMPLETED
    half = pod(containerStatuses=[cstatus("a", True, running), cstatus("b", False, running)])
    assert renderer_for("Pod").row("k", half, RenderContext()).status == PENDING
    deleting = pod(containerStatuses=[cstatus("a", True, running)])
    deleting["metadata"]["deletionTimestamp"] = "2025-01-01T00:01:00Z"
    assert phase_reason(deleting) == "Terminating"
    assert renderer_for("Pod").row("k", deleting, RenderContext()).status == KILL
    init = pod("Pending")
    init["spec"]["initContainers"] = [{"name": "i"}]
    init["status"]["initContainerStatuses"] = [cstatus("i", False, {"running": {}})]
    assert phase_reason(init) == "Init:0/1"
    assert phase_reason(pod("Pending")) == "Pending"
    exit_code = pod(containerStatuses=[cstatus("a", False, {"terminated": {"exitCode": 2}})])
    assert phase_reason(exit_code) == "ExitCode:2"


def test_node_status_distinguishes_cordoned_from_not_ready() -> None:
    node = {"metadata": {"name": "n1", "labels": {"node-role.kubernetes.io/control-plane": ""}},
            "spec": {"taints": [{"key": "a", "effect": "NoSchedule"}]},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "nodeInfo": {"kubeletVersion": "v1.32.0"}}}
    ctx = RenderContext(pods_per_node=lambda n: 7)
    row = renderer_for("Node").row("n1", node, ctx)
    assert row.cells[:6] == ("n1", "Ready", "control-plane", "1", "v1.32.0", "7")
    assert row.status == OK
    node["spec"]["unschedulable"] = True
    row = renderer_for("Node").row("n1", node, ctx)
    assert row.cells[1] == "Ready,SchedulingDisabled" and row.status == CORDONED
    node["status"]["conditions"][0]["status"] = "False"
    assert renderer_for("Node").row("n1", node, ctx).status == ERROR
    # A silent kubelet leaves Ready Unknown: kubectl and k9s print NotReady.
    node["spec"]["unschedulable"] = False
    node["status"]["conditions"][0]["status"] = "Unknown"
    row = renderer_for("Node").row("n1", node, ctx)
    assert row.cells[1] == "NotReady" and row.status == ERROR
    node["status"]["conditions"] = []
    assert renderer_for("Node").row("n1", node, ctx).cells[1] == "Unknown"


def test_hpa_targets_show_the_measured_values() -> None:
    """kubectl's formatHPAMetrics: current/target from status.currentMetrics."""
    hpa = {"metadata": {"name": "web", "namespace": "default"},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
                    "minReplicas": 1, "maxReplicas": 8,
                    "metrics": [{"type": "Resource", "resource": {
                        "name": "cpu", "target": {"type": "Utilization",
                                                  "averageUtilization": 50}}},
                                {"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {
                                    "type": "AverageValue", "averageValue": "100"}}}]},
           "status": {"currentReplicas": 4}}
    render = renderer_for("HorizontalPodAutoscaler")
    assert render.row("web", hpa, RenderContext()).cells[3] == (
        "cpu: <unknown>/50%, <unknown>/100")
    hpa["status"]["currentMetrics"] = [
        {"type": "Resource", "resource": {"name": "cpu", "current": {
            "averageUtilization": 87, "averageValue": "435m"}}},
        {"type": "Pods", "pods": {"metric": {"name": "rps"},
                                  "current": {"averageValue": "120"}}}]
    assert render.row("web", hpa, RenderContext()).cells[3] == "cpu: 87%/50%, 120/100"


def test_workload_columns_are_upstreams() -> None:
    dep = {"metadata": {"name": "web", "namespace": "default"},
           "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
           "status": {"readyReplicas": 2, "updatedReplicas": 4, "availableReplicas": 2}}
    r = renderer_for("Deployment")
    names = [c.name for c in r.columns if not c.wide and not c.namespace]
    assert names == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    row = r.row("default/web", dep, RenderContext())
    assert row.cells[1:5] == ("web", "2/4", "4", "2")
    assert row.status == PENDING
    pod_names = [c.name for c in renderer_for("Pod").columns if not c.wide]
    # k9s's default pod and node columns with metrics (internal/render/pod.go, node.go).
    assert pod_names == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "CPU", "%CPU/R",
                         "%CPU/L", "MEM", "%MEM/R", "%MEM/L", "IP", "NODE", "AGE"]
    node_names = [c.name for c in renderer_for("Node").columns if not c.wide]
    assert node_names == ["NAME", "STATUS", "ROLES", "TAINTS", "VERSION", "PODS", "CPU", "CPU/A",
                          "%CPU", "MEM", "MEM/A", "%MEM", "AGE"]
    ev_names = [c.name for c in renderer_for("Event").columns if not c.wide and not c.namespace]
    assert ev_names == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]


def test_warning_events_are_faults() -> None:
    ev = {"metadata": {"name": "e", "namespace": "default"}, "type": "Warning",
          "reason": "FailedScheduling", "involvedObject": {"kind": "Pod", "name": "p"},
          "message": "0/3 nodes are available", "lastTimestamp": "2025-01-01T00:00:00Z"}
    row = renderer_for("Event").row("k", ev, RenderContext())
    assert row.cells[2:5] == ("Warning", "FailedScheduling", "pod/p")
    assert row.status == WARNING


def test_every_kind_has_a_renderer_or_the_generic_one() -> None:
    from k9py.kinds import engine_catalog

    for kind in engine_catalog().kinds:
        r = renderer_for(kind.kind, kind.namespaced)
        obj = {"metadata": {"name": "x", "namespace": "default" if kind.namespaced else None}}
        row = r.row("x", obj, RenderContext())
        assert len(row.cells) == len(r.columns), kind.kind
