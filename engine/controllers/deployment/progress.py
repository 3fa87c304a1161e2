"""Rollout status and the progress deadline.

Upstream: ``pkg/controller/deployment/progress.go`` (``syncRolloutStatus``,
``requeueStuckDeployment``).
"""

from __future__ import annotations

from typing import Any

from engine.controllers.deployment import conditions as c
from engine.controllers.deployment.status import (
    calculate_status,
    progress,
    replica_failures,
    same_status,
    stuck_recheck,
)
from engine.controllers.util.conditions import remove_condition, set_condition

Obj = dict[str, Any]


class ProgressMixin:
    """The parts of ``DeploymentController`` in progress.go."""

    def sync_rollout_status(self, all_rss: list[Obj | None], new_rs: Obj | None,
                            d: Obj) -> float | None:
        """``syncRolloutStatus``: counts, Available, Progressing, ReplicaFailure;
        returns when to look again for a deadline that may pass."""
        stamp, now = self.now(), self.clock.now()
        status = calculate_status(all_rss, new_rs, d, stamp)
        progress(d, status, new_rs, stamp, now)
        failures = replica_failures(all_rss, new_rs)
        if failures:
            set_condition(status, failures[0])
        else:
            remove_condition(status, c.REPLICA_FAILURE)
        if same_status(d.get("status") or {}, status):
            return stuck_recheck(d, status, now)
        d["status"] = status
        self.write_status(d)
        return None
