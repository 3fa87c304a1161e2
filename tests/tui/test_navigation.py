"""Navigation: ':' commands and aliases, namespaces, history, help, drill-downs."""

from __future__ import annotations

from textual.pilot import Pilot

from engine.cluster import Cluster
from k9py.app import K9pyApp
from k9py.views.help import AliasesView, HelpView
from k9py.views.pods import ContainerView, PodView
from k9py.views.resource import ResourceView
from tests.tui.conftest import drive
from tests.tui.helpers import (
    command,
    deployment_with_pods,
    flash,
    open_on,
    screen_text,
    table_keys,
    wait_for,
)


def synced(app) -> bool:  # noqa: ANN001
    top = app.top
    return isinstance(top, ResourceView) and top.model.synced


def test_start_screen_shows_header_table_crumbs(cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app) and len(app.top.model) >= 9)
        text = screen_text(app)
        for word in ("Context:", "K8s Rev:", "v1.32.0", "Nodes:", "3 (3 ready)",
                     "pods(kube-system)", "<pods>", "etcd-k9py-control-plane",
                     "<l> Logs", "NAME↑", "READY", "STATUS", "RESTARTS", "IP", "NODE"):
            assert word in text, word
        assert app.internal_errors == []

    drive(cluster, steps, command="pods kube-system")


def test_command_aliases_open_each_kind(cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        for alias, plural in (("po", "pods"), ("dp", "deployments"), ("deploy",
                              "deployments"), ("rs", "replicasets"), ("sts",
                              "statefulsets"), ("ds", "daemonsets"), ("job", "jobs"),
                              ("cj", "cronjobs"), ("svc", "services"), ("ep", "endpoints"),
                              ("ing", "ingresses"), ("no", "nodes"), ("ns", "namespaces"),
                              ("ev", "events"), ("cm", "configmaps"), ("sec", "secrets"),
                              ("pv", "persistentvolumes"), ("pvc", "persistentvolumeclaims"),
                              ("sc", "storageclasses"), ("sa", "serviceaccounts"),
                              ("hpa", "horizontalpodautoscalers"),
                              ("pdb", "poddisruptionbudgets"), ("ro", "roles"),
                              ("rb", "rolebindings"), ("cr", "clusterroles"),
                              ("crb", "clusterrolebindings"), ("pc", "priorityclasses")):
            app.run_command(alias)
            await wait_for(pilot, lambda: synced(app), what=alias)
            assert app.top.kind.plural == plural, alias
        await command(pilot, "dp")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "Deployment")
        await command(pilot, "nosuchthing")
        assert "command not found" in flash(app)
        assert app.internal_errors == []

    drive(cluster, steps)


def test_command_forms_namespace_labels_filter(cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await command(pilot, "po kube-system")
        await wait_for(pilot, lambda: synced(app) and len(app.top.model) == 9)
        assert app.top.scope.namespace == "kube-system" and app.namespace == "kube-system"
        await command(pilot, "po k8s-app=kube-dns")
        await wait_for(pilot, lambda: synced(app) and len(app.top.model) == 2)
        assert all(k.startswith("kube-system/coredns") for k in table_keys(app))
        await command(pilot, "po all /proxy")
        await wait_for(pilot, lambda: synced(app) and len(app.top.model) == 3)
        assert app.top.scope.namespace is None
        assert "pods(all)" in screen_text(app) and "</proxy>" in screen_text(app)

    drive(cluster, steps)


def test_tab_completes_commands(cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        # Each step waits for what it needs: on a busy machine the prompt
        # may still be opening when the letters are typed.
        await pilot.press("colon")
        await wait_for(pilot, lambda: app.query_one("#prompt").has_focus)
        await pilot.press("d", "e", "p", "l")
        await wait_for(pilot, lambda: app.query_one("#prompt").value == "depl")
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.query_one("#prompt").value != "depl")
        assert app.query_one("#prompt").value in ("deploy", "deployment", "deployments")
        await pilot.press("enter")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "Deployment")
        await pilot.press("colon", "escape")
        assert not app.query_one("#prompt").display

    drive(cluster, steps)


def test_namespace_keys_history_and_back(cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app))
        assert app.config.favorites[:2] == ["default", "kube-system"]
        await pilot.press("0")
        await wait_for(pilot, lambda: synced(app) and app.top.scope.namespace is None)
        await pilot.press("1")
        await wait_for(pilot, lambda: synced(app) and app.top.scope.namespace == "default")
        await pilot.press("2")
        await wait_for(pilot, lambda: app.top.scope.namespace == "kube-system")
        await command(pilot, "no")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "Node")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.top.kind.kind == "Pod")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.top.kind.kind == "Node")
        await pilot.press("minus")
        await wait_for(pilot, lambda: app.top.kind.kind == "Pod")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.top, HelpView)
                       and "RESOURCE" in screen_text(app))
        text = screen_text(app)
        assert "<l>" in text and "Logs" in text and "<^k>" in text and "Kill" in text
        assert "GENERAL" in text and "NAVIGATION" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.top, PodView))
        await pilot.press("ctrl+a")
        await wait_for(pilot, lambda: isinstance(app.top, AliasesView)
                       and "deployments.apps" in screen_text(app))
        await pilot.press("escape")
        assert app.internal_errors == []

    drive(cluster, steps, command="pods kube-system")


def test_enter_drills_down(cluster: Cluster) -> None:
    dep, rs, pod = deployment_with_pods(cluster)
    rs_key = f"default/{rs['metadata']['name']}"
    pod_key = f"default/{pod['metadata']['name']}"

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await open_on(pilot, app, "default/web")
        await pilot.press("enter")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "ReplicaSet"
                       and rs_key in table_keys(app), what="replicasets")
        app.top.table.select_key(rs_key)
        await pilot.press("enter")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "Pod"
                       and pod_key in table_keys(app), what="rs pods")
        assert all(app.top.model.rows[k].obj["metadata"]["ownerReferences"][0]["uid"]
                   == rs["metadata"]["uid"] for k in table_keys(app))
        app.top.table.select_key(pod_key)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.top, ContainerView)
                       and table_keys(app) == ["nginx"], what="containers")
        assert [v.crumb for v in app.stack] == ["deployments", "replicasets", "pods",
                                                "containers"]
        await pilot.press("escape", "escape", "escape")
        await wait_for(pilot, lambda: app.top.kind.kind == "Deployment")
        await command(pilot, "ns")
        await open_on(pilot, app, "kube-system")
        await pilot.press("enter")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "Pod"
                       and len(app.top.model) == 9)
        assert app.namespace == "kube-system"
        await command(pilot, "no")
        await open_on(pilot, app, "k9py-worker")
        await pilot.press("enter")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "Pod"
                       and app.top.scope.field_selector == "spec.nodeName=k9py-worker")
        assert all(app.top.model.rows[k].obj["spec"]["nodeName"] == "k9py-worker"
                   for k in table_keys(app))
        assert app.internal_errors == []

    drive(cluster, steps, command="deploy")


def test_service_and_job_drill_to_pods(cluster: Cluster) -> None:
    c = cluster.client
    c.create("services", {"metadata": {"name": "dns"}, "spec": {
        "selector": {"k8s-app": "kube-dns"}, "ports": [{"port": 53}]}},
        namespace="kube-system")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await open_on(pilot, app, "kube-system/dns")
        await pilot.press("enter")
        await wait_for(pilot, lambda: synced(app) and app.top.kind.kind == "Pod"
                       and len(app.top.model) == 2)
        assert all("coredns" in k for k in table_keys(app))

    drive(cluster, steps, command="svc kube-system")
