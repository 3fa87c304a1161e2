"""One scheduling attempt: filter, score, pick, assume, bind - or fail.

Upstream: ``pkg/scheduler/schedule_one.go`` (``ScheduleOne``,
``schedulingCycle``, ``schedulePod``, ``findNodesThatFitPod`` with the
nominated-node shortcut, ``findNodesThatPassFilters`` with
``numFeasibleNodesToFind`` and the round-robin ``nextStartNodeIndex``,
``prioritizeNodes``, ``selectHost``, ``bindingCycle``,
``handleSchedulingFailure``). The binding cycle runs right after the
scheduling cycle instead of on its own goroutine: the Binding write is a
direct call on the engine loop, so there is nothing to wait for.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress, count, islice, repeat
from operator import eq
from typing import TYPE_CHECKING, Any

from engine.scheduler import config
from engine.scheduler.explain import AttemptRecord
from engine.scheduler.framework.interface import CycleState
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.pod_info import PodInfo, QueuedPodInfo
from engine.scheduler.framework.scoring import ScoreResult
from engine.scheduler.framework.types import (
    ERR_NO_NODES_AVAILABLE,
    Code,
    Diagnosis,
    FitError,
    Status,
    unresolvable,
)

if TYPE_CHECKING:
    from engine.scheduler.scheduler import Scheduler

MIN_CHUNK = 32


class SchedulingError(Exception):
    """A failure that is not a FitError (``framework.AsStatus(err)``)."""

    def __init__(self, status: Status) -> None:
        super().__init__(status.message())
        self.status = status


@dataclass
class ScheduleResult:
    host: str
    evaluated: int
    feasible: int


def schedule_one(sched: Scheduler, qpi: QueuedPodInfo) -> None:
    """``ScheduleOne`` for a pod popped from the queue."""
    pi = qpi.pod_info
    if pi.deletion_timestamp is not None:
        sched.recorder.event(pi.pod, "Warning", "FailedScheduling",
                             f"skip schedule deleting pod: {pi.key}")
        sched.queue.done(pi.key)
        return
    state = CycleState()
    record = AttemptRecord(pi.key, qpi.attempts, sched.clock.rfc3339(), sched.cache.num_nodes())
    sched.current_record = record
    try:
        result = schedule_pod(sched, state, pi, record)
    except FitError as fit:
        nominated = run_post_filter(sched, state, pi, fit, record)
        fail(sched, qpi, Status(Code.UNSCHEDULABLE, fit.message()), fit, nominated, record)
        return
    except SchedulingError as err:
        fail(sched, qpi, err.status, None, "", record)
        return
    assume_and_bind(sched, state, qpi, result.host, record)


# -- scheduling cycle -------------------------------------------------------------------------
def schedule_pod(sched: Scheduler, state: CycleState, pi: PodInfo,
                 record: AttemptRecord) -> ScheduleResult:
    """``schedulePod``: the host for the pod, or FitError."""
    if sched.cache.num_nodes() == 0:
        raise SchedulingError(unresolvable(ERR_NO_NODES_AVAILABLE))
    diagnosis = Diagnosis()
    feasible = find_nodes_that_fit(sched, state, pi, diagnosis, record)
    record.statuses = diagnosis.node_to_status.statuses
    record.feasible = feasible
    record.evaluated = len(feasible) + len(diagnosis.node_to_status)
    if not feasible:
        record.absent = diagnosis.node_to_status.absent
        raise FitError(pi, sched.cache.num_nodes(), diagnosis)
    if len(feasible) == 1:
        return ScheduleResult(feasible[0].name, record.evaluated, 1)
    result = prioritize_nodes(sched, state, pi, feasible, record)
    if result is not None and result.ids is not None:
        host = select_host_compact(sched, feasible, result.ids, result.id_total,
                                   result.id_count)
    else:
        host = select_host(sched, feasible, result.totals if result is not None
                           else [1] * len(feasible))
    return ScheduleResult(host, record.evaluated, len(feasible))


def find_nodes_that_fit(sched: Scheduler, state: CycleState, pi: PodInfo,
                        diagnosis: Diagnosis, record: AttemptRecord) -> list[NodeInfo]:
    """``findNodesThatFitPod``."""
    fwk = sched.framework
    all_nodes = sched.cache.list()
    names, status, narrowed = fwk.run_pre_filter(state, pi, all_nodes)
    for plugin in fwk.pre_filter:  # plugin order, not set order: records replay identically
        if plugin.name in state.skip_filter_plugins:
            record.pre_filter[plugin.name] = "Skip"
    if not status.is_success():
        if not status.is_rejected():
            raise SchedulingError(status)
        record.pre_filter[status.plugin] = status.message()
        diagnosis.node_to_status.absent = status
        diagnosis.pre_filter_msg = status.message()
        diagnosis.add_plugin_status(status)
        return []
    nominated = (pi.pod.get("status") or {}).get("nominatedNodeName") or ""
    if nominated:
        node = sched.cache.get(nominated)
        if node is not None:
            passed = pass_filters(sched, state, pi, diagnosis, [node], record, advance=False)
            if passed:
                return passed
    nodes = all_nodes
    if names is not None:
        nodes = [n for n in all_nodes if n.name in names]
        diagnosis.node_to_status.absent = unresolvable(
            f"node(s) didn't satisfy plugin(s) [{' '.join(sorted(narrowed))}]")
        diagnosis.unschedulable_plugins.update(narrowed)
    feasible: list[NodeInfo] = []
    try:
        pass_filters(sched, state, pi, diagnosis, nodes, record, feasible)
    finally:
        # Upstream updates nextStartNodeIndex here, error or not, by the nodes
        # processed (feasible, and rejected - the nominated node's rejection
        # included), modulo every node (not only those PreFilter left).
        processed = len(feasible) + len(diagnosis.node_to_status.statuses)
        if all_nodes:
            sched.next_start_node_index = (sched.next_start_node_index + processed) % \
                len(all_nodes)
    return feasible


def pass_filters(sched: Scheduler, state: CycleState, pi: PodInfo, diagnosis: Diagnosis,
                 nodes: list[NodeInfo], record: AttemptRecord,
                 feasible: list[NodeInfo] | None = None,
                 advance: bool = True) -> list[NodeInfo]:
    """``findNodesThatPassFilters``: up to ``numFeasibleNodesToFind`` nodes (added
    to ``feasible``), starting where the previous attempt stopped (``advance``;
    else at the first node). A node checked past the ones needed keeps no
    status of its own, only one it had before (the nominated node's)."""
    if feasible is None:
        feasible = []
    num_all = len(nodes)
    if num_all == 0:
        return feasible
    to_find = config.num_feasible_nodes_to_find(num_all, sched.percentage_of_nodes_to_score)
    if not sched.framework.score:
        to_find = 1  # nothing would tell the nodes apart (upstream: !hasScoring)
    record.num_to_find = to_find
    statuses = diagnosis.node_to_status.statuses
    prior = dict(statuses) if statuses else None
    start = sched.next_start_node_index % num_all if advance else 0
    pos = 0
    while pos < num_all and len(feasible) < to_find:
        size = min(max(to_find - len(feasible), MIN_CHUNK), num_all - pos)
        chunk = _rotated_slice(nodes, start + pos, size)
        passed = _filter_chunk(sched, state, pi, chunk, statuses)
        if len(feasible) + len(passed) >= to_find:
            need = to_find - len(feasible)
            last = passed[need - 1]
            cut = need - 1 if chunk[need - 1] is last else _index_of(chunk, last)
            for late in chunk[cut + 1:]:
                if prior is not None and late.name in prior:
                    statuses[late.name] = prior[late.name]
                else:
                    statuses.pop(late.name, None)
            feasible.extend(passed[:need])
            break
        feasible.extend(passed)
        pos += size
    # Plugins share one Status among the nodes they reject alike; each distinct
    # one is added once (adding the same status again changes nothing).
    for status in dict.fromkeys(statuses.values()):  # Status compares by identity
        diagnosis.add_plugin_status(status)
    return feasible


def _rotated_slice(nodes: list[NodeInfo], start: int, size: int) -> list[NodeInfo]:
    n = len(nodes)
    start %= n
    end = start + size
    if end <= n:
        return nodes[start:end]
    return nodes[start:] + nodes[:end - n]


def _index_of(chunk: list[NodeInfo], node: NodeInfo) -> int:
    for i, n in enumerate(chunk):
        if n is node:
            return i
    raise ValueError("node not in chunk")


def _filter_chunk(sched: Scheduler, state: CycleState, pi: PodInfo, chunk: list[NodeInfo],
                  statuses: dict[str, Status]) -> list[NodeInfo]:
    fwk = sched.framework
    nominator = sched.queue.nominator
    if nominator.by_node and any(n.name in nominator.by_node for n in chunk):
        passed = []
        for node in chunk:
            status = fwk.run_filter_with_nominated_pods(
                state, pi, node, nominator.pods_for_node(node.name))
            if status is None:
                passed.append(node)
            elif status.code == Code.ERROR:
                raise SchedulingError(status)
            else:
                statuses[node.name] = status
        return passed
    return fwk.run_filter_batch(state, pi, chunk, statuses)


def prioritize_nodes(sched: Scheduler, state: CycleState, pi: PodInfo,
                     nodes: list[NodeInfo], record: AttemptRecord) -> ScoreResult | None:
    """``prioritizeNodes``: PreScore, then the weighted sum of the score plugins
    (None without score plugins: every node scores 1)."""
    fwk = sched.framework
    if not fwk.score:
        return None
    status = fwk.run_pre_score(state, pi, nodes)
    if status is not None:
        raise SchedulingError(status)
    result = fwk.run_score(state, pi, nodes)
    record.score = result
    return result


def select_host(sched: Scheduler, nodes: list[NodeInfo], totals: list[int]) -> str:
    """``selectHost``: the highest total; ties broken uniformly at random (upstream
    samples the tied nodes as a reservoir; one seeded draw gives the same law)."""
    best = max(totals)
    ties = totals.count(best)
    pick = totals.index(best)
    if ties > 1:
        k = sched.rng.randrange(ties)  # the k-th tied node, in order
        if k:
            pick = next(islice(compress(count(), map(eq, totals, repeat(best))), k, None))
    return nodes[pick].name


def _kth(ids: Any, value: int, k: int) -> int:
    """The position of the ``k``-th (from 0) ``value`` in ``ids``: for column
    codes (a bytearray) by bisecting on counts of a prefix, else in one pass."""
    if isinstance(ids, bytearray):
        lo, hi = 0, len(ids)  # the smallest end whose prefix holds k + 1 of them
        while lo < hi:
            mid = (lo + hi) // 2
            if ids.count(value, 0, mid) > k:
                hi = mid
            else:
                lo = mid + 1
        return lo - 1
    return next(islice(compress(count(), map(eq, ids, repeat(value))), k, None))


def select_host_compact(sched: Scheduler, nodes: list[NodeInfo], ids: Any,
                        id_total: dict[int, int], id_count: dict[int, int]) -> str:
    """:func:`select_host` on a compact score result (node ``i`` totals
    ``id_total[ids[i]]``; ``id_count``: nodes per entry): the best entries, the
    k-th of their nodes found in C, with the same random draw; the same node
    as on the totals."""
    best = max(id_total.values())
    tops = [e for e, t in id_total.items() if t == best]
    if len(tops) == 1:
        top = tops[0]
        ties = id_count[top]
        pick = ids.index(top)
        if ties > 1:
            k = sched.rng.randrange(ties)
            if k:
                pick = _kth(ids, top, k)
        return nodes[pick].name
    is_top = set(tops).__contains__
    hits = list(map(is_top, ids))
    ties = hits.count(True)
    pick = hits.index(True)
    if ties > 1:
        k = sched.rng.randrange(ties)
        if k:
            pick = next(islice(compress(count(), hits), k, None))
    return nodes[pick].name


# -- PostFilter (preemption) ---------------------------------------------------------------
def run_post_filter(sched: Scheduler, state: CycleState, pi: PodInfo, fit: FitError,
                    record: AttemptRecord) -> str | None:
    """Run PostFilter (DefaultPreemption); returns the nominating info:
    a node name, "" to clear the nomination, or None to leave it."""
    fwk = sched.framework
    if not fwk.post_filter:
        return None
    node, status = fwk.run_post_filter(state, pi, fit.diagnosis.node_to_status)
    fit.diagnosis.post_filter_msg = status.message()
    return node


# -- binding cycle --------------------------------------------------------------------------
def assume_and_bind(sched: Scheduler, state: CycleState, qpi: QueuedPodInfo, host: str,
                    record: AttemptRecord) -> None:
    """``assume`` + Reserve, then ``bindingCycle`` (PreBind, Bind)."""
    fwk, pi = sched.framework, qpi.pod_info
    pi.node_name = host
    sched.cache.assume_pod(pi, host)
    status = fwk.run_reserve(state, pi, host)
    if status is None:
        status = fwk.run_pre_bind(state, pi, host)
    if status is None:
        record.result, record.node = "Scheduled", host
        sched.annotate_binding(state, record)
        status = fwk.run_bind(state, pi, host)
    if status is not None:
        fwk.run_unreserve(state, pi, host)
        sched.cache.forget_pod(pi)
        pi.node_name = ""
        sched.on_binding_failure(pi)
        record.result, record.node = "", ""
        fail(sched, qpi, status, None, "", record)
        return
    sched.queue.done(pi.key)
    sched.queue.delete_nominated_pod_if_exists(pi.pod)
    sched.remember(record)
    sched.recorder.event(pi.pod, "Normal", "Scheduled",
                         f"Successfully assigned {pi.namespace}/{pi.name} to {host}")


# -- failures ---------------------------------------------------------------------------------
def fail(sched: Scheduler, qpi: QueuedPodInfo, status: Status, fit: FitError | None,
         nominated: str | None, record: AttemptRecord) -> None:
    """``handleSchedulingFailure``."""
    pi = qpi.pod_info
    reason = "Unschedulable" if status.is_rejected() else "SchedulerError"
    message = fit.message() if fit is not None else status.message()
    if fit is not None:
        qpi.unschedulable_plugins = set(fit.diagnosis.unschedulable_plugins)
        qpi.pending_plugins = set(fit.diagnosis.pending_plugins)
    else:
        qpi.unschedulable_plugins = set()
        qpi.pending_plugins = set()
    record.result, record.message = reason, message
    if nominated:
        record.nominated_node = nominated
    cached = sched.pod_lister_get(pi.namespace, pi.name)
    if cached is None or (cached.get("spec") or {}).get("nodeName") or \
            (cached.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        sched.queue.done(pi.key)
    else:
        pi.update(cached)
        sched.queue.add_unschedulable_if_not_present(qpi)
    if nominated is not None:
        sched.queue.add_nominated_pod(pi, nominated)
    sched.remember(record)
    sched.recorder.event(pi.pod, "Warning", "FailedScheduling", truncate_message(message))
    sched.update_pod_condition(pi, reason, message, nominated)
    sched.annotate_failure(pi, record)


def truncate_message(message: str, limit: int = 1024) -> str:
    """``truncateMessage``: events carry at most 1024 characters."""
    suffix = " ..."
    if len(message) <= limit:
        return message
    return message[:limit - len(suffix)] + suffix


def as_status(err: Any) -> Status:
    return Status.error(err)
