"""The StatefulSet control loop: revisions, then pods in ordinal order.

Upstream: ``pkg/controller/statefulset/stateful_set_control.go``
(``UpdateStatefulSet``, ``performUpdate``, ``updateStatefulSet``,
``processReplica``, ``processCondemned``, ``runForAll``, ``slowStartBatch``,
``updateStatefulSetAfterInvariantEstablished``). ``updateStatefulSet``:

1. the set as of its current and update revisions;
2. pods split into replicas (ordinals in range, missing ones made at the
   right revision) and condemned pods (beyond the range, highest first);
3. each replica in ordinal order: a Failed or Succeeded pod is deleted (and
   made again on a later sync); a missing pod is created, with its claims;
   with OrderedReady (``monotonic``) nothing moves past a pod that is not
   yet Running, Ready and available, or is terminating;
4. the condemned pods deleted one at a time from the highest ordinal, each
   only once all others are healthy (Parallel deletes them all at once);
5. RollingUpdate: the highest ordinal >= ``partition`` that is not at the
   update revision is deleted (it comes back at the new revision), one at a
   time, each waiting for the ones above it to be healthy again; OnDelete
   leaves pods alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from engine.api import errors, meta
from engine.controllers.history import History, sort_revisions
from engine.controllers.statefulset import identity as ident
from engine.controllers.statefulset.podcontrol import StatefulPodControl
from engine.controllers.statefulset.revisions import (
    apply_revision,
    current_and_update_revisions,
    truncate_history,
)
from engine.controllers.statefulset.status import (
    complete_rolling_update,
    count_replicas,
    inconsistent,
    write_status,
)

Obj = dict[str, Any]
Step = Callable[[int], bool]
log = logging.getLogger(__name__)
MAX_BATCH_SIZE = 500


class StatefulSetControl:
    """``defaultStatefulSetControl``."""

    def __init__(self, client: Any, history: History, pod_control: StatefulPodControl,
                 clock: Any) -> None:
        self.client = client
        self.history = history
        self.pods = pod_control
        self.clock = clock

    def update(self, sts: Obj, pods: list[Obj]) -> Obj | None:
        """``UpdateStatefulSet``: sync, write the status, prune the history."""
        sts = meta.deep_copy(sts)
        revisions = sort_revisions(self.history.list_controller_revisions(sts))
        current = update = None
        try:
            current, update, collision = current_and_update_revisions(self.history, sts,
                                                                      revisions)
            status, error = self.sync(sts, current, update, collision, pods)
            complete_rolling_update(sts, status)
            if inconsistent(sts, status):
                write_status(self.client, sts, status)
            if error is not None:
                raise error
            return status
        finally:
            truncate_history(self.history, sts, pods, revisions, current, update)

    # -- updateStatefulSet ---------------------------------------------------------------------
    def sync(self, sts: Obj, current: Obj, update: Obj, collision: int,
             pods: list[Obj]) -> tuple[Obj, Exception | None]:
        current_set, update_set = apply_revision(sts, current), apply_revision(sts, update)
        names = current["metadata"]["name"], update["metadata"]["name"]
        min_ready = int(sts["spec"].get("minReadySeconds") or 0)
        now = self.clock.now()
        status: Obj = {"observedGeneration": sts["metadata"].get("generation", 0),
                       "currentRevision": names[0], "updateRevision": names[1],
                       "collisionCount": collision}

        def recount(*lists: list[Obj]) -> None:
            count_replicas(status, list(lists), min_ready, now, *names)

        recount(pods)
        replicas, condemned = self._partition(sts, pods)
        for i, pod in enumerate(replicas):
            if pod is None:
                replicas[i] = ident.new_versioned_pod(current_set, update_set, *names,
                                                      ident.start_ordinal(sts) + i)
        members = [p for p in replicas if p is not None]
        unhealthy = [p for p in members if not ident.is_healthy(p)]
        unhealthy += [p for p in reversed(condemned) if not ident.is_healthy(p)]
        first_unhealthy = unhealthy[0] if unhealthy else None
        if "deletionTimestamp" in sts["metadata"]:
            return status, None
        monotonic = sts["spec"].get("podManagementPolicy") != "Parallel"
        steps: list[tuple[list[Obj], Step]] = [
            (members, lambda i: self._process_replica(sts, update_set, monotonic, members, i,
                                                      min_ready, now)),
            (condemned, lambda i: self._fix_claims(update_set, condemned[i])),
            (condemned, lambda i: self._process_condemned(sts, first_unhealthy, monotonic,
                                                          condemned, i, min_ready, now)),
        ]
        for pods_, step in steps:
            stop, error = run_for_all(len(pods_), step, monotonic)
            if stop or error is not None:
                recount(members, condemned)
                return status, error
        recount(members, condemned)
        strategy = sts["spec"].get("updateStrategy") or {}
        if strategy.get("type") == "OnDelete":
            return status, None
        return status, self._roll(sts, members, names[1], status,
                                  strategy.get("rollingUpdate"))

    @staticmethod
    def _partition(sts: Obj, pods: list[Obj]) -> tuple[list[Obj | None], list[Obj]]:
        start = ident.start_ordinal(sts)
        replicas: list[Obj | None] = [None] * ident.replicas_of(sts)
        condemned = []
        for pod in pods:
            if ident.in_ordinal_range(pod, sts):
                replicas[ident.ordinal_of(pod) - start] = pod
            elif ident.ordinal_of(pod) >= 0:
                condemned.append(pod)
        condemned.sort(key=ident.ordinal_of, reverse=True)
        return replicas, condemned

    def _process_replica(self, sts: Obj, update_set: Obj, monotonic: bool,
                         replicas: list[Obj], i: int, min_ready: int, now: float) -> bool:
        """``processReplica``: True to stop this sync here."""
        pod = replicas[i]
        if ident.phase(pod) in ("Failed", "Succeeded"):
            if not ident.is_terminating(pod):
                self.pods.delete_pod(sts, pod)
            return True  # made again once the old one is gone
        if not ident.is_created(pod):
            if self.pods.claim_is_stale(sts, pod):
                return True
            self.pods.create_pod(sts, pod)
            if monotonic:
                return True
        if ident.phase(pod) == "Pending":
            self.pods.create_claims(sts, pod)
            self.pods.update_claims_for_retention(sts, pod)
        if monotonic and (ident.is_terminating(pod) or not ident.is_running_and_ready(pod)
                          or not ident.is_running_and_available(pod, min_ready, now)):
            return True
        if not ident.is_created(pod):
            return False
        if (ident.identity_matches(sts, pod) and ident.storage_matches(sts, pod)
                and self.pods.claims_match_retention(update_set, pod)):
            return False
        self.pods.update_pod(update_set, pod)
        return False

    def _fix_claims(self, update_set: Obj, pod: Obj) -> bool:
        if not self.pods.claims_match_retention(update_set, pod):
            self.pods.update_claims_for_retention(update_set, pod)
        return False

    def _process_condemned(self, sts: Obj, first_unhealthy: Obj | None, monotonic: bool,
                           condemned: list[Obj], i: int, min_ready: int, now: float) -> bool:
        """``processCondemned``: delete from the top, waiting for the others."""
        pod = condemned[i]
        if ident.is_terminating(pod):
            return monotonic
        if monotonic and pod is not first_unhealthy and (
                not ident.is_running_and_ready(pod)
                or not ident.is_running_and_available(pod, min_ready, now)):
            return True
        self.pods.delete_pod(sts, pod)
        return True

    # -- rolling update ---------------------------------------------------------------------------
    def _roll(self, sts: Obj, replicas: list[Obj], update: str, status: Obj,
              rolling: Obj | None) -> Exception | None:
        """Delete the highest ordinal >= partition not at the update revision."""
        partition = int((rolling or {}).get("partition") or 0)
        if rolling is not None and rolling.get("maxUnavailable") is not None:
            return self._roll_max_unavailable(sts, replicas, update, status, rolling)
        for target in range(len(replicas) - 1, partition - 1, -1):
            pod = replicas[target]
            if ident.revision_of(pod) != update and not ident.is_terminating(pod):
                status["currentReplicas"] -= 1
                return self._delete_for_update(sts, pod)
            if not ident.is_healthy(pod):
                return None
        return None

    def _roll_max_unavailable(self, sts: Obj, replicas: list[Obj], update: str, status: Obj,
                              rolling: Obj) -> Exception | None:
        """``updateStatefulSetAfterInvariantEstablished`` (MaxUnavailableStatefulSet)."""
        partition = int(rolling.get("partition") or 0)
        allowed = max_unavailable(rolling.get("maxUnavailable"), len(replicas))
        budget = allowed - sum(not ident.is_healthy(p) for p in replicas)
        for target in range(len(replicas) - 1, partition - 1, -1):
            if budget <= 0:
                break
            pod = replicas[target]
            if ident.revision_of(pod) != update and not ident.is_terminating(pod):
                error = self._delete_for_update(sts, pod)
                if error is not None:
                    return error
                budget -= 1
                status["currentReplicas"] -= 1
        return None

    def _delete_for_update(self, sts: Obj, pod: Obj) -> Exception | None:
        try:
            self.pods.delete_pod(sts, pod)
        except errors.StatusError as err:
            if err.code != 404:
                return err
        return None


def max_unavailable(value: Any, replicas: int) -> int:
    """``getStatefulSetMaxUnavailable``: a count or a percentage rounded down, at least 1."""
    if isinstance(value, str) and value.endswith("%"):
        count = int(value[:-1]) * replicas // 100
    else:
        count = int(value)
    return max(count, 1)


def run_for_all(count: int, step: Step, monotonic: bool) -> tuple[bool, Exception | None]:
    """``runForAll``: in order until a step stops (OrderedReady), or every step
    in slow-start batches until a batch fails (Parallel)."""
    if monotonic:
        for i in range(count):
            try:
                if step(i):
                    return True, None
            except errors.StatusError as err:
                return True, err
        return False, None
    done, batch = 0, min(count, 1)
    while batch > 0:
        failures = []
        for i in range(done, done + batch):
            try:
                step(i)
            except errors.StatusError as err:
                failures.append(err)
        if failures:
            return True, failures[0] if len(failures) == 1 else _aggregate(failures)
        done += batch
        batch = min(2 * batch, count - done, MAX_BATCH_SIZE)
    return False, None


def _aggregate(failures: list[errors.StatusError]) -> errors.StatusError:
    return errors.StatusError(500, "InternalError",
                              "[" + ", ".join(str(f) for f in failures) + "]")
