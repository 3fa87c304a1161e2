"""The Recreate strategy.

Upstream: ``pkg/controller/deployment/recreate.go`` (``rolloutRecreate``,
``scaleDownOldReplicaSetsForRecreate``, ``oldPodsRunning``,
``scaleUpNewReplicaSetForRecreate``): every old pod goes before the new
ReplicaSet is created and scaled up.
"""

from __future__ import annotations

from typing import Any

from engine.controllers.deployment import util

Obj = dict[str, Any]


def old_pods_running(new_rs: Obj | None, old: list[Obj], pod_map: dict[str, list[Obj]]) -> bool:
    """``oldPodsRunning``: old ReplicaSets report pods, or a non-terminal old pod exists."""
    if util.status_total(old, "replicas") > 0:
        return True
    new_uid = new_rs["metadata"]["uid"] if new_rs is not None else None
    for uid, pods in pod_map.items():
        if uid == new_uid:
            continue
        for pod in pods:
            if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                return True
    return False


class RecreateMixin:
    """The parts of ``DeploymentController`` in recreate.go."""

    def rollout_recreate(self, d: Obj, rss: list[Obj],
                         pod_map: dict[str, list[Obj]]) -> float | None:
        new_rs, old = self.all_rss_and_sync_revision(d, rss, False)
        all_rss = [*old, new_rs]
        if self._scale_down_old_for_recreate(util.active(old), d):
            return self.sync_rollout_status(all_rss, new_rs, d)
        if old_pods_running(new_rs, old, pod_map):
            return self.sync_rollout_status(all_rss, new_rs, d)
        if new_rs is None:
            new_rs, old = self.all_rss_and_sync_revision(d, rss, True)
            all_rss = [*old, new_rs]
        self.scale_rs_and_record(new_rs, util.replicas(d), d)
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup(old, d)
        return self.sync_rollout_status(all_rss, new_rs, d)

    def _scale_down_old_for_recreate(self, old: list[Obj], d: Obj) -> bool:
        scaled = False
        for rs in old:
            if util.replicas(rs) == 0:
                continue
            if self.scale_rs_and_record(rs, 0, d)[0]:
                scaled = True
        return scaled
