"""CPU/MEM in the container view (a pod's PodMetrics ``containers[].usage``, k9s
``internal/render/container.go``) and the cluster CPU/MEM charts of ``:pulses``
(node usage summed over allocatable summed), on the embedded cluster, and
``n/a`` on a cluster without the metrics API."""

from __future__ import annotations

import re

import pytest

from engine.api.errors import StatusError
from engine.cluster import Cluster
from k9py.model.metrics import MetricsPoller, Snapshot
from k9py.render.container import requests_limits, usage_cells
from k9py.views.pods import ContainerView
from k9py.views.pulses import PulsesView, usage_texts
from tests.tui.conftest import make_app, run
from tests.tui.helpers import open_on, screen_text, table_keys, wait_for

CPU_TEXT = re.compile(r"\d+% \([\d,]+m/[\d,]+m\)")
MEM_TEXT = re.compile(r"\d+% \([\d,]+Mi/[\d,]+Mi\)")


def _cells(app, key: str) -> dict[str, str]:  # noqa: ANN001
    row = app.top.model.rows[key]
    return {c.name: v for c, v in zip(app.top.model.columns, row.cells, strict=True)}


def _panel_text(app, name: str) -> str:  # noqa: ANN001
    return str(app.top.panels[name].text.render())


def test_container_view_and_pulses_show_usage(cluster: Cluster) -> None:
    if getattr(cluster, "kubelets", None) is None:
        pytest.skip("this engine runs no kubelets")
    cluster.advance(5)

    async def scenario() -> None:
        app = make_app(cluster, command="pods kube-system")
        async with app.run_test(size=(160, 45)) as pilot:
            await wait_for(pilot, lambda: any("kube-apiserver" in k for k in table_keys(app)))
            key = next(k for k in table_keys(app) if "kube-apiserver" in k)
            await open_on(pilot, app, key)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.top, ContainerView)
                           and "kube-apiserver" in app.top.model.rows
                           and _cells(app, "kube-apiserver")["CPU"] not in ("n/a", "0"),
                           timeout=15, what="container CPU")
            cells = _cells(app, "kube-apiserver")
            assert int(cells["CPU"]) > 0 and int(cells["MEM"]) > 0
            assert re.fullmatch(r"\d+", cells["%CPU/R"])  # the apiserver requests 250m
            assert cells["%CPU/L"] == "n/a"  # and sets no limit
            assert cells["CPU/RL"] == "250:0"
            assert app.usage.snapshot.container_scope == tuple(key.split("/"))

            await pilot.press("colon", *"pulses", "enter")
            await wait_for(pilot, lambda: isinstance(app.top, PulsesView)
                           and CPU_TEXT.fullmatch(_panel_text(app, "cpu")) is not None
                           and MEM_TEXT.fullmatch(_panel_text(app, "mem")) is not None,
                           timeout=15, what="pulses CPU/MEM")
            assert app.top.history["cpu"][-1] > 0 and app.top.history["mem"][-1] > 0
            assert "n/a" not in _panel_text(app, "cpu")
            assert app.usage.snapshot.container_scope is None  # the container view is gone
            assert app.internal_errors == []
    run(scenario())


def test_without_a_metrics_api_container_and_pulses_read_na(bare_cluster: Cluster) -> None:
    bare_cluster.client.create("pods", {"metadata": {"name": "p"}, "spec": {
        "containers": [{"name": "c", "image": "nginx",
                        "resources": {"requests": {"cpu": "100m"}}}]}}, namespace="default")

    async def scenario() -> None:
        app = make_app(bare_cluster, command="pods default")
        async with app.run_test(size=(160, 45)) as pilot:
            await open_on(pilot, app, "default/p")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.top, ContainerView)
                           and "c" in app.top.model.rows)
            await pilot.pause(0.3)  # a poll has failed by now
            cells = _cells(app, "c")
            assert (cells["CPU"], cells["MEM"], cells["%CPU/R"]) == ("n/a", "n/a", "n/a")
            assert cells["CPU/RL"] == "100:0"  # requests and limits need no metrics
            await pilot.press("colon", *"pulses", "enter")
            await wait_for(pilot, lambda: isinstance(app.top, PulsesView)
                           and "Running:" in screen_text(app))
            assert _panel_text(app, "cpu").startswith("n/a")
            assert _panel_text(app, "mem").startswith("n/a")
    run(scenario())


