"""DaemonSet controller on its own (nodes made by hand, the test plays
kubelet): one pod per eligible node, taints and tolerations, node selectors,
rolling updates and rollback through ControllerRevisions."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from engine.controllers.history.rollback import rollout_undo
from tests.controllers.conftest import events, get, mark_ready, pods

Obj = dict[str, Any]
SELECTOR = "name=fluentd-elasticsearch"


def node(name: str, labels: dict[str, str] | None = None, taints: list[Obj] | None = None) -> Obj:
    body: Obj = {"apiVersion": "v1", "kind": "Node",
                 "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name,
                                                       **(labels or {})}},
                 "spec": {}}
    if taints:
        body["spec"]["taints"] = taints
    return body


def fluentd(**spec: Any) -> Obj:
    labels = {"name": "fluentd-elasticsearch"}
    return {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "fluentd-elasticsearch", "namespace": "default"},
        "spec": {"selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{
                                  "name": "fluentd-elasticsearch",
                                  "image": "quay.io/fluentd_elasticsearch/fluentd:v2.5.2"}]}},
                 **spec},
    }


def placed(cluster: Cluster) -> dict[str, str]:
    """Pod name -> the node its affinity pins it to."""
    out = {}
    for pod in pods(cluster, selector=SELECTOR):
        if "deletionTimestamp" in pod["metadata"]:
            continue
        terms = pod["spec"]["affinity"]["nodeAffinity"][
            "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        out[pod["metadata"]["name"]] = terms[0]["matchFields"][0]["values"][0]
    return out


def nodes_with_pods(cluster: Cluster) -> list[str]:
    return sorted(placed(cluster).values())


def status(cluster: Cluster) -> Obj:
    return get(cluster, "daemonsets", "fluentd-elasticsearch")["status"]


def test_one_pod_per_node_and_new_nodes(kcm: Cluster) -> None:
    for name in ("n1", "n2"):
        kcm.client.create("nodes", node(name))
    kcm.client.create("daemonsets", fluentd())
    kcm.advance(1)
    assert nodes_with_pods(kcm) == ["n1", "n2"]
    pod = pods(kcm, selector=SELECTOR)[0]
    assert pod["metadata"]["generateName"] == "fluentd-elasticsearch-"
    labels = pod["metadata"]["labels"]
    assert labels["pod-template-generation"] == "1"
    revision = kcm.client.list("controllerrevisions", "default")["items"]
    assert [r["metadata"]["name"] for r in revision] == [
        f"fluentd-elasticsearch-{labels['controller-revision-hash']}"]
    assert revision[0]["revision"] == 1
    keys = [(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]]
    assert keys == [("node.kubernetes.io/not-ready", "NoExecute"),
                    ("node.kubernetes.io/unreachable", "NoExecute"),
                    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
                    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
                    ("node.kubernetes.io/unschedulable", "NoSchedule")]
    assert all("tolerationSeconds" not in t for t in pod["spec"]["tolerations"])
    created = [e["message"] for e in events(kcm, name="fluentd-elasticsearch",
                                            reason="SuccessfulCreate")]
    assert sorted(created) == sorted(f"Created pod: {n}" for n in placed(kcm))
    mark_ready(kcm, selector=SELECTOR)
    kcm.advance(1)
    assert status(kcm) == {"currentNumberScheduled": 2, "numberMisscheduled": 0,
                           "desiredNumberScheduled": 2, "numberReady": 2,
                           "observedGeneration": 1, "updatedNumberScheduled": 2,
                           "numberAvailable": 2}
    kcm.client.create("nodes", node("n3"))
    kcm.advance(1)
    assert nodes_with_pods(kcm) == ["n1", "n2", "n3"]
    assert status(kcm)["desiredNumberScheduled"] == 3
    assert status(kcm)["numberUnavailable"] == 1


def test_taints_and_node_selector(kcm: Cluster) -> None:
    kcm.client.create("nodes", node("n1", {"disk": "ssd"}))
    kcm.client.create("nodes", node("n2", {"disk": "ssd"}, taints=[
        {"key": "dedicated", "value": "db", "effect": "NoSchedule"}]))
    kcm.client.create("nodes", node("n3"))
    kcm.client.create("daemonsets", fluentd(template={
        "metadata": {"labels": {"name": "fluentd-elasticsearch"}},
        "spec": {"nodeSelector": {"disk": "ssd"},
                 "containers": [{"name": "f", "image": "fluentd"}]}}))
    kcm.advance(1)
    assert nodes_with_pods(kcm) == ["n1"]  # n2 tainted, n3 not selected
    assert status(kcm)["desiredNumberScheduled"] == 1

    # A NoSchedule taint added later keeps the running pod, but a new one stays off.
    n1 = get(kcm, "nodes", "n1", namespace="")
    n1["spec"]["taints"] = [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]
    kcm.client.update("nodes", n1)
    kcm.advance(1)
    assert nodes_with_pods(kcm) == ["n1"]
    assert status(kcm)["desiredNumberScheduled"] == 0
    assert status(kcm)["numberMisscheduled"] == 1
    kcm.client.delete("pods", pods(kcm, selector=SELECTOR)[0]["metadata"]["name"],
                      namespace="default")
    kcm.advance(1)
    assert nodes_with_pods(kcm) == []

    # NoExecute evicts (the daemon pod only tolerates not-ready/unreachable).
    ds = get(kcm, "daemonsets", "fluentd-elasticsearch")
    ds["spec"]["template"]["spec"]["tolerations"] = [
        {"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}]
    kcm.client.update("daemonsets", ds)
    kcm.advance(1)
    assert nodes_with_pods(kcm) == ["n1", "n2"]
    n2 = get(kcm, "nodes", "n2", namespace="")
    n2["spec"]["taints"].append({"key": "broken", "effect": "NoExecute"})
    kcm.client.update("nodes", n2)
    kcm.advance(1)
    assert nodes_with_pods(kcm) == ["n1"]


def test_rolling_update_and_rollback(kcm: Cluster) -> None:
    for name in ("n1", "n2", "n3"):
        kcm.client.create("nodes", node(name))
    kcm.client.create("daemonsets", fluentd())
    kcm.advance(1)
    mark_ready(kcm, selector=SELECTOR)
    kcm.advance(1)
    first = pods(kcm, selector=SELECTOR)[0]["metadata"]["labels"]["controller-revision-hash"]
    ds = get(kcm, "daemonsets", "fluentd-elasticsearch")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "fluentd:v2.6.0"
    kcm.client.update("daemonsets", ds)
    kcm.advance(1)
    hashes = [p["metadata"]["labels"]["controller-revision-hash"]
              for p in pods(kcm, selector=SELECTOR)]
    assert sorted(hashes).count(first) == 2  # maxUnavailable 1: one node at a time
    for _ in range(4):
        mark_ready(kcm, selector=SELECTOR)
        kcm.advance(1)
    second = {p["metadata"]["labels"]["controller-revision-hash"]
              for p in pods(kcm, selector=SELECTOR)}
    assert len(second) == 1 and first not in second
    assert {p["spec"]["containers"][0]["image"] for p in pods(kcm, selector=SELECTOR)} == {
        "fluentd:v2.6.0"}
    assert status(kcm)["updatedNumberScheduled"] == 3
    assert rollout_undo(kcm.client, "daemonsets", "default", "fluentd-elasticsearch") == \
        "rolled back"
    for _ in range(5):
        mark_ready(kcm, selector=SELECTOR)
        kcm.advance(1)
    assert {p["metadata"]["labels"]["controller-revision-hash"]
            for p in pods(kcm, selector=SELECTOR)} == {first}
    assert {p["spec"]["containers"][0]["image"] for p in pods(kcm, selector=SELECTOR)} == {
        "quay.io/fluentd_elasticsearch/fluentd:v2.5.2"}
    revisions = {r["metadata"]["labels"]["controller-revision-hash"]: r["revision"]
                 for r in kcm.client.list("controllerrevisions", "default")["items"]}
    assert revisions[first] == 3  # the old revision renumbered, not copied
    assert sorted(revisions.values()) == [2, 3]
    assert get(kcm, "daemonsets", "fluentd-elasticsearch")["metadata"]["annotations"][
        "deprecated.daemonset.template.generation"] == "3"


def test_max_surge_starts_the_new_pod_first(kcm: Cluster) -> None:
    kcm.client.create("nodes", node("n1"))
    kcm.client.create("daemonsets", fluentd(updateStrategy={
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}))
    kcm.advance(1)
    mark_ready(kcm, selector=SELECTOR)
    kcm.advance(1)
    (old,) = placed(kcm)
    ds = get(kcm, "daemonsets", "fluentd-elasticsearch")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "fluentd:v2.6.0"
    kcm.client.update("daemonsets", ds)
    kcm.advance(1)
    assert len(placed(kcm)) == 2 and old in placed(kcm)  # surged: old keeps running
    mark_ready(kcm, selector=SELECTOR)
    kcm.advance(1)
    (new,) = placed(kcm)
    assert new != old


def test_failed_daemon_pod_is_replaced(kcm: Cluster) -> None:
    kcm.client.create("nodes", node("n1"))
    kcm.client.create("daemonsets", fluentd())
    kcm.advance(1)
    pod = pods(kcm, selector=SELECTOR)[0]
    pod["status"]["phase"] = "Failed"
    kcm.client.update_status("pods", pod)
    kcm.advance(2)
    name = pod["metadata"]["name"]
    assert name not in placed(kcm) and len(placed(kcm)) == 1
    assert [e["message"] for e in events(kcm, name="fluentd-elasticsearch",
                                         reason="FailedDaemonPod")] == [
        f"Found failed daemon pod default/{name} on node n1, will try to kill it"]


def test_on_delete_keeps_old_pods(kcm: Cluster) -> None:
    kcm.client.create("nodes", node("n1"))
    kcm.client.create("daemonsets", fluentd(updateStrategy={"type": "OnDelete"}))
    kcm.advance(1)
    (old,) = placed(kcm)
    ds = get(kcm, "daemonsets", "fluentd-elasticsearch")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "fluentd:v2.6.0"
    kcm.client.update("daemonsets", ds)
    kcm.advance(2)
    assert list(placed(kcm)) == [old]
    assert status(kcm).get("updatedNumberScheduled", 0) == 0
