"""Finding the new ReplicaSet, scaling, cleanup and status writes.

Upstream: ``pkg/controller/deployment/sync.go`` (``sync``,
``getAllReplicaSetsAndSyncRevision``, ``getNewReplicaSet``, ``scale``,
``scaleReplicaSet``, ``cleanupDeployment``, ``syncDeploymentStatus``,
``isScalingEvent``, ``checkPausedConditions``) and ``util/deployment_util.go``
(``FindNewReplicaSet``, ``FindOldReplicaSets``, ``FindActiveOrLatest``,
``GetReplicaSetProportion``).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from engine.api import errors, meta
from engine.controllers.deployment import conditions as c
from engine.controllers.deployment import util
from engine.controllers.deployment.hash import compute_hash
from engine.controllers.deployment.status import calculate_status, same_status
from engine.controllers.deployment.template import equal_ignore_hash
from engine.controllers.util.conditions import get_condition, new_condition, set_condition
from engine.controllers.util.owners import controller_of, controller_ref
from engine.events.recorder import NORMAL, WARNING

Obj = dict[str, Any]
log = logging.getLogger(__name__)

_STATUS_OMIT_ZERO = ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                     "availableReplicas", "unavailableReplicas")


def find_new_rs(d: Obj, rss: list[Obj]) -> Obj | None:
    """``FindNewReplicaSet``: the oldest ReplicaSet whose template is the Deployment's."""
    template = d["spec"]["template"]
    for rs in util.by_creation(rss):
        if equal_ignore_hash(rs["spec"]["template"], template):
            return rs
    return None


def find_old_rss(d: Obj, rss: list[Obj]) -> list[Obj]:
    """``FindOldReplicaSets`` (all of them)."""
    new = find_new_rs(d, rss)
    uid = new["metadata"]["uid"] if new else None
    return [rs for rs in rss if rs["metadata"]["uid"] != uid]


def find_active_or_latest(new_rs: Obj | None, old_rss: list[Obj]) -> Obj | None:
    """``FindActiveOrLatest``: the one active ReplicaSet, or the newest."""
    if new_rs is None and not old_rss:
        return None
    newest_first = list(reversed(util.by_creation(old_rss)))
    live = util.active([*newest_first, new_rs])
    if len(live) == 1:
        return live[0]
    if not live:
        return new_rs if new_rs is not None else newest_first[0]
    return None


def rs_proportion(rs: Obj, d: Obj, to_add: int, added: int) -> int:
    """``GetReplicaSetProportion``."""
    if util.replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = _rs_fraction(rs, d)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def _rs_fraction(rs: Obj, d: Obj) -> int:
    """``getReplicaSetFraction``: the share of a scale proportional to the size."""
    if util.replicas(d) == 0:
        return -util.replicas(rs)
    max_now = util.replicas(d) + util.max_surge(d)
    before = util.annotation_int(rs, util.MAX_REPLICAS)
    if not before:
        before = util.status_of(d, "replicas")
    if not before:
        return 0
    size = util.replicas(rs) * max_now / before
    return _round_half_away(size) - util.replicas(rs)


def _round_half_away(x: float) -> int:
    """Go's ``math.Round``."""
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


