"""Every action key, driven through the UI, asserted on the cluster and the screen."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from engine.cluster import Cluster
from k9py.app import K9pyApp
from k9py.dialogs.delete import DeleteDialog
from k9py.dialogs.nodes import DrainDialog, TaintDialog
from k9py.dialogs.workloads import ImageDialog, ScaleDialog
from k9py.views.edit import EditView
from k9py.views.history import HistoryView
from k9py.views.text import DescribeView, YamlView
from tests.tui.conftest import drive
from tests.tui.helpers import (
    deployment,
    flash,
    open_on,
    owned_replicaset,
    screen_text,
    synced,
    table_keys,
    wait_for,
)


def get(cluster: Cluster, resource: str, name: str, ns: str | None = "default") -> dict:
    return cluster.client.get(resource, name, ns)


def test_scale_dialog_validates_and_applies(cluster: Cluster) -> None:
    cluster.client.create("deployments", deployment("nginx-deployment"), namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ScaleDialog))
        await pilot.press("backspace", "enter")  # empty: refused, dialog stays
        await wait_for(pilot, lambda: "whole number" in screen_text(app))
        assert isinstance(app.screen, ScaleDialog)
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ScaleDialog))
        await wait_for(pilot, lambda: get(cluster, "deployments", "nginx-deployment")[
            "spec"]["replicas"] == 4)
        assert "to 4 replicas" in flash(app)
        await wait_for(pilot, lambda: "/4" in app.top.model.rows[
            "default/nginx-deployment"].cells[2], what="READY x/4")
        assert app.internal_errors == []

    drive(cluster, steps, command="deploy", select="default/nginx-deployment")


def test_bulk_scale_over_marked_rows(cluster: Cluster) -> None:
    for name in ("a", "b", "c"):
        cluster.client.create("deployments", deployment(name), namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("space", "space")  # marks a and b (cursor moves down)
        assert app.top.table.marks == {"default/a", "default/b"}
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ScaleDialog))
        await pilot.press("backspace", "0", "enter")
        await wait_for(pilot, lambda: get(cluster, "deployments", "b")["spec"][
            "replicas"] == 0)
        assert get(cluster, "deployments", "a")["spec"]["replicas"] == 0
        assert get(cluster, "deployments", "c")["spec"]["replicas"] == 2
        assert app.top.table.marks == set()

    drive(cluster, steps, command="deploy", select="default/a")


def _with_history(cluster: Cluster) -> dict:
    c = cluster.client
    dep = c.create("deployments", deployment("nginx-deployment", image="nginx:1.16.1"),
                   namespace="default")
    for rev, image in ((1, "nginx:1.14.2"), (2, "nginx:1.16.1")):
        c.create("replicasets", owned_replicaset(dep, rev, image), namespace="default")
    cluster.settle()
    return dep


def _revisions(cluster: Cluster) -> dict[int, str]:
    from k9py.ops.workloads import history

    dep = get(cluster, "deployments", "nginx-deployment")
    return {r.number: r.images for r in history(cluster.client, "Deployment", dep)}


def test_undo_rolls_back_to_previous_revision(cluster: Cluster) -> None:
    _with_history(cluster)
    revs = _revisions(cluster)
    previous_image = revs[sorted(revs)[-2]]

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("u")
        await wait_for(pilot, lambda: "Undo" in screen_text(app))
        await pilot.click("#ok")
        await wait_for(pilot, lambda: get(cluster, "deployments", "nginx-deployment")[
            "spec"]["template"]["spec"]["containers"][0]["image"] == previous_image)
        await wait_for(pilot, lambda: "rolled back" in flash(app) or "skipped" in
                       flash(app))

    drive(cluster, steps, command="deploy", select="default/nginx-deployment")


def test_history_view_lists_and_undoes_to_chosen_revision(cluster: Cluster) -> None:
    _with_history(cluster)

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.top, HistoryView)
                       and app.top.revisions)
        text = screen_text(app)
        for word in ("REVISION", "CHANGE-CAUSE", "IMAGES", "AGE", "nginx:1.14.2",
                     "current"):
            assert word in text, word
        numbers = [r.number for r in reversed(app.top.revisions)]
        target = next(r for r in reversed(app.top.revisions)
                      if r.images == "nginx:1.14.2" and not r.current)
        await pilot.press(*["down"] * numbers.index(target.number))
        await pilot.press("u")
        await wait_for(pilot, lambda: "Undo" in screen_text(app) and "revision" in
                       screen_text(app))
        await pilot.click("#ok")
        await wait_for(pilot, lambda: get(cluster, "deployments", "nginx-deployment")[
            "spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.14.2")
        assert app.internal_errors == []

    drive(cluster, steps, command="deploy", select="default/nginx-deployment")


def test_restart_set_image_and_pause(cluster: Cluster) -> None:
    cluster.client.create("deployments", deployment("web"), namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("r")
        await wait_for(pilot, lambda: "Restart" in screen_text(app))
        await pilot.click("#ok")
        await wait_for(pilot, lambda: "kubectl.kubernetes.io/restartedAt" in (
            get(cluster, "deployments", "web")["spec"]["template"]["metadata"].get(
                "annotations") or {}))
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ImageDialog))
        await pilot.press("enter")  # unchanged: refused
        await wait_for(pilot, lambda: "no image changed" in screen_text(app))
        field = app.screen.query_one("#image-0")
        field.value = "nginx:1.27"
        await pilot.press("enter")
        await wait_for(pilot, lambda: get(cluster, "deployments", "web")["spec"][
            "template"]["spec"]["containers"][0]["image"] == "nginx:1.27")
        await wait_for(pilot, lambda: not isinstance(app.screen, ImageDialog))
        await pilot.press("p")
        await wait_for(pilot, lambda: get(cluster, "deployments", "web")["spec"].get(
            "paused") is True)
        await wait_for(pilot, lambda: app.top.model.rows["default/web"].obj["spec"].get(
            "paused") is True)
        await pilot.press("p")
        await wait_for(pilot, lambda: not get(cluster, "deployments", "web")["spec"].get(
            "paused"))
        assert app.internal_errors == []

    drive(cluster, steps, command="deploy", select="default/web")


def test_nodes_cordon_uncordon_taint_drain(cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("c")
        await wait_for(pilot, lambda: app.top.model.rows["k9py-worker"].cells[1] ==
                       "Ready,SchedulingDisabled")
        assert get(cluster, "nodes", "k9py-worker", None)["spec"]["unschedulable"]
        assert app.top.model.rows["k9py-worker"].status == "cordoned"
        await pilot.press("u")
        await wait_for(pilot, lambda: app.top.model.rows["k9py-worker"].cells[1] == "Ready")
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TaintDialog))
        await pilot.press(*list("bad key"), "enter")
        await wait_for(pilot, lambda: "invalid taint key" in screen_text(app))
        app.screen.query_one("#taint").value = "dedicated=gpu:NoExecute"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "added taint dedicated=gpu:NoExecute" in
                       screen_text(app))
        assert {"key": "dedicated", "value": "gpu", "effect": "NoExecute"} in get(
            cluster, "nodes", "k9py-worker", None)["spec"]["taints"]
        await wait_for(pilot, lambda: "evict" in screen_text(app)
                       or "no pod left" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.top.model.rows["k9py-worker"].cells[3] != "0")
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TaintDialog))
        await pilot.click("#remove-0")
        await wait_for(pilot, lambda: "removed taint" in screen_text(app))
        assert not get(cluster, "nodes", "k9py-worker", None)["spec"].get("taints")
        await pilot.press("escape")
        await open_on(pilot, app, "k9py-worker2")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, DrainDialog))
        app.screen.query_one("#grace").value = "0"
        app.screen.query_one("#force").value = True
        await pilot.click("#ok")
        await wait_for(pilot, lambda: app.screen.finished, timeout=10)
        text = screen_text(app)
        assert "node/k9py-worker2 cordoned" in text
        assert get(cluster, "nodes", "k9py-worker2", None)["spec"]["unschedulable"]
        await pilot.press("escape")
        assert app.internal_errors == []

    drive(cluster, steps, command="no", select="k9py-worker")


def test_kubelet_stop_start_and_add_remove_node(cluster: Cluster) -> None:
    if getattr(cluster, "kubelets", None) is None:
        import pytest

        pytest.skip("this engine runs no kubelets")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("K")
        await wait_for(pilot, lambda: "kubelet on k9py-worker stopped" in flash(app))
        assert cluster.call(cluster.kubelets.is_running, "k9py-worker") is False
        await pilot.press("K")
        await wait_for(pilot, lambda: "kubelet on k9py-worker started" in flash(app))
        assert cluster.call(cluster.kubelets.is_running, "k9py-worker") is True
        await pilot.press("a")
        await wait_for(pilot, lambda: "added" in flash(app))
        added = flash(app).split()[1]
        await wait_for(pilot, lambda: added in table_keys(app), what="new node row")
        await open_on(pilot, app, added)
        await pilot.press("x")
        await wait_for(pilot, lambda: "Remove node" in screen_text(app))
        await pilot.click("#ok")
        await wait_for(pilot, lambda: added not in table_keys(app), what="node removed")
        assert app.internal_errors == []

    drive(cluster, steps, command="no", select="k9py-worker")


def test_embedded_actions_are_not_available_without_kubelets(bare_cluster: Cluster) -> None:
    from k9py.client import EmbeddedActions, NotAvailable

    actions = EmbeddedActions(bare_cluster)
    for call in (lambda: actions.stop_kubelet("n"), lambda: actions.add_node()):
        try:
            call()
        except NotAvailable as err:
            assert "not available on this cluster" in str(err)
        else:
            raise AssertionError("expected NotAvailable")


def test_describe_yaml_and_secret_masking(cluster: Cluster) -> None:
    cluster.client.create("secrets", {"metadata": {"name": "db"}, "data": {
        "password": "aHVudGVyMg=="}}, namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.top, YamlView) and app.top.text)
        assert "********" in app.top.text and "aHVudGVyMg==" not in app.top.text
        await pilot.press("x")
        await wait_for(pilot, lambda: "aHVudGVyMg==" in app.top.text)
        await pilot.press("escape")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.top, DescribeView) and app.top.text)
        assert "Name:" in app.top.text and "db" in app.top.text
        assert "Events:" in app.top.text
        await pilot.press("escape")
        await pilot.press("enter")  # enter on a secret = describe
        await wait_for(pilot, lambda: isinstance(app.top, DescribeView))

    drive(cluster, steps, command="sec", select="default/db")


async def open_editor(pilot: Pilot, app: K9pyApp) -> Any:
    """``e`` on the selected row; the editor, once it holds the object's YAML."""
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.top, EditView)
                   and app.top.original is not None)
    return app.top.editor


