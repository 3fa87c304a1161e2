"""Storage: StorageClasses (Name, Provisioner, ReclaimPolicy,
VolumeBindingMode, AllowVolumeExpansion, Age), PersistentVolumes and
PersistentVolumeClaims; upstream ``printStorageClass``,
``printPersistentVolume``, ``printPersistentVolumeClaim``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, Column, age, dig, meta, name, wide

_DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class"

SC_COLUMNS = (
    NAME,
    Column("Provisioner", description="Indicates the type of the provisioner."),
    Column("ReclaimPolicy", description="Dynamically provisioned PersistentVolumes of this "
                                        "storage class are created with this reclaimPolicy."),
    Column("VolumeBindingMode", description="VolumeBindingMode indicates how "
                                            "PersistentVolumeClaims should be provisioned and "
                                            "bound."),
    Column("AllowVolumeExpansion", type="boolean", description="AllowVolumeExpansion shows "
                                                               "whether the storage class allow "
                                                               "volume expand."),
    AGE,
)
PV_COLUMNS = (
    NAME, Column("Capacity"), Column("Access Modes"), Column("Reclaim Policy"), Column("Status"),
    Column("Claim"), Column("StorageClass"), Column("VolumeAttributesClass"), Column("Reason"),
    AGE, wide("VolumeMode"),
)
PVC_COLUMNS = (
    NAME, Column("Status"), Column("Volume"), Column("Capacity"), Column("Access Modes"),
    Column("StorageClass"), Column("VolumeAttributesClass"), AGE, wide("VolumeMode"),
)
_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
          "ReadWriteOncePod": "RWOP"}


def _sc_row(obj: dict[str, Any], now: float) -> list[Any]:
    shown = name(obj)
    if (meta(obj).get("annotations") or {}).get(_DEFAULT_ANNOTATION) == "true":
        shown += " (default)"
    return [shown, obj.get("provisioner", ""), obj.get("reclaimPolicy", "Delete"),
            obj.get("volumeBindingMode", "Immediate"), bool(obj.get("allowVolumeExpansion")),
            age(obj, now)]


def _modes(modes: list[str] | None) -> str:
    return ",".join(_MODES.get(m, m) for m in modes or [])


def _pv_row(obj: dict[str, Any], now: float) -> list[Any]:
    spec = obj.get("spec") or {}
    ref = spec.get("claimRef")
    claim = f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else ""
    return [name(obj), dig(spec, "capacity", "storage", default=""),
            _modes(spec.get("accessModes")), spec.get("persistentVolumeReclaimPolicy", ""),
            dig(obj, "status", "phase", default=""), claim, spec.get("storageClassName", ""),
            spec.get("volumeAttributesClassName") or "<unset>",
            dig(obj, "status", "reason", default=""), age(obj, now),
            spec.get("volumeMode", "Filesystem")]


def _pvc_row(obj: dict[str, Any], now: float) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    phase = "Terminating" if meta(obj).get("deletionTimestamp") else status.get("phase", "")
    bound = bool(spec.get("volumeName"))
    return [name(obj), phase, spec.get("volumeName", ""),
            dig(status, "capacity", "storage", default="") if bound else "",
            _modes(status.get("accessModes")) if bound else "",
            spec.get("storageClassName", ""), spec.get("volumeAttributesClassName") or "<unset>",
            age(obj, now), spec.get("volumeMode", "Filesystem")]


register("storage.k8s.io", "storageclasses", SC_COLUMNS, _sc_row)
register("", "persistentvolumes", PV_COLUMNS, _pv_row)
register("", "persistentvolumeclaims", PVC_COLUMNS, _pvc_row)
