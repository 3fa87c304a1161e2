"""The actions' effect on the cluster, through the client only."""

from __future__ import annotations

import pytest

from engine.api.errors import StatusError
from engine.cluster import Cluster
from k9py.client import ReadOnlyClient
from k9py.ops import nodes, objects, workloads
from k9py.ops.describe import describe
from tests.tui.helpers import deployment, owned_replicaset


def _deploy(cluster: Cluster, name: str = "web", image: str = "nginx:1.14.2") -> dict:
    return cluster.client.create("deployments", deployment(name, image=image),
                                 namespace="default")


def test_scale_patches_replicas_and_rejects_bad_input(cluster: Cluster) -> None:
    _deploy(cluster)
    workloads.scale(cluster.client, "deployments.apps", "web", "default", 4)
    assert cluster.client.get("deployments", "web", "default")["spec"]["replicas"] == 4
    for bad in ("-1", "x", "", "1.5", "1000001"):
        with pytest.raises(ValueError):
            workloads.parse_replicas(bad)


def test_history_and_undo_follow_kubectl(bare_cluster: Cluster) -> None:
    cluster = bare_cluster
    dep = _deploy(cluster, image="nginx:1.16.1")
    for rev, image in ((1, "nginx:1.14.2"), (2, "nginx:1.16.1")):
        cluster.client.create("replicasets", owned_replicaset(dep, rev, image),
                              namespace="default")
    revs = workloads.history(cluster.client, "Deployment", dep)
    assert [(r.number, r.images, r.current) for r in revs] == [
        (1, "nginx:1.14.2", False), (2, "nginx:1.16.1", True)]
    message = workloads.undo(cluster.client, "Deployment", dep)
    assert message == "deployment.apps/web rolled back to revision 1"
    live = cluster.client.get("deployments", "web", "default")
    template = live["spec"]["template"]
    assert template["spec"]["containers"][0]["image"] == "nginx:1.14.2"
    assert "pod-template-hash" not in template["metadata"]["labels"]
    assert live["metadata"]["annotations"]["kubernetes.io/change-cause"] == "image nginx:1.14.2"
    with pytest.raises(ValueError, match="unable to find specified revision 9"):
        workloads.undo(cluster.client, "Deployment", live, 9)


def test_undo_refuses_a_paused_deployment(bare_cluster: Cluster) -> None:
    cluster = bare_cluster
    dep = _deploy(cluster)
    for rev in (1, 2):
        cluster.client.create("replicasets", owned_replicaset(dep, rev, f"nginx:{rev}"),
                              namespace="default")
    workloads.set_paused(cluster.client, "web", "default", True)
    dep = cluster.client.get("deployments", "web", "default")
    with pytest.raises(ValueError, match="paused"):
        workloads.undo(cluster.client, "Deployment", dep)


def test_restart_and_set_image(cluster: Cluster) -> None:
    _deploy(cluster)
    workloads.restart(cluster.client, "deployments.apps", "web", "default",
                      "2025-01-01T00:00:00Z")
    workloads.set_images(cluster.client, "deployments.apps", "web", "default",
                         {"nginx": "nginx:1.27"})
    t = cluster.client.get("deployments", "web", "default")["spec"]["template"]
    assert t["metadata"]["annotations"][workloads.RESTARTED_AT] == "2025-01-01T00:00:00Z"
    assert t["spec"]["containers"][0]["image"] == "nginx:1.27"
    with pytest.raises(ValueError, match="no container named nope"):
        workloads.set_images(cluster.client, "deployments.apps", "web", "default",
                             {"nope": "x"})


def test_cordon_taint_and_evictions(cluster: Cluster) -> None:
    c = cluster.client
    nodes.cordon(c, "k9py-worker")
    assert c.get("nodes", "k9py-worker")["spec"]["unschedulable"] is True
    taint = nodes.parse_taint("dedicated=gpu:NoExecute")
    nodes.add_taint(c, "k9py-worker", taint)
    assert {"key": "dedicated", "value": "gpu", "effect": "NoExecute"} in \
        c.get("nodes", "k9py-worker")["spec"]["taints"]
    pods = nodes.pods_on(c, "k9py-worker")
    victims = nodes.evicted_by(pods, taint)
    assert all(not nodes.tolerates(p, taint) for p in victims)
    nodes.remove_taint(c, "k9py-worker", "dedicated", "NoExecute")
    assert all(t["key"] != "dedicated" for t in c.get("nodes", "k9py-worker")["spec"].get(
        "taints", []))
    nodes.cordon(c, "k9py-worker", False)
    assert not c.get("nodes", "k9py-worker")["spec"].get("unschedulable")
    for bad in ("=x:NoSchedule", "k=v:Sometimes", "bad key:NoSchedule", "k=a/b:NoSchedule"):
        with pytest.raises(ValueError):
            nodes.parse_taint(bad)


