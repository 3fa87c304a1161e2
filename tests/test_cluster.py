"""The embedded cluster as the UI sees it: booted nodes and system pods, a
thread-safe client, restarts from a state directory, deterministic virtual time."""

from __future__ import annotations

import threading
from pathlib import Path

from engine.api import errors
from engine.cluster import Cluster, ClusterConfig
from k9py.summary import cluster_summary
from tests.helpers import deployment


def test_boot_registers_kind_style_nodes(cluster: Cluster) -> None:
    nodes = {n["metadata"]["name"]: n for n in cluster.client.list("nodes")["items"]}
    assert sorted(nodes) == ["k9py-control-plane", "k9py-worker", "k9py-worker2"]
    cp = nodes["k9py-control-plane"]
    assert cp["spec"]["taints"] == [
        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    assert "node-role.kubernetes.io/control-plane" in cp["metadata"]["labels"]
    ready = {c["type"]: c["status"] for c in nodes["k9py-worker"]["status"]["conditions"]}
    assert ready == {"MemoryPressure": "False", "DiskPressure": "False",
                     "PIDPressure": "False", "Ready": "True"}
    assert nodes["k9py-worker"]["status"]["nodeInfo"]["kubeletVersion"] == "v1.32.0"
    assert "taints" not in nodes["k9py-worker"]["spec"]


def test_boot_shows_control_plane_pods_like_minikube(cluster: Cluster) -> None:
    cluster.advance(30)  # controllers create kube-proxy and coredns pods; kubelets run them
    pods = cluster.client.list("pods", "kube-system")["items"]
    names = sorted(p["metadata"]["name"] for p in pods)
    for component in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        assert f"{component}-k9py-control-plane" in names
    proxies = [p for p in pods if p["metadata"]["name"].startswith("kube-proxy-")]
    assert sorted(p["spec"]["nodeName"] for p in proxies) == [
        "k9py-control-plane", "k9py-worker", "k9py-worker2"]
    assert proxies[0]["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet"
    assert sum(n.startswith("coredns-") for n in names) == 2
    assert all(p["status"]["phase"] == "Running" for p in pods)
    namespaces = [n["metadata"]["name"] for n in cluster.client.list("namespaces")["items"]]
    assert namespaces == ["default", "kube-node-lease", "kube-public", "kube-system"]


def test_summary_prints_kubectl_layout(cluster: Cluster) -> None:
    text = cluster_summary(cluster.client)
    assert "k9py-control-plane   Ready    control-plane   v1.32.0" in text
    assert "kube-system   etcd-k9py-control-plane" in text


def test_fifty_threads_lose_no_update() -> None:
    """Read-modify-write with resourceVersion preconditions from 50 threads:
    every increment lands once; the losers got 409 Conflict and retried."""
    with Cluster(ClusterConfig(virtual=True, components=[])) as cluster:
        client = cluster.client
        client.create("configmaps", {"metadata": {"name": "counter"}, "data": {"n": "0"}},
                      namespace="default")
        conflicts = []
        lock = threading.Lock()

        def worker() -> None:
            for _ in range(10):
                while True:
                    cm = client.get("configmaps", "counter", "default")
                    cm["data"]["n"] = str(int(cm["data"]["n"]) + 1)
                    try:
                        client.update("configmaps", cm)
                        break
                    except errors.StatusError as err:
                        assert err.code == 409
                        with lock:
                            conflicts.append(err)

        threads = [threading.Thread(target=worker) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert client.get("configmaps", "counter", "default")["data"]["n"] == "500"
        assert conflicts, "concurrent writers should have collided"
        assert all("the object has been modified" in str(e) for e in conflicts)


def test_restart_from_state_dir_keeps_objects_and_resumes_watch(tmp_path: Path) -> None:
    # No controllers: the watch must show exactly this test's writes.
    config = ClusterConfig(virtual=True, state_dir=str(tmp_path), fsync=False, components=[])
    with Cluster(config) as first:
        first.client.create("deployments", deployment("nginx"), namespace="default")
        rv = first.client.list("deployments", "default")["metadata"]["resourceVersion"]
        d = first.client.get("deployments", "nginx", "default")
        d["spec"]["replicas"] = 4
        first.client.update("deployments", d)
        first.client.create("deployments", deployment("redis"), namespace="default")
    with Cluster(config) as second:
        names = [d["metadata"]["name"]
                 for d in second.client.list("deployments", "default")["items"]]
        assert names == ["nginx", "redis"]
        namespaces = second.client.list("namespaces")["items"]
        assert len(namespaces) == 4  # boot created nothing twice
        watch = second.client.watch("deployments", "default", resource_version=rv)
        second.settle()
        events = [(e.type, e.object["metadata"]["name"]) for e in watch.drain()]
        assert events == [("MODIFIED", "nginx"), ("ADDED", "redis")]
        watch.stop()


def test_virtual_clock_cluster_advances_only_when_driven(cluster: Cluster) -> None:
    start = cluster.clock.now()
    cluster.settle()
    assert cluster.clock.now() == start
    cluster.advance(3600)
    assert cluster.clock.now() == start + 3600
