"""``k9py serve`` as a process: kubeconfig, loopback, clean shutdown, state."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys

import yaml

from tests.rest.conftest import ROOT, _read_ready
from tests.rest.http import request


def _start(tmp_path, *extra: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "k9py", "serve", "--kubeconfig", str(tmp_path / "kc"), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = _read_ready(proc, 60)
    return proc, line


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0


def test_kubeconfig_and_state_survive_a_restart(tmp_path):
    state = tmp_path / "state"
    proc, line = _start(tmp_path, "--state-dir", str(state), "--nodes", "2")
    try:
        url = next(w for w in line.split() if w.startswith("https://127.0.0.1:"))
        kc = tmp_path / "kc"
        assert stat.S_IMODE(kc.stat().st_mode) == 0o600
        config = yaml.safe_load(kc.read_text())
        assert config["current-context"] == "k9py"
        assert [c["name"] for c in config["contexts"]] == ["k9py", "k9py-readonly"]
        assert config["clusters"][0]["cluster"]["server"] == url
        ca = __import__("base64").b64decode(
            config["clusters"][0]["cluster"]["certificate-authority-data"])
        token = config["users"][0]["user"]["token"]
        made = request(url, ca, "POST", "/api/v1/namespaces/default/configmaps", token=token,
                       body='{"metadata":{"name":"kept"},"data":{"a":"1"}}')
        assert made.status == 201
        nodes = request(url, ca, "GET", "/api/v1/nodes", token=token).json()["items"]
        assert len(nodes) == 2
    finally:
        _stop(proc)
    proc, line = _start(tmp_path, "--state-dir", str(state), "--nodes", "2")
    try:
        config = yaml.safe_load((tmp_path / "kc").read_text())
        url = config["clusters"][0]["cluster"]["server"]
        ca = __import__("base64").b64decode(
            config["clusters"][0]["cluster"]["certificate-authority-data"])
        token = config["users"][0]["user"]["token"]
        kept = request(url, ca, "GET", "/api/v1/namespaces/default/configmaps/kept",
                       token=token)
        assert (kept.status, kept.json()["data"]) == (200, {"a": "1"})
    finally:
        _stop(proc)
