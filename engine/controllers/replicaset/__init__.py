"""The ReplicaSet controller (``pkg/controller/replicaset``)."""

from engine.controllers.replicaset.controller import REPLICA_SET, ReplicaSetController, WorkloadKind

__all__ = ["REPLICA_SET", "ReplicaSetController", "WorkloadKind"]
