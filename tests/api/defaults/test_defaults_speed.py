"""Defaulting sits on every write: a typical pod must default in well under 50 µs."""

from __future__ import annotations

import time

import orjson

from engine.api import defaults
from engine.api.resources import resolve

POD = orjson.dumps(
    {
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "nginx:1.25",
                    "ports": [{"containerPort": 80}],
                    "resources": {
                        "requests": {"cpu": "100m", "memory": "128Mi"},
                        "limits": {"memory": "256Mi"},
                    },
                    "readinessProbe": {"httpGet": {"port": 80}},
                    "env": [{"name": "A", "value": "b"}],
                }
            ],
            "volumes": [{"name": "cfg", "configMap": {"name": "cfg"}}],
        },
    }
)


def test_pod_defaulting_is_cheap() -> None:
    info = resolve("pods")
    runs = 2000
    best = float("inf")
    for _ in range(5):
        pods = [orjson.loads(POD) for _ in range(runs)]
        start = time.perf_counter()
        for p in pods:
            defaults.default(info, p)
        best = min(best, (time.perf_counter() - start) / runs)
    assert best < 50e-6, f"{best * 1e6:.1f} µs per pod"