def test_drain_filters_like_kubectl(cluster: Cluster) -> None:
    c = cluster.client
    c.create("pods", {"metadata": {"name": "lonely"}, "spec": {
        "nodeName": "k9py-worker2", "containers": [{"name": "c", "image": "busybox"}]}},
        namespace="default")
    steps = list(nodes.drain(c, "k9py-worker2", nodes.DrainOptions(timeout=1),
                             sleep=lambda _s: cluster.advance(1)))
    assert steps[0].message == "node/k9py-worker2 cordoned"
    assert any("not managed by a controller: default/lonely" in s.message for s in steps)
    assert steps[-1].done and steps[-1].error
    steps = list(nodes.drain(c, "k9py-worker2", nodes.DrainOptions(
        force=True, grace_period=0, timeout=5), sleep=lambda _s: cluster.advance(1)))
    assert steps[-1].message == "node/k9py-worker2 drained", [s.message for s in steps]
    assert all(p["metadata"]["name"] != "lonely" for p in nodes.pods_on(c, "k9py-worker2"))


def test_delete_kill_and_edit(cluster: Cluster) -> None:
    c = cluster.client
    cm = c.create("configmaps", {"metadata": {"name": "cfg"}, "data": {"a": "1"}},
                  namespace="default")
    text = objects.to_yaml(objects.clean_for_display(cm)).replace("a: '1'", "a: '2'")
    objects.apply_edit(c, "configmaps", cm, text)
    assert c.get("configmaps", "cfg", "default")["data"]["a"] == "2"
    with pytest.raises(StatusError) as err:  # stale resourceVersion: conflict, not overwrite
        objects.apply_edit(c, "configmaps", cm, text)
    assert err.value.code == 409
    with pytest.raises(ValueError, match="invalid YAML"):
        objects.apply_edit(c, "configmaps", cm, "a: [")
    objects.delete(c, "configmaps", "cfg", "default", propagation="Foreground")
    c.create("pods", {"metadata": {"name": "p"}, "spec": {
        "containers": [{"name": "c", "image": "busybox"}]}}, namespace="default")
    objects.kill(c, "pods", "p", "default")
    with pytest.raises(StatusError):
        c.get("pods", "p", "default")


def test_secret_data_is_masked_until_revealed() -> None:
    secret = {"kind": "Secret", "metadata": {"name": "s", "managedFields": [{}]},
              "data": {"password": "aHVudGVyMg=="}}
    masked = objects.clean_for_display(secret)
    assert masked["data"] == {"password": objects.MASK}
    assert "managedFields" not in masked["metadata"]
    assert objects.clean_for_display(secret, reveal=True)["data"]["password"] == "aHVudGVyMg=="


def test_readonly_client_refuses_writes(cluster: Cluster) -> None:
    ro = ReadOnlyClient(cluster.client)
    assert ro.list("nodes")["items"]
    with pytest.raises(StatusError) as err:
        ro.create("configmaps", {"metadata": {"name": "x"}}, namespace="default")
    assert err.value.code == 403 and "read-only" in str(err.value)
    with pytest.raises(StatusError):
        nodes.cordon(ro, "k9py-worker")


def test_describe_has_kubectl_sections_and_events(cluster: Cluster) -> None:
    node = cluster.client.get("nodes", "k9py-worker")
    text = describe(cluster.client, node, cluster.clock.now())
    for section in ("Name:", "Roles:", "Taints:", "Unschedulable:", "Conditions:",
                    "Capacity:", "Allocatable:", "System Info:", "Non-terminated Pods:",
                    "Events:"):
        assert section in text
    dep = _deploy(cluster)
    text = describe(cluster.client, dep, cluster.clock.now())
    assert "Replicas:" in text and "Pod Template:" in text and "StrategyType:" in text


def test_patch_types_match_the_engines() -> None:
    from engine.api import patch
    from k9py import client

    assert (client.JSON_PATCH, client.MERGE_PATCH, client.STRATEGIC_MERGE_PATCH) == (
        patch.JSON_PATCH, patch.MERGE_PATCH, patch.STRATEGIC_MERGE_PATCH)


def test_statefulset_undo_applies_the_controller_revision(bare_cluster: Cluster) -> None:
    cluster = bare_cluster
    c = cluster.client
    labels = {"app": "db"}
    sts = c.create("statefulsets", {
        "metadata": {"name": "db", "labels": labels},
        "spec": {"replicas": 0, "serviceName": "db", "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                     {"name": "db", "image": "postgres:17"}]}}}}, namespace="default")
    for number, image in ((101, "postgres:15"), (102, "postgres:16")):
        template = {"metadata": {"labels": labels}, "spec": {"containers": [
            {"name": "db", "image": image}]}, "$patch": "replace"}
        c.create("controllerrevisions", {
            "metadata": {"name": f"db-{number}", "labels": labels, "ownerReferences": [{
                "apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db",
                "uid": sts["metadata"]["uid"], "controller": True}]},
            "data": {"spec": {"template": template}}, "revision": number},
            namespace="default")
    revs = workloads.history(c, "StatefulSet", sts)
    assert [r.number for r in revs][-2:] == [101, 102] and revs[-1].current
    message = workloads.undo(c, "StatefulSet", c.get("statefulsets", "db", "default"))
    assert message == "statefulset.apps/db rolled back to revision 101"
    live = c.get("statefulsets", "db", "default")
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "postgres:15"
