"""The namespace controller: a deleted namespace loses its contents, then goes."""

from __future__ import annotations

from engine.cluster import Cluster
from engine.controllers.namespace import conditions
from tests.controllers.conftest import get
from tests.helpers import deployment


def _fill(kcm: Cluster) -> None:
    kcm.client.create("namespaces", {"metadata": {"name": "shop"}})
    kcm.client.create("deployments", deployment("web", 2), namespace="shop")
    kcm.client.create("configmaps", {"metadata": {"name": "cfg"}}, namespace="shop")
    kcm.advance(1)
    assert len(kcm.client.list("pods", "shop")["items"]) == 2


def test_deleting_a_namespace_removes_contents_then_namespace(kcm: Cluster) -> None:
    _fill(kcm)
    ns = kcm.client.delete("namespaces", "shop")
    assert ns["status"]["phase"] == "Terminating"
    kcm.advance(3)  # namespaceDeletionGracePeriod is 5 s
    assert get(kcm, "namespaces", "shop", None) is not None
    kcm.advance(3)
    # Contents go at once; the pods' 30 s grace period was the estimate, so the
    # controller looks again after 30/2 + 1 s before it finalizes.
    for resource in ("pods", "replicasets", "deployments", "configmaps"):
        assert kcm.client.list(resource, "shop")["items"] == []
    assert get(kcm, "namespaces", "shop", None) is not None
    kcm.advance(16)
    assert get(kcm, "namespaces", "shop", None) is None
    for resource in ("pods", "replicasets", "deployments", "configmaps"):
        assert kcm.client.list(resource, "shop")["items"] == []


def test_finalizer_holds_the_namespace(kcm: Cluster) -> None:
    _fill(kcm)
    held = get(kcm, "configmaps", "cfg", "shop")
    held["metadata"]["finalizers"] = ["example.com/hold"]
    kcm.client.update("configmaps", held)
    kcm.client.delete("namespaces", "shop")
    kcm.advance(30)
    ns = get(kcm, "namespaces", "shop", None)
    assert ns is not None and ns["spec"]["finalizers"] == ["kubernetes"]
    assert [c["metadata"]["name"] for c in kcm.client.list("configmaps", "shop")["items"]] == [
        "cfg"]
    assert kcm.client.list("pods", "shop")["items"] == []
    conds = {c["type"]: (c["status"], c["reason"], c["message"])
             for c in ns["status"]["conditions"]}
    assert conds["NamespaceContentRemaining"] == (
        "True", "SomeResourcesRemain",
        "Some resources are remaining: configmaps. has 1 resource instances")
    assert conds["NamespaceFinalizersRemaining"] == (
        "True", "SomeFinalizersRemain",
        "Some content in the namespace has finalizers remaining: example.com/hold in 1 "
        "resource instances")
    assert conds["NamespaceDeletionDiscoveryFailure"][:2] == ("False", "ResourcesDiscovered")
    cm = get(kcm, "configmaps", "cfg", "shop")
    cm["metadata"]["finalizers"] = []
    kcm.client.update("configmaps", cm)
    kcm.advance(10)
    assert get(kcm, "namespaces", "shop", None) is None


def test_conditions_as_upstream() -> None:
    status: dict = {}
    new = conditions.content_conditions({"configmaps.": 1}, {"example.com/hold": 1}, [], "T")
    assert conditions.update_conditions(status, new, "T")
    got = {c["type"]: (c["status"], c["reason"], c["message"]) for c in status["conditions"]}
    assert got == {
        "NamespaceDeletionDiscoveryFailure": ("False", "ResourcesDiscovered",
                                              "All resources successfully discovered"),
        "NamespaceDeletionGroupVersionParsingFailure": (
            "False", "ParsedGroupVersions", "All legacy kube types successfully parsed"),
        "NamespaceDeletionContentFailure": (
            "False", "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization"),
        "NamespaceContentRemaining": (
            "True", "SomeResourcesRemain",
            "Some resources are remaining: configmaps. has 1 resource instances"),
        "NamespaceFinalizersRemaining": (
            "True", "SomeFinalizersRemain",
            "Some content in the namespace has finalizers remaining: example.com/hold in 1 "
            "resource instances"),
    }
    assert not conditions.update_conditions(status, new, "T2")
