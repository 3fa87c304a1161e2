"""ResourceQuota admission through the API server (plugin/pkg/admission/resourcequota)."""

from __future__ import annotations

import pytest

from engine.api import errors
from engine.api.server import APIServer
from tests.helpers import deployment, pod


def _quota(api: APIServer, hard: dict, name: str = "q", **spec: object) -> None:
    api.create(
        "resourcequotas",
        {"metadata": {"name": name}, "spec": {"hard": hard, **spec}},
        namespace="default",
    )


def _sized_pod(name: str, cpu: str = "500m", memory: str = "128Mi") -> dict:
    obj = pod(name)
    obj["spec"]["containers"][0]["resources"] = {
        "requests": {"cpu": cpu, "memory": memory},
        "limits": {"cpu": cpu, "memory": memory},
    }
    return obj


def _refusal(api: APIServer, resource: str, obj: dict) -> str:
    with pytest.raises(errors.StatusError) as err:
        api.create(resource, obj, namespace="default")
    assert err.value.code == 403
    assert err.value.reason == "Forbidden"
    return str(err.value)


def test_pod_count_quota(api: APIServer) -> None:
    _quota(api, {"pods": "2"})
    api.create("pods", pod("a"), namespace="default")
    api.create("pods", pod("b"), namespace="default")
    assert _refusal(api, "pods", pod("c")) == (
        'pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2'
    )


def test_compute_quota(api: APIServer) -> None:
    _quota(api, {"requests.cpu": "1", "limits.memory": "1Gi"}, name="compute")
    api.create("pods", _sized_pod("a"), namespace="default")
    api.create("pods", _sized_pod("b"), namespace="default")
    assert _refusal(api, "pods", _sized_pod("c")) == (
        'pods "c" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, '
        "used: requests.cpu=1, limited: requests.cpu=1"
    )


def test_compute_quota_requires_requests(api: APIServer) -> None:
    _quota(api, {"requests.cpu": "1", "limits.memory": "1Gi"}, name="compute")
    assert _refusal(api, "pods", pod("bare")) == (
        'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app; '
        "requests.cpu for: app"
    )


def test_terminal_pods_free_their_compute_but_still_count(api: APIServer) -> None:
    _quota(api, {"requests.cpu": "600m", "count/pods": "2"})
    api.create("pods", _sized_pod("a"), namespace="default")
    done = api.get("pods", "a", "default")
    done["status"]["phase"] = "Succeeded"
    api.update("pods", done, subresource="status")
    api.create("pods", _sized_pod("b"), namespace="default")
    assert "exceeded quota: q, requested: count/pods=1, used: count/pods=2" in _refusal(
        api, "pods", _sized_pod("c", cpu="100m")
    )


def test_object_count_quota_for_any_resource(api: APIServer) -> None:
    _quota(api, {"count/deployments.apps": "1", "configmaps": "1"})
    api.create("deployments", deployment("a"), namespace="default")
    assert _refusal(api, "deployments", deployment("b")) == (
        'deployments.apps "b" is forbidden: exceeded quota: q, requested: '
        "count/deployments.apps=1, used: count/deployments.apps=1, limited: "
        "count/deployments.apps=1"
    )
    api.create("configmaps", {"metadata": {"name": "c1"}}, namespace="default")
    assert "requested: configmaps=1, used: configmaps=1" in _refusal(
        api, "configmaps", {"metadata": {"name": "c2"}}
    )


def test_service_quotas(api: APIServer) -> None:
    _quota(api, {"services.nodeports": "1", "services.loadbalancers": "0"})
    api.create(
        "services",
        {"metadata": {"name": "a"}, "spec": {"type": "NodePort", "ports": [{"port": 80}]}},
        namespace="default",
    )
    assert _refusal(
        api,
        "services",
        {"metadata": {"name": "lb"}, "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}},
    ) == (
        'services "lb" is forbidden: exceeded quota: q, requested: services.loadbalancers=1,'
        "services.nodeports=1, used: services.loadbalancers=0,services.nodeports=1, limited: "
        "services.loadbalancers=0,services.nodeports=1"
    )


def test_claim_storage_quota_per_class(api: APIServer) -> None:
    _quota(api, {"fast.storageclass.storage.k8s.io/requests.storage": "5Gi"})
    claim = {
        "metadata": {"name": "a"},
        "spec": {
            "storageClassName": "fast",
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "4Gi"}},
        },
    }
    api.create("persistentvolumeclaims", claim, namespace="default")
    claim["metadata"]["name"] = "b"
    assert (
        "requested: fast.storageclass.storage.k8s.io/requests.storage=4Gi, used: "
        "fast.storageclass.storage.k8s.io/requests.storage=4Gi"
        in _refusal(api, "persistentvolumeclaims", claim)
    )
    claim["spec"]["storageClassName"] = "slow"
    api.create("persistentvolumeclaims", claim, namespace="default")


def test_scoped_quota_only_counts_matching_pods(api: APIServer) -> None:
    _quota(api, {"pods": "1"}, scopes=["BestEffort"])
    api.create("pods", pod("a"), namespace="default")
    api.create("pods", _sized_pod("sized"), namespace="default")  # not BestEffort
    assert "exceeded quota: q" in _refusal(api, "pods", pod("b"))


def test_priority_class_scope_selector(api: APIServer) -> None:
    _quota(
        api,
        {"pods": "0"},
        scopeSelector={
            "matchExpressions": [
                {"scopeName": "PriorityClass", "operator": "In", "values": ["system-node-critical"]}
            ]
        },
    )
    api.create("pods", pod("ordinary"), namespace="default")
    critical = pod("critical")
    critical["spec"]["priorityClassName"] = "system-node-critical"
    assert "exceeded quota: q" in _refusal(api, "pods", critical)


def test_quotas_in_other_namespaces_do_not_apply(api: APIServer) -> None:
    api.create("namespaces", {"metadata": {"name": "other"}})
    api.create(
        "resourcequotas",
        {"metadata": {"name": "q"}, "spec": {"hard": {"pods": "0"}}},
        namespace="other",
    )
    api.create("pods", pod("a"), namespace="default")


def test_deleting_frees_quota(api: APIServer) -> None:
    _quota(api, {"pods": "1"})
    api.create("pods", pod("a"), namespace="default")
    api.delete("pods", "a", namespace="default")
    api.create("pods", pod("b"), namespace="default")


def test_plugins_read_the_same_through_api_listers(api: APIServer, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("engine.api.admission._util.USE_LISTERS", True)
    _quota(api, {"pods": "1"})
    api.create(
        "limitranges",
        {
            "metadata": {"name": "l"},
            "spec": {"limits": [{"type": "Container", "default": {"cpu": "100m"}}]},
        },
        namespace="default",
    )
    created = api.create("pods", pod("a"), namespace="default")
    assert created["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "100m"}
    assert "exceeded quota: q" in _refusal(api, "pods", pod("b"))
