"""Building blocks the group modules share to declare a kind's validators.

Most of upstream's ``Validate<Kind>`` functions are ``ValidateObjectMeta`` plus a spec
check, and most ``Validate<Kind>Update`` functions are ``ValidateObjectMetaUpdate``
plus the same spec check on the new object (plus immutability rules); :func:`simple`
builds that pair.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.api import errors
from engine.api.selectors import LabelSelector, SelectorError, try_label_selector_from_dict
from engine.api.validation.common import Errs, as_list, as_map
from engine.api.validation.names import NameFunc
from engine.api.validation.objectmeta import (
    collection_errors,
    object_meta_fields,
    object_meta_update_fields,
    quiet_meta_update,
    validate_object_meta,
    validate_object_meta_update,
)
from engine.api.validation.registry import CreateFn, KindValidators, UpdateFn, meta_update_only

Obj = dict[str, Any]
SpecFn = Callable[[Obj], Errs]


# Upstream helper.IsStandardFinalizerName.
STANDARD_FINALIZERS = frozenset({"kubernetes", "orphan", "foregroundDeletion"})


def kube_finalizer_errors(meta: Any) -> Errs:
    """Upstream ``validateKubeFinalizerName`` for each of ``metadata.finalizers``."""
    errs: Errs = []
    for i, name in enumerate(as_list(as_map(meta).get("finalizers"))):
        if isinstance(name, str) and "/" not in name and name not in STANDARD_FINALIZERS:
            errs.append(errors.invalid(f"metadata.finalizers[{i}]", name, KUBE_FINALIZER_MSG))
    return errs


KUBE_FINALIZER_MSG = "name is neither a standard finalizer name nor is it fully qualified"


def meta_errors(obj: Obj, namespaced: bool, name_fn: NameFunc) -> Errs:
    """Core's ``ValidateObjectMeta(&obj.ObjectMeta, namespaced, nameFn, "metadata")``:
    apimachinery's checks plus the Kubernetes finalizer-name rule."""
    meta = obj.get("metadata")
    errs = validate_object_meta(meta, namespaced, name_fn)
    errs.extend(kube_finalizer_errors(meta))
    return errs


def meta_update_errors(new: Obj, old: Obj) -> Errs:
    """Core's ``ValidateObjectMetaUpdate(&new.ObjectMeta, &old.ObjectMeta, "metadata")``."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    errs.extend(kube_finalizer_errors(new.get("metadata")))
    return errs


def meta_update_and_meta_errors(new: Obj, old: Obj, namespaced: bool,
                                name_fn: NameFunc) -> Errs:
    """``meta_update_errors(new, old) + meta_errors(new, namespaced, name_fn)``,
    as upstream validators that run both (``ValidatePodUpdate``) report them.

    Both lists end with the same checks of new's collections (labels,
    annotations, ...) and finalizer names; when those find nothing, they are
    worked out once. Otherwise each list gets its own, as the plain calls.
    An update of the usual fields that finds nothing is seen at once
    (:func:`quiet_meta_update`)."""
    meta = new.get("metadata")
    if quiet_meta_update(meta, old.get("metadata"), namespaced, name_fn):
        return []
    shared = collection_errors(meta)
    shared.extend(kube_finalizer_errors(meta))
    if shared:
        errs = meta_update_errors(new, old)
        errs.extend(meta_errors(new, namespaced, name_fn))
        return errs
    errs = []
    object_meta_update_fields(as_map(meta), as_map(old.get("metadata")), "metadata", errs)
    object_meta_fields(as_map(meta), namespaced, name_fn, "metadata", errs)
    return errs


def meta_of(obj: Obj) -> Obj:
    return as_map(obj.get("metadata"))


def simple(namespaced: bool, name_fn: NameFunc, body: SpecFn | None = None,
           immutable: Callable[[Obj, Obj], Errs] | None = None,
           status: UpdateFn | None = None) -> KindValidators:
    """Validators for a kind checked as ``ObjectMeta`` + ``body(obj)`` on create, and
    ``ObjectMetaUpdate`` + ``immutable(new, old)`` + ``body(new)`` on update."""

    def create(obj: Obj) -> Errs:
        errs = meta_errors(obj, namespaced, name_fn)
        if body is not None:
            errs.extend(body(obj))
        return errs

    def update(new: Obj, old: Obj) -> Errs:
        errs = meta_update_errors(new, old)
        if immutable is not None:
            errs.extend(immutable(new, old))
        if body is not None:
            errs.extend(body(new))
        return errs

    return KindValidators(create, update, status or meta_update_only)


def custom(create: CreateFn, update: UpdateFn, status: UpdateFn | None = None) -> KindValidators:
    return KindValidators(create, update, status or meta_update_only)


def label_selector_as_selector(value: Any) -> LabelSelector | None:
    """``metav1.LabelSelectorAsSelector``: a nil selector selects nothing; None when the
    selector does not convert (malformed shapes included)."""
    try:
        return try_label_selector_from_dict(value if isinstance(value, dict) else None)
    except (SelectorError, ValueError, TypeError, AttributeError, KeyError):
        return None
