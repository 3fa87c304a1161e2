"""The ReplicationController manager (``pkg/controller/replication``)."""

from engine.controllers.replication.controller import ReplicationManager

__all__ = ["ReplicationManager"]
