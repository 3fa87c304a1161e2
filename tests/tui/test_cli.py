"""The k9py command: --help, the serve subcommand's dispatch, --summary, -f."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from engine.cluster import Cluster
from k9py import cli
from k9py.embedded import load_manifests

FIXTURE = Path(__file__).parent / "fixtures" / "nginx-deployment.yaml"


def test_help_lists_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for flag in ("--nodes", "--state-dir", "--speed", "--theme", "--readonly", "--virtual",
                 "-f", "serve"):
        assert flag in text


def test_serve_is_dispatched_to_serve_cmd(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    fake = types.ModuleType("k9py.serve_cmd")
    fake.main = lambda argv: seen.append(argv) or 7
    fake.__spec__ = types.SimpleNamespace(name="k9py.serve_cmd")
    monkeypatch.setitem(sys.modules, "k9py.serve_cmd", fake)
    import k9py

    monkeypatch.setattr(k9py, "serve_cmd", fake, raising=False)
    assert cli.main(["serve", "--port", "0"]) == 7
    assert seen == [["--port", "0"]]


def test_bad_flags_are_refused() -> None:
    assert cli.main(["--nodes", "0"]) == 2
    assert cli.main(["--speed", "0"]) == 2


def test_summary_prints_the_cluster() -> None:
    out = subprocess.run([sys.executable, "-m", "k9py", "--summary", "-f", str(FIXTURE)],
                         capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert "k9py-control-plane" in out.stdout and "kube-system" in out.stdout


def test_manifests_hook_applies_like_kubectl(cluster: Cluster) -> None:
    assert load_manifests(cluster.client, [str(FIXTURE)]) == [
        "deployment.apps/nginx-deployment created"]
    assert cluster.client.get("deployments", "nginx-deployment", "default")["spec"][
        "replicas"] == 3
    # again: kubectl apply's three-way merge finds nothing to change
    assert load_manifests(cluster.client, [str(FIXTURE)]) == [
        "deployment.apps/nginx-deployment unchanged"]


def test_serve_beside_the_tui_answers_kubectl(tmp_path: Path) -> None:
    """``k9py --serve``: the embedded cluster the TUI shows is also served to kubectl."""
    import shutil
    import stat

    from k9py.embedded import EmbeddedOptions, boot

    config = tmp_path / "kubeconfig"
    session = boot(EmbeddedOptions(serve=True, kubeconfig=str(config), virtual=True))
    try:
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
        if shutil.which("kubectl"):
            out = subprocess.run(["kubectl", "--kubeconfig", str(config), "--cache-dir",
                                  str(tmp_path / "cache"), "get", "ns", "-o", "name"],
                                 capture_output=True, text=True, timeout=60)
            assert "namespace/kube-system" in out.stdout.split(), out.stderr
    finally:
        session.close()
