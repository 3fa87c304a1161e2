"""Storage object in-use protection: the finalizers that keep a claim while
a pod uses it and a volume while it is bound.

Upstream: ``pkg/controller/volume/pvcprotection/pvc_protection_controller.go``
(a deleted claim keeps ``kubernetes.io/pvc-protection`` until no
non-terminated pod in its namespace references it) and
``pkg/controller/volume/pvprotection/pv_protection_controller.go`` (a
deleted volume keeps ``kubernetes.io/pv-protection`` while it is Bound).
"""

from __future__ import annotations

import copy
from typing import Any

from engine.api import errors
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key

Obj = dict[str, Any]
PVC_FINALIZER = "kubernetes.io/pvc-protection"
PV_FINALIZER = "kubernetes.io/pv-protection"
CLAIM_INDEX = "claims"


def pod_claims(pod: Obj) -> list[str]:
    """``namespace/claim`` keys of the claims a pod uses (incl. ephemeral ones)."""
    m = pod["metadata"]
    out = []
    for vol in (pod.get("spec") or {}).get("volumes") or ():
        if vol.get("persistentVolumeClaim"):
            out.append(f"{m.get('namespace')}/{vol['persistentVolumeClaim'].get('claimName')}")
        elif vol.get("ephemeral"):
            out.append(f"{m.get('namespace')}/{m['name']}-{vol.get('name')}")
    return out


def _without(obj: Obj, finalizer: str) -> Obj:
    new = copy.deepcopy(obj)
    new["metadata"]["finalizers"] = [f for f in new["metadata"].get("finalizers") or ()
                                     if f != finalizer]
    return new


def _update(client: Any, resource: str, obj: Obj) -> None:
    try:
        client.update(resource, obj)
    except errors.StatusError as err:
        if err.code != 404:
            raise


class PVCProtectionController(Controller):
    """``pvcprotection.Controller``."""

    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name="pvc-protection")
        self.client = client
        claims = factory.informer_for("persistentvolumeclaims")
        pods = factory.informer_for("pods", indexers={CLAIM_INDEX: pod_claims})
        self.claims, self.pods = claims.lister(), pods.get_indexer()
        self.watch(claims)
        self.watch(pods, lambda pod: pod_claims(pod) or None)

    async def reconcile(self, key: str) -> float | None:
        ns, name = split_meta_namespace_key(key)
        claim = self.claims.get(ns, name)
        if claim is None or not claim["metadata"].get("deletionTimestamp"):
            return None
        if PVC_FINALIZER not in (claim["metadata"].get("finalizers") or ()):
            return None
        if not self.in_use(key):
            _update(self.client, "persistentvolumeclaims", _without(claim, PVC_FINALIZER))
        return None

    def in_use(self, key: str) -> bool:
        """``isBeingUsed``: a pod that has not terminated references the claim."""
        return any((p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
                   for p in self.pods.by_index(CLAIM_INDEX, key))


class PVProtectionController(Controller):
    """``pvprotection.Controller``."""

    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name="pv-protection")
        self.client = client
        volumes = factory.informer_for("persistentvolumes")
        self.volumes = volumes.lister()
        self.watch(volumes)

    async def reconcile(self, key: str) -> float | None:
        volume = self.volumes.get(None, key)
        if volume is None or not volume["metadata"].get("deletionTimestamp"):
            return None
        if PV_FINALIZER not in (volume["metadata"].get("finalizers") or ()):
            return None
        if (volume.get("status") or {}).get("phase") != "Bound":
            _update(self.client, "persistentvolumes", _without(volume, PV_FINALIZER))
        return None
