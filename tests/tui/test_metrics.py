"""CPU/MEM in the pod and node tables and the header, from the metrics.k8s.io
API of the embedded cluster (its kubelets' readings), and ``n/a`` where a
cluster has no metrics API (k9s ``internal/render/pod.go``/``node.go``,
``internal/client/metrics.go``)."""

from __future__ import annotations

import re

import pytest

from engine.cluster import Cluster
from k9py.model.metrics import NO_PODS, MetricsPoller, Snapshot, pod_usage, usage_of
from tests.tui.conftest import make_app, run
from tests.tui.helpers import screen_text, table_keys, wait_for


def _cells(app, key: str) -> dict[str, str]:  # noqa: ANN001
    row = app.top.model.rows[key]
    return {c.name: v for c, v in zip(app.top.model.columns, row.cells, strict=True)}


def _needs_kubelets(cluster: Cluster) -> None:
    if getattr(cluster, "kubelets", None) is None:
        pytest.skip("this engine runs no kubelets")


def test_pod_and_node_tables_and_header_show_usage(cluster: Cluster) -> None:
    _needs_kubelets(cluster)
    cluster.advance(5)

    async def scenario() -> None:
        app = make_app(cluster, command="pods kube-system")
        async with app.run_test(size=(160, 45)) as pilot:
            def apiserver() -> str | None:
                return next((k for k in table_keys(app) if "kube-apiserver" in k), None)

            def measured() -> bool:
                key = apiserver()
                return key is not None and _cells(app, key)["CPU"] != "n/a"

            await wait_for(pilot, measured, timeout=15, what="pod CPU")
            cells = _cells(app, apiserver())
            assert re.fullmatch(r"\d+", cells["CPU"]) and int(cells["CPU"]) > 0
            assert re.fullmatch(r"\d+", cells["MEM"]) and int(cells["MEM"]) > 0
            assert re.fullmatch(r"\d+", cells["%CPU/R"])  # the apiserver requests 250m
            assert cells["%CPU/L"] == "n/a"  # and sets no limit
            await wait_for(pilot, lambda: re.search(r"CPU/MEM:\s+\d+%[↑↓]? / \d+%[↑↓]?",
                                                    screen_text(app)), what="header")

            await pilot.press("0")  # all namespaces: a new view, the poller follows it
            await wait_for(pilot, lambda: app.top.scope.namespace is None and measured()
                           and app.usage.snapshot.pod_scope is None, timeout=15,
                           what="pod CPU, all namespaces")

            await pilot.press("colon", *"nodes", "enter")
            await wait_for(pilot, lambda: app.top.kind.kind == "Node"
                           and "k9py-control-plane" in table_keys(app)
                           and _cells(app, "k9py-control-plane")["CPU"] != "n/a",
                           timeout=15, what="node CPU")
            node = _cells(app, "k9py-control-plane")
            assert int(node["CPU"]) > 0 and int(node["MEM"]) > 0
            assert int(node["CPU/A"]) > int(node["CPU"])
            assert re.fullmatch(r"\d+", node["%CPU"]) and re.fullmatch(r"\d+", node["%MEM"])
            assert app.internal_errors == []
    run(scenario())


def test_without_a_metrics_api_cells_read_na(bare_cluster: Cluster) -> None:
    bare_cluster.client.create("pods", {"metadata": {"name": "p"}, "spec": {
        "containers": [{"name": "c", "image": "nginx"}]}}, namespace="default")

    async def scenario() -> None:
        app = make_app(bare_cluster, command="pods default")
        async with app.run_test(size=(160, 45)) as pilot:
            await wait_for(pilot, lambda: table_keys(app) == ["default/p"])
            await pilot.pause(0.3)  # a poll has failed by now
            cells = _cells(app, "default/p")
            assert (cells["CPU"], cells["MEM"], cells["%CPU/R"]) == ("n/a", "n/a", "n/a")
            assert re.search(r"CPU/MEM:\s+n/a / n/a", screen_text(app))
    run(scenario())


