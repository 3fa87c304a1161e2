"""Kubelets register their nodes, heartbeat their Leases and report status."""

from __future__ import annotations

from datetime import datetime

from engine.cluster import Cluster
from tests.kubelet.helpers import WORKER, events


def _stamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_kubelets_register_kind_style_nodes(cluster: Cluster) -> None:
    nodes = {n["metadata"]["name"]: n for n in cluster.client.list("nodes")["items"]}
    assert sorted(nodes) == ["k9py-control-plane", "k9py-worker", "k9py-worker2"]
    worker = nodes[WORKER]
    assert worker["spec"]["podCIDR"] == "10.244.1.0/24"
    status = worker["status"]
    assert {c["type"]: c["status"] for c in status["conditions"]} == {
        "MemoryPressure": "False", "DiskPressure": "False", "PIDPressure": "False",
        "Ready": "True"}
    ready = next(c for c in status["conditions"] if c["type"] == "Ready")
    assert (ready["reason"], ready["message"]) == ("KubeletReady",
                                                   "kubelet is posting ready status")
    assert status["addresses"] == [{"type": "InternalIP", "address": "172.18.0.3"},
                                   {"type": "Hostname", "address": WORKER}]
    info = status["nodeInfo"]
    assert info["kubeletVersion"] == "v1.32.0"
    assert info["containerRuntimeVersion"] == "containerd://1.7.24"
    assert len(info["machineID"]) == 32
    names = [n for image in status["images"] for n in image["names"]]
    assert "registry.k8s.io/pause:3.10" in names
    assert nodes["k9py-control-plane"]["spec"]["taints"] == [
        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]


def test_registration_events_use_kubelet_wording(cluster: Cluster) -> None:
    seen = [(reason, message) for _, reason, message in events(cluster, WORKER)]
    assert ("Starting", "Starting kubelet.") in seen
    assert ("NodeHasSufficientMemory", f"Node {WORKER} status is now: NodeHasSufficientMemory") \
        in seen
    assert ("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods") in seen


def test_lease_renewed_every_ten_seconds(cluster: Cluster) -> None:
    lease = cluster.client.get("leases", WORKER, "kube-node-lease")
    node = cluster.client.get("nodes", WORKER)
    assert lease["spec"]["holderIdentity"] == WORKER
    assert lease["spec"]["leaseDurationSeconds"] == 40
    assert lease["metadata"]["ownerReferences"][0]["uid"] == node["metadata"]["uid"]
    renewals = []
    for _ in range(6):
        cluster.advance(10)
        renewals.append(_stamp(cluster.client.get("leases", WORKER,
                                                  "kube-node-lease")["spec"]["renewTime"]))
    gaps = {round(b - a, 3) for a, b in zip(renewals, renewals[1:], strict=False)}
    assert gaps == {10.0}


def test_node_status_reported_every_five_minutes_when_unchanged(cluster: Cluster) -> None:
    def heartbeat() -> str:
        node = cluster.client.get("nodes", WORKER)
        return next(c for c in node["status"]["conditions"]
                    if c["type"] == "Ready")["lastHeartbeatTime"]

    first = heartbeat()
    cluster.advance(120)
    assert heartbeat() == first  # the Lease carries liveness in between
    cluster.advance(200)
    assert _stamp(heartbeat()) - _stamp(first) >= 300


def test_add_and_remove_nodes(cluster: Cluster) -> None:
    name = cluster.call(cluster.kubelets.add_node)
    assert name == "k9py-worker3"
    cluster.advance(1)
    node = cluster.client.get("nodes", name)
    assert node["spec"]["podCIDR"] == "10.244.3.0/24"
    assert cluster.client.get("leases", name, "kube-node-lease")
    cluster.call(cluster.kubelets.remove_node, name)
    cluster.advance(1)
    names = [n["metadata"]["name"] for n in cluster.client.list("nodes")["items"]]
    assert name not in names
