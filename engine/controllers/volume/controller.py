"""The PersistentVolume controller: binds claims to volumes, asks for
provisioning, and reclaims released volumes.

Upstream: ``pkg/controller/volume/persistentvolume/pv_controller.go``
(``syncClaim``: ``syncUnboundClaim`` / ``syncBoundClaim``; ``syncVolume``;
``reclaimVolume`` with Retain, Recycle and Delete) and
``pv_controller_base.go`` (claim and volume queues; here one queue with
``claim/<ns>/<name>`` and ``volume/<name>`` keys). WaitForFirstConsumer
claims wait for the scheduler's ``volume.kubernetes.io/selected-node``.
The simulated provisioner (:mod:`.provisioner`) stands in for the external
provisioner that would watch the annotated claims.
"""

from __future__ import annotations

import logging
from typing import Any

from engine.controllers.volume import constants as c
from engine.controllers.volume.binder import Binder
from engine.controllers.volume.matching import claim_class, find_matching_volume, is_bound_to
from engine.controllers.volume.provisioner import Provisioner
from engine.controllers.volume.reclaim import Reclaimer
from engine.events.recorder import EventRecorder
from engine.runtime import Controller, SharedInformerFactory

Obj = dict[str, Any]
log = logging.getLogger(__name__)
COMPONENT = "persistentvolume-controller"
RESYNC = 15.0  # --pvclaimbinder-sync-period


def claim_keys(claim: Obj) -> list[str]:
    m = claim["metadata"]
    keys = [f"claim/{m.get('namespace', '')}/{m['name']}"]
    volume = (claim.get("spec") or {}).get("volumeName")
    if volume:
        keys.append(f"volume/{volume}")
    return keys


def volume_keys(volume: Obj) -> list[str]:
    keys = [f"volume/{volume['metadata']['name']}"]
    ref = (volume.get("spec") or {}).get("claimRef")
    if ref and ref.get("name"):
        keys.append(f"claim/{ref.get('namespace', '')}/{ref['name']}")
    return keys


