"""``kubectl logs`` and ``kubectl top`` as the kubelets answer them."""

from __future__ import annotations

import asyncio

import pytest

from engine.api import errors
from engine.cluster import Cluster
from tests.kubelet.helpers import bound_pod, busybox, create


def _logs(cluster: Cluster, pod: str, **opts) -> str:  # noqa: ANN003
    return cluster.call(lambda: cluster.kubelets.logs("default", pod, **opts))


def test_busybox_echo_and_loop_output(cluster: Cluster) -> None:
    script = "echo starting; while true; do echo tick $(hostname); sleep 10; done"
    create(cluster, bound_pod("ticker", [busybox("app", script)]))
    cluster.advance(35)
    lines = _logs(cluster, "ticker").splitlines()
    assert lines[0] == "starting"
    assert lines[1:] == ["tick ticker"] * 4
    assert _logs(cluster, "ticker", tail_lines=2).splitlines() == ["tick ticker"] * 2
    stamped = _logs(cluster, "ticker", tail_lines=1, timestamps=True)
    assert stamped.startswith("2025-01-01T00:00:") and stamped.endswith("Z tick ticker\n")
    assert len(_logs(cluster, "ticker", since_seconds=15).splitlines()) in (1, 2)


def test_previous_log_is_kept_after_a_restart(cluster: Cluster) -> None:
    create(cluster, bound_pod("crash", [busybox("app", "echo attempt; sleep 5; exit 1")]))
    cluster.advance(8)
    assert _logs(cluster, "crash", previous=True) == "attempt\n"
    assert _logs(cluster, "crash") == "attempt\n"


def test_nginx_logs_probe_requests_and_redis_banner(cluster: Cluster) -> None:
    nginx = {"name": "nginx", "image": "nginx:1.27.3",
             "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10}}
    create(cluster, bound_pod("web", [nginx]))
    create(cluster, bound_pod("cache", [{"name": "redis", "image": "redis:7.4.1"}]))
    cluster.advance(30)
    web = _logs(cluster, "web").splitlines()
    assert web[0].startswith("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty")
    assert any("[notice] 1#1: nginx/1.27.3" in line for line in web)
    assert web[-1].endswith('"GET / HTTP/1.1" 200 612 "-" "kube-probe/1.32" "-"')
    assert _logs(cluster, "cache").splitlines()[-1].endswith("* Ready to accept connections tcp")


def test_log_errors_use_upstream_wording(cluster: Cluster) -> None:
    create(cluster, bound_pod("two", [busybox("a", "sleep 60"), busybox("b", "sleep 60")]))
    create(cluster, bound_pod("bad", [{"name": "web", "image": "nginx:doesnotexist"}]))
    cluster.advance(5)
    with pytest.raises(errors.StatusError) as info:
        _logs(cluster, "two")
    assert info.value.code == 400
    assert str(info.value.message) == ("a container name must be specified for pod two, "
                                       "choose one of: [a b]")
    with pytest.raises(errors.StatusError) as info:
        _logs(cluster, "two", container="a", previous=True)
    assert info.value.message == 'previous terminated container "a" in pod "two" not found'
    with pytest.raises(errors.StatusError) as info:
        _logs(cluster, "bad")
    assert info.value.message == ('container "web" in pod "bad" is waiting to start: '
                                  "trying and failing to pull image")
    with pytest.raises(errors.StatusError) as info:
        _logs(cluster, "missing")
    assert info.value.code == 404


def test_follow_streams_new_lines(cluster: Cluster) -> None:
    create(cluster, bound_pod("ticker", [busybox("app", "for i in 1 2 3; do echo $i; sleep 2; "
                                                       "done")], restartPolicy="Never"))
    cluster.advance(2)

    async def collect() -> list[str]:
        stream = cluster.kubelets.logs("default", "ticker", follow=True)
        return [chunk async for chunk in stream]

    future = asyncio.run_coroutine_threadsafe(collect(), cluster.loop)
    cluster.advance(10)
    assert "".join(future.result(5)) == "1\n2\n3\n"


def test_usage_follows_requests_and_load(cluster: Cluster) -> None:
    spec = {"name": "nginx", "image": "nginx:1.14.2",
            "resources": {"requests": {"cpu": "200m", "memory": "128Mi"},
                          "limits": {"cpu": "500m", "memory": "256Mi"}}}
    create(cluster, bound_pod("web", [spec]))
    cluster.advance(60)
    idle = cluster.call(cluster.kubelets.usage_of, "default", "web")["nginx"]
    assert idle[0] < 5 and idle[1] < 10 * 1024 * 1024
    cluster.call(cluster.kubelets.set_load, "default", "app=web", 1.5)
    busy = cluster.call(cluster.kubelets.usage_of, "default", "web")["nginx"]
    assert 250 <= busy[0] <= 500  # 1.5 x 200m, capped by the 500m limit
    metrics = cluster.call(cluster.kubelets.pod_metrics, "default", "web")
    assert metrics["containers"][0]["usage"]["cpu"].endswith("n")
    assert metrics["containers"][0]["usage"]["memory"].endswith("Ki")
    node = cluster.call(cluster.kubelets.node_metrics, "k9py-worker")
    assert node["kind"] == "NodeMetrics"
    again = cluster.call(cluster.kubelets.usage_of, "default", "web")["nginx"]
    assert again == busy  # one reading per 15 s scrape
