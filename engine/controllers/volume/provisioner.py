"""A simulated external provisioner: a claim of a class with a provisioner
gets a PersistentVolume ``pvc-<claim uid>`` of the size it asked for.

Upstream: sig-storage-lib-external-provisioner ``controller/controller.go``
(``provisionClaimOperation``: the ``Provisioning`` and
``ProvisioningSucceeded`` events, the PV pre-bound to the claim, annotated
``pv.kubernetes.io/provisioned-by``, with the class's reclaim policy) and
rancher's local-path-provisioner (kind's ``standard`` class: a hostPath
under ``/var/local-path-provisioner`` pinned to the selected node).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.controllers.volume import constants as c
from engine.controllers.volume.binder import claim_ref
from engine.events.recorder import EventRecorder

Obj = dict[str, Any]
LOCAL_PATH_ROOT = "/var/local-path-provisioner"


def volume_name(claim: Obj) -> str:
    return f"pvc-{claim['metadata']['uid']}"


def _node_affinity(node: str) -> Obj:
    return {"required": {"nodeSelectorTerms": [{"matchExpressions": [
        {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}


def provisioned_volume(claim: Obj, sc: Obj) -> Obj:
    """The PV the provisioner creates for ``claim`` of class ``sc``."""
    m, spec = claim["metadata"], claim.get("spec") or {}
    name = volume_name(claim)
    node = (m.get("annotations") or {}).get(c.SELECTED_NODE, "")
    annotations = {c.PROVISIONED_BY: sc.get("provisioner", "")}
    if node:
        annotations[c.LOCAL_PATH_NODE] = node
    storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage", "0")
    pv_spec: Obj = {
        "accessModes": list(spec.get("accessModes") or ["ReadWriteOnce"]),
        "capacity": {"storage": storage},
        "claimRef": claim_ref(claim),
        "hostPath": {"path": f"{LOCAL_PATH_ROOT}/{name}_{m['namespace']}_{m['name']}",
                     "type": "DirectoryOrCreate"},
        "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy") or "Delete",
        "storageClassName": sc["metadata"]["name"],
        "volumeMode": spec.get("volumeMode") or "Filesystem",
    }
    if sc.get("mountOptions"):
        pv_spec["mountOptions"] = list(sc["mountOptions"])
    if node:
        pv_spec["nodeAffinity"] = _node_affinity(node)
    return {"apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": name, "annotations": annotations}, "spec": pv_spec}


class Provisioner:
    """Provisions for the classes of the simulated provisioners
    (:data:`~engine.controllers.volume.constants.SIMULATED_PROVISIONERS`)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._recorders: dict[str, EventRecorder] = {}

    def recorder(self, provisioner: str) -> EventRecorder:
        found = self._recorders.get(provisioner)
        if found is None:
            component = f"{provisioner}_{provisioner.rsplit('/', 1)[-1]}-provisioner"
            found = self._recorders[provisioner] = EventRecorder(self.client, component)
        return found

    def provision(self, claim: Obj, sc: Obj) -> Obj | None:
        """Create the claim's PV (once); None if it already exists."""
        name = sc.get("provisioner", "")
        recorder = self.recorder(name)
        m = claim["metadata"]
        recorder.event(claim, "Normal", c.PROVISIONING, c.msg_provisioning(m["namespace"],
                                                                         m["name"]))
        try:
            created = self.client.create("persistentvolumes", provisioned_volume(claim, sc))
        except errors.StatusError as err:
            if err.reason == "AlreadyExists":
                return None
            recorder.event(claim, "Warning", c.PROVISIONING_FAILED,
                           f'failed to provision volume with StorageClass '
                           f'"{sc["metadata"]["name"]}": {err.message}')
            raise
        recorder.event(claim, "Normal", c.PROVISIONING_SUCCEEDED,
                       c.msg_provisioned(created["metadata"]["name"]))
        return created

    def delete(self, volume: Obj) -> None:
        """The provisioner's deleter: a Released volume it made goes away."""
        try:
            self.client.delete("persistentvolumes", volume["metadata"]["name"])
        except errors.StatusError as err:
            if err.code != 404:
                raise