class PersistentVolumeController(Controller):
    """``PersistentVolumeController``."""

    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name=COMPONENT)
        self.client = client
        self.recorder = EventRecorder(client, COMPONENT)
        self.binder = Binder(client)
        self.provisioner = Provisioner(client)
        claims = factory.informer_for("persistentvolumeclaims")
        volumes = factory.informer_for("persistentvolumes")
        classes = factory.informer_for("storageclasses")
        self.claims, self.volumes = claims.lister(), volumes.lister()
        self.classes = classes.lister()
        self.reclaimer = Reclaimer(self.binder, self.provisioner, self.recorder)
        self.watch(claims, claim_keys)
        self.watch(volumes, volume_keys)
        self.informers.append(classes)

    async def reconcile(self, key: str) -> float | None:
        kind, _, rest = key.partition("/")
        if kind == "claim":
            ns, _, name = rest.partition("/")
            claim = self.claims.get(ns, name)
            if claim is not None:
                return self.sync_claim(claim)
        else:
            volume = self.volumes.get(None, rest)
            if volume is not None:
                self.sync_volume(volume)
        return None

    # -- claims ------------------------------------------------------------------------
    def storage_class(self, claim: Obj) -> Obj | None:
        name = claim_class(claim)
        return self.classes.get(None, name) if name else None

    def sync_claim(self, claim: Obj) -> float | None:
        """``syncClaim``; a claim still Pending is looked at again every resync
        period, as the controller's periodic resync of every claim would."""
        annotations = claim["metadata"].get("annotations") or {}
        if (claim.get("spec") or {}).get("volumeName") or \
                annotations.get(c.BIND_COMPLETED) == c.YES:
            self.sync_bound_claim(claim)
            return None
        self.sync_unbound_claim(claim)
        return RESYNC

    def sync_unbound_claim(self, claim: Obj) -> None:
        """``syncUnboundClaim``: bind to the best volume, or provision, or wait."""
        volume_name = (claim.get("spec") or {}).get("volumeName")
        if volume_name:
            self._bind_named(claim, volume_name)
            return
        sc = self.storage_class(claim)
        delay = (sc or {}).get("volumeBindingMode") == "WaitForFirstConsumer"
        volume = find_matching_volume(claim, self.volumes.list(), delay)
        if volume is not None:
            self.binder.bind(claim, volume)
            return
        annotations = claim["metadata"].get("annotations") or {}
        if delay and c.SELECTED_NODE not in annotations:
            self.recorder.event(claim, "Normal", c.WAIT_FOR_FIRST_CONSUMER,
                                c.MSG_WAIT_FIRST_CONSUMER)
        elif claim_class(claim):
            self.provision(claim, sc)
        else:
            self.recorder.event(claim, "Normal", c.FAILED_BINDING, c.MSG_NO_CLASS)
        self.binder.claim_phase(claim, "Pending")

    def _bind_named(self, claim: Obj, volume_name: str) -> None:
        """A claim that names its volume (pre-bound by the user)."""
        volume = self.volumes.get(None, volume_name)
        if volume is None:
            self.binder.claim_phase(claim, "Pending")
            return
        ref = (volume.get("spec") or {}).get("claimRef")
        if ref and not is_bound_to(volume, claim):
            self.recorder.event(claim, "Warning", c.FAILED_BINDING,
                                f'volume "{volume_name}" already bound to a different claim.')
            self.binder.claim_phase(claim, "Pending")
            return
        self.binder.bind(claim, volume)

    def provision(self, claim: Obj, sc: Obj | None) -> None:
        """``provisionClaim``: hand the claim to its class's provisioner."""
        name = claim_class(claim)
        if sc is None:
            self.recorder.event(claim, "Warning", c.PROVISIONING_FAILED,
                                f'storageclass.storage.k8s.io "{name}" not found')
            return
        provisioner = sc.get("provisioner", "")
        annotations = claim["metadata"].get("annotations") or {}
        if annotations.get(c.STORAGE_PROVISIONER) != provisioner:
            claim = self._annotate_provisioner(claim, provisioner)
        self.recorder.event(claim, "Normal", c.EXTERNAL_PROVISIONING,
                            c.msg_external(provisioner))
        if provisioner in c.SIMULATED_PROVISIONERS:
            self.provisioner.provision(claim, sc)

    def _annotate_provisioner(self, claim: Obj, provisioner: str) -> Obj:
        import copy

        new = copy.deepcopy(claim)
        annotations = new["metadata"].setdefault("annotations", {})
        annotations[c.STORAGE_PROVISIONER] = provisioner
        annotations[c.BETA_STORAGE_PROVISIONER] = provisioner
        return self.client.update("persistentvolumeclaims", new)

    def sync_bound_claim(self, claim: Obj) -> None:
        """``syncBoundClaim``: a lost volume makes the claim Lost."""
        name = (claim.get("spec") or {}).get("volumeName") or ""
        volume = self.volumes.get(None, name) if name else None
        if volume is None:
            if (claim.get("status") or {}).get("phase") != "Lost":
                self.recorder.event(claim, "Warning", c.CLAIM_LOST, c.MSG_CLAIM_LOST)
            self.binder.claim_phase(claim, "Lost")
            return
        if is_bound_to(volume, claim) or not (volume.get("spec") or {}).get("claimRef"):
            self.binder.bind(claim, volume)
            return
        if (claim.get("status") or {}).get("phase") != "Lost":
            self.recorder.event(claim, "Warning", c.CLAIM_LOST, c.MSG_CLAIM_LOST_VOLUME)
        self.binder.claim_phase(claim, "Lost")

    # -- volumes -----------------------------------------------------------------------
    def sync_volume(self, volume: Obj) -> None:
        """``syncVolume``: Available, Bound, or Released and reclaimed."""
        ref = (volume.get("spec") or {}).get("claimRef")
        phase = (volume.get("status") or {}).get("phase")
        if not ref:
            if phase != "Failed" or not volume["metadata"].get("deletionTimestamp"):
                self.binder.volume_phase(volume, "Available")
            return
        claim = self.claims.get(ref.get("namespace", ""), ref.get("name", ""))
        if not ref.get("uid"):
            if claim is None or not (claim.get("spec") or {}).get("volumeName"):
                self.binder.volume_phase(volume, "Available")
            return
        if claim is None or claim["metadata"].get("uid") != ref.get("uid"):
            self.reclaimer.released(volume)
            return
        bound_to = (claim.get("spec") or {}).get("volumeName")
        if not bound_to:
            self.queue.add(f"claim/{ref.get('namespace', '')}/{ref['name']}")
            if phase not in ("Available", "Bound"):
                self.binder.volume_phase(volume, "Available")
        elif bound_to == volume["metadata"]["name"]:
            self.binder.volume_phase(volume, "Bound")
        elif (volume["metadata"].get("annotations") or {}).get(c.BOUND_BY_CONTROLLER):
            self.binder.unbind_volume(volume)
        else:
            self.reclaimer.released(volume)
