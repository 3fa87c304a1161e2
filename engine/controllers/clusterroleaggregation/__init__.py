"""The ClusterRole aggregation controller: a ClusterRole with an
``aggregationRule`` holds the rules of the ClusterRoles its selectors match.

Upstream: ``pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go``
(every ClusterRole change queues every aggregating role; ``syncClusterRole``
writes the combined rules when they differ). The combination itself is
:func:`engine.api.rbac.aggregation.aggregate`.
"""

from __future__ import annotations

import copy
from typing import Any

from engine.api import errors
from engine.api.rbac.aggregation import aggregate
from engine.runtime import Controller, SharedInformerFactory

Obj = dict[str, Any]


class ClusterRoleAggregationController(Controller):
    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name="clusterrole-aggregation")
        self.client = client
        roles = factory.informer_for("clusterroles")
        self.roles = roles.lister()
        self.watch(roles, self._aggregators)

    def _aggregators(self, _changed: Obj) -> list[str]:
        return [r["metadata"]["name"] for r in self.roles.list()
                if r.get("aggregationRule") is not None]

    async def reconcile(self, key: str) -> float | None:
        role = self.roles.get(None, key)
        if role is None:
            return None
        rules = aggregate(role, self.roles.list())
        if rules is None or rules == (role.get("rules") or []):
            return None
        new = copy.deepcopy(role)
        new["rules"] = rules
        try:
            self.client.update("clusterroles", new)
        except errors.StatusError as err:
            if err.code == 409:
                return 0.5
            if err.code != 404:
                raise
        return None
