"""Views beyond the table: logs, events, xray, pulses, scheduling; themes; config."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from engine.cluster import Cluster
from k9py.app import K9pyApp
from k9py.client import Session
from k9py.config import Config, load_config
from k9py.embedded import session_for
from k9py.views.logs import LogView
from k9py.views.pulses import PulsesView
from k9py.views.scheduling import SchedulingView
from k9py.views.xray import XrayView
from tests.tui.conftest import drive, run
from tests.tui.helpers import deployment_with_pods, flash, screen_text, synced, table_keys, wait_for


class LogsClient:
    """The cluster's client plus ``logs`` in the shape k9py expects (see k9py.logs)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.requests: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def logs(self, name: str, namespace: str, *, callback: Any, **opts: Any) -> Any:
        self.requests.append({"name": name, "namespace": namespace, **opts})
        stop = threading.Event()
        prefix = "previous " if opts.get("previous") else ""

        def feed() -> None:
            for i in range(3):
                callback([f"2025-01-01T00:00:0{i}.000000000Z {prefix}{opts['container']} "
                          f"line {i}"])
                time.sleep(0.01)
            stop.wait()

        threading.Thread(target=feed, daemon=True).start()
        return Handle(stop)


class Handle:
    def __init__(self, event: threading.Event) -> None:
        self.stop = event.set


def _logs_session(cluster: Cluster) -> tuple[Session, LogsClient]:
    session = session_for(cluster)
    client = LogsClient(session.client)
    session.client = client
    return session, client


def test_logs_follow_wrap_timestamps_previous_and_container(cluster: Cluster) -> None:
    session, client = _logs_session(cluster)

    async def scenario() -> None:
        app = K9pyApp(session, config=Config(), command="pods kube-system")
        async with app.run_test(size=(160, 45)) as pilot:
            key = "kube-system/etcd-k9py-control-plane"
            await wait_for(pilot, lambda: synced(app) and key in table_keys(app))
            app.top.table.select_key(key)
            await pilot.press("l")
            await wait_for(pilot, lambda: isinstance(app.top, LogView)
                           and len(app.top.lines) == 3)
            assert "etcd line 2" in screen_text(app)
            assert "2025-01-01T00:00:02" not in screen_text(app)
            await pilot.press("t")
            await wait_for(pilot, lambda: "2025-01-01T00:00:02" in screen_text(app))
            await pilot.press("w", "s")
            assert app.top.wrap and not app.top.follow
            assert "wrap:on" in screen_text(app) and "follow:off" in screen_text(app)
            await pilot.press("p")
            await wait_for(pilot, lambda: "previous etcd line 2" in screen_text(app))
            assert client.requests[-1]["previous"] is True
            await pilot.press("c")
            await wait_for(pilot, lambda: "Container" in screen_text(app))
            await pilot.press("enter")
            assert app.internal_errors == []
    run(scenario())


def test_logs_without_kubelets_say_so(bare_cluster: Cluster) -> None:
    cluster = bare_cluster

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app) and len(table_keys(app)) >= 1)
        await pilot.press("l")
        await wait_for(pilot, lambda: "not available on this cluster" in screen_text(app))
        assert app.internal_errors == []

    drive(cluster, steps, command="pods kube-system")


def test_logs_from_the_embedded_kubelets(cluster: Cluster) -> None:
    if getattr(cluster, "kubelets", None) is None:
        import pytest

        pytest.skip("this engine runs no kubelets")
    cluster.advance(5)

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app) and any(
            "coredns" in k for k in table_keys(app)))
        key = next(k for k in table_keys(app) if "coredns" in k)
        app.top.table.select_key(key)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.top, LogView)
                       and (app.top.lines or app.top.unavailable), timeout=10)
        assert app.top.lines, app.top.unavailable
        assert app.internal_errors == []

    drive(cluster, steps, command="pods kube-system")


def test_events_view_is_live_with_warnings_as_faults(cluster: Cluster) -> None:
    def event(name: str, kind: str, reason: str) -> dict:
        return {"metadata": {"name": name}, "type": kind, "reason": reason,
                "message": f"{reason} happened", "involvedObject": {
                    "kind": "Pod", "name": "p", "namespace": "default"},
                "lastTimestamp": "2025-01-01T00:00:00Z", "count": 1,
                "source": {"component": "test"}}

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app))
        cluster.client.create("events", event("e1", "Normal", "Pulled"),
                              namespace="default")
        cluster.client.create("events", event("e2", "Warning", "BackOff"),
                              namespace="default")
        await wait_for(pilot, lambda: "default/e2" in table_keys(app))
        assert app.top.model.rows["default/e2"].status == "warning"
        for col in ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"):
            assert col in screen_text(app)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: "default/e1" not in table_keys(app))
        assert "default/e2" in table_keys(app)

    drive(cluster, steps, command="ev")