class SyncMixin:
    """The parts of ``DeploymentController`` in sync.go."""

    client: Any
    recorder: Any
    clock: Any
    rs_lister: Any

    # -- status writes -----------------------------------------------------------------------
    def write_status(self, d: Obj) -> Obj:
        """``UpdateStatus``; ``d`` takes the new resourceVersion so later writes
        in the same sync do not conflict with this one."""
        status = d.get("status") or {}
        for key in _STATUS_OMIT_ZERO:
            if not status.get(key):
                status.pop(key, None)
        updated = self.client.update_status("deployments", d)
        d["metadata"]["resourceVersion"] = updated["metadata"]["resourceVersion"]
        return updated

    def now(self) -> str:
        return self.clock.rfc3339()

    # -- paused ----------------------------------------------------------------------------------
    def check_paused_conditions(self, d: Obj) -> None:
        """``checkPausedConditions``: Progressing Unknown on pause and resume."""
        if not util.has_progress_deadline(d):
            return
        status = d.setdefault("status", {})
        cond = get_condition(status, c.PROGRESSING)
        if cond is not None and cond.get("reason") == c.TIMED_OUT:
            return
        paused_cond = cond is not None and cond.get("reason") == c.PAUSED
        paused = bool(d["spec"].get("paused"))
        if paused and not paused_cond:
            set_condition(status, new_condition(c.PROGRESSING, "Unknown", c.PAUSED,
                                                c.MSG_PAUSED, self.now()))
        elif not paused and paused_cond:
            set_condition(status, new_condition(c.PROGRESSING, "Unknown", c.RESUMED,
                                                c.MSG_RESUMED, self.now()))
        else:
            return
        self.write_status(d)

    # -- the new ReplicaSet ------------------------------------------------------------------------
    def all_rss_and_sync_revision(self, d: Obj, rss: list[Obj],
                                  create: bool) -> tuple[Obj | None, list[Obj]]:
        """``getAllReplicaSetsAndSyncRevision``."""
        old = find_old_rss(d, rss)
        return self.get_new_rs(d, rss, old, create), old

    def get_new_rs(self, d: Obj, rss: list[Obj], old: list[Obj], create: bool) -> Obj | None:
        """``getNewReplicaSet``: bring the existing one's annotations up to date,
        or create it (named ``<deployment>-<pod-template-hash>``)."""
        existing = find_new_rs(d, rss)
        new_revision = util.max_revision(old) + 1
        if existing is not None:
            return self._sync_existing_new_rs(d, existing, new_revision)
        if not create:
            return None
        return self._create_new_rs(d, old, new_revision)

    def _sync_existing_new_rs(self, d: Obj, rs: Obj, new_revision: int) -> Obj:
        copy = meta.deep_copy(rs)
        changed = util.set_new_rs_annotations(d, copy, new_revision, True)
        min_ready = d["spec"].get("minReadySeconds", 0)
        if changed or copy["spec"].get("minReadySeconds", 0) != min_ready:
            copy["spec"]["minReadySeconds"] = min_ready
            return self.client.update("replicasets", copy)
        needs = util.set_deployment_revision(d, util.annotations(copy).get(util.REVISION, ""))
        status = d.setdefault("status", {})
        if util.has_progress_deadline(d) and get_condition(status, c.PROGRESSING) is None:
            msg = f"Found new replica set {c.quoted(copy['metadata']['name'])}"
            set_condition(status, new_condition(c.PROGRESSING, "True", c.FOUND_NEW_RS, msg,
                                                self.now()))
            needs = True
        if needs:
            self.write_status(d)
        return copy

    def _create_new_rs(self, d: Obj, old: list[Obj], new_revision: int) -> Obj:
        status = d.setdefault("status", {})
        template = meta.deep_copy(d["spec"]["template"])
        pod_hash = compute_hash(template, status.get("collisionCount"))
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = {**(tmeta.get("labels") or {}), util.POD_TEMPLATE_HASH: pod_hash}
        selector = meta.deep_copy(d["spec"]["selector"])
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}),
                                   util.POD_TEMPLATE_HASH: pod_hash}
        name = f"{d['metadata']['name']}-{pod_hash}"
        rs: Obj = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": d["metadata"]["namespace"],
                         "labels": dict(tmeta["labels"]),
                         "ownerReferences": [controller_ref(d, "apps/v1", "Deployment")]},
            "spec": {"replicas": 0, "minReadySeconds": d["spec"].get("minReadySeconds", 0),
                     "selector": selector, "template": template},
        }
        count = util.new_rs_new_replicas(d, [*old, rs], rs)
        rs["spec"]["replicas"] = count
        util.set_new_rs_annotations(d, rs, new_revision, False)
        try:
            created = self.client.create("replicasets", rs)
        except errors.StatusError as err:
            if err.reason == "AlreadyExists":
                return self._already_exists(d, name, new_revision)
            self._create_failed(d, name, err)
            raise
        if count > 0:
            self.recorder.event(d, NORMAL, c.SCALING_REPLICA_SET,
                                f"Scaled up replica set {name} from 0 to {count}")
        util.set_deployment_revision(d, str(new_revision))
        if util.has_progress_deadline(d):
            msg = f"Created new replica set {c.quoted(name)}"
            set_condition(status, new_condition(c.PROGRESSING, "True", c.NEW_RS_CREATED, msg,
                                                self.now()))
        self.write_status(d)
        return created

    def _already_exists(self, d: Obj, name: str, new_revision: int) -> Obj:
        """A slow cache, or a hash collision (then ``collisionCount`` + 1 and retry)."""
        ns = d["metadata"]["namespace"]
        rs = self.rs_lister.get(ns, name) or self.client.get("replicasets", name, ns)
        ref = controller_of(rs)
        if (ref is not None and ref.get("uid") == d["metadata"]["uid"]
                and equal_ignore_hash(d["spec"]["template"], rs["spec"]["template"])):
            if util.set_deployment_revision(d, str(new_revision)):
                self.write_status(d)
            return rs
        status = d.setdefault("status", {})
        status["collisionCount"] = (status.get("collisionCount") or 0) + 1
        self.write_status(d)
        raise errors.already_exists("replicasets", "apps", name)

    def _create_failed(self, d: Obj, name: str, err: errors.StatusError) -> None:
        causes = (err.details or {}).get("causes") or ()
        if any(x.get("reason") == "NamespaceTerminating" for x in causes):
            return
        msg = f"Failed to create new replica set {c.quoted(name)}: {err}"
        if util.has_progress_deadline(d):
            set_condition(d.setdefault("status", {}),
                          new_condition(c.PROGRESSING, "False", c.FAILED_RS_CREATE, msg,
                                        self.now()))
            with contextlib.suppress(errors.StatusError):
                self.write_status(d)
        self.recorder.event(d, WARNING, c.FAILED_RS_CREATE, msg)

    # -- scaling ------------------------------------------------------------------------------------
    def scale_rs_and_record(self, rs: Obj, new_scale: int, d: Obj) -> tuple[bool, Obj]:
        """``scaleReplicaSetAndRecordEvent``."""
        if util.replicas(rs) == new_scale:
            return False, rs
        return self.scale_rs(rs, new_scale, d)

    def scale_rs(self, rs: Obj, new_scale: int, d: Obj) -> tuple[bool, Obj]:
        """``scaleReplicaSet``: set replicas and the replicas annotations; the
        event says ``Scaled up|down replica set X from A to B``."""
        old_scale = util.replicas(rs)
        max_replicas = util.replicas(d) + util.max_surge(d)
        size_changed = old_scale != new_scale
        if not size_changed and not util.replicas_annotations_need_update(
                rs, util.replicas(d), max_replicas):
            return False, rs
        copy = meta.deep_copy(rs)
        copy["spec"]["replicas"] = new_scale
        util.set_replicas_annotations(copy, util.replicas(d), max_replicas)
        updated = self.client.update("replicasets", copy)
        if size_changed:
            way = "up" if old_scale < new_scale else "down"
            self.recorder.event(d, NORMAL, c.SCALING_REPLICA_SET,
                                f"Scaled {way} replica set {rs['metadata']['name']} "
                                f"from {old_scale} to {new_scale}")
        return size_changed, updated

    def is_scaling_event(self, d: Obj, rss: list[Obj]) -> bool:
        """``isScalingEvent``: an active ReplicaSet was sized for another replica count."""
        new_rs, old = self.all_rss_and_sync_revision(d, rss, False)
        for rs in util.active([*old, new_rs]):
            desired = util.annotation_int(rs, util.DESIRED_REPLICAS)
            if desired is not None and desired != util.replicas(d):
                return True
        return False

    def scale(self, d: Obj, new_rs: Obj | None, old: list[Obj]) -> None:
        """``scale``: resize the one active ReplicaSet, or all of them in proportion."""
        target = find_active_or_latest(new_rs, old)
        if target is not None:
            if util.replicas(target) != util.replicas(d):
                self.scale_rs_and_record(target, util.replicas(d), d)
            return
        if util.is_saturated(d, new_rs):
            for rs in util.active(old):
                self.scale_rs_and_record(rs, 0, d)
            return
        if util.is_rolling(d):
            self._scale_proportionally(d, util.active([*old, new_rs]))

    def _scale_proportionally(self, d: Obj, rss: list[Obj]) -> None:
        allowed = util.replicas(d) + util.max_surge(d) if util.replicas(d) > 0 else 0
        to_add = allowed - util.spec_total(rss)
        if to_add > 0:
            rss = util.by_size_newer(rss)
        elif to_add < 0:
            rss = util.by_size_older(rss)
        sizes: dict[str, int] = {}
        added = 0
        for rs in rss:
            share = rs_proportion(rs, d, to_add, added) if to_add else 0
            sizes[rs["metadata"]["name"]] = util.replicas(rs) + share
            added += share
        for i, rs in enumerate(rss):
            name = rs["metadata"]["name"]
            if i == 0 and to_add:
                sizes[name] = max(sizes[name] + to_add - added, 0)
            self.scale_rs(rs, sizes[name], d)

    # -- cleanup and status --------------------------------------------------------------------------
    def cleanup(self, old: list[Obj], d: Obj) -> None:
        """``cleanupDeployment``: delete the oldest empty ReplicaSets beyond
        ``revisionHistoryLimit``."""
        if not util.has_revision_history_limit(d):
            return
        alive = [rs for rs in old if "deletionTimestamp" not in rs["metadata"]]
        diff = len(alive) - d["spec"]["revisionHistoryLimit"]
        if diff <= 0:
            return
        for rs in util.by_revision(alive)[:diff]:
            status = rs.get("status") or {}
            if (status.get("replicas", 0) != 0 or util.replicas(rs) != 0
                    or rs["metadata"].get("generation", 0) > status.get("observedGeneration", 0)):
                continue
            try:
                self.client.delete("replicasets", rs["metadata"]["name"],
                                   namespace=rs["metadata"]["namespace"])
            except errors.StatusError as err:
                if err.code != 404:
                    raise

    def sync_status(self, all_rss: list[Obj | None], new_rs: Obj | None, d: Obj) -> None:
        """``syncDeploymentStatus``."""
        status = calculate_status(all_rss, new_rs, d, self.now())
        if same_status(d.get("status") or {}, status):
            return
        d["status"] = status
        self.write_status(d)

    def sync(self, d: Obj, rss: list[Obj]) -> None:
        """``sync``: scaling and paused deployments, without a rollout."""
        new_rs, old = self.all_rss_and_sync_revision(d, rss, False)
        self.scale(d, new_rs, old)
        if d["spec"].get("paused"):
            self.cleanup(old, d)
        self.sync_status([*old, new_rs], new_rs, d)
