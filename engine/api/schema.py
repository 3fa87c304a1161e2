"""Upstream's OpenAPI definitions for Kubernetes v1.32, loaded once.

The definitions ship in the ``kubernetes-validate`` package (generated from
kubernetes/kubernetes ``api/openapi-spec``). They give every type's fields,
required fields, descriptions, ``x-kubernetes-patch-merge-key`` /
``x-kubernetes-patch-strategy`` (strategic merge patch) and
``x-kubernetes-list-type`` / ``x-kubernetes-list-map-keys`` (server-side
apply), so none of that is written again by hand here.
"""

from __future__ import annotations

import functools
import json
from importlib import resources as importlib_resources
from typing import Any

KUBERNETES_VERSION = "v1.32.0"

Schema = dict[str, Any]


@functools.cache
def definitions() -> dict[str, Schema]:
    """All definitions, keyed by name (``io.k8s.api.apps.v1.Deployment``)."""
    root = importlib_resources.files("kubernetes_validate") / "kubernetes-json-schema"
    path = root / f"{KUBERNETES_VERSION}-local" / "_definitions.json"
    return json.loads(path.read_text())["$defs"]


@functools.cache
def _by_gvk() -> dict[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for name, schema in definitions().items():
        for gvk in schema.get("x-kubernetes-group-version-kind", ()):
            index.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return index


def definition_name(group: str, version: str, kind: str) -> str | None:
    """The definition that describes a kind, or None when upstream has none."""
    return _by_gvk().get((group, version, kind))


def resolve_ref(schema: Schema) -> Schema:
    """Follow a ``$ref`` (``#/$defs/<name>``) to the schema it names."""
    ref = schema.get("$ref")
    if ref is None:
        return schema
    return definitions()[ref.rsplit("/", 1)[-1]]


def ref_name(schema: Schema) -> str | None:
    """The definition name a property refers to, if it is a ``$ref``."""
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def types_of(schema: Schema) -> tuple[str, ...]:
    """The JSON types a schema admits, without ``null`` (which means 'omitted')."""
    raw = schema.get("type")
    if raw is None:
        if "oneOf" in schema:  # IntOrString, Quantity
            return tuple(t for s in schema["oneOf"] for t in types_of(s))
        return ()
    if isinstance(raw, str):
        return (raw,)
    return tuple(t for t in raw if t != "null")


def property_schema(schema: Schema, name: str) -> Schema | None:
    """The schema of one property of an object schema (``$ref`` resolved)."""
    prop = resolve_ref(schema).get("properties", {}).get(name)
    return None if prop is None else prop


def items_schema(schema: Schema) -> Schema | None:
    """The schema of an array's items (``$ref`` resolved)."""
    items = resolve_ref(schema).get("items")
    return None if items is None else resolve_ref(items)
