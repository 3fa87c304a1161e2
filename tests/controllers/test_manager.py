"""kube-controller-manager leader election: one leader acts, a standby takes over."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.cluster import Cluster, ClusterConfig
from engine.controllers.manager import ControllerManager, default_identity
from tests.controllers.conftest import get, pods, replica_set


def _component(identity: str, managers: list[ControllerManager]) -> Callable[[Any], Any]:
    async def run(cluster: Any) -> None:
        manager = ControllerManager(cluster, identity=identity, node_lifecycle=False)
        managers.append(manager)
        await manager.run()
    return run


def test_only_one_manager_leads_and_a_standby_takes_over() -> None:
    managers: list[ControllerManager] = []
    config = ClusterConfig(virtual=True, components=[_component("a_1", managers),
                                                     _component("b_2", managers)])
    with Cluster(config) as cluster:
        cluster.advance(1)
        leaders = [m for m in managers if m.leading]
        assert len(leaders) == 1
        lease = get(cluster, "leases", "kube-controller-manager", "kube-system")
        assert lease["spec"]["holderIdentity"] == leaders[0].identity
        assert lease["spec"]["leaseDurationSeconds"] == 15
        cluster.client.create("replicasets", replica_set("web", 3))
        cluster.advance(5)
        assert len(pods(cluster)) == 3  # one controller acted, once
        cluster.call(leaders[0].stop)
        cluster.advance(5)
        assert not any(m.leading for m in managers)  # the lease has not expired yet
        cluster.advance(20)
        standby = next(m for m in managers if m is not leaders[0])
        assert standby.leading
        lease = get(cluster, "leases", "kube-controller-manager", "kube-system")
        assert lease["spec"]["holderIdentity"] == standby.identity
        assert lease["spec"]["leaseTransitions"] == 1
        victim = pods(cluster)[0]["metadata"]["name"]
        cluster.client.delete("pods", victim, namespace="default")
        cluster.advance(1)
        assert len(pods(cluster)) == 3  # the new leader's ReplicaSet controller works


def test_identity_is_host_and_seeded_uuid(kcm: Cluster) -> None:
    identity = default_identity(kcm)
    host, _, uid = identity.partition("_")
    assert host == "k9py-control-plane" and len(uid) == 36
    assert identity == default_identity(kcm)
    lease = get(kcm, "leases", "kube-controller-manager", "kube-system")
    assert lease["spec"]["holderIdentity"] == identity
