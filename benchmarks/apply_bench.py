"""The apply engine (issue 6): parsing manifests and client-side apply throughput.

Baselines (same run): PyYAML's C loader on the same text (parsing), and plain
creates of the same objects through the same client (apply = GET + dry run +
create/patch, so about 3-4 requests per object).
"""

from __future__ import annotations

import time

import yaml

from benchmarks.common import repeat, row
from engine.api.server import APIServer
from engine.apply.loader import parse
from engine.apply.options import ApplyOptions
from engine.apply.transaction import Applier
from engine.client import LocalClient
from engine.clock import VirtualClock
from engine.store import Store

DOC = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  labels: {{app: web-{i}, tier: front}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web-{i}}}
  template:
    metadata:
      labels: {{app: web-{i}}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
        resources:
          requests: {{cpu: 100m, memory: 64Mi}}
"""


def _text(n: int) -> bytes:
    return "---\n".join(DOC.format(i=i) for i in range(n)).encode()


def _client() -> LocalClient:
    clock = VirtualClock()
    clock.new_event_loop()
    api = APIServer(Store(), clock)
    api.create("namespaces", {"metadata": {"name": "default"}})
    return LocalClient(api)


def _parse_rate(data: bytes, n: int) -> float:
    start = time.perf_counter()
    parse("bench.yaml", data)
    return n / (time.perf_counter() - start)


def _pyyaml_rate(data: bytes, n: int) -> float:
    start = time.perf_counter()
    list(yaml.load_all(data, Loader=yaml.CSafeLoader))
    return n / (time.perf_counter() - start)


def _apply_rate(data: bytes, n: int, times: int = 1) -> float:
    client = _client()
    applier = Applier(client, ApplyOptions(), time.time)
    docs = parse("bench.yaml", data)
    applier.apply_file("bench.yaml", docs)
    start = time.perf_counter()
    for _ in range(times):
        out = applier.apply_file("bench.yaml", docs)
    assert not out.failed
    return n * times / (time.perf_counter() - start)


def _create_rate(data: bytes, n: int) -> float:
    client = _client()
    objs = [d.obj for d in parse("bench.yaml", data)]
    start = time.perf_counter()
    for obj in objs:
        client.create("deployments", obj, namespace="default")
    return n / (time.perf_counter() - start)


def _first_apply_rate(data: bytes, n: int) -> float:
    client = _client()
    applier = Applier(client, ApplyOptions(), time.time)
    docs = parse("bench.yaml", data)
    start = time.perf_counter()
    applier.apply_file("bench.yaml", docs)
    return n / (time.perf_counter() - start)


def run(quick: bool = False) -> list[dict]:
    n = 100 if quick else 400
    times = 3 if quick else 5
    data = _text(n)
    return [
        row("apply: parse documents (go-yaml rules, limits)",
            repeat(lambda: _parse_rate(data, n), times), "docs/s",
            repeat(lambda: _pyyaml_rate(data, n), times)),
        row("apply: first apply, client-side (vs plain creates)",
            repeat(lambda: _first_apply_rate(data, n), times), "objects/s",
            repeat(lambda: _create_rate(data, n), times)),
        row("apply: re-apply unchanged (GET + three-way diff)",
            repeat(lambda: _apply_rate(data, n), times), "objects/s"),
    ]
