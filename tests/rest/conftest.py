"""Fixtures for the REST API tests.

``served``: one ``python -m k9py serve`` subprocess for the session (the way
users start it), with its kubeconfig. ``kubectl``: the real kubectl against
it, with a fresh ``--cache-dir`` per test so no discovery is reused.
``inproc``: a cluster and API server in this process, for checks that need
the engine's hand (compaction, fault injection).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from engine.cluster import Cluster, ClusterConfig

ROOT = Path(__file__).resolve().parents[2]
KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")


@dataclass
class Served:
    url: str
    kubeconfig: Path
    admin_token: str
    readonly_token: str
    ca_pem: bytes
    process: subprocess.Popen

    def ssl_context(self):  # noqa: ANN201
        import ssl

        return ssl.create_default_context(cadata=self.ca_pem.decode())


def _read_ready(proc: subprocess.Popen, timeout: float) -> str:
    """The ``ready`` line. A thread keeps reading the server's output after it,
    so a chatty server never blocks on a full pipe; a hung one fails the test."""
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            if len(lines) < 1000:
                lines.append(line)
            if "ready" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout):
        proc.kill()
        raise RuntimeError(f"k9py serve did not become ready: {''.join(lines)}")
    return next(line for line in lines if "ready" in line)


def _served(tmp: Path) -> Served:
    kubeconfig = tmp / "kubeconfig"
    proc = subprocess.Popen(
        [sys.executable, "-m", "k9py", "serve", "--port", "0", "--kubeconfig", str(kubeconfig)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = _read_ready(proc, 60)
    url = next(word for word in line.split() if word.startswith("https://"))
    config = yaml.safe_load(kubeconfig.read_text())
    tokens = {u["name"]: u["user"]["token"] for u in config["users"]}
    import base64

    ca = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"])
    return Served(url, kubeconfig, tokens["k9py"], tokens["k9py-readonly"], ca, proc)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = _served(tmp_path_factory.mktemp("serve"))
    yield server
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise


Kubectl = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def kubectl(served: Served, tmp_path: Path) -> Kubectl:
    """``kubectl(*args, input=None, check=True, context=None)``."""
    if KUBECTL is None:
        pytest.skip("kubectl is not installed")
    cache = tmp_path / "kube-cache"

    def run(*args: str, input: str | None = None, check: bool = True,
            context: str | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
        cmd = [KUBECTL, "--kubeconfig", str(served.kubeconfig), "--cache-dir", str(cache)]
        if context:
            cmd += ["--context", context]
        result = subprocess.run([*cmd, *args], input=input, capture_output=True, text=True,
                                timeout=timeout, cwd=tmp_path)
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}{result.stderr}")
        return result

    return run


# Every namespace of a real cluster holds this ConfigMap, published by
# kube-controller-manager's root-ca-cert-publisher moments after the
# namespace appears (pkg/controller/certificates/rootcacertpublisher).
ROOT_CA = "kube-root-ca.crt"


@pytest.fixture
def ns(kubectl: Kubectl) -> str:
    """A fresh namespace for one test, once its ``kube-root-ca.crt`` is there
    (so what a test lists does not depend on how fast the publisher was)."""
    name = f"t-{uuid.uuid4().hex[:8]}"
    kubectl("create", "namespace", name)
    wait_for(lambda: kubectl("get", "configmap", ROOT_CA, "-n", name,
                             check=False).returncode == 0)
    return name


@pytest.fixture(scope="module")
def inproc() -> Iterator[object]:
    """A cluster served from this process (real clock)."""
    from engine.serve import start

    cluster = Cluster(ClusterConfig()).start()
    serving = start(cluster)
    yield serving
    serving.stop()


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def pinned_pod(name: str, script: str, *, node: str = "k9py-worker",
               container: str = "sh") -> str:
    """A Pod manifest (label ``app=<name>``) pinned to ``node`` with
    ``spec.nodeName``, so it runs without a scheduler: one busybox container
    running ``sh -c script``."""
    return yaml.safe_dump({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {"nodeName": node, "containers": [
            {"name": container, "image": "busybox", "command": ["sh", "-c", script]}]},
    }, sort_keys=False)


def apply_and_wait(kubectl: Kubectl, ns: str, manifest: str, ready: Callable[[], bool],
                   timeout: float) -> None:
    """``kubectl apply`` the manifest into ``ns`` and wait until ``ready``; skips
    the test when no kubelet runs pods in this build."""
    kubectl("apply", "-f", "-", "-n", ns, input=manifest)
    try:
        wait_for(ready, timeout)
    except AssertionError:
        pytest.skip("no kubelet runs pods in this build")


def columns(text: str) -> list[list[str]]:
    """kubectl's table output split into cells (columns are 3+ spaces apart
    or single-space separated words in narrow tables)."""
    return [line.split() for line in text.strip().splitlines()]
