"""A DaemonSet's ControllerRevisions.

Upstream: ``pkg/controller/daemon/update.go`` (``constructHistory``,
``controlledHistories``, ``dedupCurHistories``, ``snapshot``, ``Match``,
``cleanupHistory``, ``maxRevision``). Unlike a StatefulSet's, a DaemonSet
revision is named ``<ds>-<pod-template-hash>`` (``controller.ComputeHash`` of
the template and ``status.collisionCount``) and labelled
``controller-revision-hash`` with that hash, which its pods carry too. A
template that matches an older revision (a rollback) renumbers that revision
as the newest.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.api.patch import STRATEGIC_MERGE_PATCH
from engine.controllers.daemon.util import HASH_LABEL
from engine.controllers.deployment.hash import compute_hash
from engine.controllers.history import History, revision_number, template_patch
from engine.controllers.util.owners import controller_ref, owned_or_orphaned
from engine.controllers.util.refmanager import ControllerRefManager
from engine.controllers.util.selectors import label_selector

Obj = dict[str, Any]
API_VERSION, KIND = "apps/v1", "DaemonSet"


class StaleCollisionCount(Exception):
    """``snapshot`` found a name collision; the collision count was bumped."""


class DaemonHistory:
    """The DaemonSet controller's use of the shared revision history."""

    def __init__(self, client: Any, history: History) -> None:
        self.client = client
        self.history = history

    def controlled(self, ds: Obj) -> list[Obj]:
        """``controlledHistories``: claim by selector (adopt orphans, release strays)."""
        selector = label_selector(ds["spec"].get("selector"))
        m = ds["metadata"]

        def fresh() -> Obj | None:
            try:
                return self.client.get("daemonsets", m["name"], m["namespace"])
            except errors.StatusError:
                return None

        manager = ControllerRefManager(
            self.client, ds, lambda cr: selector.matches(cr["metadata"].get("labels") or {}),
            "controllerrevisions", API_VERSION, KIND, fresh)
        return manager.claim(owned_or_orphaned(self.history.indexer, ds))

    def construct(self, ds: Obj) -> tuple[Obj, list[Obj]]:
        """``constructHistory``: (current revision, old revisions)."""
        patch = template_patch(ds)
        current, old = [], []
        for cr in self.controlled(ds):
            if HASH_LABEL not in (cr["metadata"].get("labels") or {}):
                cr = self._label_with_name(cr)
            (current if cr.get("data") == patch else old).append(cr)
        number = max((revision_number(r) for r in old), default=0) + 1
        if not current:
            return self.snapshot(ds, number, patch), old
        cur = self._dedup(ds, current)
        if revision_number(cur) < number:
            cur = self.client.update("controllerrevisions", {**cur, "revision": number})
        return cur, old

    def _label_with_name(self, cr: Obj) -> Obj:
        body = meta.deep_copy(cr)
        body["metadata"].setdefault("labels", {})[HASH_LABEL] = body["metadata"]["name"]
        return self.client.update("controllerrevisions", body)

    def _dedup(self, ds: Obj, current: list[Obj]) -> Obj:
        """``dedupCurHistories``: keep the highest revision, relabel pods of the others."""
        keep = max(current, key=revision_number)
        keep_hash = keep["metadata"]["labels"][HASH_LABEL]
        for cr in current:
            if cr is keep:
                continue
            self._relabel_pods(ds, keep_hash)
            self.history.delete_controller_revision(cr)
        return keep

    def _relabel_pods(self, ds: Obj, hash_: str) -> None:
        pods = self.client.list("pods", ds["metadata"]["namespace"])["items"]
        uid = ds["metadata"]["uid"]
        for pod in pods:
            owners = pod["metadata"].get("ownerReferences") or ()
            if not any(o.get("uid") == uid and o.get("controller") for o in owners):
                continue
            if (pod["metadata"].get("labels") or {}).get(HASH_LABEL) != hash_:
                self.client.patch("pods", pod["metadata"]["name"],
                                  {"metadata": {"labels": {HASH_LABEL: hash_}}},
                                  STRATEGIC_MERGE_PATCH, namespace=pod["metadata"]["namespace"])

    def snapshot(self, ds: Obj, number: int, patch: Obj) -> Obj:
        """``snapshot``: create ``<ds>-<hash>``; a collision bumps collisionCount."""
        m = ds["metadata"]
        collision = (ds.get("status") or {}).get("collisionCount")
        hash_ = compute_hash(ds["spec"]["template"], collision)
        labels = dict(((ds["spec"]["template"].get("metadata") or {}).get("labels")) or {})
        labels[HASH_LABEL] = hash_
        body: Obj = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
                     "metadata": {"name": f"{m['name']}-{hash_}", "namespace": m["namespace"],
                                  "labels": labels,
                                  "ownerReferences": [controller_ref(ds, API_VERSION, KIND)]},
                     "data": patch, "revision": number}
        if m.get("annotations"):
            body["metadata"]["annotations"] = dict(m["annotations"])
        try:
            return self.client.create("controllerrevisions", body, namespace=m["namespace"])
        except errors.StatusError as err:
            if err.reason != "AlreadyExists":
                raise
            return self._collided(ds, body, err)

    def _collided(self, ds: Obj, body: Obj, err: errors.StatusError) -> Obj:
        m = ds["metadata"]
        existing = self.client.get("controllerrevisions", body["metadata"]["name"], m["namespace"])
        if existing.get("data") == body["data"]:
            return existing
        current = self.client.get("daemonsets", m["name"], m["namespace"])
        count = (current.get("status") or {}).get("collisionCount")
        if count != (ds.get("status") or {}).get("collisionCount"):
            raise StaleCollisionCount(
                f"found a stale collision count ({(ds.get('status') or {}).get('collisionCount')}"
                f", expected {count}) of DaemonSet {m['name']!r} while processing; will retry "
                "until it is updated")
        current.setdefault("status", {})["collisionCount"] = (count or 0) + 1
        self.client.update_status("daemonsets", current)
        raise err

    def cleanup(self, ds: Obj, old: list[Obj], live_hashes: set[str]) -> None:
        """``cleanupHistory``: delete the oldest revisions beyond
        ``revisionHistoryLimit`` that no pod still runs."""
        limit = ds["spec"].get("revisionHistoryLimit")
        to_kill = len(old) - (10 if limit is None else int(limit))
        for cr in sorted(old, key=revision_number):
            if to_kill <= 0:
                break
            if (cr["metadata"].get("labels") or {}).get(HASH_LABEL) in live_hashes:
                continue
            self.history.delete_controller_revision(cr)
            to_kill -= 1
