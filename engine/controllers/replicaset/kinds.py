"""What differs between a ReplicaSet and a ReplicationController.

Upstream runs the ReplicaSet controller for ReplicationControllers through
conversion adapters (``pkg/controller/replication/conversion.go``); here the
controller reads both as dicts and asks this description for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.api.selectors import LabelSelector
from engine.controllers.util.selectors import label_selector, set_selector

Obj = dict[str, Any]


@dataclass(frozen=True)
class WorkloadKind:
    resource: str
    api_version: str
    kind: str
    component: str
    map_selector: bool = False

    def selector(self, obj: Obj) -> LabelSelector:
        sel = (obj.get("spec") or {}).get("selector")
        return set_selector(sel) if self.map_selector else label_selector(sel)


REPLICA_SET = WorkloadKind("replicasets", "apps/v1", "ReplicaSet", "replicaset-controller")
REPLICATION_CONTROLLER = WorkloadKind("replicationcontrollers", "v1", "ReplicationController",
                                      "replication-controller", map_selector=True)
