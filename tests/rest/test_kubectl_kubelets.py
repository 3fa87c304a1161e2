"""kubectl commands answered by the simulated kubelets: logs (also -f) and
top (metrics.k8s.io). Pods are pinned to a node with ``spec.nodeName`` so no
scheduler is needed."""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from tests.rest.conftest import KUBECTL, apply_and_wait, needs_kubectl, pinned_pod, wait_for

pytestmark = needs_kubectl

TICKER = pinned_pod("ticker", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done")


def running(kubectl, ns: str, pod: str) -> bool:
    return kubectl("get", "pod", pod, "-n", ns, "-o",
                   "jsonpath={.status.phase}").stdout == "Running"


@pytest.fixture
def ticker(kubectl, ns):
    apply_and_wait(kubectl, ns, TICKER, lambda: running(kubectl, ns, "ticker"), 20)
    return ns


def test_logs_and_tail(kubectl, ticker):
    time.sleep(2.5)
    lines = kubectl("logs", "ticker", "-n", ticker).stdout.splitlines()
    assert lines[:2] == ["tick 0", "tick 1"]
    tail = kubectl("logs", "ticker", "-n", ticker, "--tail=1").stdout.splitlines()
    assert len(tail) == 1 and tail[0].startswith("tick ")
    stamped = kubectl("logs", "ticker", "-n", ticker, "--tail=1", "--timestamps").stdout
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z tick \d+\n", stamped)
    previous = kubectl("logs", "ticker", "-n", ticker, "--previous", check=False)
    assert previous.stderr == ('Error from server (BadRequest): previous terminated container '
                               '"sh" in pod "ticker" not found\n')


def test_logs_follow_streams_new_lines(served, ticker, tmp_path):
    proc = subprocess.Popen(
        [KUBECTL, "--kubeconfig", str(served.kubeconfig), "--cache-dir", str(tmp_path / "c"),
         "logs", "-f", "ticker", "-n", ticker, "--tail=1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        second = proc.stdout.readline()
    finally:
        proc.kill()
        proc.wait()
    n = int(first.split()[1])
    assert second == f"tick {n + 1}\n"


def test_top_nodes_and_pods(kubectl, ticker):
    nodes = kubectl("top", "nodes").stdout.splitlines()
    assert nodes[0].split() == ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    assert re.match(r"k9py-control-plane\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%", nodes[1])

    def has_metrics() -> bool:
        return kubectl("top", "pods", "-n", ticker, check=False).returncode == 0

    wait_for(has_metrics, 30)
    pods = kubectl("top", "pods", "-n", ticker).stdout.splitlines()
    assert pods[0].split() == ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert re.match(r"ticker\s+\d+m\s+\d+Mi", pods[1])
    missing = kubectl("top", "pod", "nope", "-n", ticker, check=False)
    assert missing.stderr == (f'Error from server (NotFound): podmetrics.metrics.k8s.io '
                              f'"{ticker}/nope" not found\n')


DRAINED = pinned_pod("drainme", "sleep 3600", node="k9py-worker2")


def test_drain_evicts_through_the_eviction_subresource(kubectl, ns):
    """``drain`` reads legacy ``/api/v1`` for pods/eviction, evicts, and waits
    until the kubelet has removed the pod. (The walkthrough's plain
    ``drain --ignore-daemonsets`` needs controller-owned system pods.)"""
    apply_and_wait(kubectl, ns, DRAINED, lambda: running(kubectl, ns, "drainme"), 20)
    try:
        result = kubectl("drain", "k9py-worker2", "--force", "--ignore-daemonsets",
                         "--grace-period=1", "--pod-selector=app=drainme", timeout=60)
    finally:
        kubectl("uncordon", "k9py-worker2")
    assert result.stdout == ("node/k9py-worker2 cordoned\n"
                             f"evicting pod {ns}/drainme\n"
                             "pod/drainme evicted\n"
                             "node/k9py-worker2 drained\n")
    assert result.stderr == f"Warning: deleting Pods that declare no controller: {ns}/drainme\n"
    gone = kubectl("get", "pod", "drainme", "-n", ns, check=False)
    assert gone.stderr == 'Error from server (NotFound): pods "drainme" not found\n'
