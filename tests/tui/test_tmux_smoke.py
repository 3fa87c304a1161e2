"""k9py in a real terminal: tmux send-keys and capture-pane, as a person would.

Scale nginx-deployment to 4 with ``s``, change its image and roll back with
``u`` (the rollout history shows the new revision), cordon and taint a node.
Skipped when tmux is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "nginx-deployment.yaml"
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed: the terminal smoke test needs it")


class Tmux:
    """One private tmux server running k9py."""

    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.manifest = Path()  # the watched copy of FIXTURE k9py was started with

    def run(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                             text=True, timeout=10)
        return out.stdout

    def keys(self, *keys: str, pause: float = 0.4) -> None:
        """Each argument is one send-keys call (tmux key names or literal text)."""
        for key in keys:
            self.run("send-keys", "-t", "k9", key)
            time.sleep(pause)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "k9")

    def wait(self, predicate: Callable[[str], bool], timeout: float = 20.0,
             what: str = "") -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if predicate(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; screen:\n{text}")
            time.sleep(0.2)

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        return self.wait(lambda t: needle in t, timeout, repr(needle))


def row(screen: str, name: str) -> str:
    return next((line for line in screen.splitlines() if f" {name} " in line), "")


@pytest.fixture
def k9(tmp_path: Path) -> Iterator[Tmux]:
    # A socket per test: the previous test's ``kill-server`` may still be
    # shutting its server down when this one starts a session.
    tmux = Tmux(f"k9py-smoke-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    k9py = Path(sys.executable).parent / "k9py"
    tmux.manifest = tmp_path / "manifests" / FIXTURE.name  # a copy: tests edit it (watched)
    tmux.manifest.parent.mkdir()
    shutil.copy(FIXTURE, tmux.manifest)
    command = (f"cd {ROOT} && K9PY_CONFIG_DIR={tmp_path} TERM=xterm-256color "
               f"{k9py} -f {tmux.manifest}; sleep 5")
    tmux.run("new-session", "-d", "-s", "k9", "-x", "160", "-y", "45", command)
    try:
        tmux.wait_for("Context:", timeout=60)
        tmux.wait(lambda t: "pods(default)" in t and "Synchronizing" not in t, 60, "pods")
        yield tmux
    finally:
        tmux.run("kill-server")


def test_scale_rollback_cordon_taint_in_a_real_terminal(k9: Tmux) -> None:
    k9.keys(":deploy", "Enter")
    screen = k9.wait_for("nginx-deployment")
    assert "deployments(default)" in screen
    k9.keys("s")
    k9.wait_for("Scale Deployment nginx-deployment")
    k9.keys("4", "Enter")
    screen = k9.wait(lambda t: "/4" in row(t, "nginx-deployment"), 10, "READY x/4")
    assert "scaled deployment nginx-deployment to 4 replicas" in screen

    # a new revision (set image), then u rolls back and the history shows revision 3
    k9.keys("i")
    k9.wait_for("Set image of deployment nginx-deployment")
    k9.keys("C-u", "nginx:1.16.1", "Enter")
    k9.wait_for("image updated")
    k9.keys("h")
    screen = k9.wait_for("rollout history deployment/nginx-deployment")
    if "nginx:1.16.1" not in k9.wait(lambda t: "REVISION" in t, 10, "history"):
        k9.keys("Escape")
        pytest.skip("rollout revisions are recorded by the deployment controller (issue 3): "
                    "not running in this engine")
    k9.wait(lambda t: "2 " in t and "current" in t, 10, "revision 2 current")
    k9.keys("Escape", "u")
    k9.wait_for("Roll deployment nginx-deployment back")
    k9.keys("Enter")
    k9.wait_for("rolled back to revision 1")
    k9.keys("h")
    screen = k9.wait(lambda t: "3 " in t and "nginx:1.14.2" in t, 15, "revision 3")
    current = next(line for line in screen.splitlines() if "current" in line)
    assert "3" in current and "nginx:1.14.2" in current
    k9.keys("Escape")

    # cordon and taint a node: SchedulingDisabled, then the TAINTS count grows
    k9.keys(":no", "Enter")
    k9.wait_for("k9py-worker2")
    k9.keys("j")
    k9.keys("c")
    screen = k9.wait(lambda t: "SchedulingDisabled" in row(t, "k9py-worker"), 10, "cordon")
    taints_before = int(row(screen, "k9py-worker").split()[4])
    k9.keys("t")
    k9.wait_for("Taints of node k9py-worker")
    k9.keys("dedicated=gpu:NoExecute", "Enter")
    k9.wait_for("added taint dedicated=gpu:NoExecute")
    k9.keys("Escape")
    screen = k9.wait(lambda t: int(row(t, "k9py-worker").split()[4] or 0) > taints_before,
                     10, "taint count")
    assert "Ready,SchedulingDisabled" in row(screen, "k9py-worker")
    assert "Traceback" not in screen


def test_scaled_deployment_becomes_4_of_4_ready(k9: Tmux) -> None:
    k9.keys(":deploy", "Enter")
    k9.wait_for("nginx-deployment")
    k9.keys("s")
    k9.wait_for("Scale Deployment nginx-deployment")
    k9.keys("4", "Enter")
    k9.wait(lambda t: " 4/4 " in row(t, "nginx-deployment"), 60, "READY 4/4")
    # saving the watched manifest re-applies it: the flash line says so at once
    k9.manifest.write_text(k9.manifest.read_text().replace("replicas: 3", "replicas: 5"))
    k9.wait(lambda t: "apply: 1 configured" in t, 5, "re-apply flash")
    k9.wait(lambda t: "/5 " in row(t, "nginx-deployment"), 10, "READY x/5")


def test_noexecute_taint_evicts_the_nodes_pods(k9: Tmux) -> None:
    k9.keys(":po", "Enter")
    k9.wait(lambda t: t.count("Running") >= 3, 60, "nginx pods running")
    k9.keys(":no", "Enter")
    k9.wait_for("k9py-worker2")
    k9.keys("j", "t")
    k9.wait_for("Taints of node k9py-worker")
    k9.keys("dedicated=gpu:NoExecute", "Enter")
    # The scheduler may have put no nginx pod on this worker; then nothing is evicted.
    screen = k9.wait(lambda t: "added taint dedicated=gpu:NoExecute" in t, 30, "taint added")
    assert "no running pod is evicted" not in screen
    # The live list keeps every evicted pod, Terminating and then deleted.
    screen = k9.wait(lambda t: "evicted by dedicated=gpu:NoExecute:" in t or
                     "no pod on k9py-worker is evicted" in t, 30, "eviction list")
    if "evicted by dedicated=gpu:NoExecute:" in screen:
        k9.wait(lambda t: "evicted (deleted)" in t and "Terminating" not in t
                and "eviction pending" not in t, 60, "evictions done")
