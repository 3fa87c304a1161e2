"""Defaulting, as kube-apiserver applies it when it decodes a request body.

Upstream: ``pkg/apis/<group>/<version>/defaults.go`` (the ``SetDefaults_*``
functions) and ``zz_generated.defaults.go`` (which of them apply to which
nested types, and the declarative ``+default`` markers). One module per API
group; :func:`default` dispatches on the resource's group and kind.

Defaulting mutates the object in place, never raises on odd input (malformed
parts are left for validation to report) and is idempotent. A few v1 <->
internal conversion effects that upstream applies on the same decode pass are
folded in where they change what a client reads back (``Secret.stringData``,
``PodSpec.serviceAccount``, ``PodStatus.podIP``/``podIPs``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.api.defaults import (
    apps,
    autoscaling,
    batch,
    core,
    discovery,
    networking,
    rbac,
    scheduling,
    storage,
)
from engine.api.resources import ResourceInfo

Obj = dict[str, Any]
Defaulter = Callable[[Obj], None]

# (group, kind) -> the kind's top-level defaulter.
DEFAULTERS: dict[tuple[str, str], Defaulter] = {
    **core.DEFAULTERS,
    **apps.DEFAULTERS,
    **batch.DEFAULTERS,
    **autoscaling.DEFAULTERS,
    **networking.DEFAULTERS,
    **discovery.DEFAULTERS,
    **rbac.DEFAULTERS,
    **scheduling.DEFAULTERS,
    **storage.DEFAULTERS,
}


def defaulter_for(info: ResourceInfo) -> Defaulter | None:
    """The defaulting function for a resource's kind, or None if it has none."""
    return DEFAULTERS.get((info.group, info.kind))


def default(info: ResourceInfo, obj: Obj) -> Obj:
    """Apply upstream's defaults for ``info``'s kind to ``obj`` in place; returns it."""
    fn = DEFAULTERS.get((info.group, info.kind))
    if fn is not None and isinstance(obj, dict):
        fn(obj)
    return obj


__all__ = ["DEFAULTERS", "default", "defaulter_for"]
