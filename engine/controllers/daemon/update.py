"""DaemonSet RollingUpdate with maxUnavailable or maxSurge.

Upstream: ``pkg/controller/daemon/update.go`` (``rollingUpdate``,
``findUpdatedPodsOnNode``, ``updatedDesiredNodeCounts``).

* Without surge: old pods are deleted (and the manage loop recreates them at
  the new revision) while fewer than ``maxUnavailable`` nodes lack an
  available pod; an old pod that is not available may always be replaced.
* With ``maxSurge``: a new pod is started next to an old one on up to
  ``maxSurge`` nodes at a time (at once where the old pod is unavailable);
  the old pod goes once the new one is available.

Nodes are visited in name order (upstream walks a Go map).
"""

from __future__ import annotations

from typing import Any

from engine.controllers.daemon import eligibility, util
from engine.controllers.util.pods import is_pod_available

Obj = dict[str, Any]


def find_updated_pods(ds: Obj, pods: list[Obj], hash_: str) -> tuple[Obj | None, Obj | None, bool]:
    """``findUpdatedPodsOnNode``: (new pod, old pod, at most one of each)."""
    generation = util.template_generation(ds)
    new = old = None
    for pod in pods:
        if "deletionTimestamp" in pod["metadata"]:
            continue
        if util.is_pod_updated(pod, hash_, generation):
            if new is not None:
                return None, None, False
            new = pod
        else:
            if old is not None:
                return None, None, False
            old = pod
    return new, old, True


class RollingMixin:
    """``rollingUpdate`` for the DaemonSet controller."""

    clock: Any

    def desired_counts(self, ds: Obj, nodes: list[Obj],
                       by_node: dict[str, list[Obj]]) -> tuple[int, int, int]:
        """``updatedDesiredNodeCounts``: (max surge, max unavailable, desired)."""
        spec = eligibility.daemon_pod_spec(ds)
        desired = 0
        for node in nodes:
            if eligibility.should_run(node, ds, spec)[0]:
                desired += 1
                by_node.setdefault(node["metadata"]["name"], [])
        unavailable = util.unavailable_count(ds, desired)
        surge = util.surge_count(ds, desired)
        if desired > 0 and unavailable == 0 and surge == 0:
            unavailable = 1
        return surge, unavailable, desired

    def rolling_update(self, ds: Obj, nodes: list[Obj], hash_: str) -> None:
        by_node = self.node_to_daemon_pods(ds)
        surge, unavailable, desired = self.desired_counts(ds, nodes, by_node)
        if surge == 0:
            delete = self._replace_without_surge(ds, by_node, hash_, unavailable)
            self.sync_nodes(ds, delete, [], hash_)
            return
        delete, create = self._replace_with_surge(ds, nodes, by_node, hash_, surge, desired)
        self.sync_nodes(ds, delete, create, hash_)

    def _available(self, ds: Obj, pod: Obj) -> bool:
        return is_pod_available(pod, int(ds["spec"].get("minReadySeconds") or 0),
                                self.clock.now())

    def _replace_without_surge(self, ds: Obj, by_node: dict[str, list[Obj]], hash_: str,
                               max_unavailable: int) -> list[str]:
        unavailable = 0
        allowed: list[str] = []
        candidates: list[str] = []
        for name in sorted(by_node):
            new, old, ok = find_updated_pods(ds, by_node[name], hash_)
            if not ok or (old is None) == (new is None):
                unavailable += 1  # excess pods, or none: the manage loop's work
            elif new is not None:
                unavailable += not self._available(ds, new)
            elif not self._available(ds, old):
                allowed.append(old["metadata"]["name"])
                unavailable += 1
            elif unavailable < max_unavailable:
                candidates.append(old["metadata"]["name"])
        room = min(max(max_unavailable - unavailable, 0), len(candidates))
        return allowed + candidates[:room]

    def _replace_with_surge(self, ds: Obj, nodes: list[Obj], by_node: dict[str, list[Obj]],
                            hash_: str, max_surge: int,
                            desired: int) -> tuple[list[str], list[str]]:
        node_objs = {n["metadata"]["name"]: n for n in nodes}
        spec = eligibility.daemon_pod_spec(ds)
        delete: list[str] = []
        misplaced: list[str] = []
        candidates: list[str] = []
        allowed: list[str] = []
        surging = available = 0
        for name in sorted(by_node):
            new, old, ok = find_updated_pods(ds, by_node[name], hash_)
            if not ok:
                surging += 1
                continue
            current = old if old is not None else new
            if current is not None and self._available(ds, current):
                available += 1
            if old is None:
                continue
            node = node_objs.get(name)
            runs = node is not None and eligibility.should_run(node, ds, spec)[0]
            if new is not None:
                if not self._available(ds, new):
                    surging += 1
                else:
                    delete.append(old["metadata"]["name"])
            elif not self._available(ds, old):
                if runs:
                    allowed.append(name)  # replace the unavailable old pod at once
                else:
                    delete.append(old["metadata"]["name"])
            elif not runs:
                misplaced.append(old["metadata"]["name"])
            elif surging < max_surge:
                candidates.append(name)
        deletable = min(max(available - desired, 0), len(misplaced))
        delete += misplaced[:deletable]
        room = min(max(max_surge - surging, 0), len(candidates))
        return delete, allowed + candidates[:room]
