"""The bad-manifest table against the real kubectl: its stderr is the expected text.

Runs ``kubectl apply -f <files>`` against ``python -m k9py serve`` for every
case where k9py means to print what kubectl prints, so the messages in
``cases.py`` are kubectl's own, not a guess. Skipped without kubectl.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.apply.cases import CASES, EXISTING, Case

KUBECTL = shutil.which("kubectl")
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
CHECKED = [c for c in CASES if c.kubectl is True]


@pytest.fixture(scope="module")
def kubeconfig(served_kubeconfig: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served cluster, holding the Deployment the patch cases change."""
    tmp = tmp_path_factory.mktemp("existing")
    result = kubectl(served_kubeconfig, tmp, "existing.yaml", EXISTING.encode())
    assert result.returncode == 0, result.stderr
    return served_kubeconfig


def kubectl(config: Path, cwd: Path, name: str, data: bytes, *args: str
            ) -> subprocess.CompletedProcess:
    (cwd / name).write_bytes(data)
    return subprocess.run([KUBECTL, "--kubeconfig", str(config), "--cache-dir",
                           str(cwd / ".kube-cache"), "apply", "-f", name, *args],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("case", CHECKED, ids=[c.id for c in CHECKED])
def test_kubectl_prints_the_same(case: Case, kubeconfig: Path, tmp_path: Path) -> None:
    for name, data in case.files.items():
        (tmp_path / name).write_bytes(data)
    args = [a for name in sorted(case.files) for a in ("-f", name)]
    if case.namespace:
        args += ["-n", case.namespace]
    result = subprocess.run([KUBECTL, "--kubeconfig", str(kubeconfig), "--cache-dir",
                             str(tmp_path / ".kube-cache"), "apply", *args],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == case.expected
