"""Per-kind strategies through the API server: generation, the status a new
object starts with, status writes, and kind-specific create logic
(pkg/registry/<group>/<resource>/strategy.go, v1.32)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.api import errors
from engine.api.server import APIServer
from tests.helpers import deployment

TEMPLATE = {
    "metadata": {"labels": {"app": "x"}},
    "spec": {"containers": [{"name": "c", "image": "busybox"}]},
}
SELECTOR = {"matchLabels": {"app": "x"}}

OBJECTS: dict[str, dict[str, Any]] = {
    "deployments": {"spec": {"selector": SELECTOR, "template": TEMPLATE}},
    "replicasets": {"spec": {"selector": SELECTOR, "template": TEMPLATE}},
    "statefulsets": {"spec": {"selector": SELECTOR, "template": TEMPLATE, "serviceName": "x"}},
    "daemonsets": {"spec": {"selector": SELECTOR, "template": TEMPLATE}},
    "replicationcontrollers": {"spec": {"template": TEMPLATE}},
    "jobs": {
        "spec": {"template": {**TEMPLATE, "spec": {**TEMPLATE["spec"], "restartPolicy": "Never"}}}
    },
    "cronjobs": {
        "spec": {
            "schedule": "* * * * *",
            "jobTemplate": {
                "spec": {
                    "template": {**TEMPLATE, "spec": {**TEMPLATE["spec"], "restartPolicy": "Never"}}
                }
            },
        }
    },
    "poddisruptionbudgets": {"spec": {"minAvailable": 1, "selector": SELECTOR}},
    "horizontalpodautoscalers": {
        "spec": {
            "maxReplicas": 3,
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "x"},
        }
    },
    "services": {"spec": {"selector": {"app": "x"}, "ports": [{"port": 80}]}},
    "ingresses": {"spec": {"defaultBackend": {"service": {"name": "x", "port": {"number": 80}}}}},
    "persistentvolumeclaims": {
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            "storageClassName": "",
        }
    },
    "resourcequotas": {"spec": {"hard": {"pods": "10"}}},
    "configmaps": {"data": {"a": "b"}},
    "podtemplates": {"template": TEMPLATE},
    "networkpolicies": {"spec": {"podSelector": {}}},
    "endpointslices": {"addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}]},
}

# resource -> (generation on create, initial status)
EXPECTED = {
    "deployments": (1, {}),
    "replicasets": (1, {"replicas": 0}),
    "statefulsets": (1, {"replicas": 0, "availableReplicas": 0}),
    "daemonsets": (
        1,
        {
            "currentNumberScheduled": 0,
            "numberMisscheduled": 0,
            "desiredNumberScheduled": 0,
            "numberReady": 0,
        },
    ),
    "replicationcontrollers": (1, {"replicas": 0}),
    "jobs": (1, {}),
    "cronjobs": (1, {}),
    "poddisruptionbudgets": (
        1,
        {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0},
    ),
    "horizontalpodautoscalers": (None, {"desiredReplicas": 0}),
    "services": (None, {"loadBalancer": {}}),
    "ingresses": (1, {"loadBalancer": {}}),
    "persistentvolumeclaims": (None, {"phase": "Pending"}),
    "resourcequotas": (None, {}),
    "configmaps": (None, None),
    "podtemplates": (1, None),
    "networkpolicies": (1, None),
    "endpointslices": (1, None),
}


def _create(api: APIServer, resource: str, name: str = "x") -> dict[str, Any]:
    obj = copy.deepcopy(OBJECTS[resource])
    obj["metadata"] = {"name": name}
    if resource in ("deployments", "replicasets", "statefulsets", "daemonsets", "jobs"):
        obj["status"] = {"replicas": 5, "active": 2}
    return api.create(resource, obj, namespace="default")


@pytest.mark.parametrize("resource", sorted(EXPECTED))
def test_create_sets_generation_and_resets_status(api: APIServer, resource: str) -> None:
    generation, status = EXPECTED[resource]
    created = _create(api, resource)
    assert created["metadata"].get("generation") == generation
    assert created.get("status") == status


GENERATION_BUMPS = [
    ("deployments", lambda o: o["spec"].update(replicas=3)),
    ("replicasets", lambda o: o["spec"].update(replicas=3)),
    ("statefulsets", lambda o: o["spec"].update(replicas=3)),
    ("jobs", lambda o: o["spec"].update(suspend=True)),
    ("cronjobs", lambda o: o["spec"].update(suspend=True)),
    ("podtemplates", lambda o: o["template"]["metadata"]["labels"].update(b="c")),
    ("poddisruptionbudgets", lambda o: o["spec"].update(minAvailable=2)),
    ("endpointslices", lambda o: o["metadata"].setdefault("labels", {}).update(a="b")),
]


@pytest.mark.parametrize(
    ("resource", "change"), GENERATION_BUMPS, ids=[c[0] for c in GENERATION_BUMPS]
)
def test_spec_change_bumps_generation_metadata_change_does_not(
    api: APIServer, resource: str, change: Any
) -> None:
    created = _create(api, resource)
    relabelled = copy.deepcopy(created)
    relabelled["metadata"].setdefault("annotations", {})["note"] = "x"
    relabelled = api.update(resource, relabelled)
    assert relabelled["metadata"]["generation"] == 1
    changed = copy.deepcopy(relabelled)
    change(changed)
    assert api.update(resource, changed)["metadata"]["generation"] == 2


def test_status_write_keeps_spec_and_generation(api: APIServer) -> None:
    created = api.create("deployments", deployment("web"), namespace="default")
    created["spec"]["replicas"] = 9
    created["status"] = {"replicas": 2, "observedGeneration": 1}
    updated = api.update("deployments", created, subresource="status")
    assert updated["spec"]["replicas"] == 2
    assert updated["status"] == {"replicas": 2, "observedGeneration": 1}
    assert updated["metadata"]["generation"] == 1


def test_deployment_status_write_cannot_change_labels(api: APIServer) -> None:
    created = api.create("deployments", deployment("web"), namespace="default")
    created["metadata"]["labels"] = {"other": "x"}
    created["metadata"]["annotations"] = {"note": "y"}
    updated = api.update("deployments", created, subresource="status")
    assert updated["metadata"]["labels"] == {"app": "web"}
    assert updated["metadata"]["annotations"] == {"note": "y"}


def test_main_write_cannot_change_status(api: APIServer) -> None:
    created = api.create("deployments", deployment("web"), namespace="default")
    created["status"] = {"replicas": 7}
    assert api.update("deployments", created)["status"] == {}


def test_job_gets_generated_selector_and_labels(api: APIServer) -> None:
    job = _create(api, "jobs", "pi")
    uid = job["metadata"]["uid"]
    assert job["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    expected = {
        "app": "x",
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid,
        "job-name": "pi",
    }
    assert job["spec"]["template"]["metadata"]["labels"] == expected
    assert job["metadata"]["labels"] == expected
    assert job["spec"]["manualSelector"] is False


def test_job_with_manual_selector_is_left_alone(api: APIServer) -> None:
    obj = copy.deepcopy(OBJECTS["jobs"])
    obj["metadata"] = {"name": "manual"}
    obj["spec"].update(manualSelector=True, selector=SELECTOR)
    job = api.create("jobs", obj, namespace="default")
    assert job["spec"]["selector"] == SELECTOR
    assert job["spec"]["template"]["metadata"]["labels"] == {"app": "x"}


def test_daemonset_template_generation_annotation(api: APIServer) -> None:
    ds = _create(api, "daemonsets")
    key = "deprecated.daemonset.template.generation"
    assert ds["metadata"]["annotations"][key] == "1"
    ds["spec"]["template"]["metadata"]["labels"]["rev"] = "2"
    ds["spec"]["selector"] = SELECTOR
    updated = api.update("daemonsets", ds)
    assert updated["metadata"]["annotations"][key] == "2"
    assert updated["metadata"]["generation"] == 2


def test_namespace_gets_kubernetes_finalizer_and_active_phase(api: APIServer) -> None:
    ns = api.create(
        "namespaces", {"metadata": {"name": "team"}, "status": {"phase": "Terminating"}}
    )
    assert ns["spec"] == {"finalizers": ["kubernetes"]}
    assert ns["status"] == {"phase": "Active"}
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "team"}
    assert "generation" not in ns["metadata"]


def test_node_keeps_the_status_it_registers_with(api: APIServer) -> None:
    node = api.create(
        "nodes", {"metadata": {"name": "n1"}, "status": {"capacity": {"cpu": "4", "pods": "110"}}}
    )
    assert node["status"]["allocatable"] == {"cpu": "4", "pods": "110"}
    node["status"] = {"capacity": {"cpu": "8"}}
    assert api.update("nodes", node)["status"]["capacity"] == {"cpu": "4", "pods": "110"}


@pytest.mark.parametrize(
    ("spec", "policy", "families"),
    [
        ({"ports": [{"port": 80}], "selector": {"a": "b"}}, "SingleStack", ["IPv4"]),
        ({"clusterIP": "None", "selector": {"a": "b"}}, "SingleStack", ["IPv4"]),
        ({"clusterIP": "None"}, "RequireDualStack", ["IPv4"]),
        ({"type": "ExternalName", "externalName": "example.com"}, None, None),
    ],
)
def test_service_ip_families(
    api: APIServer, spec: dict, policy: str | None, families: list[str] | None
) -> None:
    svc = api.create("services", {"metadata": {"name": "s"}, "spec": spec}, namespace="default")
    assert svc["spec"].get("ipFamilyPolicy") == policy
    assert svc["spec"].get("ipFamilies") == families


def test_persistent_volume_starts_pending_with_transition_time(api: APIServer) -> None:
    pv = api.create(
        "persistentvolumes",
        {
            "metadata": {"name": "pv1"},
            "spec": {
                "capacity": {"storage": "1Gi"},
                "accessModes": ["ReadWriteOnce"],
                "hostPath": {"path": "/data"},
            },
        },
    )
    assert pv["status"] == {
        "phase": "Pending",
        "lastPhaseTransitionTime": pv["metadata"]["creationTimestamp"],
    }
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"


@pytest.mark.parametrize(
    ("resource", "body", "field"),
    [
        ("configmaps", {"data": {"a": "b"}}, "data"),
        ("secrets", {"data": {"a": "Yg=="}}, "data"),
    ],
)
def test_immutable_objects_refuse_data_changes(
    api: APIServer, resource: str, body: dict, field: str
) -> None:
    obj = {"metadata": {"name": "frozen"}, "immutable": True, **body}
    created = api.create(resource, obj, namespace="default")
    created[field] = {"a": "Yw=="}
    with pytest.raises(errors.StatusError) as err:
        api.update(resource, created)
    assert err.value.code == 422
    assert f"{field}: Forbidden: field is immutable when `immutable` is set" in str(err.value)
