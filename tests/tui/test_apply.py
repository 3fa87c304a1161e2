"""Applying manifests from the TUI (issue 6): ``:apply``, the apply log, the watch, ctrl-o.

Driven through the UI with Textual's pilot and asserted on the screen and the
cluster. The watch tests edit a temporary copy of a manifest and wait in real
time: a save must give exactly one re-apply, visible within a second.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from engine.cluster import Cluster
from k9py.app import K9pyApp
from k9py.dialogs.filepicker import FilePickerDialog, candidates
from k9py.views.applylog import ApplyDetailView, ApplyLogView
from tests.tui.conftest import drive, make_app, run
from tests.tui.helpers import command, flash, screen_text, settle, wait_for

ROOT = Path(__file__).resolve().parents[2]
NGINX = ROOT / "samples" / "nginx" / "deployment.yaml"
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  colour: {colour}
"""
BROKEN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  colour: [blue\n"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """``:apply samples/nginx`` names paths as a user in the checkout would."""
    monkeypatch.chdir(ROOT)


def log_rows(app) -> list[tuple]:  # noqa: ANN001
    """The apply log's rows, oldest first: (file, object, action, message)."""
    manifests = app.session.manifests
    return [] if manifests is None else [
        (r.file, r.ref, r.action, r.message) for _seq, r in manifests.since(0)]


def configmap(cluster: Cluster) -> dict:
    return cluster.client.get("configmaps", "settings", "default")


def test_apply_command_creates_and_the_log_lists_it(bare_cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await command(pilot, "apply samples/nginx")
        await wait_for(pilot, lambda: "1 created" in flash(app), what="flash")
        assert flash(app) == "apply: 1 created"
        dep = bare_cluster.client.get("deployments", "nginx-deployment", "default")
        assert dep["spec"]["replicas"] == 2
        await command(pilot, "al")
        assert isinstance(app.top, ApplyLogView)
        await wait_for(pilot, lambda: len(app.top.model) == 1)
        text = screen_text(app)
        assert "samples/nginx/deployment.yaml" in text
        assert "default/deployment.apps/nginx-deployment" in text
        assert "created" in text
        # again: unchanged, and the log shows it live, newest first
        await command(pilot, "apply samples/nginx")
        await wait_for(pilot, lambda: len(app.top.model) == 2, what="second row")
        assert app.top.model.row_at(0).cells[3] == "unchanged"
        assert app.internal_errors == []
    drive(bare_cluster, steps)


def test_bad_path_and_bad_flag_are_clear_errors(bare_cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await command(pilot, "apply no/such/dir")
        await wait_for(pilot, lambda: "does not exist" in flash(app), what="error")
        assert flash(app) == 'apply: no/such/dir: the path "no/such/dir" does not exist'
        assert app.query_one("#flash").has_class("-error")
        await command(pilot, "apply samples/nginx --dry-run=maybe")
        await wait_for(pilot, lambda: "invalid choice" in flash(app))
        await command(pilot, "apply samples/nginx --dry-run=server")
        await wait_for(pilot, lambda: "server dry run" in flash(app))
        with pytest.raises(Exception, match="not found"):
            bare_cluster.client.get("deployments", "nginx-deployment", "default")
        await command(pilot, "pods")  # the app keeps running
        assert app.top.crumb == "pods" and app.internal_errors == []
    drive(bare_cluster, steps)


def test_error_detail_shows_kubectls_full_text(bare_cluster: Cluster, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN)

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await command(pilot, f"apply {bad}")
        await wait_for(pilot, lambda: "error" in flash(app), what="error")
        assert flash(app).startswith(f"apply: {bad}:7:1 (document 1): error parsing")
        await command(pilot, "applylog")
        await wait_for(pilot, lambda: len(app.top.model) == 1)
        assert app.top.model.row_at(0).status == "error"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.top, ApplyDetailView))
        text = screen_text(app)
        assert "error: error parsing" in text and "did not find" in text
        await pilot.press("escape")
        assert isinstance(app.top, ApplyLogView)
    drive(bare_cluster, steps)


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """The ConfigMap ``settings`` (colour: blue) in a file the watch tests edit."""
    path = tmp_path / "settings.yaml"
    path.write_text(CONFIGMAP.format(colour="blue"))
    return path


async def apply_watched(pilot: Pilot, app: K9pyApp, manifest: Path) -> None:
    """``:apply`` the manifest, see it created, and let the watcher scan it once."""
    await command(pilot, f"apply {manifest}")
    await wait_for(pilot, lambda: flash(app) == "apply: 1 created")
    assert app.session.manifests.watching
    await pilot.pause(0.3)  # the watcher's first scan


def test_a_save_reapplies_once_within_a_second(bare_cluster: Cluster, manifest: Path) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await apply_watched(pilot, app, manifest)
        manifest.write_text(CONFIGMAP.format(colour="green"))
        start = time.monotonic()
        await wait_for(pilot, lambda: "configured" in flash(app), timeout=5, what="re-apply")
        elapsed = time.monotonic() - start
        assert elapsed < 1.0, f"re-apply took {elapsed:.2f}s"
        assert flash(app) == "apply: 1 configured"
        assert configmap(bare_cluster)["data"] == {"colour": "green"}
        await pilot.pause(1.0)  # nothing more comes from the one save
        assert [a for _f, _r, a, _m in log_rows(app)] == ["created", "configured"]
        assert app.top.model.row_at(0).cells[3] == "configured"
        assert "configmap/settings configured" in screen_text(app)
    drive(bare_cluster, steps, command="applylog")


def test_a_broken_save_reports_and_keeps_the_objects(bare_cluster: Cluster,
                                                     manifest: Path) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await apply_watched(pilot, app, manifest)
        manifest.write_text(BROKEN)
        await wait_for(pilot, lambda: "error" in flash(app), timeout=5, what="error")
        assert flash(app).startswith(f"apply: {manifest}:7:1 (document 1): error parsing")
        assert app.query_one("#flash").has_class("-error")
        assert configmap(bare_cluster)["data"] == {"colour": "blue"}  # still running
        await wait_for(pilot, lambda: app.top.model.row_at(0).status == "error")
        assert f"{manifest.name}:7:1" in screen_text(app)
        await pilot.press("enter")  # the cursor follows the newest row: the error
        await wait_for(pilot, lambda: isinstance(app.top, ApplyDetailView))
        assert app.top.result.action == "error"
        await pilot.press("escape")
        manifest.write_text(CONFIGMAP.format(colour="red"))  # fixed: applied again
        await wait_for(pilot, lambda: "configured" in flash(app), timeout=5)
        assert configmap(bare_cluster)["data"] == {"colour": "red"}
    drive(bare_cluster, steps, command="applylog")


def test_file_picker_applies_the_chosen_file(bare_cluster: Cluster, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "settings.yaml").write_text(CONFIGMAP.format(colour="blue"))
    shutil.copy(NGINX, tmp_path / "nginx.yaml")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "hidden.yaml").write_text("x: 1\n")
    (tmp_path / "notes.txt").write_text("not a manifest\n")
    monkeypatch.chdir(tmp_path)
    assert candidates(str(tmp_path)) == ["nginx.yaml", "apps/settings.yaml"]

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, FilePickerDialog))
        await wait_for(pilot, lambda: app.screen.files, what="listing")
        assert "apps/settings.yaml" in screen_text(app)
        await pilot.press(*"settings")
        await wait_for(pilot, lambda: app.screen.shown == ["apps/settings.yaml"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: flash(app) == "apply: 1 created")
        assert configmap(bare_cluster)["data"] == {"colour": "blue"}
        assert log_rows(app)[0][:3] == ("apps/settings.yaml", "configmap/settings",
                                        "created")
        await command(pilot, "apply")  # no path: the picker again
        await wait_for(pilot, lambda: isinstance(app.screen, FilePickerDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, FilePickerDialog))
    drive(bare_cluster, steps)


def test_boot_results_reach_the_tui(bare_cluster: Cluster, tmp_path: Path) -> None:
    """``k9py -f``: applied before the app exists; the flash and the log show it."""
    from k9py.embedded import EmbeddedOptions, apply_manifests

    good = tmp_path / "good.yaml"
    good.write_text(CONFIGMAP.format(colour="blue"))
    opts = EmbeddedOptions(manifests=[str(good)], watch=False)

    async def scenario() -> None:
        app = make_app(bare_cluster)
        app.session.manifests = apply_manifests(bare_cluster, opts)
        async with app.run_test(size=(160, 45)) as pilot:
            await wait_for(pilot, lambda: flash(app) == "apply: 1 created")
            await command(pilot, "applylog")
            await wait_for(pilot, lambda: "configmap/settings created" in screen_text(app))
    run(scenario())


def test_readonly_refuses_apply(bare_cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await command(pilot, "apply samples/nginx")
        assert "read-only" in flash(app)
        assert app.session.manifests is None
    drive(bare_cluster, steps, readonly=True)


def test_command_line_passes_kubectls_flags() -> None:
    from k9py.cli import parse_args

    args = parse_args(["-f", "samples/nginx", "-R", "--prune", "--server-side", "-n", "demo",
                       "--dry-run=server"])
    assert args.manifests == ["samples/nginx"] and args.namespace == "demo"
    o = args.apply_options
    assert (o.recursive, o.prune, o.server_side, o.dry_run, o.namespace) == (
        True, True, True, True, "demo")
    plain = parse_args(["-n", "kube-system"])  # no -f: engine.apply is not even loaded
    assert plain.manifests == [] and plain.apply_options is None
    assert plain.namespace == "kube-system"


def test_stdin_manifest_errors_print_as_kubectl_does() -> None:
    """``k9py --summary -f -``: stdin is read before the cluster boots; errors go
    to stderr in kubectl's words (the TUI shows them in its flash line instead)."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "k9py", "--summary", "--nodes", "1", "-f", "-"],
                         input=BROKEN, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "error: error parsing STDIN: error converting YAML to JSON" in out.stderr


class RemoteClient:
    """Only the client interface (k9py.client.ClusterClient): no clock, no engine."""

    VERBS = ("get", "list", "create", "update", "update_status", "patch", "delete",
             "delete_collection", "watch")

    def __init__(self, inner: object) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        if name not in self.VERBS:
            raise AttributeError(name)
        return getattr(self._inner, name)


def test_apply_needs_only_the_client_interface(bare_cluster: Cluster) -> None:
    from k9py.app import K9pyApp
    from k9py.client import Session
    from k9py.config import Config

    async def scenario() -> None:
        app = K9pyApp(Session(client=RemoteClient(bare_cluster.client)), config=Config())
        async with app.run_test(size=(160, 45)) as pilot:
            await command(pilot, "apply samples/nginx")
            await wait_for(pilot, lambda: flash(app) == "apply: 1 created", timeout=10)
            assert bare_cluster.client.get("deployments", "nginx-deployment", "default")
    run(scenario())


def test_deleting_a_file_prunes_only_with_prune(bare_cluster: Cluster, tmp_path: Path) -> None:
    from engine.apply import ApplyOptions
    from k9py.embedded import EmbeddedOptions, apply_manifests

    (tmp_path / "settings.yaml").write_text(CONFIGMAP.format(colour="blue"))
    shutil.copy(NGINX, tmp_path / "nginx.yaml")
    opts = EmbeddedOptions(manifests=[str(tmp_path)], apply_options=ApplyOptions(prune=True))

    async def scenario() -> None:
        app = make_app(bare_cluster, command="applylog")
        app.session.manifests = apply_manifests(bare_cluster, opts)
        async with app.run_test(size=(160, 45)) as pilot:
            await wait_for(pilot, lambda: flash(app) == "apply: 2 created", timeout=10)
            await pilot.pause(0.3)
            (tmp_path / "settings.yaml").unlink()
            await wait_for(pilot, lambda: "deleted" in flash(app), timeout=5, what="prune")
            with pytest.raises(Exception, match="not found"):
                configmap(bare_cluster)
            assert bare_cluster.client.get("deployments", "nginx-deployment", "default")
            assert flash(app) == "apply: 1 file removed, 1 deleted"
            await wait_for(pilot, lambda: "configmap/settings pruned" in screen_text(app))
            assert app.top.model.row_at(0).cells[3] == "deleted"
            assert app.top.model.row_at(0).status == "kill"
    run(scenario())
