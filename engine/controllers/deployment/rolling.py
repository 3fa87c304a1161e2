"""The RollingUpdate strategy.

Upstream: ``pkg/controller/deployment/rolling.go`` (``rolloutRolling``,
``reconcileNewReplicaSet``, ``reconcileOldReplicaSets``,
``cleanupUnhealthyReplicas``, ``scaleDownOldReplicaSetsForRollingUpdate``):
scale the new ReplicaSet up as far as maxSurge allows; then scale old ones
down as far as maxUnavailable allows, unhealthy replicas first; one of the
two per sync, then the status.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.deployment import util

Obj = dict[str, Any]


class RollingMixin:
    """The parts of ``DeploymentController`` in rolling.go."""

    def rollout_rolling(self, d: Obj, rss: list[Obj]) -> float | None:
        new_rs, old = self.all_rss_and_sync_revision(d, rss, True)
        all_rss = [*old, new_rs]
        if self.reconcile_new_rs(all_rss, new_rs, d):
            return self.sync_rollout_status(all_rss, new_rs, d)
        if self.reconcile_old_rss(all_rss, util.active(old), new_rs, d):
            return self.sync_rollout_status(all_rss, new_rs, d)
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup(old, d)
        return self.sync_rollout_status(all_rss, new_rs, d)

    def reconcile_new_rs(self, all_rss: list[Obj], new_rs: Obj, d: Obj) -> bool:
        """``reconcileNewReplicaSet``."""
        want, have = util.replicas(d), util.replicas(new_rs)
        if have == want:
            return False
        if have > want:
            return self.scale_rs_and_record(new_rs, want, d)[0]
        count = util.new_rs_new_replicas(d, all_rss, new_rs)
        return self.scale_rs_and_record(new_rs, count, d)[0]

    def reconcile_old_rss(self, all_rss: list[Obj], old: list[Obj], new_rs: Obj,
                          d: Obj) -> bool:
        """``reconcileOldReplicaSets``: never below minAvailable, counting the
        new ReplicaSet's unavailable pods against the budget."""
        if util.spec_total(old) == 0:
            return False
        min_available = util.replicas(d) - util.max_unavailable(d)
        new_unavailable = util.replicas(new_rs) - util.status_of(new_rs, "availableReplicas")
        max_scaled_down = util.spec_total(all_rss) - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        old, cleaned = self._cleanup_unhealthy(old, d, max_scaled_down)
        scaled = self._scale_down_old_for_rolling([*old, new_rs], old, d)
        return cleaned + scaled > 0

    def _cleanup_unhealthy(self, old: list[Obj], d: Obj, max_cleanup: int
                           ) -> tuple[list[Obj], int]:
        """``cleanupUnhealthyReplicas``: drop old replicas that are not available."""
        old = util.by_creation(old)
        total = 0
        for i, rs in enumerate(old):
            if total >= max_cleanup:
                break
            have, available = util.replicas(rs), util.status_of(rs, "availableReplicas")
            if have == 0 or have == available:
                continue
            count = min(max_cleanup - total, have - available)
            old[i] = self.scale_rs_and_record(rs, have - count, d)[1]
            total += count
        return old, total

    def _scale_down_old_for_rolling(self, all_rss: list[Obj], old: list[Obj], d: Obj) -> int:
        """``scaleDownOldReplicaSetsForRollingUpdate``: oldest first."""
        min_available = util.replicas(d) - util.max_unavailable(d)
        available = util.status_total(all_rss, "availableReplicas")
        if available <= min_available:
            return 0
        budget = available - min_available
        total = 0
        for rs in util.by_creation(old):
            if total >= budget:
                break
            have = util.replicas(rs)
            if have == 0:
                continue
            count = min(have, budget - total)
            self.scale_rs_and_record(rs, have - count, d)
            total += count
        return total