async def save_edit(pilot: Pilot, editor: Any, old: str, new: str, count: int = -1) -> None:
    """Replace ``old`` with ``new`` in the editor's text and save it (ctrl-s)."""
    editor.load_text(editor.text.replace(old, new, count))
    await pilot.press("ctrl+s")


def test_edit_applies_and_keeps_a_rejected_edit(cluster: Cluster) -> None:
    cluster.client.create("configmaps", {"metadata": {"name": "cfg"}, "data": {"a": "1"}},
                          namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        editor = await open_editor(pilot, app)
        await save_edit(pilot, editor, "a: '1'", "a: [oops")
        await wait_for(pilot, lambda: "not applied" in screen_text(app))
        assert isinstance(app.top, EditView) and "oops" in editor.text
        await save_edit(pilot, editor, "a: [oops", "a: '2'")
        await wait_for(pilot, lambda: not isinstance(app.top, EditView))
        assert get(cluster, "configmaps", "cfg")["data"]["a"] == "2"
        assert "edited" in flash(app)

    drive(cluster, steps, command="cm", select="default/cfg")


def test_api_validation_error_is_shown_in_the_editor(cluster: Cluster) -> None:
    cluster.client.create("deployments", deployment("web"), namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        editor = await open_editor(pilot, app)
        await save_edit(pilot, editor, "replicas: 2", "replicas: -3", count=1)
        await wait_for(pilot, lambda: "not applied" in screen_text(app))
        assert "Invalid" in screen_text(app) or "invalid" in screen_text(app)
        assert get(cluster, "deployments", "web")["spec"]["replicas"] == 2
        assert app.internal_errors == []

    drive(cluster, steps, command="deploy", select="default/web")


def test_delete_with_propagation_and_kill(cluster: Cluster) -> None:
    c = cluster.client
    c.create("configmaps", {"metadata": {"name": "gone"}}, namespace="default")
    c.create("pods", {"metadata": {"name": "victim"}, "spec": {"containers": [
        {"name": "c", "image": "busybox"}]}}, namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteDialog))
        assert "Background" in screen_text(app) and "Orphan" in screen_text(app)
        await pilot.click("#ok")
        await wait_for(pilot, lambda: "default/gone" not in table_keys(app))
        app.run_command("po")
        await open_on(pilot, app, "default/victim")
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: "default/victim" not in table_keys(app))
        assert "killed" in flash(app)

    drive(cluster, steps, command="cm", select="default/gone")


