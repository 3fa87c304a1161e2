"""A worker's kubelet stops: NotReady, taints, pods evicted; it comes back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.api import errors
from engine.cluster import Cluster, ClusterConfig
from engine.controllers.manager import ControllerManager
from engine.controllers.nodelifecycle import run_node_lifecycle_controller
from engine.controllers.nodelifecycle.taints import (
    no_schedule_taints,
    reconcile_no_schedule,
    tolerates,
    with_no_execute,
)
from engine.kubelet.manager import run_kubelets
from tests.kubelet.helpers import WORKER, bound_pod, condition, create, events, get, watch_until

NGINX = {"name": "nginx", "image": "nginx:1.14.2"}


MANAGERS: list[ControllerManager] = []


async def _in_controller_manager(cluster: Cluster) -> None:
    """The node controllers as kube-controller-manager runs them: on its shared factory."""
    manager = ControllerManager(cluster, controllers={}, node_lifecycle=True)
    MANAGERS.append(manager)
    await manager.run()


# Alone (a factory of their own) and in the controller manager (its shared
# factory): the same behaviour either way.
@pytest.fixture(params=[run_node_lifecycle_controller, _in_controller_manager],
                ids=["own-factory", "manager-factory"])
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    config = ClusterConfig(virtual=True, fsync=False, components=[run_kubelets, request.param])
    with Cluster(config) as c:
        c.advance(1)
        yield c
    MANAGERS.clear()


def test_manager_node_controllers_share_its_informers() -> None:
    """One pod, node and lease informer in the manager for its node controllers."""
    config = ClusterConfig(virtual=True, fsync=False,
                           components=[run_kubelets, _in_controller_manager])
    with Cluster(config) as cluster:
        cluster.advance(1)
        factory = MANAGERS[-1].factory
        assert factory is not None
        resources = sorted(i.resource.plural for i in factory.informers())
        assert resources == ["leases", "nodes", "pods"]
        pods_informer = next(i for i in factory.informers() if i.resource.plural == "pods")
        assert pods_informer.indexer.has_index("nodeName") and pods_informer.has_synced()
    MANAGERS.clear()


def _node(cluster: Cluster) -> dict:
    return cluster.client.get("nodes", WORKER)


def _ready(cluster: Cluster) -> dict:
    return next(c for c in _node(cluster)["status"]["conditions"] if c["type"] == "Ready")


def _taints(cluster: Cluster) -> set[tuple[str, str]]:
    return {(t["key"], t["effect"]) for t in _node(cluster)["spec"].get("taints") or ()}


UNREACHABLE = {("node.kubernetes.io/unreachable", "NoExecute"),
               ("node.kubernetes.io/unreachable", "NoSchedule")}


def test_stopped_kubelet_node_goes_unknown_tainted_and_pods_evicted(cluster: Cluster) -> None:
    create(cluster, bound_pod("web", [NGINX]))
    cluster.advance(10)
    assert get(cluster, "web")["spec"]["tolerations"][1]["tolerationSeconds"] == 300
    cluster.call(cluster.kubelets.stop, WORKER)
    cluster.advance(45)
    assert _ready(cluster)["status"] == "True"  # still within the 50 s grace period
    waited = watch_until(cluster, lambda: _ready(cluster)["status"] == "Unknown", 30)
    assert 45 + waited <= 65
    ready = _ready(cluster)
    assert (ready["reason"], ready["message"]) == ("NodeStatusUnknown",
                                                   "Kubelet stopped posting node status.")
    cluster.advance(1)
    assert _taints(cluster) == UNREACHABLE
    pod = get(cluster, "web")
    assert condition(pod, "Ready")["status"] == "False"
    assert ("Warning", "NodeNotReady", "Node is not ready") in events(cluster, "web")
    assert ("Normal", "NodeNotReady", f"Node {WORKER} status is now: NodeNotReady") in \
        events(cluster, WORKER)
    cluster.advance(295)
    assert "deletionTimestamp" not in get(cluster, "web")["metadata"]
    cluster.advance(10)
    pod = get(cluster, "web")
    assert pod["metadata"]["deletionTimestamp"]  # Terminating: nobody kills it on a dead node
    assert condition(pod, "DisruptionTarget")["reason"] == "DeletionByTaintManager"
    assert ("Normal", "TaintManagerEviction", "Marking for deletion Pod default/web") in \
        events(cluster, "web")
    cluster.call(cluster.kubelets.start, WORKER)
    cluster.advance(15)
    assert _ready(cluster)["status"] == "True"
    assert _taints(cluster) == set()
    with pytest.raises(errors.StatusError):
        get(cluster, "web")  # the kubelet finished the deletion
    assert ("Normal", "NodeReady", f"Node {WORKER} status is now: NodeReady") in \
        events(cluster, WORKER)


def test_toleration_seconds_and_forever(cluster: Cluster) -> None:
    unreachable = {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                   "effect": "NoExecute"}
    not_ready = {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                 "effect": "NoExecute"}
    create(cluster, bound_pod("short", [NGINX],
                              tolerations=[{**unreachable, "tolerationSeconds": 60}, not_ready]))
    create(cluster, bound_pod("forever", [NGINX], tolerations=[unreachable, not_ready]))
    cluster.advance(10)
    cluster.call(cluster.kubelets.stop, WORKER)
    watch_until(cluster, lambda: ("node.kubernetes.io/unreachable", "NoExecute")
                in _taints(cluster), 90)
    cluster.advance(55)
    assert "deletionTimestamp" not in get(cluster, "short")["metadata"]
    cluster.advance(10)
    assert get(cluster, "short")["metadata"]["deletionTimestamp"]
    cluster.advance(600)
    assert "deletionTimestamp" not in get(cluster, "forever")["metadata"]
    assert condition(get(cluster, "forever"), "Ready")["status"] == "False"
    cluster.call(cluster.kubelets.start, WORKER)
    cluster.advance(5)
    assert condition(get(cluster, "forever"), "Ready")["status"] == "True"


def test_cordon_taints_the_node_unschedulable(cluster: Cluster) -> None:
    patch = {"spec": {"unschedulable": True}}
    cluster.client.patch("nodes", WORKER, patch, "application/strategic-merge-patch+json")
    cluster.advance(1)
    assert ("node.kubernetes.io/unschedulable", "NoSchedule") in _taints(cluster)
    cluster.client.patch("nodes", WORKER, {"spec": {"unschedulable": None}},
                         "application/strategic-merge-patch+json")
    cluster.advance(1)
    assert _taints(cluster) == set()


def test_registered_node_events(cluster: Cluster) -> None:
    assert ("Normal", "RegisteredNode",
            f"Node {WORKER} event: Registered Node {WORKER} in Controller") in \
        events(cluster, WORKER)


def test_not_ready_node_without_kubelet_taint_added_at_registration_is_cleared() -> None:
    """A node created not-ready (TaintNodesByCondition admission) loses the taint once Ready."""
    config = ClusterConfig(virtual=True, fsync=False,
                           components=[run_kubelets, run_node_lifecycle_controller])
    with Cluster(config) as cluster:
        cluster.advance(1)
        node = _node(cluster)
        node["spec"]["taints"] = [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]
        cluster.client.update("nodes", node)
        cluster.advance(1)
        assert _taints(cluster) == set()


def test_taint_helpers() -> None:
    taint = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
    assert tolerates({"operator": "Exists"}, taint)
    assert tolerates({"key": taint["key"], "operator": "Exists", "effect": "NoExecute"}, taint)
    assert not tolerates({"key": taint["key"], "operator": "Exists", "effect": "NoSchedule"},
                         taint)
    assert not tolerates({"key": "other", "operator": "Exists"}, taint)
    assert tolerates({"key": "k", "value": "v"}, {"key": "k", "value": "v", "effect": "NoSchedule"})
    node = {"spec": {"unschedulable": True},
            "status": {"conditions": [{"type": "Ready", "status": "Unknown"},
                                      {"type": "MemoryPressure", "status": "True"}]}}
    wanted = no_schedule_taints(node)
    assert {t["key"] for t in wanted} == {"node.kubernetes.io/unreachable",
                                          "node.kubernetes.io/memory-pressure",
                                          "node.kubernetes.io/unschedulable"}
    keep = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
    assert keep in reconcile_no_schedule([keep], wanted)
    assert reconcile_no_schedule(wanted, wanted) is None
    tainted = with_no_execute([keep], "node.kubernetes.io/not-ready", "2025-01-01T00:00:00Z")
    assert tainted[-1]["timeAdded"] == "2025-01-01T00:00:00Z"
    assert with_no_execute(tainted, None, "") == [keep]


@pytest.mark.parametrize("shared", [False, True], ids=["own-factory", "manager-factory"])
def test_removed_node_pods_are_garbage_collected(shared: bool) -> None:
    from engine.controllers.nodelifecycle.podgc import run_pod_gc_controller

    component = _in_controller_manager if shared else run_pod_gc_controller
    config = ClusterConfig(virtual=True, fsync=False, components=[run_kubelets, component])
    with Cluster(config) as cluster:
        cluster.advance(1)
        name = cluster.call(cluster.kubelets.add_node)
        create(cluster, bound_pod("web", [NGINX], node=name))
        cluster.advance(10)
        cluster.call(cluster.kubelets.remove_node, name)
        cluster.advance(30)
        assert get(cluster, "web")
        cluster.advance(40)
        with pytest.raises(errors.StatusError):
            get(cluster, "web")
