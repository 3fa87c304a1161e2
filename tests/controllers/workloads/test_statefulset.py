"""StatefulSet controller on its own (the test plays kubelet; pods on no node
are deleted at once, as the API server does): ordered
creation and deletion, claims, rolling updates with a partition, revisions,
retention policy, Parallel and OnDelete."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from engine.controllers.history.rollback import rollout_undo
from tests.controllers.conftest import events, get, mark_ready, pods

Obj = dict[str, Any]


def myapp(replicas: int = 3, claims: bool = True, **spec: Any) -> Obj:
    labels = {"app": "myapp"}
    body: Obj = {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "myapp", "namespace": "default"},
        "spec": {"serviceName": "myapp", "replicas": replicas,
                 "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "app", "image": "nginx:1.14.2",
                                                       "ports": [{"containerPort": 80}]}]}},
                 **spec},
    }
    if claims:
        body["spec"]["volumeClaimTemplates"] = [{
            "metadata": {"name": "www"},
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}}]
    return body


def names(cluster: Cluster) -> list[str]:
    return [p["metadata"]["name"] for p in pods(cluster, selector="app=myapp")
            if "deletionTimestamp" not in p["metadata"]]


def step(cluster: Cluster, seconds: float = 1) -> None:
    cluster.advance(seconds)
    mark_ready(cluster, selector="app=myapp")
    cluster.advance(0.1)


def image(pod: Obj) -> str:
    return pod["spec"]["containers"][0]["image"]


def update(cluster: Cluster, change: Any) -> None:
    sts = get(cluster, "statefulsets", "myapp")
    change(sts)
    cluster.client.update("statefulsets", sts)


def test_ordered_creation_claims_and_identity(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp())
    kcm.advance(1)
    assert names(kcm) == ["myapp-0"]  # myapp-1 waits for myapp-0 to be Running and Ready
    kcm.advance(5)
    assert names(kcm) == ["myapp-0"]
    step(kcm)
    assert names(kcm) == ["myapp-0", "myapp-1"]
    step(kcm)
    step(kcm)
    assert names(kcm) == ["myapp-0", "myapp-1", "myapp-2"]
    pod = get(kcm, "pods", "myapp-1")
    assert pod["spec"]["hostname"] == "myapp-1"
    assert pod["spec"]["subdomain"] == "myapp"
    labels = pod["metadata"]["labels"]
    assert labels["statefulset.kubernetes.io/pod-name"] == "myapp-1"
    assert labels["apps.kubernetes.io/pod-index"] == "1"
    assert labels["controller-revision-hash"].startswith("myapp-")
    assert pod["spec"]["volumes"][0] == {"name": "www",
                                         "persistentVolumeClaim": {"claimName": "www-myapp-1"}}
    claims = [c["metadata"]["name"] for c in
              kcm.client.list("persistentvolumeclaims", "default")["items"]]
    assert sorted(claims) == ["www-myapp-0", "www-myapp-1", "www-myapp-2"]
    claim = get(kcm, "persistentvolumeclaims", "www-myapp-0")
    assert claim["metadata"]["labels"] == {"app": "myapp"}
    assert "ownerReferences" not in claim["metadata"]  # Retain/Retain
    messages = [e["message"] for e in events(kcm, name="myapp")]
    assert messages[:4] == [
        "create Claim www-myapp-0 Pod myapp-0 in StatefulSet myapp success",
        "create Pod myapp-0 in StatefulSet myapp successful",
        "create Claim www-myapp-1 Pod myapp-1 in StatefulSet myapp success",
        "create Pod myapp-1 in StatefulSet myapp successful",
    ]
    step(kcm)
    status = get(kcm, "statefulsets", "myapp")["status"]
    assert status["replicas"] == status["readyReplicas"] == status["currentReplicas"] == 3
    assert status["updatedReplicas"] == status["availableReplicas"] == 3
    assert status["currentRevision"] == status["updateRevision"] == labels[
        "controller-revision-hash"]
    assert status["collisionCount"] == 0
    assert status["observedGeneration"] == 1


def test_scale_down_in_reverse_keeps_claims(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp(replicas=4))
    for _ in range(6):
        step(kcm)
    assert names(kcm) == ["myapp-0", "myapp-1", "myapp-2", "myapp-3"]
    update(kcm, lambda s: s["spec"].update(replicas=2))
    kcm.advance(1)  # pods on no node are deleted at once: one sync each
    assert names(kcm) == ["myapp-0", "myapp-1"]
    deletes = [e["message"] for e in events(kcm, name="myapp", reason="SuccessfulDelete")]
    assert deletes == ["delete Pod myapp-3 in StatefulSet myapp successful",
                       "delete Pod myapp-2 in StatefulSet myapp successful"]
    claims = sorted(c["metadata"]["name"] for c in
                    kcm.client.list("persistentvolumeclaims", "default")["items"])
    assert claims == ["www-myapp-0", "www-myapp-1", "www-myapp-2", "www-myapp-3"]
    assert get(kcm, "statefulsets", "myapp")["status"]["replicas"] == 2


def test_partitioned_rolling_update(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp(claims=False))
    for _ in range(4):
        step(kcm)
    first = get(kcm, "statefulsets", "myapp")["status"]["currentRevision"]

    def canary(s: Obj) -> None:
        s["spec"]["updateStrategy"] = {"type": "RollingUpdate",
                                       "rollingUpdate": {"partition": 2}}
        s["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.16.1"

    update(kcm, canary)
    kcm.advance(1)
    for _ in range(3):
        step(kcm)
    images = {p["metadata"]["name"]: image(p) for p in pods(kcm, selector="app=myapp")}
    assert images == {"myapp-0": "nginx:1.14.2", "myapp-1": "nginx:1.14.2",
                      "myapp-2": "nginx:1.16.1"}
    status = get(kcm, "statefulsets", "myapp")["status"]
    assert status["currentRevision"] == first != status["updateRevision"]
    assert (status["currentReplicas"], status["updatedReplicas"]) == (2, 1)

    update(kcm, lambda s: s["spec"]["updateStrategy"]["rollingUpdate"].update(partition=0))
    for _ in range(6):
        kcm.advance(1)
        step(kcm)
    images = {p["metadata"]["name"]: image(p) for p in pods(kcm, selector="app=myapp")}
    assert set(images.values()) == {"nginx:1.16.1"}
    deleted = [e["message"].split()[2] for e in
               events(kcm, name="myapp", reason="SuccessfulDelete")]
    assert deleted == ["myapp-2", "myapp-1", "myapp-0"]  # reverse ordinal order
    status = get(kcm, "statefulsets", "myapp")["status"]
    assert status["currentRevision"] == status["updateRevision"]
    assert status["currentReplicas"] == status["updatedReplicas"] == 3
    revisions = kcm.client.list("controllerrevisions", "default")["items"]
    assert sorted(r["revision"] for r in revisions) == [1, 2]


def test_rollout_undo_renumbers_the_old_revision(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp(replicas=1, claims=False))
    step(kcm)
    step(kcm)
    first = get(kcm, "statefulsets", "myapp")["status"]["currentRevision"]
    update(kcm, lambda s: s["spec"]["template"]["spec"]["containers"][0].update(
        image="nginx:1.16.1"))
    for _ in range(3):
        kcm.advance(1)
        step(kcm)
    assert image(get(kcm, "pods", "myapp-0")) == "nginx:1.16.1"
    assert rollout_undo(kcm.client, "statefulsets", "default", "myapp") == "rolled back"
    for _ in range(3):
        kcm.advance(1)
        step(kcm)
    assert image(get(kcm, "pods", "myapp-0")) == "nginx:1.14.2"
    status = get(kcm, "statefulsets", "myapp")["status"]
    assert status["updateRevision"] == status["currentRevision"] == first
    revisions = {r["metadata"]["name"]: r["revision"] for r in
                 kcm.client.list("controllerrevisions", "default")["items"]}
    assert revisions[first] == 3
    assert sorted(revisions.values()) == [2, 3]


def test_parallel_creates_and_deletes_at_once(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp(claims=False, podManagementPolicy="Parallel"))
    kcm.advance(1)
    assert names(kcm) == ["myapp-0", "myapp-1", "myapp-2"]
    update(kcm, lambda s: s["spec"].update(replicas=0))
    kcm.advance(1)
    assert names(kcm) == []


def test_on_delete_waits_for_manual_deletion(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp(replicas=2, claims=False,
                                            updateStrategy={"type": "OnDelete"}))
    for _ in range(3):
        step(kcm)
    update(kcm, lambda s: s["spec"]["template"]["spec"]["containers"][0].update(
        image="nginx:1.16.1"))
    for _ in range(3):
        step(kcm)
    assert {image(p) for p in pods(kcm, selector="app=myapp")} == {"nginx:1.14.2"}
    kcm.client.delete("pods", "myapp-1", namespace="default")
    for _ in range(3):
        step(kcm)
    images = {p["metadata"]["name"]: image(p) for p in pods(kcm, selector="app=myapp")}
    assert images == {"myapp-0": "nginx:1.14.2", "myapp-1": "nginx:1.16.1"}
    status = get(kcm, "statefulsets", "myapp")["status"]
    assert (status["currentReplicas"], status["updatedReplicas"]) == (1, 1)


def test_failed_pod_is_replaced(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp(replicas=1, claims=False))
    step(kcm)
    pod = get(kcm, "pods", "myapp-0")
    uid = pod["metadata"]["uid"]
    pod["status"]["phase"] = "Failed"
    kcm.client.update_status("pods", pod)
    kcm.advance(2)
    assert get(kcm, "pods", "myapp-0")["metadata"]["uid"] != uid


def test_max_unavailable_rolls_two_at_a_time(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp(replicas=4, claims=False))
    for _ in range(6):
        step(kcm)
    update(kcm, lambda s: (s["spec"].update(updateStrategy={
        "type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 2}}),
        s["spec"]["template"]["spec"]["containers"][0].update(image="nginx:1.16.1")))
    kcm.advance(1)
    deleted = [e["message"].split()[2] for e in
               events(kcm, name="myapp", reason="SuccessfulDelete")]
    assert deleted[:2] == ["myapp-3", "myapp-2"]


def test_retention_policy_owner_references(kcm: Cluster) -> None:
    policy = {"whenDeleted": "Delete", "whenScaled": "Delete"}
    kcm.client.create("statefulsets", myapp(replicas=2,
                                            persistentVolumeClaimRetentionPolicy=policy))
    for _ in range(4):
        step(kcm)
    sts = get(kcm, "statefulsets", "myapp")
    owners = get(kcm, "persistentvolumeclaims", "www-myapp-1")["metadata"]["ownerReferences"]
    assert [(o["kind"], o["uid"], o["controller"]) for o in owners] == [
        ("StatefulSet", sts["metadata"]["uid"], True)]
    pod_uid = get(kcm, "pods", "myapp-1")["metadata"]["uid"]
    watch = kcm.client.watch("persistentvolumeclaims", "default",
                             field_selector="metadata.name=www-myapp-1")
    update(kcm, lambda s: s["spec"].update(replicas=1))
    kcm.advance(1)
    # whenScaled: Delete hands the condemned claim to its pod before the pod
    # goes (upstream stateful_set_utils.go updateClaimOwnerRefForSetAndPod) ...
    seen = [[(o["kind"], o["uid"]) for o in e.object["metadata"].get("ownerReferences") or ()]
            for e in watch.drain()]
    assert [("Pod", pod_uid)] in seen
    # ... so the garbage collector deletes it once the pod is gone, and
    # pvc-protection lets it go: no scheduled pod uses it (KEP-1847 "Auto
    # delete PVCs created by StatefulSet"; pvc_protection_controller.go podUsesPVC).
    assert get(kcm, "persistentvolumeclaims", "www-myapp-1") is None
    assert get(kcm, "persistentvolumeclaims", "www-myapp-0") is not None


def test_revisions_and_history_limit(kcm: Cluster) -> None:
    kcm.client.create("statefulsets", myapp(replicas=1, claims=False, revisionHistoryLimit=1))
    step(kcm)
    for version in ("1.15.0", "1.16.0", "1.17.0"):
        update(kcm, lambda s, v=version: s["spec"]["template"]["spec"]["containers"][0].update(
            image=f"nginx:{v}"))
        for _ in range(3):
            step(kcm)
    revisions = kcm.client.list("controllerrevisions", "default")["items"]
    numbers = sorted(r["revision"] for r in revisions)
    assert numbers == [3, 4]  # the update revision and one more
    latest = max(revisions, key=lambda r: r["revision"])
    template = latest["data"]["spec"]["template"]
    assert template["$patch"] == "replace"
    assert template["metadata"] == {"creationTimestamp": None, "labels": {"app": "myapp"}}
    labels = latest["metadata"]["labels"]
    assert latest["metadata"]["name"] == f"myapp-{labels['controller.kubernetes.io/hash']}"
    assert labels["app"] == "myapp"
