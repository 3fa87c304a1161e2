"""Volume set-up: what must exist before a pod's sandbox can start.

Upstream: ``pkg/kubelet/volumemanager`` (desired-state populator, reconciler,
``WaitForAttachAndMount``) and the configmap/secret/projected volume
plugins. The kubelet cannot start a pod whose volumes do not mount; the pod
stays ``ContainerCreating`` and the kubelet reports why:

* a ConfigMap or Secret volume (or projected source) whose object is
  missing fails each mount attempt, retried with the reconciler's
  exponential back-off (500 ms doubling to 2m2s), each failure a
  ``FailedMount`` event ``MountVolume.SetUp failed for volume "v" : configmap
  "x" not found``;
* a ``persistentVolumeClaim`` that is missing or not ``Bound`` cannot be
  processed; after the 2-minute wait the kubelet reports ``Unable to attach or
  mount volumes: unmounted volumes=[data], unattached volumes=[], failed to
  process volumes=[data]: error processing PVC default/data: PVC is not bound``.

emptyDir, hostPath, downwardAPI and the service account token always mount.
The projected ``kube-api-access-*`` volume needs its namespace's
``kube-root-ca.crt`` like any ConfigMap source: in a namespace just created,
the pod waits (``FailedMount`` ... ``configmap "kube-root-ca.crt" not found``)
until kube-controller-manager's root CA publisher has created it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.kubelet.config import Lookup

Obj = dict[str, Any]

MOUNT_TIMEOUT = 120.0
RETRY_INITIAL = 0.5
RETRY_MAX = 122.0


@dataclass
class MountProblem:
    """Why the pod's volumes are not ready."""

    message: str
    pvc: bool  # reported only after the attach/mount timeout


def check(lookup: Lookup, pod: Obj) -> MountProblem | None:
    """The first volume that cannot be set up, or None when all can."""
    ns = pod["metadata"]["namespace"]
    unprocessed = []
    reasons = []
    for volume in pod["spec"].get("volumes") or ():
        name = volume.get("name", "")
        if volume.get("persistentVolumeClaim"):
            why = _pvc(lookup, ns, volume["persistentVolumeClaim"].get("claimName", ""))
            if why:
                unprocessed.append(name)
                reasons.append(why)
            continue
        why = _source(lookup, ns, volume)
        if why:
            return MountProblem(f'MountVolume.SetUp failed for volume "{name}" : {why}', False)
    if unprocessed:
        names = " ".join(unprocessed)
        return MountProblem(
            f"Unable to attach or mount volumes: unmounted volumes=[{names}], unattached "
            f"volumes=[], failed to process volumes=[{names}]: {reasons[0]}", True)
    return None


def _pvc(lookup: Lookup, ns: str, claim: str) -> str:
    pvc = lookup("persistentvolumeclaim", ns, claim)
    if pvc is None:
        return (f"error processing PVC {ns}/{claim}: failed to fetch PVC from API server: "
                f'persistentvolumeclaims "{claim}" not found')
    if (pvc.get("status") or {}).get("phase") != "Bound":
        return f"error processing PVC {ns}/{claim}: PVC is not bound"
    return ""


def _source(lookup: Lookup, ns: str, volume: Obj) -> str:
    if volume.get("configMap"):
        return _object(lookup, "configmap", ns, volume["configMap"])
    if volume.get("secret"):
        ref = volume["secret"]
        return _object(lookup, "secret", ns, {"name": ref.get("secretName", ""), **ref})
    for source in (volume.get("projected") or {}).get("sources") or ():
        for kind, field in (("configmap", "configMap"), ("secret", "secret")):
            ref = source.get(field)
            if ref:
                why = _object(lookup, kind, ns, ref)
                if why:
                    return why
    return ""


def _object(lookup: Lookup, kind: str, ns: str, ref: Obj) -> str:
    name = ref.get("name", "")
    obj = lookup(kind, ns, name)
    if obj is None:
        return "" if ref.get("optional") else f'{kind} "{name}" not found'
    items = ref.get("items")
    if not items:
        return ""
    data, binary = obj.get("data") or {}, obj.get("binaryData") or {}
    for item in items:
        key = item.get("key")
        if key not in data and key not in binary and not ref.get("optional"):
            return f"{kind} references non-existent config key: {item.get('key')}"
    return ""
