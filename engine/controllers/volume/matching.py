"""Which PersistentVolume a claim binds to.

Upstream: ``pkg/controller/volume/persistentvolume/util/util.go``
(``FindMatchingVolume``: a volume pre-bound to the claim wins; otherwise
the smallest available volume with enough capacity, a matching
volumeMode, storage class, label selector and every requested access
mode; with WaitForFirstConsumer only pre-bound volumes, the scheduler
picks the rest) and ``CheckAccessModes``.
"""

from __future__ import annotations

from typing import Any

from engine.api.selectors import SelectorError, try_label_selector_from_dict
from engine.api.validation.quantity import QuantityError, parse_quantity_value

Obj = dict[str, Any]
BETA_CLASS = "volume.beta.kubernetes.io/storage-class"


def size_of(value: Any) -> int:
    try:
        return int(parse_quantity_value(value).value)
    except (QuantityError, ValueError, TypeError):
        return 0


def claim_class(claim: Obj) -> str:
    annotations = claim["metadata"].get("annotations") or {}
    if BETA_CLASS in annotations:
        return annotations[BETA_CLASS]
    return (claim.get("spec") or {}).get("storageClassName") or ""


def volume_class(volume: Obj) -> str:
    annotations = volume["metadata"].get("annotations") or {}
    if BETA_CLASS in annotations:
        return annotations[BETA_CLASS]
    return (volume.get("spec") or {}).get("storageClassName") or ""


def claim_request(claim: Obj) -> int:
    resources = (claim.get("spec") or {}).get("resources") or {}
    return size_of((resources.get("requests") or {}).get("storage", "0"))


def volume_capacity(volume: Obj) -> int:
    return size_of(((volume.get("spec") or {}).get("capacity") or {}).get("storage", "0"))


def is_bound_to(volume: Obj, claim: Obj) -> bool:
    """``IsVolumeBoundToClaim``: the claimRef names the claim (and its uid, if set)."""
    ref = (volume.get("spec") or {}).get("claimRef")
    if not ref:
        return False
    m = claim["metadata"]
    if ref.get("name") != m.get("name") or ref.get("namespace") != m.get("namespace"):
        return False
    return not ref.get("uid") or ref.get("uid") == m.get("uid")


def access_modes_fit(claim: Obj, volume: Obj) -> bool:
    """``CheckAccessModes``: every mode the claim asks for, the volume offers."""
    wanted = set((claim.get("spec") or {}).get("accessModes") or ())
    return wanted <= set((volume.get("spec") or {}).get("accessModes") or ())


def volume_mode_fits(claim: Obj, volume: Obj) -> bool:
    want = (claim.get("spec") or {}).get("volumeMode") or "Filesystem"
    return ((volume.get("spec") or {}).get("volumeMode") or "Filesystem") == want


def _selector_fits(claim: Obj, volume: Obj) -> bool:
    selector = (claim.get("spec") or {}).get("selector")
    if selector is None:
        return True
    try:
        return try_label_selector_from_dict(selector).matches(
            volume["metadata"].get("labels") or {})
    except SelectorError:
        return False


def find_matching_volume(claim: Obj, volumes: list[Obj], delay_binding: bool) -> Obj | None:
    """``FindMatchingVolume`` without a node (the controller's call)."""
    want = claim_request(claim)
    best, best_size = None, 0
    for volume in volumes:
        size = volume_capacity(volume)
        if size < want or not volume_mode_fits(claim, volume):
            continue
        if volume["metadata"].get("deletionTimestamp"):
            continue
        if is_bound_to(volume, claim):
            return volume
        if delay_binding or (volume.get("spec") or {}).get("claimRef"):
            continue
        if (volume.get("status") or {}).get("phase") != "Available":
            continue
        if not _selector_fits(claim, volume) or volume_class(volume) != claim_class(claim):
            continue
        if not access_modes_fit(claim, volume):
            continue
        if best is None or size < best_size:
            best, best_size = volume, size
    return best
