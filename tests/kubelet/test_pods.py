"""Pods on their node: start-up, events, IPs, conditions, completion, deletion."""

from __future__ import annotations

import ipaddress

import pytest

from engine.api import errors
from engine.cluster import Cluster
from tests.kubelet.helpers import (
    WORKER,
    bound_pod,
    busybox,
    condition,
    container,
    create,
    events,
    get,
    reasons,
    state_of,
    watch_until,
)

NGINX = {"name": "nginx", "image": "nginx:1.14.2"}


def test_nginx_pod_starts_like_on_kind(cluster: Cluster) -> None:
    create(cluster, bound_pod("web", [NGINX]))
    cluster.advance(0.1)
    pod = get(cluster, "web")
    assert pod["status"]["phase"] == "Pending"
    assert state_of(pod) == ("waiting", "ContainerCreating")
    assert pod["status"]["hostIP"] == "172.18.0.3"
    assert "podIP" not in pod["status"]
    assert condition(pod, "PodReadyToStartContainers")["status"] == "False"
    assert condition(pod, "Ready")["message"] == "containers with unready status: [nginx]"
    cluster.advance(5)
    pod = get(cluster, "web")
    assert pod["status"]["phase"] == "Running"
    assert ipaddress.ip_address(pod["status"]["podIP"]) in ipaddress.ip_network("10.244.1.0/24")
    assert {c["type"]: c["status"] for c in pod["status"]["conditions"]} == {
        "PodReadyToStartContainers": "True", "Initialized": "True", "Ready": "True",
        "ContainersReady": "True", "PodScheduled": "True"}
    status = container(pod)
    assert status["image"] == "docker.io/library/nginx:1.14.2"
    assert status["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert status["containerID"].startswith("containerd://")
    assert (status["ready"], status["started"], status["restartCount"]) == (True, True, 0)
    seen = events(cluster, "web")
    assert [r for _, r, _ in seen] == ["Pulling", "Pulled", "Created", "Started"]
    assert seen[0][2] == 'Pulling image "nginx:1.14.2"'
    assert seen[1][2].startswith('Successfully pulled image "nginx:1.14.2" in ')
    assert "including waiting). Image size: " in seen[1][2] and seen[1][2].endswith(" bytes.")
    assert seen[2][2] == "Created container nginx"
    assert seen[3][2] == "Started container nginx"


def test_second_pod_finds_the_image_present(cluster: Cluster) -> None:
    create(cluster, bound_pod("a", [NGINX]))
    cluster.advance(10)
    create(cluster, bound_pod("b", [NGINX]))
    cluster.advance(2)
    assert events(cluster, "b")[0] == (
        "Normal", "Pulled", 'Container image "nginx:1.14.2" already present on machine')
    assert get(cluster, "b")["status"]["podIP"] != get(cluster, "a")["status"]["podIP"]


def test_host_network_pod_uses_the_node_ip(cluster: Cluster) -> None:
    create(cluster, bound_pod("host", [NGINX], hostNetwork=True))
    cluster.advance(5)
    assert get(cluster, "host")["status"]["podIP"] == "172.18.0.3"


@pytest.mark.parametrize("policy", ["Never", "OnFailure"])
def test_exit_zero_completes(cluster: Cluster, policy: str) -> None:
    create(cluster, bound_pod("job", [busybox("work", "echo done; sleep 3")],
                              restartPolicy=policy))
    watch_until(cluster, lambda: get(cluster, "job")["status"]["phase"] == "Succeeded", 30)
    pod = get(cluster, "job")
    terminated = container(pod)["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (0, "Completed")
    ready = condition(pod, "Ready")
    assert (ready["status"], ready["reason"]) == ("False", "PodCompleted")
    assert condition(pod, "PodReadyToStartContainers")["status"] == "False"
    assert container(pod)["restartCount"] == 0


def test_exit_one_with_never_fails(cluster: Cluster) -> None:
    create(cluster, bound_pod("job", [busybox("work", "exit 1")], restartPolicy="Never"))
    watch_until(cluster, lambda: get(cluster, "job")["status"]["phase"] == "Failed", 30)
    terminated = container(get(cluster, "job"))["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (1, "Error")


def test_init_containers_run_first(cluster: Cluster) -> None:
    pod = bound_pod("init", [NGINX], initContainers=[busybox("setup", "sleep 10")])
    create(cluster, pod)
    cluster.advance(6)
    pod = get(cluster, "init")
    assert pod["status"]["phase"] == "Pending"
    assert container(pod, init=True)["state"].get("running")
    assert state_of(pod) == ("waiting", "PodInitializing")
    initialized = condition(pod, "Initialized")
    assert initialized["message"] == "containers with incomplete status: [setup]"
    cluster.advance(15)
    pod = get(cluster, "init")
    assert pod["status"]["phase"] == "Running"
    assert container(pod, init=True)["state"]["terminated"]["reason"] == "Completed"
    assert container(pod, init=True)["ready"] is True
    assert condition(pod, "Initialized")["status"] == "True"


def test_graceful_deletion_of_a_server_is_quick(cluster: Cluster) -> None:
    create(cluster, bound_pod("web", [NGINX]))
    cluster.advance(5)
    cluster.client.delete("pods", "web", namespace="default")
    cluster.advance(2)
    with pytest.raises(errors.StatusError):
        get(cluster, "web")
    assert ("Normal", "Killing", "Stopping container nginx") in events(cluster, "web")


def test_graceful_deletion_waits_out_the_grace_period_for_pid1_sleep(cluster: Cluster) -> None:
    create(cluster, bound_pod("sleeper", [busybox("c", "sleep 3600")],
                              terminationGracePeriodSeconds=20))
    cluster.advance(5)
    cluster.client.delete("pods", "sleeper", namespace="default")
    cluster.advance(19)
    assert get(cluster, "sleeper")["metadata"]["deletionTimestamp"]
    cluster.advance(2)
    with pytest.raises(errors.StatusError) as info:
        get(cluster, "sleeper")
    assert info.value.code == 404


def test_pre_stop_sleep_runs_before_sigterm(cluster: Cluster) -> None:
    spec = {**NGINX, "lifecycle": {"preStop": {"sleep": {"seconds": 8}}}}
    create(cluster, bound_pod("web", [spec]))
    cluster.advance(5)
    cluster.client.delete("pods", "web", namespace="default")
    cluster.advance(7)
    assert get(cluster, "web")
    cluster.advance(3)
    with pytest.raises(errors.StatusError):
        get(cluster, "web")


def test_system_pods_are_adopted_not_restarted(cluster: Cluster) -> None:
    cluster.advance(30)
    pods = cluster.client.list("pods", "kube-system")["items"]
    assert pods and all(p["status"]["phase"] == "Running" for p in pods)
    assert all(c["restartCount"] == 0 for p in pods for c in p["status"]["containerStatuses"])
    for p in pods:
        assert "Created" not in reasons(cluster, p["metadata"]["name"], "kube-system")
    etcd = get(cluster, "etcd-k9py-control-plane", "kube-system")
    assert etcd["metadata"]["ownerReferences"][0]["kind"] == "Node"


def test_stopped_kubelet_leaves_pods_as_they_were(cluster: Cluster) -> None:
    create(cluster, bound_pod("web", [NGINX]))
    cluster.advance(5)
    before = container(get(cluster, "web"))["containerID"]
    cluster.call(cluster.kubelets.stop, WORKER)
    cluster.advance(60)
    assert get(cluster, "web")["status"]["phase"] == "Running"
    cluster.call(cluster.kubelets.start, WORKER)
    cluster.advance(5)
    status = container(get(cluster, "web"))
    assert status["containerID"] == before and status["restartCount"] == 0


def test_pod_that_does_not_fit_is_rejected(cluster: Cluster) -> None:
    big = {**NGINX, "resources": {"requests": {"cpu": "5"}}}
    create(cluster, bound_pod("big", [big]))
    cluster.advance(2)
    pod = get(cluster, "big")
    message = ("Pod was rejected: Node didn't have enough resource: cpu, requested: 5000, "
               "used: 0, capacity: 4000")
    assert (pod["status"]["phase"], pod["status"]["reason"], pod["status"]["message"]) == (
        "Failed", "OutOfcpu", message)
    assert ("Warning", "OutOfcpu", message) in events(cluster, "big")
    create(cluster, bound_pod("picky", [NGINX], nodeSelector={"disk": "ssd"}))
    cluster.advance(2)
    assert get(cluster, "picky")["status"]["reason"] == "NodeAffinity"


def test_active_deadline_fails_the_pod(cluster: Cluster) -> None:
    create(cluster, bound_pod("deadline", [busybox("app", "sleep 3600")],
                              activeDeadlineSeconds=30, restartPolicy="Never"))
    cluster.advance(35)
    pod = get(cluster, "deadline")
    assert (pod["status"]["phase"], pod["status"]["reason"]) == ("Failed", "DeadlineExceeded")
    assert ("Warning", "DeadlineExceeded",
            "Pod was active on the node longer than the specified deadline") \
        in events(cluster, "deadline")


def test_changing_the_image_restarts_the_container(cluster: Cluster) -> None:
    create(cluster, bound_pod("web", [NGINX]))
    cluster.advance(5)
    pod = get(cluster, "web")
    pod["spec"]["containers"][0]["image"] = "nginx:1.16.1"
    cluster.client.update("pods", pod)
    cluster.advance(10)
    status = container(get(cluster, "web"))
    assert status["image"] == "docker.io/library/nginx:1.16.1"
    assert status["restartCount"] == 1
    assert ("Normal", "Killing", "Container nginx definition changed, will be restarted") \
        in events(cluster, "web")


def test_pulled_images_are_listed_in_node_status(cluster: Cluster) -> None:
    create(cluster, bound_pod("web", [NGINX]))
    cluster.advance(15)
    node = cluster.client.get("nodes", WORKER)
    names = [n for image in node["status"]["images"] for n in image["names"]]
    assert "docker.io/library/nginx:1.14.2" in names