def test_xray_pulses_and_scheduling(cluster: Cluster) -> None:
    dep, rs, pod = deployment_with_pods(cluster)
    cluster.client.create("pods", {"metadata": {"name": "stuck"}, "spec": {
        "nodeSelector": {"disk": "ssd"}, "containers": [{"name": "c", "image": "busybox"}]}},
        namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app) and "default/stuck" in table_keys(app))
        app.run_command("xray deploy default")
        await wait_for(pilot, lambda: isinstance(app.top, XrayView)
                       and pod["metadata"]["name"] in screen_text(app))
        text = screen_text(app)
        assert "web" in text and rs["metadata"]["name"] in text and "nginx" in text
        app.run_command("pulses")
        await wait_for(pilot, lambda: isinstance(app.top, PulsesView)
                       and "Running:" in screen_text(app))
        text = screen_text(app)
        assert "Pods by phase" in text and "Events / minute" in text and "Node CPU" in text
        assert "metrics pipeline" not in text  # CPU/MEM are live (test_container_metrics)
        app.run_command("pods")
        await wait_for(pilot, lambda: synced(app) and "default/stuck" in table_keys(app))
        app.top.table.select_key("default/stuck")
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.top, SchedulingView)
                       and "NODE" in screen_text(app))
        text = screen_text(app)
        for node in ("k9py-control-plane", "k9py-worker", "k9py-worker2"):
            assert node in text
        assert "rejected" in text and ("NodeAffinity" in text or "node affinity" in text)
        app.run_command("xray nope")
        assert "xray: give one of" in flash(app)
        assert app.internal_errors == []

    drive(cluster, steps, command="pods")


def test_themes_flag_user_theme_and_hot_reload(cluster: Cluster, tmp_path: Path,
                                               monkeypatch: Any) -> None:
    config_dir = tmp_path / "k9py-config"
    monkeypatch.setenv("K9PY_CONFIG_DIR", str(config_dir))
    (config_dir / "themes").mkdir(parents=True)
    user = config_dir / "themes" / "mine.yaml"
    user.write_text("k9py:\n  name: mine\n  dark: true\n  body:\n    bgColor: '#101010'\n"
                    "  frame:\n    status:\n      errorColor: '#ff0000'\n")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app))
        assert app.theme == "mine"
        for name in ("k9py-dark", "k9py-light", "high-contrast", "dracula"):
            assert name in app.available_themes
        assert app.theme_variables["k9-status-error"] == "#FF0000"
        user.write_text(user.read_text().replace("#ff0000", "#00ff00"))
        await wait_for(pilot, lambda: app.theme_variables.get("k9-status-error")
                       == "#00FF00", timeout=10, what="theme reload")
        app.run_command("theme k9py-light")
        assert app.theme == "k9py-light"
        app.run_command("theme nosuch")
        assert "unknown theme" in flash(app)

    drive(cluster, steps, theme="mine")


def test_config_file_aliases_favourites_keys(cluster: Cluster, tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "k9py:\n  namespace:\n    active: kube-system\n    favorites: [kube-system, default]\n"
        "  aliases:\n    dns: pods kube-system k8s-app=kube-dns\n"
        "  keys:\n    k9py.describe: D\n  refreshRate: 0.5\n")
    config = load_config(path)
    assert config.favorites == ["kube-system", "default"] and config.refresh_rate == 0.5

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app) and len(table_keys(app)) == 2)
        assert all("coredns" in k for k in table_keys(app))
        await pilot.press("D")
        await wait_for(pilot, lambda: app.top.crumb == "describe")
        await pilot.press("escape")
        await pilot.press("2")
        await wait_for(pilot, lambda: synced(app) and app.top.scope.namespace == "default")

    drive(cluster, steps, command="dns", config=config)
    broken = tmp_path / "broken.yaml"
    broken.write_text("k9py: [unclosed")
    assert load_config(broken).error
