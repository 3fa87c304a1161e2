"""The PVC protection controller: a deleted claim keeps
``kubernetes.io/pvc-protection`` while a scheduled pod references it.

Upstream: ``pkg/controller/volume/pvcprotection/pvc_protection_controller.go``.

* ``processPVC``: a deletion candidate (deleted, finalizer present) loses
  the finalizer when no pod uses it; a live claim without the finalizer
  gets it (claims created before the admission plugin was enabled).
* ``podUsesPVC``: only pods with a ``spec.nodeName`` count (the kubelet
  will not start a pod whose claim is being deleted), and they count
  whatever their phase: a Succeeded or Failed pod still holds its claim
  until the pod object goes. An ephemeral volume's claim stops counting
  once its pod is shut down (deleted with a zero grace period) and only
  counts for the pod that owns the claim (``ephemeral.VolumeIsForPod``).
* ``isBeingUsed``: the informer's pod index first; when it finds no user,
  a live list of the namespace's pods, since a pod just created may not be
  in the cache yet. Upstream's ``LazyLivePodList`` shares one live list
  among the claims of a namespace taken in one batch; here each unused
  claim lists afresh (on the virtual clock a whole burst of changes can
  share an instant, so a list kept for "the same time" could miss a pod).
* Event filters (``pvcAddedUpdated``, ``enqueuePVCs``): claims only when
  they need the finalizer or may lose it; pods only when they can release
  a claim (deleted, terminated, or never scheduled).
"""

from __future__ import annotations

from typing import Any

from engine.controllers.volume.finalizers import (
    is_deletion_candidate,
    need_to_add_finalizer,
    update,
    with_finalizer,
    without_finalizer,
)
from engine.runtime import Controller, SharedInformerFactory, split_meta_namespace_key
from engine.runtime.handlers import ResourceEventHandler
from engine.runtime.keys import tombstone_object

Obj = dict[str, Any]
PVC_FINALIZER = "kubernetes.io/pvc-protection"
CLAIM_INDEX = "claims"


def pod_claims(pod: Obj) -> list[str]:
    """``common.PodPVCIndexFunc``: ``namespace/claim`` keys of the claims a
    pod references, its generic ephemeral volumes' claims included."""
    m = pod["metadata"]
    out = []
    for vol in (pod.get("spec") or {}).get("volumes") or ():
        if vol.get("persistentVolumeClaim"):
            out.append(f"{m.get('namespace')}/{vol['persistentVolumeClaim'].get('claimName')}")
        elif vol.get("ephemeral"):
            out.append(f"{m.get('namespace')}/{m['name']}-{vol.get('name')}")
    return out


def pod_is_shut_down(pod: Obj) -> bool:
    """``podIsShutDown``: deleted with a zero grace period (the kubelet is
    done with it, or it was force-deleted)."""
    meta = pod["metadata"]
    return bool(meta.get("deletionTimestamp")) and meta.get("deletionGracePeriodSeconds") == 0


def _pod_terminated(pod: Obj) -> bool:
    """``volumeutil.IsPodTerminated``: Failed or Succeeded, or deleted with
    every container terminated."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Failed", "Succeeded"):
        return True
    if not pod["metadata"].get("deletionTimestamp"):
        return False
    return all("terminated" in (c.get("state") or {})
               for c in status.get("containerStatuses") or ())


def _controlled_by(claim: Obj, pod: Obj) -> bool:
    uid = pod["metadata"].get("uid")
    return any(o.get("controller") and o.get("uid") == uid
               for o in claim["metadata"].get("ownerReferences") or ())


def pod_uses_pvc(pod: Obj, claim: Obj) -> bool:
    """``podUsesPVC``."""
    if not (pod.get("spec") or {}).get("nodeName"):
        return False
    name = claim["metadata"]["name"]
    for vol in pod["spec"].get("volumes") or ():
        source = vol.get("persistentVolumeClaim")
        if source is not None and source.get("claimName") == name:
            return True
        if vol.get("ephemeral") is not None and not pod_is_shut_down(pod) \
                and f"{pod['metadata']['name']}-{vol.get('name')}" == name \
                and _controlled_by(claim, pod):
            return True
    return False


class _Handler(ResourceEventHandler):
    """The claim and pod event handlers, with upstream's filters."""

    def __init__(self, controller: PVCProtectionController) -> None:
        self.queue = controller.queue

    def claim(self, claim: Obj) -> None:
        """``pvcAddedUpdated``."""
        if need_to_add_finalizer(claim, PVC_FINALIZER) or \
                is_deletion_candidate(claim, PVC_FINALIZER):
            m = claim["metadata"]
            self.queue.add(f"{m.get('namespace')}/{m['name']}")

    def pod(self, pod: Obj, deleted: bool) -> None:
        """``enqueuePVCs``: a running scheduled pod cannot release anything."""
        if not deleted and not _pod_terminated(pod) and (pod.get("spec") or {}).get("nodeName"):
            return
        for key in pod_claims(pod):
            self.queue.add(key)


class _ClaimEvents(_Handler):
    def on_add(self, obj: Obj) -> None:
        self.claim(obj)

    def on_update(self, old: Obj, new: Obj) -> None:
        self.claim(new)


class _PodEvents(_Handler):
    def on_add(self, obj: Obj) -> None:
        self.pod(obj, False)

    def on_update(self, old: Obj, new: Obj) -> None:
        self.pod(new, False)
        # An update may mask the deletion of pod X and creation of pod Y with
        # the same name: X may have been holding claims Y does not reference.
        if old["metadata"].get("uid") != new["metadata"].get("uid"):
            self.pod(old, True)

    def on_delete(self, obj: Any) -> None:
        self.pod(tombstone_object(obj), True)


class PVCProtectionController(Controller):
    """``pvcprotection.Controller``."""

    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name="pvc-protection")
        self.client = client
        claims = factory.informer_for("persistentvolumeclaims")
        pods = factory.informer_for("pods", indexers={CLAIM_INDEX: pod_claims})
        self.claims, self.pods = claims.lister(), pods.get_indexer()
        self.informers += [claims, pods]
        claims.add_event_handler(_ClaimEvents(self))
        pods.add_event_handler(_PodEvents(self))

    async def reconcile(self, key: str) -> float | None:
        """``processPVC``."""
        ns, name = split_meta_namespace_key(key)
        claim = self.claims.get(ns, name)
        if claim is None:
            return None
        if is_deletion_candidate(claim, PVC_FINALIZER) and not self.is_being_used(claim):
            update(self.client, "persistentvolumeclaims", without_finalizer(claim, PVC_FINALIZER))
            return None
        if need_to_add_finalizer(claim, PVC_FINALIZER):
            update(self.client, "persistentvolumeclaims", with_finalizer(claim, PVC_FINALIZER))
        return None

    def is_being_used(self, claim: Obj) -> bool:
        """``isBeingUsed``: ``askInformer``, then ``askAPIServer``."""
        m = claim["metadata"]
        key = f"{m.get('namespace')}/{m['name']}"
        if any(pod_uses_pvc(p, claim) for p in self.pods.by_index(CLAIM_INDEX, key)):
            return True
        live = self.client.list("pods", m.get("namespace"))["items"]
        return any(pod_uses_pvc(p, claim) for p in live)
