"""One simulated hour of a cluster on the virtual clock, printed as an event log.

Run as a script (``python -m tests.virtual_hour``) so tests can compare two
runs in separate processes, with different hash seeds."""

from __future__ import annotations

import hashlib
import sys

import orjson

from engine.cluster import Cluster, ClusterConfig
from tests.helpers import deployment, pod

WATCHED = ("namespaces", "nodes", "pods", "events", "leases", "deployments", "replicasets",
           "configmaps")


def run_hour(step: float = 60.0) -> list[str]:
    """The log of every change, one line per watch event, over one hour."""
    log: list[str] = []
    with Cluster(ClusterConfig(virtual=True, seed=7)) as cluster:
        client = cluster.client
        watches = [client.watch(r, callback=_collector(log, r)) for r in WATCHED]
        client.create("deployments", deployment("nginx", replicas=2), namespace="default")
        client.create("pods", pod("solo", app="solo"), namespace="default")
        elapsed = 0.0
        while elapsed < 3600:
            cluster.advance(step)
            elapsed += step
            if elapsed == 600:
                cm = {"metadata": {"name": "settings"}, "data": {"at": str(elapsed)}}
                client.create("configmaps", cm, namespace="default")
        for w in watches:
            w.stop()
    return log


def _collector(log: list[str], resource: str):  # noqa: ANN202
    def collect(events) -> None:  # noqa: ANN001
        for e in events:
            m = e.object.get("metadata", {})
            digest = hashlib.sha256(orjson.dumps(e.object, option=orjson.OPT_SORT_KEYS))
            log.append(f"{m.get('resourceVersion')} {e.type} {resource} "
                       f"{m.get('namespace', '')}/{m.get('name')} {digest.hexdigest()[:16]}")
    return collect


if __name__ == "__main__":
    lines = run_hour()
    sys.stdout.write("\n".join(lines) + "\n")
