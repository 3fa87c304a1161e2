"""Deletion: graceful periods, finalizers and propagation policies.

Upstream: k8s.io/apiserver ``pkg/registry/generic/registry/store.go`` (Delete,
``updateForGracefulDeletionAndFinalizers``, ``deletionFinalizersForGarbageCollection``)
and ``pkg/registry/core/namespace/storage/storage.go`` (namespaces go to
Terminating and wait for their ``kubernetes`` finalizer).

An object with finalizers, or a pod with a grace period, is not removed: it
gets ``deletionTimestamp`` (and ``deletionGracePeriodSeconds``) and stays
until its finalizers are gone (the garbage collector, the namespace
controller) or its kubelet deletes it with grace 0.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from engine.api import errors, listing, meta
from engine.api.admission.base import Attributes, UserInfo
from engine.api.resources import ResourceInfo
from engine.api.rest_hooks import hooks_for
from engine.api.strategies import strategy_for

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]

ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"
PROPAGATION = ("Orphan", "Background", "Foreground")
# kube-apiserver refuses to delete these (namespace lifecycle admission).
IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")


class DeletionMixin:
    """The delete verbs of :class:`engine.api.server.APIServer`."""

    def delete(self: APIServer, resource: Any, name: str, *, namespace: str | None = None,
               grace_period_seconds: int | None = None, propagation_policy: str | None = None,
               preconditions: dict[str, str] | None = None, dry_run: bool = False,
               user: UserInfo | None = None) -> Obj:
        """Delete (or start deleting) an object; returns its last state."""
        info = self.info(resource)
        ns = self._namespace(info, namespace)
        self._authorize(user, "delete", info, ns, name)
        _check_options(grace_period_seconds, propagation_policy)
        obj, revision = self._read(info, ns, name)
        _check_preconditions(info, obj, revision, preconditions)
        attrs = Attributes("DELETE", info, ns, name, old=obj, user=user, dry_run=dry_run)
        self.admission.validate(attrs, obj)
        if _is_namespace(info):
            return self._delete_namespace(info, obj, revision, dry_run)
        grace = strategy_for(info).graceful_delete_period(obj, grace_period_seconds)
        finalizers = _finalizers_after(obj, propagation_policy)
        if grace == 0 and not finalizers:
            return obj if dry_run else self._remove(info, obj, revision)
        updated = meta.deep_copy(obj)
        m = updated["metadata"]
        if finalizers != m.get("finalizers", []):
            m["finalizers"] = finalizers
        _mark_deleting(self, m, grace)
        if dry_run or updated == obj:
            return updated
        if grace == 0 and self._finalized(updated):
            return self._remove(info, updated, revision)
        return self._write(info, updated, revision)

    def delete_collection(self: APIServer, resource: Any, namespace: str | None = None, *,
                          label_selector: str | None = None, field_selector: str | None = None,
                          grace_period_seconds: int | None = None,
                          propagation_policy: str | None = None, dry_run: bool = False,
                          user: UserInfo | None = None) -> Obj:
        """Delete every matching object; returns the List of what was deleted."""
        info = self.info(resource)
        self._authorize(user, "deletecollection", info, namespace if info.namespaced else None)
        items = self.list(info, namespace, label_selector=label_selector,
                          field_selector=field_selector)["items"]
        deleted = []
        for obj in items:
            try:
                deleted.append(self.delete(
                    info, meta.name_of(obj), namespace=meta.namespace_of(obj) or None,
                    grace_period_seconds=grace_period_seconds,
                    propagation_policy=propagation_policy, dry_run=dry_run, user=user))
            except errors.StatusError as err:
                if err.code != 404:  # someone else deleted it meanwhile
                    raise
        return listing.list_envelope(info, deleted, self.store.revision)

    # -- helpers used by update as well ----------------------------------------
    @staticmethod
    def _finalized(obj: Obj, info: ResourceInfo | None = None) -> bool:
        """A deleting object whose last finalizer is gone, and whose grace
        period (if any) was ended, can be removed. A namespace also waits for
        its ``spec.finalizers`` (the namespace controller's ``kubernetes``)."""
        m = obj.get("metadata", {})
        if info is not None and _is_namespace(info) and (obj.get("spec") or {}).get("finalizers"):
            return False
        return ("deletionTimestamp" in m and not m.get("finalizers")
                and not m.get("deletionGracePeriodSeconds"))

    def _remove(self: APIServer, info: ResourceInfo, obj: Obj, revision: int) -> Obj:
        name = meta.name_of(obj)
        kv = self.store.delete(info.key(meta.namespace_of(obj), name), revision)
        if kv is None:
            raise errors.conflict(info.plural, info.group, name)
        hooks_for(self, info).after_delete(obj)
        return obj

    def _write(self: APIServer, info: ResourceInfo, obj: Obj, revision: int) -> Obj:
        kv = self.store.update(info.key(meta.namespace_of(obj), meta.name_of(obj)),
                               meta.encode(obj), revision)
        if kv is None:
            raise errors.conflict(info.plural, info.group, meta.name_of(obj))
        obj["metadata"]["resourceVersion"] = str(kv.mod_revision)
        return obj

    def _delete_namespace(self: APIServer, info: ResourceInfo, obj: Obj, revision: int,
                          dry_run: bool) -> Obj:
        """Namespaces turn Terminating; the namespace controller empties them
        and removes the ``kubernetes`` finalizer, then they go away."""
        name = meta.name_of(obj)
        if name in IMMORTAL_NAMESPACES:
            raise errors.forbidden_error(info.plural, info.group, name,
                                         "this namespace may not be deleted")
        if "deletionTimestamp" in obj["metadata"]:
            # Deleting again after the controller finalized it removes it.
            if not dry_run and self._finalized(obj, info):
                return self._remove(info, obj, revision)
            return obj
        updated = meta.deep_copy(obj)
        updated["metadata"]["deletionTimestamp"] = self.clock.rfc3339()
        updated.setdefault("status", {})["phase"] = "Terminating"
        if dry_run:
            return updated
        if not updated.get("spec", {}).get("finalizers") and not updated["metadata"].get(
                "finalizers"):
            return self._remove(info, updated, revision)
        return self._write(info, updated, revision)


def _is_namespace(info: ResourceInfo) -> bool:
    return info.plural == "namespaces" and not info.group


def _check_options(grace: int | None, policy: str | None) -> None:
    if grace is not None and grace < 0:
        raise errors.invalid_object("DeleteOptions", "meta.k8s.io", "", [errors.invalid(
            "gracePeriodSeconds", grace, "must be greater than or equal to 0")])
    if policy is not None and policy not in PROPAGATION:
        raise errors.invalid_object("DeleteOptions", "meta.k8s.io", "", [errors.not_supported(
            "propagationPolicy", policy, list(PROPAGATION))])


def _check_preconditions(info: ResourceInfo, obj: Obj, revision: int,
                         preconditions: dict[str, str] | None) -> None:
    """``DeleteOptions.preconditions``: uid and resourceVersion must match."""
    if not preconditions:
        return
    m = obj["metadata"]
    uid = preconditions.get("uid")
    if uid and uid != m.get("uid"):
        raise errors.conflict(info.plural, info.group, m["name"],
                              f"Precondition failed: UID in precondition: {uid}, "
                              f"UID in object meta: {m.get('uid', '')}")
    rv = preconditions.get("resourceVersion")
    if rv and rv != str(revision):
        raise errors.conflict(info.plural, info.group, m["name"],
                              f"Precondition failed: ResourceVersion in precondition: {rv}, "
                              f"ResourceVersion in object meta: {revision}")


def _finalizers_after(obj: Obj, policy: str | None) -> list[str]:
    """The finalizers a deletion leaves, with the garbage collector's
    ``orphan`` or ``foregroundDeletion`` added or removed per policy."""
    finalizers = list(obj["metadata"].get("finalizers", []))
    if policy is None:
        return finalizers
    finalizers = [f for f in finalizers if f not in (ORPHAN, FOREGROUND)]
    if policy == "Orphan":
        finalizers.append(ORPHAN)
    elif policy == "Foreground":
        finalizers.append(FOREGROUND)
    return finalizers


def _mark_deleting(api: APIServer, m: Obj, grace: int) -> None:
    """Set deletionTimestamp (now + grace); a later, shorter grace period
    moves it earlier, never later."""
    due = api.clock.now() + grace
    existing = m.get("deletionTimestamp")
    if existing is not None:
        current = datetime.strptime(existing, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if current.timestamp() <= due:
            return
    m["deletionTimestamp"] = api.clock.rfc3339(due)
    m["deletionGracePeriodSeconds"] = grace
