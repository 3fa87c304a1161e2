"""Storage admission plugins.

- DefaultStorageClass (upstream ``plugin/pkg/admission/storage/storageclass/setdefault``):
  a new claim without a class (no ``storageClassName``, not even ``""``, and
  no beta annotation) gets the default StorageClass, the newest one annotated
  ``storageclass.kubernetes.io/is-default-class: "true"``.
- StorageObjectInUseProtection (``.../storage/storageobjectinuseprotection``):
  new claims get the ``kubernetes.io/pvc-protection`` finalizer and new
  volumes ``kubernetes.io/pv-protection``; the protection controllers remove
  them when nothing uses the object.
- PersistentVolumeClaimResize (``.../storage/persistentvolume/resize``): a
  claim may only grow when it is bound and its StorageClass allows expansion.
"""

from __future__ import annotations

from typing import Any

from engine.api.admission._util import (
    forbidden,
    get_object,
    list_objects,
    newest_default,
    quantity,
)
from engine.api.admission.base import AdmissionPlugin, Attributes

Obj = dict[str, Any]

DEFAULT_CLASS_ANNOTATIONS = (
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
)
BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
PVC_PROTECTION = "kubernetes.io/pvc-protection"
PV_PROTECTION = "kubernetes.io/pv-protection"


def _is_core(attrs: Attributes, plural: str) -> bool:
    return attrs.info.plural == plural and not attrs.info.group and not attrs.subresource


def claim_class(claim: Obj) -> str:
    """``GetPersistentVolumeClaimClass``: the beta annotation, else the field."""
    annotations = (claim.get("metadata") or {}).get("annotations") or {}
    if BETA_CLASS_ANNOTATION in annotations:
        return annotations[BETA_CLASS_ANNOTATION]
    return (claim.get("spec") or {}).get("storageClassName") or ""


class DefaultStorageClass(AdmissionPlugin):
    name = "DefaultStorageClass"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        return attrs.operation == "CREATE" and _is_core(attrs, "persistentvolumeclaims")

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            return
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        if BETA_CLASS_ANNOTATION in annotations or spec.get("storageClassName") is not None:
            return
        default = newest_default(
            list_objects(self.api, "storageclasses"), DEFAULT_CLASS_ANNOTATIONS
        )
        if default is not None:
            spec["storageClassName"] = default["metadata"]["name"]


class StorageObjectInUseProtection(AdmissionPlugin):
    name = "StorageObjectInUseProtection"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        return attrs.operation == "CREATE" and (
            _is_core(attrs, "persistentvolumeclaims") or _is_core(attrs, "persistentvolumes")
        )

    def admit(self, attrs: Attributes, obj: Obj) -> None:
        finalizer = (
            PVC_PROTECTION if attrs.info.plural == "persistentvolumeclaims" else PV_PROTECTION
        )
        meta = obj.setdefault("metadata", {})
        finalizers = meta.get("finalizers")
        if not isinstance(finalizers, list):
            finalizers = meta["finalizers"] = []
        if finalizer not in finalizers:
            finalizers.append(finalizer)


class PersistentVolumeClaimResize(AdmissionPlugin):
    name = "PersistentVolumeClaimResize"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        return attrs.operation == "UPDATE" and _is_core(attrs, "persistentvolumeclaims")

    def validate(self, attrs: Attributes, obj: Obj) -> None:
        old = attrs.old or {}
        new_size = _storage_request(obj)
        old_size = _storage_request(old)
        if new_size is None or (old_size is not None and new_size <= old_size):
            return
        if (old.get("status") or {}).get("phase") != "Bound":
            raise forbidden(attrs, obj, "Only bound persistent volume claims can be expanded")
        if not self._allows_resize(claim_class(obj), claim_class(old)):
            raise forbidden(
                attrs,
                obj,
                "only dynamically provisioned pvc can be resized and the "
                "storageclass that provisions the pvc must support resize",
            )

    def _allows_resize(self, new_class: str, old_class: str) -> bool:
        if not new_class or new_class != old_class:
            return False
        storage_class = get_object(self.api, "storageclasses", new_class)
        return storage_class is not None and storage_class.get("allowVolumeExpansion") is True


def _storage_request(claim: Obj) -> Any:
    requests = ((claim.get("spec") or {}).get("resources") or {}).get("requests") or {}
    q = quantity(requests.get("storage")) if "storage" in requests else None
    return q.value if q is not None else None
