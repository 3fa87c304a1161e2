"""The PV controller's writes: binding a claim and a volume, and phases.

Upstream: ``pv_controller.go`` (``bind``: ``bindVolumeToClaim``, volume
phase Bound, ``bindClaimToVolume``, claim status Bound with the volume's
access modes and capacity; ``updateVolumePhase``,
``updateClaimStatus``). Objects from listers are shared: copy before
writing.
"""

from __future__ import annotations

import copy
from typing import Any

from engine.controllers.volume import constants as c
from engine.controllers.volume.matching import is_bound_to

Obj = dict[str, Any]


def claim_ref(claim: Obj) -> Obj:
    m = claim["metadata"]
    return {"kind": "PersistentVolumeClaim", "namespace": m["namespace"], "name": m["name"],
            "uid": m.get("uid", ""), "apiVersion": "v1",
            "resourceVersion": m.get("resourceVersion", "")}


def _annotate(obj: Obj, key: str, value: str) -> None:
    obj["metadata"].setdefault("annotations", {})[key] = value


class Binder:
    """Writes through ``client``; every method returns the written object."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def bind(self, claim: Obj, volume: Obj) -> tuple[Obj, Obj]:
        volume = self.bind_volume(claim, volume)
        volume = self.volume_phase(volume, "Bound")
        claim = self.bind_claim(claim, volume)
        claim = self.claim_bound_status(claim, volume)
        return claim, volume

    def bind_volume(self, claim: Obj, volume: Obj) -> Obj:
        """``bindVolumeToClaim``: claimRef with the claim's uid; bound-by-controller
        when this controller (not a user or provisioner) chose the pair."""
        ref = (volume.get("spec") or {}).get("claimRef") or {}
        if is_bound_to(volume, claim) and ref.get("uid"):
            return volume
        new = copy.deepcopy(volume)
        if not ref:
            _annotate(new, c.BOUND_BY_CONTROLLER, c.YES)
        new["spec"]["claimRef"] = claim_ref(claim)
        return self.client.update("persistentvolumes", new)

    def bind_claim(self, claim: Obj, volume: Obj) -> Obj:
        """``bindClaimToVolume``: volumeName and the bind-completed annotation."""
        name = volume["metadata"]["name"]
        annotations = claim["metadata"].get("annotations") or {}
        spec = claim.get("spec") or {}
        if spec.get("volumeName") == name and annotations.get(c.BIND_COMPLETED) == c.YES:
            return claim
        new = copy.deepcopy(claim)
        if spec.get("volumeName") != name:
            new["spec"]["volumeName"] = name
            _annotate(new, c.BOUND_BY_CONTROLLER, c.YES)
        _annotate(new, c.BIND_COMPLETED, c.YES)
        return self.client.update("persistentvolumeclaims", new)

    def claim_bound_status(self, claim: Obj, volume: Obj) -> Obj:
        spec = volume.get("spec") or {}
        status = {**(claim.get("status") or {}), "phase": "Bound",
                  "accessModes": list(spec.get("accessModes") or ()),
                  "capacity": dict(spec.get("capacity") or {})}
        return self._claim_status(claim, status)

    def claim_phase(self, claim: Obj, phase: str) -> Obj:
        status = {**(claim.get("status") or {}), "phase": phase}
        if phase != "Bound":
            status.pop("accessModes", None)
            status.pop("capacity", None)
        return self._claim_status(claim, status)

    def _claim_status(self, claim: Obj, status: Obj) -> Obj:
        if claim.get("status") == status:
            return claim
        new = copy.deepcopy(claim)
        new["status"] = status
        return self.client.update_status("persistentvolumeclaims", new)

    def volume_phase(self, volume: Obj, phase: str, message: str = "") -> Obj:
        """``updateVolumePhase``: a new phase gets a new transition time."""
        old = volume.get("status") or {}
        if old.get("phase") == phase and (old.get("message") or "") == message:
            return volume
        new = copy.deepcopy(volume)
        status: Obj = {"phase": phase}
        if message:
            status["message"] = message
        if old.get("phase") != phase:
            status["lastPhaseTransitionTime"] = self.client.clock.rfc3339()
        elif old.get("lastPhaseTransitionTime"):
            status["lastPhaseTransitionTime"] = old["lastPhaseTransitionTime"]
        new["status"] = status
        return self.client.update_status("persistentvolumes", new)

    def unbind_volume(self, volume: Obj) -> Obj:
        """``unbindVolume``: a volume bound by the controller forgets its claim;
        a pre-bound one keeps the claim's name but not its uid."""
        new = copy.deepcopy(volume)
        annotations = new["metadata"].get("annotations") or {}
        if annotations.pop(c.BOUND_BY_CONTROLLER, None) is not None:
            new["spec"].pop("claimRef", None)
        elif new["spec"].get("claimRef"):
            new["spec"]["claimRef"] = {k: v for k, v in new["spec"]["claimRef"].items()
                                       if k not in ("uid", "resourceVersion")}
        written = self.client.update("persistentvolumes", new)
        return self.volume_phase(written, "Available")
