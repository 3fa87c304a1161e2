"""The kubelet's node status writes are ``owned`` (a new top level over the
read-only node it last saw, the status built afresh): the API server copies
only what it writes. The stored Nodes (and Leases) must be byte for byte those
of copying writes, with the shared-object check on and watchers sharing them."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from engine.client import LocalClient
from engine.cluster import Cluster, ClusterConfig
from engine.kubelet.manager import run_kubelets
from tests.kubelet.helpers import bound_pod, create


def _run() -> bytes:
    config = ClusterConfig(virtual=True, fsync=False, workers=2, components=[run_kubelets])
    with Cluster(config) as cluster:
        assert cluster.api is not None
        cluster.api.cache.check = True  # a mutated shared object raises
        # Watchers, as the controller manager's: what they get is shared.
        watches = [cluster.client.watch(resource, callback=lambda _batch: None)
                   for resource in ("nodes", "leases")]
        cluster.advance(1)
        # redis is not on the nodes yet: the pull changes status.images (a status write)
        create(cluster, bound_pod("db", [{"name": "db", "image": "redis:7"}]))
        cluster.advance(45)  # lease renewals every 10 s, node status on change
        nodes = cluster.client.list("nodes")["items"]
        leases = cluster.client.list("leases", "kube-node-lease")["items"]
        renewed = [lease["spec"]["renewTime"] for lease in leases]
        for watch in watches:
            watch.stop()
    assert len(nodes) == 3 and len(set(renewed)) == len(renewed)
    assert any("redis" in name for node in nodes for image in node["status"]["images"]
               for name in image["names"])
    return orjson.dumps([nodes, leases], option=orjson.OPT_SORT_KEYS)


def test_owned_node_status_writes_store_what_copying_writes_store(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    owned = _run()
    assert not [r for r in caplog.records if "K9PY_CHECK_SHARED" in r.getMessage()]
    plain_update, plain_status = LocalClient.update, LocalClient.update_status

    def update(self: LocalClient, resource: Any, obj: Any, **opts: Any) -> Any:
        opts["owned"] = False
        return plain_update(self, resource, obj, **opts)

    def update_status(self: LocalClient, resource: Any, obj: Any, **opts: Any) -> Any:
        if resource == "nodes":
            opts["owned"] = False
        return plain_status(self, resource, obj, **opts)

    monkeypatch.setattr(LocalClient, "update", update)
    monkeypatch.setattr(LocalClient, "update_status", update_status)
    assert _run() == owned
