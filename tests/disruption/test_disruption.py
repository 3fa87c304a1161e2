"""PodDisruptionBudget status from the disruption controller, and eviction."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from tests.helpers import deployment
from tests.storage.conftest import sc  # noqa: F401 - the fixture


def _pdb(name: str, **spec: Any) -> dict:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, **spec}}


def _status(cluster: Cluster, name: str) -> dict:
    return cluster.client.get("poddisruptionbudgets", name, "default")["status"]


def test_min_available_allows_and_denies(sc: Cluster) -> None:  # noqa: F811
    sc.client.create("deployments", deployment("web", 3), namespace="default")
    sc.client.create("poddisruptionbudgets", _pdb("two", minAvailable=2), namespace="default")
    sc.client.create("poddisruptionbudgets", _pdb("all", minAvailable="100%"),
                     namespace="default")
    sc.client.create("poddisruptionbudgets", _pdb("one-down", maxUnavailable=1),
                     namespace="default")
    sc.advance(20)
    two = _status(sc, "two")
    assert {k: two[k] for k in ("currentHealthy", "desiredHealthy", "expectedPods",
                                "disruptionsAllowed")} == {
        "currentHealthy": 3, "desiredHealthy": 2, "expectedPods": 3, "disruptionsAllowed": 1}
    cond = two["conditions"][0]
    assert (cond["type"], cond["status"], cond["reason"]) == (
        "DisruptionAllowed", "True", "SufficientPods")
    assert two["observedGeneration"] == 1
    full = _status(sc, "all")
    assert (full["desiredHealthy"], full["disruptionsAllowed"]) == (3, 0)
    assert full["conditions"][0]["reason"] == "InsufficientPods"
    assert _status(sc, "one-down")["disruptionsAllowed"] == 1


def test_eviction_respects_the_budget(sc: Cluster) -> None:  # noqa: F811
    from engine.api import errors

    sc.client.create("deployments", deployment("web", 2), namespace="default")
    sc.client.create("poddisruptionbudgets", _pdb("pdb", minAvailable=1), namespace="default")
    sc.advance(20)
    assert _status(sc, "pdb")["disruptionsAllowed"] == 1
    pods = [p for p in sc.client.list("pods", "default")["items"]
            if p["metadata"].get("labels", {}).get("app") == "web"]
    try:
        from engine.rest.eviction import evict
    except ImportError:
        return
    api = sc.api
    first, second = (p["metadata"]["name"] for p in pods)
    sc.call(lambda: evict(api, "default", first, {}, user=None, dry_run=False))
    status = _status(sc, "pdb")
    assert status["disruptionsAllowed"] == 0
    try:
        sc.call(lambda: evict(api, "default", second, {}, user=None, dry_run=False))
    except errors.StatusError as err:
        assert err.code == 429
        assert err.message == "Cannot evict pod as it would violate the pod's disruption budget."
    else:
        raise AssertionError("eviction was allowed")


def test_pods_without_controller_and_percentages_fail_safe(sc: Cluster) -> None:  # noqa: F811
    pod = {"metadata": {"name": "lonely", "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    sc.client.create("pods", pod, namespace="default")
    sc.client.create("poddisruptionbudgets", _pdb("pct", minAvailable="50%"),
                     namespace="default")
    sc.advance(5)
    status = _status(sc, "pct")
    assert status["disruptionsAllowed"] == 0
    cond = status["conditions"][0]
    assert (cond["reason"], cond["message"]) == ("SyncFailed",
                                                 'found no controllers for pod "lonely"')
