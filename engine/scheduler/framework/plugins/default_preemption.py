"""DefaultPreemption: make room for a pod by evicting lower-priority pods.

Upstream: ``pkg/scheduler/framework/plugins/defaultpreemption/
default_preemption.go`` (``PodEligibleToPreemptOthers``,
``SelectVictimsOnNode``: remove every lower-priority pod, check the pod fits,
then reprieve as many as possible - PDB-violating ones first, highest
priority first; ``calculateNumCandidates``: 10% of the nodes, at least 100)
and ``pkg/scheduler/framework/preemption/preemption.go`` (``Preempt``,
``findCandidates`` over the nodes whose status is Unschedulable,
``DryRunPreemption`` from a random offset, ``pickOneNodeForPreemption``,
``prepareCandidate``: DisruptionTarget condition, delete, ``Preempted``
event; the failure message is a nested FitError prefixed ``preemption: ``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from engine.api import errors, patch
from engine.scheduler.framework.interface import CycleState, PostFilterPlugin
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.selectors import LabelSelector
from engine.scheduler.framework.types import (
    Code,
    Diagnosis,
    FitError,
    NodeToStatus,
    Status,
    unresolvable,
    unschedulable,
)

MIN_CANDIDATE_NODES_PERCENTAGE = 10
MIN_CANDIDATE_NODES_ABSOLUTE = 100
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
MAX_INT32 = 2**31 - 1

Obj = dict[str, Any]


@dataclass
class Candidate:
    node: str
    victims: list[PodInfo]
    pdb_violations: int


def more_important(a: PodInfo, b: PodInfo) -> bool:
    """``util.MoreImportantPod``: higher priority, then the earlier start time."""
    if a.priority != b.priority:
        return a.priority > b.priority
    return (a.start_time or "~") < (b.start_time or "~")


def _importance_cmp(a: PodInfo, b: PodInfo) -> int:
    if more_important(a, b):
        return -1
    if more_important(b, a):
        return 1
    return 0


def terminating_by_preemption(pi: PodInfo) -> bool:
    """``podTerminatingByPreemption``."""
    if pi.deletion_timestamp is None:
        return False
    return any(c.get("type") == "DisruptionTarget" and c.get("reason") == "PreemptionByScheduler"
               for c in (pi.pod.get("status") or {}).get("conditions") or ())


class DefaultPreemption(PostFilterPlugin):
    name = names.DEFAULT_PREEMPTION

    def post_filter(self, state: CycleState, pod: PodInfo,
                    node_to_status: NodeToStatus) -> tuple[str | None, Status]:
        node, status = self.preempt(state, pod, node_to_status)
        if status.reasons:
            status.reasons = ["preemption: " + status.message()]
        return node, status

    # -- Preempt -----------------------------------------------------------------------------
    def preempt(self, state: CycleState, pod: PodInfo,
                node_to_status: NodeToStatus) -> tuple[str | None, Status]:
        h = self.handle
        latest = h.pod_lister_get(pod.namespace, pod.name)
        if latest is None:
            return None, Status.error(f'pods "{pod.name}" not found')
        nominated = (latest.get("status") or {}).get("nominatedNodeName") or ""
        ok, msg = self.eligible(pod, nominated, node_to_status.get(nominated) if nominated
                                else None)
        if not ok:
            h.record_preemption(pod, {"eligible": False, "message": msg})
            return None, unschedulable(msg)
        all_nodes = h.cache.list()
        names_ = [n.name for n in all_nodes]
        potential = node_to_status.nodes_for_code(names_, Code.UNSCHEDULABLE)
        if not potential:
            if nominated:
                h.clear_nominated_node_name(pod)
            return "", self._no_candidates(pod, len(all_nodes), {}, [])
        offset = h.rng.randrange(len(potential))
        candidates, statuses = self.dry_run(state, pod, [h.cache.get(n) for n in potential],
                                            offset, self.num_candidates(len(potential)))
        if not candidates:
            return "", self._no_candidates(pod, len(all_nodes), statuses, potential)
        best = self.select_candidate(candidates)
        status = self.prepare_candidate(best, pod)
        h.record_preemption(pod, {
            "eligible": True, "potentialNodes": len(potential), "candidates": [
                {"node": c.node, "victims": [v.key for v in c.victims],
                 "pdbViolations": c.pdb_violations} for c in candidates[:20]],
            "nominatedNode": best.node, "victims": [v.key for v in best.victims]})
        if status is not None:
            return None, status
        return best.node, Status()

    def _no_candidates(self, pod: PodInfo, num_nodes: int, statuses: dict[str, Status],
                       potential: list[str]) -> Status:
        nts = NodeToStatus(dict(statuses), absent=unresolvable(NOT_HELPFUL))
        message = FitError(pod, num_nodes, Diagnosis(node_to_status=nts)).message()
        self.handle.record_preemption(pod, {
            "eligible": True, "potentialNodes": len(potential), "candidates": [],
            "message": message,
            "nodes": {n: {"plugin": s.plugin, "reasons": list(s.reasons)}
                      for n, s in list(statuses.items())[:20]}})
        return unschedulable(message)

    def eligible(self, pod: PodInfo, nominated: str,
                 nominated_status: Status | None) -> tuple[bool, str]:
        """``PodEligibleToPreemptOthers``."""
        if (pod.pod.get("spec") or {}).get("preemptionPolicy") == "Never":
            return False, "not eligible due to preemptionPolicy=Never."
        if nominated:
            if nominated_status is not None and \
                    nominated_status.code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE:
                return True, ""
            node = self.handle.cache.get(nominated)
            if node is not None and any(
                    p.priority < pod.priority and terminating_by_preemption(p)
                    for p in node.pods.values()):
                return False, "not eligible due to a terminating pod on the nominated node."
        return True, ""

    @staticmethod
    def num_candidates(num_nodes: int) -> int:
        """``calculateNumCandidates``."""
        n = num_nodes * MIN_CANDIDATE_NODES_PERCENTAGE // 100
        return min(max(n, MIN_CANDIDATE_NODES_ABSOLUTE), num_nodes)

    # -- DryRunPreemption -------------------------------------------------------------------------
    def dry_run(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo | None],
                offset: int, wanted: int) -> tuple[list[Candidate], dict[str, Status]]:
        pdbs = self.handle.lister("pdbs").list()
        good: list[Candidate] = []
        violating: list[Candidate] = []
        statuses: dict[str, Status] = {}
        for i in range(len(nodes)):
            node = nodes[(offset + i) % len(nodes)]
            if node is None:
                continue
            victims, violations, status = self.select_victims(
                state.clone(), pod, node.clone(), pdbs)
            if status is None and victims:
                (good if violations == 0 else violating).append(
                    Candidate(node.name, victims, violations))
                if good and len(good) + len(violating) >= wanted:
                    break
                continue
            statuses[node.name] = status or Status.error(
                f'expected at least one victim pod on node "{node.name}"')
        return good + violating, statuses

    def select_victims(self, state: CycleState, pod: PodInfo, node: NodeInfo,
                       pdbs: list[Obj]) -> tuple[list[PodInfo], int, Status | None]:
        """``SelectVictimsOnNode``."""
        fwk = self.handle.framework
        nominated = self.handle.queue.nominated_pods_for_node(node.name)
        potential = [p for p in node.pods.values() if p.priority < pod.priority]
        if not potential:
            return [], 0, unresolvable(NO_VICTIMS)
        for p in potential:
            node.remove_pod(p.uid)
            fwk.run_remove_pod(state, pod, p, node)
        status = fwk.run_filter_with_nominated_pods(state, pod, node, nominated)
        if status is not None:
            return [], 0, status
        potential.sort(key=functools.cmp_to_key(_importance_cmp))
        violating, non_violating = filter_pdb_violations(potential, pdbs)
        victims: list[PodInfo] = []
        violations = 0

        def reprieve(p: PodInfo) -> bool:
            node.add_pod(p)
            fwk.run_add_pod(state, pod, p, node)
            if fwk.run_filter_with_nominated_pods(state, pod, node, nominated) is None:
                return True
            node.remove_pod(p.uid)
            fwk.run_remove_pod(state, pod, p, node)
            victims.append(p)
            return False

        for p in violating:
            if not reprieve(p):
                violations += 1
        for p in non_violating:
            reprieve(p)
        if violating and non_violating:
            victims.sort(key=functools.cmp_to_key(_importance_cmp))
        return victims, violations, None

    # -- choosing -----------------------------------------------------------------------------------
    @staticmethod
    def select_candidate(candidates: list[Candidate]) -> Candidate:
        """``SelectCandidate`` / ``pickOneNodeForPreemption``."""
        if len(candidates) == 1:
            return candidates[0]
        rules = (
            lambda c: -c.pdb_violations,
            lambda c: -c.victims[0].priority,
            lambda c: -sum(v.priority + MAX_INT32 + 1 for v in c.victims),
            lambda c: -len(c.victims),
            _latest_start_time,
        )
        remaining = candidates
        for rule in rules:
            scores = [rule(c) for c in remaining]
            best = max(scores)
            remaining = [c for c, s in zip(remaining, scores, strict=True) if s == best]
            if len(remaining) == 1:
                break
        return remaining[0]

    # -- acting ---------------------------------------------------------------------------------------
    def prepare_candidate(self, c: Candidate, pod: PodInfo) -> Status | None:
        """``prepareCandidate``: evict the victims, clear lower nominations."""
        h = self.handle
        client = h.client
        scheduler_name = (pod.pod.get("spec") or {}).get("schedulerName") or "default-scheduler"
        for victim in c.victims:
            condition = {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                         "lastTransitionTime": h.clock.rfc3339(),
                         "reason": "PreemptionByScheduler",
                         "message": f"{scheduler_name}: preempting to accommodate a higher "
                                    "priority pod"}
            try:
                client.patch("pods", victim.name, {"status": {"conditions": [condition]}},
                             patch.STRATEGIC_MERGE_PATCH, namespace=victim.namespace,
                             subresource="status")
                client.delete("pods", victim.name, namespace=victim.namespace)
            except errors.StatusError as err:
                if err.code != 404:
                    return Status.error(err)
                continue
            h.recorder.event(victim.pod, "Normal", "Preempted",
                             f"Preempted by pod {pod.uid} on node {c.node}")
        for other in h.queue.nominated_pods_for_node(c.node):
            if other.priority < pod.priority and other.uid != pod.uid:
                h.clear_nominated_node_name(other)
        return None


def _latest_start_time(c: Candidate) -> Any:
    """The earliest start time of the highest-priority victims (later is better)."""
    top = c.victims[0].priority
    earliest = min((v.start_time or "") for v in c.victims if v.priority == top)
    return earliest


def filter_pdb_violations(pods: list[PodInfo],
                          pdbs: list[Obj]) -> tuple[list[PodInfo], list[PodInfo]]:
    """``filterPodsWithPDBViolation``: pods whose eviction would exceed a budget."""
    allowed = [int((p.get("status") or {}).get("disruptionsAllowed") or 0) for p in pdbs]
    selectors = [LabelSelector((p.get("spec") or {}).get("selector")) for p in pdbs]
    violating, ok = [], []
    for pi in pods:
        hit = False
        if pi.labels:
            for i, pdb in enumerate(pdbs):
                if (pdb.get("metadata") or {}).get("namespace") != pi.namespace:
                    continue
                sel = selectors[i]
                if sel.empty or not sel.matches(pi.labels):
                    continue
                disrupted = (pdb.get("status") or {}).get("disruptedPods") or {}
                if pi.name in disrupted:
                    continue
                allowed[i] -= 1
                if allowed[i] < 0:
                    hit = True
        (violating if hit else ok).append(pi)
    return violating, ok


