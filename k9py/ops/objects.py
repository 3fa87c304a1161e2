"""Delete, kill, YAML out and edited YAML back in: the actions every view has."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from k9py.client import ClusterClient

Obj = dict[str, Any]
PROPAGATIONS = ("Background", "Foreground", "Orphan")
MASK = "********"


def delete(client: ClusterClient, resource: str, name: str, namespace: str | None, *,
           propagation: str = "Background", force: bool = False) -> Obj:
    """``kubectl delete`` (``--cascade``, ``--force`` = grace period 0)."""
    if propagation not in PROPAGATIONS:
        raise ValueError(f"propagation must be one of {', '.join(PROPAGATIONS)}")
    opts: dict[str, Any] = {"propagation_policy": propagation}
    if force:
        opts["grace_period_seconds"] = 0
    return client.delete(resource, name, namespace=namespace, **opts)


def kill(client: ClusterClient, resource: str, name: str, namespace: str | None) -> Obj:
    """k9s's ctrl-k: delete now, no grace period."""
    return client.delete(resource, name, namespace=namespace, grace_period_seconds=0)


FIRST = ("apiVersion", "kind", "metadata", "spec", "status")


def clean_for_display(obj: Obj, *, managed_fields: bool = False, reveal: bool = False,
                      api_version: str = "", kind: str = "") -> Obj:
    """A copy in kubectl's field order (apiVersion, kind, metadata, spec, status...),
    without managedFields (unless asked) and with Secret data masked."""
    out = {k: copy.deepcopy(obj[k]) for k in FIRST if k in obj}
    out.update((k, copy.deepcopy(v)) for k, v in obj.items() if k not in out)
    if api_version and kind and "kind" not in out:
        out = {"apiVersion": api_version, "kind": kind, **out}
    if not managed_fields:
        (out.get("metadata") or {}).pop("managedFields", None)
    if out.get("kind") == "Secret" and not reveal:
        for key in ("data", "stringData"):
            if isinstance(out.get(key), dict):
                out[key] = {k: MASK for k in out[key]}
    return out


def to_yaml(obj: Obj) -> str:
    return yaml.safe_dump(obj, sort_keys=False, default_flow_style=False, allow_unicode=True,
                          width=120)


def parse_edit(text: str) -> Obj:
    """The edited document; raises ValueError with the YAML error's position."""
    try:
        obj = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ValueError(f"invalid YAML: {err}") from None
    if not isinstance(obj, dict):
        raise ValueError("the edited document must be a YAML mapping (an object)")
    return obj


def apply_edit(client: ClusterClient, resource: str, original: Obj, text: str) -> Obj:
    """Save an edit as ``kubectl edit`` would: update with the resourceVersion read,
    so a concurrent change gets 409 Conflict instead of being overwritten."""
    obj = parse_edit(text)
    m, om = obj.setdefault("metadata", {}), original.get("metadata") or {}
    if m.get("name") != om.get("name"):
        raise ValueError(f"metadata.name cannot be changed in an edit "
                         f"({om.get('name')!r} → {m.get('name')!r})")
    if obj.get("kind") == "Secret" and _masked(obj):
        raise ValueError("the Secret's data is masked: reveal it (x) before editing")
    m.setdefault("resourceVersion", om.get("resourceVersion"))
    if "managedFields" not in m and "managedFields" in om:
        m["managedFields"] = om["managedFields"]
    return client.update(resource, obj, namespace=om.get("namespace"), field_manager="k9py-edit")


def _masked(obj: Obj) -> bool:
    return any(v == MASK for k in ("data", "stringData")
               for v in (obj.get(k) or {}).values())
