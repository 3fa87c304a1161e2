"""DefaultStorageClass, StorageObjectInUseProtection, PersistentVolumeClaimResize,
DefaultIngressClass and TaintNodesByCondition through the API server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.api import errors
from engine.api.admission import PLUGINS, AdmissionChain, TaintNodesByCondition
from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.store import Store

DEFAULT_SC = {"storageclass.kubernetes.io/is-default-class": "true"}


def _claim(name: str = "data", **spec: object) -> dict:
    return {
        "metadata": {"name": name},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            **spec,
        },
    }


def _class(api: APIServer, name: str, default: bool = False, **extra: object) -> None:
    meta: dict = {"name": name}
    if default:
        meta["annotations"] = dict(DEFAULT_SC)
    api.create("storageclasses", {"metadata": meta, "provisioner": "p", **extra})


def test_claim_gets_the_default_storage_class(api: APIServer) -> None:
    _class(api, "slow")
    _class(api, "standard", default=True)
    claim = api.create("persistentvolumeclaims", _claim(), namespace="default")
    assert claim["spec"]["storageClassName"] == "standard"


def test_claim_with_a_class_or_empty_class_is_left_alone(api: APIServer) -> None:
    _class(api, "standard", default=True)
    empty = api.create(
        "persistentvolumeclaims", _claim("a", storageClassName=""), namespace="default"
    )
    assert empty["spec"]["storageClassName"] == ""
    other = api.create(
        "persistentvolumeclaims", _claim("b", storageClassName="slow"), namespace="default"
    )
    assert other["spec"]["storageClassName"] == "slow"


def test_no_default_class_leaves_claim_unclassed(api: APIServer) -> None:
    _class(api, "slow")
    claim = api.create("persistentvolumeclaims", _claim(), namespace="default")
    assert "storageClassName" not in claim["spec"]


def test_protection_finalizers(api: APIServer) -> None:
    claim = api.create("persistentvolumeclaims", _claim(), namespace="default")
    assert claim["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    pv = api.create(
        "persistentvolumes",
        {
            "metadata": {"name": "pv"},
            "spec": {
                "capacity": {"storage": "1Gi"},
                "accessModes": ["ReadWriteOnce"],
                "hostPath": {"path": "/d"},
            },
        },
    )
    assert pv["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]


def test_claim_resize_needs_an_expandable_class(api: APIServer) -> None:
    _class(api, "fixed")
    _class(api, "elastic", allowVolumeExpansion=True)
    for name, storage_class in (("data", "fixed"), ("grow", "elastic")):
        claim = api.create(
            "persistentvolumeclaims",
            _claim(name, storageClassName=storage_class),
            namespace="default",
        )
        claim["status"] = {"phase": "Bound"}
        claim = api.update("persistentvolumeclaims", claim, subresource="status")
        claim["spec"]["resources"]["requests"]["storage"] = "2Gi"
        if storage_class == "elastic":
            api.update("persistentvolumeclaims", claim)
            continue
        with pytest.raises(errors.StatusError) as err:
            api.update("persistentvolumeclaims", claim)
        assert str(err.value) == (
            'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can '
            "be resized and the storageclass that provisions the pvc must support resize"
        )


def test_ingress_gets_the_default_class(api: APIServer) -> None:
    api.create(
        "ingressclasses",
        {
            "metadata": {
                "name": "nginx",
                "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"},
            },
            "spec": {"controller": "k8s.io/ingress-nginx"},
        },
    )
    ing = api.create(
        "ingresses",
        {
            "metadata": {"name": "web"},
            "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}},
        },
        namespace="default",
    )
    assert ing["spec"]["ingressClassName"] == "nginx"


@pytest.fixture
def tainting_api() -> Iterator[APIServer]:
    """The default chain with TaintNodesByCondition in its upstream place."""
    plugins = list(PLUGINS)
    plugins.insert(
        plugins.index(next(p for p in plugins if p.name == "ServiceAccount")) + 1,
        TaintNodesByCondition,
    )
    clock = VirtualClock()
    loop = clock.new_event_loop()
    server = APIServer(Store(), clock, admission=lambda a: AdmissionChain([p(a) for p in plugins]))
    yield server
    server.close()
    loop.close()


def test_new_nodes_are_tainted_not_ready(tainting_api: APIServer) -> None:
    node = tainting_api.create(
        "nodes",
        {
            "metadata": {"name": "n1"},
            "spec": {"taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]},
        },
    )
    assert node["spec"]["taints"] == [
        {"key": "dedicated", "value": "db", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"},
    ]
    again = tainting_api.create(
        "nodes",
        {
            "metadata": {"name": "n2"},
            "spec": {"taints": [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]},
        },
    )
    assert len(again["spec"]["taints"]) == 1