class FakeClient:
    """The two metrics lists and the node list, as a ClusterClient answers them."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        self.cpu = "250000000n"

    def list(self, resource: str, namespace: str | None = None, **_: object) -> dict:
        self.calls.append((resource, namespace))
        if resource == "nodes.metrics.k8s.io":
            return {"items": [{"metadata": {"name": "n1"},
                               "usage": {"cpu": "1500000001n", "memory": "1048576Ki"}}]}
        if resource == "nodes":
            return {"items": [{"metadata": {"name": "n1"},
                               "status": {"allocatable": {"cpu": "4", "memory": "4Gi"}}}]}
        return {"items": [{"metadata": {"name": "p", "namespace": "a"}, "containers": [
            {"name": "c", "usage": {"cpu": self.cpu, "memory": "2048Ki"}},
            {"name": "d", "usage": {"cpu": "1000000n", "memory": "1024Ki"}}]}]}


def test_poller_snapshots_changes_and_scope() -> None:
    client, updates = FakeClient(), []
    poller = MetricsPoller(client, 60, lambda s, p, n: updates.append((s, p, n)))
    snap = poller.poll_once()
    assert snap.node("n1") == (1501, 1024 ** 3)  # MilliValue rounds up
    assert snap.cluster_load() == (37, 25)  # floor(1501 / 4000 x 100), 1Gi of 4Gi
    assert snap.pod("a", "p") is None  # no pod view: pods not read
    assert ("pods.metrics.k8s.io", None) not in client.calls
    poller.set_pod_scope("a")
    snap = poller.poll_once()
    assert snap.pod("a", "p") == (251, 3 * 1024 * 1024)
    assert snap.pod("a", "gone") == (0, 0)  # no reading: k9s shows 0
    assert snap.pod("b", "p") is None  # another namespace: unknown
    assert updates[-1][1] == {"a/p"}
    client.cpu = "300000000n"
    poller._pods_due = 0.0  # the next pod poll is due
    poller.poll_once()
    assert updates[-1][1] == {"a/p"} and updates[-1][2] == set()
    count = len(updates)
    poller._pods_due = 0.0
    poller.poll_once()
    assert len(updates) == count  # nothing new: no update, no re-render
    assert poller.snapshot.pod_scope == "a" and NO_PODS is not None
    assert client.calls.count(("nodes", None)) == 1  # allocatable read once, not per poll


def test_poller_without_pod_access_keeps_node_readings() -> None:
    class NoPods(FakeClient):
        def list(self, resource: str, namespace: str | None = None, **_: object) -> dict:
            if resource == "pods.metrics.k8s.io":
                raise PermissionError("forbidden")
            return super().list(resource, namespace)

    poller = MetricsPoller(NoPods(), 60, lambda *_: None)
    poller.set_pod_scope("a")
    snap = poller.poll_once()
    assert snap.node("n1") == (1501, 1024 ** 3) and snap.pod("a", "p") is None


def test_quantities_and_unavailable_snapshot() -> None:
    assert usage_of({"cpu": "1234567n", "memory": "12345Ki"}) == (2, 12345 * 1024)
    assert pod_usage({"containers": []}) == (0, 0)
    empty = Snapshot()
    assert empty.pod("a", "p") is None and empty.node("n") is None
    assert empty.cluster_load() == (None, None)


def test_header_arrows_follow_cluster_load() -> None:
    from k9py.views.usage import UsageFeed, _perc_delta

    assert _perc_delta(None, 5) == "5%" and _perc_delta(5, 5) == "5%"
    assert _perc_delta(5, 7) == "7%↑" and _perc_delta(7, 5) == "5%↓"
    assert _perc_delta(5, None) == "n/a"
    feed = UsageFeed()
    feed._on_header = lambda: None
    low = Snapshot(True, {"n": (1000, 1)}, {"n": (4000, 4)})
    high = Snapshot(True, {"n": (2000, 1)}, {"n": (4000, 4)})
    feed._apply(low, set(), set())
    assert feed.header() == ("25%", "25%")
    feed._apply(high, set(), {"n"})
    assert feed.header() == ("50%↑", "25%")