def test_engine_errors_show_and_the_app_keeps_running(cluster: Cluster) -> None:
    _with_history(cluster)
    cluster.client.patch("deployments", "nginx-deployment", {"spec": {"paused": True}},
                         "application/merge-patch+json", namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.press("u")  # a bad action: undo on a paused deployment
        await wait_for(pilot, lambda: "Undo" in screen_text(app))
        await pilot.click("#ok")
        await wait_for(pilot, lambda: "paused" in flash(app))
        await pilot.press("s")  # an engine error: the object is gone when applied
        await wait_for(pilot, lambda: isinstance(app.screen, ScaleDialog))
        cluster.client.delete("deployments", "nginx-deployment", namespace="default")
        await pilot.press("3", "enter")
        await wait_for(pilot, lambda: "not found" in screen_text(app))
        assert isinstance(app.screen, ScaleDialog)  # kept open with the error
        await pilot.press("escape")
        await pilot.press("colon", *list("po"), "enter")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "Pod")
        assert app.internal_errors == []

    drive(cluster, steps, command="deploy", select="default/nginx-deployment")


def test_readonly_hides_and_refuses_changes(cluster: Cluster) -> None:
    cluster.client.create("deployments", deployment("web"), namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "[RO]" in text
        for hidden in ("Scale", "Delete", "Edit", "Kill", "Restart"):
            assert f"> {hidden}" not in text, hidden
        assert "Describe" in text
        await pilot.press("s", "ctrl+d", "e", "ctrl+k")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ScaleDialog | DeleteDialog)
        assert get(cluster, "deployments", "web")["spec"]["replicas"] == 2
        from k9py.ops.workloads import scale

        try:
            scale(app.client, "deployments.apps", "web", "default", 5)
        except Exception as err:
            assert "read-only" in str(err)
        else:
            raise AssertionError("the read-only client accepted a write")

    drive(cluster, steps, command="deploy", readonly=True, select="default/web")
