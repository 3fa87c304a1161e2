"""kubectl 1.27–1.33 (the versioned binaries the Google Cloud CLI ships beside
its dispatcher): discovery (v2beta1 for ≤1.28, v2 after), OpenAPI v2 (≤1.28)
or v3, JSON or protobuf create bodies."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.rest.conftest import KUBECTL

VERSIONS = ("27", "28", "29", "30", "31", "33")


def _binary(minor: str) -> str | None:
    if KUBECTL is None:
        return None
    candidate = Path(os.path.realpath(KUBECTL)).parent / f"kubectl.1.{minor}"
    return str(candidate) if candidate.exists() else None


@pytest.mark.parametrize("minor", VERSIONS)
def test_versioned_kubectl(minor, served, tmp_path):
    binary = _binary(minor)
    if binary is None:
        pytest.skip(f"kubectl 1.{minor} is not installed")

    def run(*args: str) -> str:
        cmd = [binary, "--kubeconfig", str(served.kubeconfig), "--cache-dir",
               str(tmp_path / "cache"), "-n", "default", *args]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert run("get", "nodes").splitlines()[0].split() == [
        "NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    name = f"v{minor}"
    assert run("create", "deployment", name, "--image=nginx") == (
        f"deployment.apps/{name} created\n")
    manifest = tmp_path / "cm.yaml"
    manifest.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{minor}\n"
                        "data:\n  a: '1'\n")
    assert run("apply", "-f", str(manifest)) == f"configmap/cm{minor} created\n"
    assert run("apply", "-f", str(manifest)) == f"configmap/cm{minor} unchanged\n"
    assert "FIELD: strategy <DeploymentStrategy>" in run("explain", "deployment.spec.strategy")
    assert run("get", "deployment", name, "-o", "jsonpath={.spec.replicas}") == "1"