class OnePodClient:
    """Node metrics, nodes, and one pod's PodMetrics (or an error for it)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.gets: list[tuple[str, str, str | None]] = []

    def list(self, resource: str, namespace: str | None = None, **_: object) -> dict:
        if resource == "nodes.metrics.k8s.io":
            return {"items": [{"metadata": {"name": "n1"},
                               "usage": {"cpu": "500m", "memory": "1Gi"}}]}
        if resource == "nodes":
            return {"items": [{"metadata": {"name": "n1"},
                               "status": {"allocatable": {"cpu": "4", "memory": "4Gi"}}}]}
        raise AssertionError(f"the container view lists no {resource}")

    def get(self, resource: str, name: str, namespace: str | None = None) -> dict:
        self.gets.append((resource, name, namespace))
        if self.error is not None:
            raise self.error
        return {"metadata": {"name": name, "namespace": namespace}, "containers": [
            {"name": "app", "usage": {"cpu": "1500001n", "memory": "3Mi"}}]}


def test_poller_reads_one_pods_containers() -> None:
    client = OnePodClient()
    poller = MetricsPoller(client, 60, lambda *_: None)
    assert poller.poll_once().container("a", "p", "app") is None  # no container view
    assert client.gets == []
    poller.set_container_scope(("a", "p"))
    snap = poller.poll_once()
    assert client.gets == [("pods.metrics.k8s.io", "p", "a")]
    assert snap.container("a", "p", "app") == (2, 3 * 1024 * 1024)
    assert snap.container("a", "p", "sidecar") == (0, 0)  # no reading: k9s shows 0
    assert snap.container("a", "q", "app") is None  # another pod: unknown


def test_poller_container_readings_not_yet_or_refused() -> None:
    poller = MetricsPoller(OnePodClient(StatusError(404, "NotFound", "not yet")), 60,
                           lambda *_: None)
    poller.set_container_scope(("a", "p"))
    assert poller.poll_once().container("a", "p", "app") == (0, 0)  # not scraped yet
    poller = MetricsPoller(OnePodClient(StatusError(403, "Forbidden", "no")), 60,
                           lambda *_: None)
    poller.set_container_scope(("a", "p"))
    snap = poller.poll_once()
    assert snap.container("a", "p", "app") is None and snap.node("n1") == (500, 1024 ** 3)


def test_usage_cells_as_k9s() -> None:
    limited = {"resources": {"limits": {"cpu": "200m", "memory": "64Mi"}}}
    assert requests_limits(limited) == (200, 64 * 1024 ** 2, 200, 64 * 1024 ** 2)
    assert usage_cells((50, 16 * 1024 ** 2), limited) == (
        "50", "200:200", "25", "25", "16", "64:64", "25", "25")
    assert usage_cells(None, {}) == ("n/a", "0:0", "n/a", "n/a", "n/a", "0:0", "n/a", "n/a")
    assert usage_cells((0, 0), {}) == ("0", "0:0", "n/a", "n/a", "0", "0:0", "n/a", "n/a")


def test_pulses_legends() -> None:
    assert usage_texts(None)[0].startswith("n/a")
    snap = Snapshot(True, {"a": (1234, 512 * 1024 ** 2), "b": (0, 512 * 1024 ** 2)},
                    {"a": (4000, 4 * 1024 ** 3), "b": (4000, 4 * 1024 ** 3)})
    assert usage_texts(snap.cluster_usage()) == ("15% (1,234m/8,000m)", "12% (1,024Mi/8,192Mi)")
    assert usage_texts(((0, 0), (0, 0))) == ("n/a (0m/0m)", "n/a (0Mi/0Mi)")
