"""The ReplicaSet controller (``pkg/controller/replicaset``)."""

from engine.controllers.replicaset.controller import ReplicaSetController
from engine.controllers.replicaset.kinds import REPLICA_SET, REPLICATION_CONTROLLER, WorkloadKind

__all__ = ["REPLICATION_CONTROLLER", "REPLICA_SET", "ReplicaSetController", "WorkloadKind"]
