"""Server-side printing: cells as upstream's printers.go formats them."""

from __future__ import annotations

import pytest

from engine.printers import human_duration, printer_for
from engine.printers.pod import pod_status

NOW = 1_735_689_600.0
CREATED = "2025-01-01T00:00:00Z"


@pytest.mark.parametrize("seconds,text", [
    (-5, "<invalid>"), (-1, "0s"), (0, "0s"), (119, "119s"), (120, "2m"), (150, "2m30s"),
    (600, "10m"), (3 * 3600 - 1, "179m"), (3 * 3600, "3h"), (5 * 3600 + 120, "5h2m"),
    (8 * 3600, "8h"), (47 * 3600, "47h"), (50 * 3600, "2d2h"), (8 * 86400, "8d"),
    (400 * 86400, "400d"), (3 * 365 * 86400 + 5 * 86400, "3y5d"), (9 * 365 * 86400, "9y"),
])
def test_human_duration(seconds, text):
    assert human_duration(seconds) == text


def _pod(status: dict, spec: dict | None = None, **meta) -> dict:
    return {"metadata": {"name": "p", "creationTimestamp": CREATED, **meta},
            "spec": spec or {"containers": [{"name": "c"}]}, "status": status}


def test_pod_status_reasons():
    waiting = {"phase": "Running", "containerStatuses": [
        {"name": "c", "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
         "lastState": {"terminated": {"finishedAt": "2024-12-31T23:58:00Z"}}}]}
    row = printer_for("", "pods").row(_pod(waiting), NOW)
    assert row[:4] == ["p", "0/1", "CrashLoopBackOff", "4 (2m ago)"]
    done = {"phase": "Succeeded", "containerStatuses": [
        {"name": "c", "state": {"terminated": {"reason": "Completed", "exitCode": 0}}}]}
    assert pod_status(_pod(done)) == "Completed"
    init = {"phase": "Pending", "initContainerStatuses": [
        {"name": "i", "state": {"waiting": {"reason": "PodInitializing"}}}]}
    spec = {"initContainers": [{"name": "i"}], "containers": [{"name": "c"}]}
    assert pod_status(_pod(init, spec)) == "Init:0/1"
    running = {"phase": "Running", "containerStatuses": [
        {"name": "c", "ready": True, "state": {"running": {}}}]}
    assert pod_status(_pod(running, deletionTimestamp=CREATED)) == "Terminating"
    assert printer_for("", "pods").row(_pod(running), NOW)[1] == "1/1"


def test_node_roles_and_cordon():
    node = {"metadata": {"name": "n", "creationTimestamp": CREATED,
                         "labels": {"node-role.kubernetes.io/control-plane": ""}},
            "spec": {"unschedulable": True},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "nodeInfo": {"kubeletVersion": "v1.32.0"}}}
    assert printer_for("", "nodes").row(node, NOW + 90)[:5] == [
        "n", "Ready,SchedulingDisabled", "control-plane", "90s", "v1.32.0"]


def test_service_cells():
    svc = {"metadata": {"name": "s", "creationTimestamp": CREATED},
           "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.10",
                    "clusterIPs": ["10.96.0.10"],
                    "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"},
                              {"port": 53, "protocol": "UDP"}],
                    "selector": {"app": "web"}}}
    assert printer_for("", "services").row(svc, NOW) == [
        "s", "LoadBalancer", "10.96.0.10", "<pending>", "80:30080/TCP,53/UDP", "0s", "app=web"]
    svc["spec"].update(type="ClusterIP", ports=[], selector=None)
    assert printer_for("", "services").row(svc, NOW)[3:5] == ["<none>", "<none>"]


def test_job_and_default_printer():
    job = {"metadata": {"name": "j", "creationTimestamp": CREATED},
           "spec": {"completions": 1, "template": {"spec": {"containers": []}}},
           "status": {"succeeded": 1, "startTime": CREATED, "completionTime":
                      "2025-01-01T00:00:42Z",
                      "conditions": [{"type": "Complete", "status": "True"}]}}
    assert printer_for("batch", "jobs").row(job, NOW + 100)[:5] == [
        "j", "Complete", "1/1", "42s", "100s"]
    cols = printer_for("", "limitranges").definitions()
    assert [c["name"] for c in cols] == ["Name", "Created At"]


def _hpa(metrics: list, current: list | None = None) -> dict:
    return {"metadata": {"name": "web", "creationTimestamp": CREATED},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
                     "minReplicas": 2, "maxReplicas": 10, "metrics": metrics},
            "status": {"currentReplicas": 2, "currentMetrics": current or []}}


def test_hpa_targets_for_every_metric_type():
    """formatHPAMetrics in pkg/printers/internalversion/printers.go: current/target
    per metric type, `(avg)` for AverageValue Object/External targets, at most two."""
    cpu = {"type": "Resource", "resource": {"name": "cpu", "target": {
        "type": "Utilization", "averageUtilization": 50}}}
    pods = {"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {
        "type": "AverageValue", "averageValue": "100"}}}
    obj = {"type": "Object", "object": {"metric": {"name": "hits"}, "target": {
        "type": "Value", "value": "2k"}}}
    ext = {"type": "External", "external": {"metric": {"name": "queue"}, "target": {
        "type": "AverageValue", "averageValue": "30"}}}
    row = printer_for("autoscaling", "horizontalpodautoscalers").row
    assert row(_hpa([cpu, pods]), NOW)[2] == "cpu: <unknown>/50%, <unknown>/100"
    now = [{"type": "Pods", "pods": {"metric": {"name": "rps"},
                                     "current": {"averageValue": "250m"}}},
           {"type": "Object", "object": {"metric": {"name": "hits"},
                                         "current": {"value": "1500"}}}]
    assert row(_hpa([pods, obj], now), NOW)[2] == "250m/100, 1500/2k"
    assert row(_hpa([ext]), NOW)[2] == "<unknown>/30 (avg)"
    assert row(_hpa([cpu, pods, obj, ext]), NOW)[2] == (
        "cpu: <unknown>/50%, <unknown>/100 + 2 more...")
    assert row(_hpa([{"type": "Bogus"}]), NOW)[2] == "<unknown type>"
