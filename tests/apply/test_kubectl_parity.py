"""The same files through the real kubectl and through k9py's apply engine give
the same live objects: the seed's deployment / update / scale sequence, and a
scale that a file without ``replicas`` keeps. Skipped without kubectl."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from engine.api import patch as patches
from engine.apply import ApplyOptions, ApplySession
from engine.cluster import Cluster, ClusterConfig

KUBECTL = shutil.which("kubectl")
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
NGINX = Path(__file__).resolve().parents[2] / "samples" / "nginx"
STEPS = [NGINX / "deployment.yaml", NGINX / "steps" / "deployment-update.yaml",
         NGINX / "steps" / "deployment-scale.yaml"]
VOLATILE = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")


@pytest.fixture
def kubeconfig(served_kubeconfig: Path) -> Path:
    return served_kubeconfig


class Kubectl:
    def __init__(self, config: Path, cache: Path, ns: str) -> None:
        self.base = [KUBECTL, "--kubeconfig", str(config), "--cache-dir", str(cache)]
        self.ns = ns

    def __call__(self, *args: str) -> str:
        result = subprocess.run([*self.base, *args], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def get(self, kind: str, name: str = "") -> dict:
        return json.loads(self("get", kind, *([name] if name else []), "-n", self.ns,
                               "-o", "json"))


def settled(read, seconds: float = 15.0) -> dict:
    """Poll ``read()`` until two reads a second apart agree."""
    last, deadline = read(), time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = read()
        if now == last:
            return now
        last = now
    return last


def shape(deploy: dict, replica_sets: list[dict]) -> dict:
    meta = {k: v for k, v in deploy["metadata"].items() if k not in VOLATILE}
    meta.pop("namespace", None)
    return {"metadata": meta, "spec": deploy["spec"],
            # Names and revisions: how far a rollout got depends on pods, not on apply.
            "replicasets": sorted((rs["metadata"]["name"], rs["metadata"]["annotations"].get(
                "deployment.kubernetes.io/revision")) for rs in replica_sets)}


def ours(files: list[Path], ns: str, between=None) -> dict:
    with Cluster(ClusterConfig(virtual=True)) as cluster:
        cluster.client.create("namespaces", {"metadata": {"name": ns}})
        for i, f in enumerate(files):
            ApplySession(cluster.client, [str(f)], ApplyOptions(namespace=ns)).apply_all()
            cluster.advance(10)
            if between:
                between(i, cluster)
                cluster.advance(10)
        live = cluster.client.get("deployments", "nginx-deployment", ns)
        sets = cluster.client.list("replicasets", ns)["items"]
        return shape(live, sets)


def theirs(kubeconfig: Path, tmp: Path, files: list[Path], ns: str, between=None) -> dict:
    k = Kubectl(kubeconfig, tmp / "cache", ns)
    k("create", "namespace", ns)
    for i, f in enumerate(files):
        k("apply", "-n", ns, "-f", str(f))
        if between:
            between(i, k)

    def read() -> dict:
        return shape(k.get("deployment", "nginx-deployment"), k.get("replicasets")["items"])

    return settled(read)


def test_seed_sequence_matches_kubectl(kubeconfig: Path, tmp_path: Path) -> None:
    ns = f"p-{uuid.uuid4().hex[:8]}"
    assert ours(STEPS, ns) == theirs(kubeconfig, tmp_path, STEPS, ns)


def test_scale_then_reapply_matches_kubectl(kubeconfig: Path, tmp_path: Path) -> None:
    """A file without replicas, a scale in between, a changed image: the scale stays."""
    text = STEPS[0].read_text().replace(
        "  replicas: 2 # tells deployment to run 2 pods matching the template\n", "")
    first = tmp_path / "first.yaml"
    first.write_text(text)
    second = tmp_path / "second.yaml"
    second.write_text(text.replace("nginx:1.14.2", "nginx:1.16.1"))

    def scale_ours(i: int, cluster: Cluster) -> None:
        if i == 0:
            cluster.client.patch("deployments", "nginx-deployment", {"spec": {"replicas": 5}},
                                 patches.STRATEGIC_MERGE_PATCH, namespace=ns)

    def scale_theirs(i: int, k: Kubectl) -> None:
        if i == 0:
            k("patch", "deployment", "nginx-deployment", "-n", k.ns, "-p",
              '{"spec":{"replicas":5}}')

    ns = f"p-{uuid.uuid4().hex[:8]}"
    mine = ours([first, second], ns, scale_ours)
    assert mine["spec"]["replicas"] == 5
    assert mine == theirs(kubeconfig, tmp_path, [first, second], ns, scale_theirs)
