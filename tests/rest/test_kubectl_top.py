"""Real ``kubectl top`` (and discovery, and a refused write) against the
metrics.k8s.io/v1beta1 group that ``k9py serve`` delegates to the simulated
kubelets (engine/api/aggregated.py).

Upstream: kubectl ``pkg/cmd/top`` (``top pod``: NAME CPU(cores) MEMORY(bytes),
NAMESPACE first with ``-A``, POD NAME ... with ``--containers``; ``top node``:
NAME CPU(cores) CPU(%) MEMORY(bytes) MEMORY(%)) and metrics-server
``pkg/api`` (get and list only)."""

from __future__ import annotations

import json
import re

import pytest

from tests.rest.conftest import apply_and_wait, needs_kubectl, pinned_pod

pytestmark = needs_kubectl

@pytest.fixture
def pair(kubectl, ns):
    """Two running pods (``alpha`` and ``beta``) in a fresh namespace, with readings."""
    def measured() -> bool:
        out = kubectl("top", "pods", "-n", ns, "--no-headers", check=False)
        return out.returncode == 0 and len(out.stdout.splitlines()) == 2

    pods = "---\n".join(pinned_pod(n, "sleep 3600", container="main") for n in ("alpha", "beta"))
    apply_and_wait(kubectl, ns, pods, measured, 30)
    return ns


def test_top_pods_selector_containers_and_all_namespaces(kubectl, pair):
    rows = kubectl("top", "pods", "-n", pair).stdout.splitlines()
    assert rows[0].split() == ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert [r.split()[0] for r in rows[1:]] == ["alpha", "beta"]
    assert all(re.fullmatch(r"\S+\s+\d+m\s+\d+Mi", r.rstrip()) for r in rows[1:])
    picked = kubectl("top", "pods", "-n", pair, "-l", "app=beta", "--no-headers").stdout
    assert [r.split()[0] for r in picked.splitlines()] == ["beta"]
    containers = kubectl("top", "pod", "alpha", "-n", pair, "--containers").stdout.splitlines()
    assert containers[0].split() == ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert re.fullmatch(r"alpha\s+main\s+\d+m\s+\d+Mi", containers[1].rstrip())
    everywhere = kubectl("top", "pods", "-A").stdout.splitlines()
    assert everywhere[0].split() == ["NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"]
    mine = [r.split()[:2] for r in everywhere[1:] if r.startswith(pair + " ")]
    assert mine == [[pair, "alpha"], [pair, "beta"]]
    assert any(r.startswith("kube-system ") for r in everywhere[1:])  # the static pods


def test_top_nodes_one_and_by_label(kubectl):
    one = kubectl("top", "node", "k9py-worker").stdout.splitlines()
    assert one[0].split() == ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    assert re.fullmatch(r"k9py-worker\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%", one[1].rstrip())
    labelled = kubectl("top", "nodes", "-l", "node-role.kubernetes.io/control-plane",
                       "--no-headers").stdout.splitlines()
    assert [r.split()[0] for r in labelled] == ["k9py-control-plane"]
    missing = kubectl("top", "node", "nope", check=False)
    assert missing.stderr == ('Error from server (NotFound): nodemetrics.metrics.k8s.io '
                              '"nope" not found\n')


def test_discovery_lists_get_and_list_only(kubectl):
    out = kubectl("api-resources", "--api-group=metrics.k8s.io", "-o", "wide").stdout
    rows = {r.split()[0]: r for r in out.splitlines()[1:]}
    assert set(rows) == {"nodes", "pods"}
    assert re.search(r"metrics\.k8s\.io/v1beta1\s+false\s+NodeMetrics\s+get,list", rows["nodes"])
    assert re.search(r"metrics\.k8s\.io/v1beta1\s+true\s+PodMetrics\s+get,list", rows["pods"])
    raw = json.loads(kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1").stdout)
    assert raw["groupVersion"] == "metrics.k8s.io/v1beta1"
    assert {r["name"]: r["verbs"] for r in raw["resources"]} == {
        "nodes": ["get", "list"], "pods": ["get", "list"]}


def test_writes_are_method_not_allowed(kubectl, pair):
    refused = kubectl("delete", "podmetrics", "alpha", "-n", pair, check=False)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error from server (MethodNotAllowed): the server does not "
                                     "allow this method on the requested resource")
    assert kubectl("get", "pod", "alpha", "-n", pair, "-o", "name").stdout == "pod/alpha\n"


def test_get_podmetrics_and_nodemetrics_tables(kubectl, pair):
    """metrics-server's Table columns (pod.go/node.go ConvertToTable): Name, the
    summed usage as quantities, Window."""
    pods = kubectl("get", "podmetrics", "-n", pair).stdout.splitlines()
    assert pods[0].split() == ["NAME", "CPU", "MEMORY", "WINDOW"]
    assert [r.split()[0] for r in pods[1:]] == ["alpha", "beta"]
    assert all(re.fullmatch(r"\S+\s+\d+[num]?\s+\d+(Ki|Mi)\s+\d+s", r.rstrip())
               for r in pods[1:])
    nodes = kubectl("get", "nodes.metrics.k8s.io", "k9py-worker").stdout.splitlines()
    assert nodes[0].split() == ["NAME", "CPU", "MEMORY", "WINDOW"]
    assert nodes[1].startswith("k9py-worker ")


def test_canonical_quantities():
    from engine.rest.metrics import canonical_cpu, canonical_memory

    assert canonical_cpu(25868770) == "25868770n"
    assert canonical_cpu(5_000_000) == "5m" and canonical_cpu(2_000_000_000) == "2"
    assert canonical_memory(1024 * 1024) == "1Mi" and canonical_memory(30552 * 1024) == "30552Ki"
