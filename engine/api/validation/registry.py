"""Per-kind validation dispatch: (group, kind) -> upstream's ``Validate<Kind>``,
``Validate<Kind>Update`` and ``Validate<Kind>StatusUpdate``.

Each API group module (``core``, ``apps``, ``batch``, ...) exports ``VALIDATORS``, a
mapping from (group, kind) to a :class:`KindValidators`. A kind without an entry
gets the generic checks every object shares: ``ValidateObjectMeta`` on create
(with the subdomain name rule) and ``ValidateObjectMetaUpdate`` on update.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.api.errors import FieldError
from engine.api.resources import ResourceInfo
from engine.api.validation import names
from engine.api.validation.objectmeta import validate_object_meta_update

Obj = dict[str, Any]
Errs = list[FieldError]
CreateFn = Callable[[Obj], Errs]
UpdateFn = Callable[[Obj, Obj], Errs]


def meta_update_only(new: Obj, old: Obj) -> Errs:
    """What a status write of a kind without status rules checks: the metadata."""
    return validate_object_meta_update(new.get("metadata"), old.get("metadata"))


@dataclass(frozen=True)
class KindValidators:
    """The three validation entry points of one kind."""

    create: CreateFn
    update: UpdateFn
    status: UpdateFn = meta_update_only


@functools.cache
def _registry() -> dict[tuple[str, str], KindValidators]:
    # Imported here: group modules import helpers that import this package.
    from engine.api.validation import (
        apps,
        autoscaling,
        batch,
        coordination,
        core,
        discovery,
        networking,
        policy,
        rbac,
        scheduling,
        storage,
    )

    table: dict[tuple[str, str], KindValidators] = {}
    for module in (core, apps, batch, autoscaling, networking, policy, rbac, scheduling,
                   storage, coordination, discovery):
        table.update(module.VALIDATORS)
    return table


def validators_for(group: str, kind: str) -> KindValidators | None:
    """The registered validators of a kind, or None."""
    return _registry().get((group, kind))


@functools.cache
def _generic(info: ResourceInfo) -> KindValidators:
    """The shared checks for a kind without validators (built once per kind)."""
    from engine.api.validation.kinds import meta_errors, meta_update_errors

    def create(obj: Obj) -> Errs:
        return meta_errors(obj, info.namespaced, names.name_is_dns_subdomain)

    return KindValidators(create, meta_update_errors)


def _for(info: ResourceInfo) -> KindValidators:
    return validators_for(info.group, info.kind) or _generic(info)


def validate_object(info: ResourceInfo, obj: Obj) -> Errs:
    """Upstream ``Validate<Kind>`` (ObjectMeta included) for a new object."""
    return _for(info).create(obj if isinstance(obj, dict) else {})


def validate_object_update(info: ResourceInfo, new: Obj, old: Obj) -> Errs:
    """Upstream ``Validate<Kind>Update``: metadata, immutable fields and the new spec."""
    return _for(info).update(new if isinstance(new, dict) else {},
                             old if isinstance(old, dict) else {})


def validate_status_update(info: ResourceInfo, new: Obj, old: Obj) -> Errs:
    """Upstream ``Validate<Kind>StatusUpdate``."""
    return _for(info).status(new if isinstance(new, dict) else {},
                             old if isinstance(old, dict) else {})
