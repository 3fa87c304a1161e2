"""The ReplicationController manager.

Upstream: ``pkg/controller/replication/replication_controller.go``
(``NewReplicationManager``: the ReplicaSet controller run over
ReplicationControllers through conversion adapters, with the event source
``replication-controller``). Here the same controller class runs with the
:data:`~engine.controllers.replicaset.kinds.REPLICATION_CONTROLLER`
description: a map selector, ``v1`` owner references.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.replicaset.controller import ReplicaSetController
from engine.controllers.replicaset.kinds import REPLICATION_CONTROLLER
from engine.runtime import SharedInformerFactory


class ReplicationManager(ReplicaSetController):
    """``ReplicationManager``."""

    def __init__(self, client: Any, factory: SharedInformerFactory, *, workers: int = 5) -> None:
        super().__init__(client, factory, REPLICATION_CONTROLLER, workers=workers)
