"""Building blocks the group modules share to declare a kind's validators.

Most of upstream's ``Validate<Kind>`` functions are ``ValidateObjectMeta`` plus a spec
check, and most ``Validate<Kind>Update`` functions are ``ValidateObjectMetaUpdate``
plus the same spec check on the new object (plus immutability rules); :func:`simple`
builds that pair.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.api.validation.common import Errs, as_map
from engine.api.validation.names import NameFunc
from engine.api.validation.objectmeta import validate_object_meta, validate_object_meta_update
from engine.api.validation.registry import CreateFn, KindValidators, UpdateFn, meta_update_only

Obj = dict[str, Any]
SpecFn = Callable[[Obj], Errs]


def meta_errors(obj: Obj, namespaced: bool, name_fn: NameFunc) -> Errs:
    """``ValidateObjectMeta(&obj.ObjectMeta, namespaced, nameFn, field.NewPath("metadata"))``."""
    return validate_object_meta(obj.get("metadata"), namespaced, name_fn)


def meta_update_errors(new: Obj, old: Obj) -> Errs:
    """``ValidateObjectMetaUpdate(&new.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))``."""
    return validate_object_meta_update(new.get("metadata"), old.get("metadata"))


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
