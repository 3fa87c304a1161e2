"""kube-controller-manager's node lifecycle and taint eviction controllers.

``run_node_lifecycle_controller(cluster)`` runs both, through the API like
every controller: :mod:`.controller` watches node health (Leases and
status), marks silent nodes ``Unknown``, taints them and marks their pods
not ready; :mod:`.eviction` deletes pods from nodes with NoExecute taints
they do not tolerate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.api.admission.base import UserInfo
from engine.client import LocalClient
from engine.controllers.nodelifecycle.controller import NodeLifecycleController
from engine.controllers.nodelifecycle.eviction import TaintEvictionController
from engine.runtime import SharedInformerFactory

if TYPE_CHECKING:
    from engine.cluster import Cluster

FIELD_MANAGER = "kube-controller-manager"


def _client(cluster: Cluster, account: str) -> LocalClient:
    assert cluster.api is not None
    user = UserInfo(name=f"system:serviceaccount:kube-system:{account}",
                    groups=("system:serviceaccounts", "system:serviceaccounts:kube-system",
                            "system:authenticated"))
    return LocalClient(cluster.api, user=user, field_manager=FIELD_MANAGER)


async def run_node_lifecycle_controller(cluster: Cluster,
                                        factory: SharedInformerFactory | None = None) -> None:
    """Both controllers, until cancelled. ``factory``: kube-controller-manager's
    shared one (its owner starts and stops it); without it, a factory of their own."""
    shared = factory is not None
    if factory is None:
        factory = SharedInformerFactory(cluster.local_client(FIELD_MANAGER))
    lifecycle = NodeLifecycleController(_client(cluster, "node-controller"), factory)
    # Driven by its informers' handlers and timers; it lives as long as this coroutine.
    eviction = TaintEvictionController(_client(cluster, "taint-eviction-controller"), factory)
    factory.start()  # the informers not running yet
    try:
        await lifecycle.run()
    finally:
        if not shared:
            factory.stop()
        del eviction


__all__ = ["NodeLifecycleController", "TaintEvictionController", "run_node_lifecycle_controller"]
