"""Pod strategy: QoS classes, graceful deletion periods and create-time mutations
(pkg/registry/core/pod/strategy.go, pkg/apis/core/helper/qos)."""

from __future__ import annotations

from typing import Any

import pytest

from engine.api.server import APIServer
from engine.api.strategies.pods import graceful_delete_period, pod_qos_class
from tests.helpers import pod


def _pod(*resources: dict[str, Any], init: dict[str, Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "containers": [{"name": f"c{i}", "resources": r} for i, r in enumerate(resources)]
    }
    if init is not None:
        spec["initContainers"] = [{"name": "init", "resources": init}]
    return {"spec": spec}


GUARANTEED = {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}

QOS = [
    ("no resources", _pod({}), "BestEffort"),
    ("zero requests", _pod({"requests": {"cpu": "0"}}), "BestEffort"),
    ("only extended resources", _pod({"requests": {"example.com/gpu": "1"}}), "BestEffort"),
    ("equal limits and requests", _pod(GUARANTEED), "Guaranteed"),
    ("all containers guaranteed", _pod(GUARANTEED, GUARANTEED), "Guaranteed"),
    ("one container without limits", _pod(GUARANTEED, {}), "Burstable"),
    (
        "requests below limits",
        _pod(
            {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}
        ),
        "Burstable",
    ),
    ("cpu limit only", _pod({"limits": {"cpu": "1"}, "requests": {"cpu": "1"}}), "Burstable"),
    ("memory request only", _pod({"requests": {"memory": "1Gi"}}), "Burstable"),
    ("init container counts", _pod(GUARANTEED, init={"requests": {"cpu": "1"}}), "Burstable"),
    (
        "equal values in other units",
        _pod(
            {
                "limits": {"cpu": "1", "memory": "1Gi"},
                "requests": {"cpu": "1000m", "memory": "1024Mi"},
            }
        ),
        "Guaranteed",
    ),
]


@pytest.mark.parametrize(("pod_obj", "qos"), [c[1:] for c in QOS], ids=[c[0] for c in QOS])
def test_qos_class(pod_obj: dict[str, Any], qos: str) -> None:
    assert pod_qos_class(pod_obj) == qos


GRACE = [
    ("requested wins", {"spec": {"nodeName": "n", "terminationGracePeriodSeconds": 30}}, 5, 5),
    ("spec period", {"spec": {"nodeName": "n", "terminationGracePeriodSeconds": 45}}, None, 45),
    ("default 30", {"spec": {"nodeName": "n"}}, None, 30),
    ("never scheduled", {"spec": {"terminationGracePeriodSeconds": 30}}, None, 0),
    ("never scheduled, requested", {"spec": {}}, 10, 0),
    ("succeeded", {"spec": {"nodeName": "n"}, "status": {"phase": "Succeeded"}}, None, 0),
    ("failed", {"spec": {"nodeName": "n"}, "status": {"phase": "Failed"}}, 20, 0),
    ("running", {"spec": {"nodeName": "n"}, "status": {"phase": "Running"}}, None, 30),
    ("zero requested", {"spec": {"nodeName": "n"}}, 0, 0),
]


@pytest.mark.parametrize(
    ("pod_obj", "requested", "period"), [c[1:] for c in GRACE], ids=[c[0] for c in GRACE]
)
def test_graceful_delete_period(
    pod_obj: dict[str, Any], requested: int | None, period: int
) -> None:
    assert graceful_delete_period(pod_obj, requested) == period


def test_create_sets_pending_status_and_qos(api: APIServer) -> None:
    obj = pod("web")
    obj["status"] = {"phase": "Running", "podIP": "1.2.3.4"}
    created = api.create("pods", obj, namespace="default")
    assert created["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    assert "generation" not in created["metadata"]


def test_update_keeps_status_and_has_no_generation(api: APIServer) -> None:
    created = api.create("pods", pod("web"), namespace="default")
    created["metadata"]["labels"] = {"x": "y"}
    created["status"] = {"phase": "Failed"}
    updated = api.update("pods", created)
    assert updated["status"]["phase"] == "Pending"
    assert "generation" not in updated["metadata"]


def test_status_update_changes_status_and_labels_but_not_spec(api: APIServer) -> None:
    created = api.create("pods", pod("web"), namespace="default")
    created["spec"]["nodeName"] = "node-1"
    created["metadata"]["labels"] = {"changed": "yes"}
    created["metadata"]["ownerReferences"] = [
        {"apiVersion": "v1", "kind": "X", "name": "x", "uid": "u"}
    ]
    created["status"] = {"phase": "Running", "podIP": "10.0.0.1"}
    updated = api.update("pods", created, subresource="status")
    assert updated["status"]["phase"] == "Running"
    assert updated["status"]["qosClass"] == "BestEffort"  # kept from the stored status
    assert updated["status"]["podIPs"] == [{"ip": "10.0.0.1"}]
    assert "nodeName" not in updated["spec"]
    assert updated["metadata"]["labels"] == {"changed": "yes"}
    assert "ownerReferences" not in updated["metadata"]


def test_scheduling_gates_add_gated_condition(api: APIServer) -> None:
    obj = pod("gated")
    obj["spec"]["schedulingGates"] = [{"name": "example.com/wait"}]
    created = api.create("pods", obj, namespace="default")
    assert created["status"]["conditions"] == [
        {
            "type": "PodScheduled",
            "status": "False",
            "lastProbeTime": None,
            "lastTransitionTime": None,
            "reason": "SchedulingGated",
            "message": "Scheduling is blocked due to non-empty scheduling gates",
        }
    ]


def test_match_label_keys_merge_into_affinity_selector(api: APIServer) -> None:
    obj = pod("web", app="web", rev="7")
    obj["spec"]["affinity"] = {
        "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {
                    "labelSelector": {"matchLabels": {"app": "web"}},
                    "topologyKey": "kubernetes.io/hostname",
                    "matchLabelKeys": ["rev"],
                    "mismatchLabelKeys": ["app"],
                }
            ]
        }
    }
    created = api.create("pods", obj, namespace="default")
    term = created["spec"]["affinity"]["podAntiAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ][0]
    assert term["labelSelector"]["matchExpressions"] == [
        {"key": "rev", "operator": "In", "values": ["7"]},
        {"key": "app", "operator": "NotIn", "values": ["web"]},
    ]


def test_apparmor_field_is_mirrored_to_annotation(api: APIServer) -> None:
    obj = pod("web")
    obj["spec"]["securityContext"] = {"appArmorProfile": {"type": "RuntimeDefault"}}
    created = api.create("pods", obj, namespace="default")
    assert (
        created["metadata"]["annotations"]["container.apparmor.security.beta.kubernetes.io/app"]
        == "runtime/default"
    )


def test_graceful_delete_of_scheduled_pod_waits(api: APIServer) -> None:
    scheduled = pod("web")
    scheduled["spec"]["nodeName"] = "node-1"
    api.create("pods", scheduled, namespace="default")
    deleting = api.delete("pods", "web", namespace="default")
    assert deleting["metadata"]["deletionGracePeriodSeconds"] == 30
    api.create("pods", pod("unscheduled"), namespace="default")
    api.delete("pods", "unscheduled", namespace="default")
    assert [p["metadata"]["name"] for p in api.list("pods", "default")["items"]] == ["web"]
