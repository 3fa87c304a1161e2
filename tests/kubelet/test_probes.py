"""Readiness, liveness and startup probes against the behaviour model."""

from __future__ import annotations

from engine.cluster import Cluster
from tests.kubelet.helpers import (
    bound_pod,
    busybox,
    condition,
    container,
    create,
    events,
    get,
)


def _ready(cluster: Cluster, name: str) -> str:
    return condition(get(cluster, name), "Ready")["status"]


def test_readiness_failure_sets_ready_false_and_back(cluster: Cluster) -> None:
    script = ("touch /tmp/ready; sleep 30; rm /tmp/ready; sleep 30; touch /tmp/ready; "
              "sleep 3600")
    probe = {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 5}
    create(cluster, bound_pod("app", [busybox("app", script, readinessProbe=probe)]))
    cluster.advance(5)
    assert _ready(cluster, "app") == "True"
    cluster.advance(45)  # file gone at ~31 s; three failures 5 s apart
    pod = get(cluster, "app")
    assert condition(pod, "Ready")["status"] == "False"
    assert condition(pod, "Ready")["message"] == "containers with unready status: [app]"
    assert container(pod)["ready"] is False and pod["status"]["phase"] == "Running"
    cluster.advance(20)
    assert _ready(cluster, "app") == "True"
    assert ("Warning", "Unhealthy",
            "Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory") \
        in events(cluster, "app")
    assert container(get(cluster, "app"))["restartCount"] == 0


def test_liveness_failure_restarts_the_container(cluster: Cluster) -> None:
    """The documentation's exec liveness example (tasks/configure-pod-container)."""
    script = "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"
    probe = {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
             "periodSeconds": 5}
    create(cluster, bound_pod("liveness-exec", [busybox("liveness", script,
                                                        livenessProbe=probe)]))
    cluster.advance(40)
    assert container(get(cluster, "liveness-exec"))["restartCount"] == 0
    cluster.advance(40)  # three failures (~35, 40, 45 s), then killed after the 30 s grace
    seen = events(cluster, "liveness-exec")
    assert ("Warning", "Unhealthy",
            "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory") \
        in seen
    assert ("Normal", "Killing", "Container liveness failed liveness probe, will be restarted") \
        in seen
    status = container(get(cluster, "liveness-exec"))
    assert status["restartCount"] == 1
    assert status["lastState"]["terminated"]["exitCode"] == 137  # PID 1 ignored SIGTERM


def test_http_liveness_on_a_path_nginx_does_not_serve(cluster: Cluster) -> None:
    spec = {"name": "nginx", "image": "nginx:1.14.2",
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 10}}
    create(cluster, bound_pod("web", [spec]))
    cluster.advance(40)
    seen = events(cluster, "web")
    assert ("Warning", "Unhealthy",
            "Liveness probe failed: HTTP probe failed with statuscode: 404") in seen
    status = container(get(cluster, "web"))
    assert status["restartCount"] == 1
    assert status["lastState"]["terminated"]["reason"] == "Completed"  # nginx exits 0 on SIGTERM


def test_slow_start_fails_probes_until_it_is_up(cluster: Cluster) -> None:
    spec = {"name": "nginx", "image": "nginx:1.14.2", "ports": [{"containerPort": 80}],
            "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 5},
            "startupProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 5,
                             "failureThreshold": 10}}
    create(cluster, bound_pod("slow", [spec], annotations={"k9py.dev/slow-start": "20s"}))
    cluster.advance(10)
    status = container(get(cluster, "slow"))
    assert (status["started"], status["ready"]) == (False, False)
    ip = get(cluster, "slow")["status"]["podIP"]
    assert ("Warning", "Unhealthy",
            f'Startup probe failed: Get "http://{ip}:80/": dial tcp {ip}:80: connect: '
            "connection refused") in events(cluster, "slow")
    cluster.advance(20)
    status = container(get(cluster, "slow"))
    assert (status["started"], status["ready"]) == (True, True)


def test_fail_readiness_annotation(cluster: Cluster) -> None:
    spec = {"name": "nginx", "image": "nginx:1.14.2",
            "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 5}}
    create(cluster, bound_pod("flaky", [spec], annotations={"k9py.dev/fail-readiness": "20s"}))
    cluster.advance(10)
    assert _ready(cluster, "flaky") == "True"
    cluster.advance(25)
    assert _ready(cluster, "flaky") == "False"
    assert ("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: "
            "503") in events(cluster, "flaky")
