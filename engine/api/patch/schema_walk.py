"""Type information for patches, compiled once from upstream's OpenAPI definitions.

Strategic merge patch needs each field's ``x-kubernetes-patch-strategy`` and
``x-kubernetes-patch-merge-key`` (upstream reads the same tags from Go structs in
k8s.io/apimachinery/pkg/util/strategicpatch/meta.go). Server-side apply needs the
structured-merge-diff type of every value: map (granular or atomic), list
(atomic, set or map keyed by ``x-kubernetes-list-map-keys``) or scalar, as
k8s.io/kube-openapi/pkg/schemaconv derives it. Both come from one compiled
:class:`TypeNode` tree, built lazily and cached per schema object, so each
lookup on the hot path is a dict access.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from engine.api import schema

MAP, LIST, SCALAR, DEDUCED = "map", "list", "scalar", "deduced"

# kubernetes-validate strips ``default`` from the definitions, but upstream's
# OpenAPI keeps it for these list-map keys (``+default="TCP"``) and
# structured-merge-diff uses it to key list items that omit the field.
_KEY_DEFAULTS: dict[tuple[str, str], Any] = {
    ("io.k8s.api.core.v1.ContainerPort", "protocol"): "TCP",
    ("io.k8s.api.core.v1.ServicePort", "protocol"): "TCP",
}


@dataclass(eq=False)
class TypeNode:
    """One structured-merge-diff atom: a map, a list, a scalar, or deduced from the value."""

    kind: str
    name: str = ""
    atomic: bool = False
    scalar: str = ""  # "string", "numeric", "boolean" or "" (any scalar)
    keys: tuple[str, ...] = ()  # list-map keys of an associative list
    is_set: bool = False  # associative list of scalars (x-kubernetes-list-type: set)
    key_defaults: dict[str, Any] = field(default_factory=dict, repr=False)
    props: dict[str, Any] = field(default_factory=dict, repr=False)
    extra: Any = field(default=None, repr=False)  # additionalProperties or items schema
    _fields: dict[str, FieldInfo] = field(default_factory=dict, repr=False)
    _elem: TypeNode | None = field(default=None, repr=False)

    @property
    def associative(self) -> bool:
        return self.kind == LIST and not self.atomic

    def child(self, key: str) -> FieldInfo:
        """What a map key holds; undeclared keys are deduced from their value."""
        info = self._fields.get(key)
        if info is None:
            info = self._fields[key] = self._lookup(key)
        return info

    def _lookup(self, key: str) -> FieldInfo:
        prop = self.props.get(key)
        if prop is not None:
            strategy = prop.get("x-kubernetes-patch-strategy", "")
            strategies = tuple(s for s in strategy.split(",") if s)
            return FieldInfo(compile_schema(prop), strategies,
                             prop.get("x-kubernetes-patch-merge-key", ""), True)
        if self.kind == MAP and self.extra is not None:
            return FieldInfo(compile_schema(self.extra), (), "", False)
        return UNDECLARED

    @property
    def elem(self) -> TypeNode:
        """The type of a list's items or of a map's values."""
        if self._elem is None:
            self._elem = compile_schema(self.extra) if self.extra is not None else DEDUCED_NODE
        return self._elem


@dataclass(frozen=True)
class FieldInfo:
    """A map key's type plus its strategic-merge-patch tags."""

    node: TypeNode
    strategies: tuple[str, ...] = ()
    merge_key: str = ""
    declared: bool = False

    @property
    def strategy(self) -> str:
        """The strategy other than retainKeys (``extractRetainKeysPatchStrategy``)."""
        for s in self.strategies:
            if s != "retainKeys":
                return s
        return ""

    @property
    def retain_keys(self) -> bool:
        return "retainKeys" in self.strategies


DEDUCED_NODE = TypeNode(DEDUCED, "deduced")
UNDECLARED = FieldInfo(DEDUCED_NODE)
# What structured-merge-diff's "deduced" type becomes once a value is seen.
DEDUCED_MAP = TypeNode(MAP, "deduced")
ATOMIC_LIST = TypeNode(LIST, "deduced", atomic=True)
ANY_SCALAR = TypeNode(SCALAR, "deduced")
LEAF = TypeNode(SCALAR, "mismatch")  # a value whose type contradicts the schema

_NODES: dict[int, TypeNode] = {}


@functools.cache
def root_node(definition: str | None) -> TypeNode:
    """The compiled type of a kind; unknown kinds (CRDs) are deduced from values."""
    if definition is None or definition not in schema.definitions():
        return DEDUCED_NODE
    return compile_schema(schema.definitions()[definition])


def compile_schema(s: dict[str, Any]) -> TypeNode:
    """The node for a schema object, cached by identity (definitions live forever)."""
    node = _NODES.get(id(s))
    if node is None:
        node = _NODES[id(s)] = _compile(s)
    return node


def _compile(s: dict[str, Any]) -> TypeNode:
    ref = schema.ref_name(s)
    if ref is not None:
        target = schema.definitions().get(ref)
        if target is None:
            return DEDUCED_NODE
        base = compile_schema(target)
        map_type = s.get("x-kubernetes-map-type")
        if map_type is None or base.kind != MAP:
            return base
        return TypeNode(MAP, ref, map_type == "atomic", props=base.props, extra=base.extra)
    if "oneOf" in s:  # IntOrString, Quantity
        return TypeNode(SCALAR, "scalar")
    if "properties" in s or "additionalProperties" in s:
        return TypeNode(MAP, _definition_names().get(id(s), "map"),
                        s.get("x-kubernetes-map-type") == "atomic",
                        props=s.get("properties", {}), extra=s.get("additionalProperties"))
    types = schema.types_of(s)
    if "array" in types:
        return _compile_list(s)
    if "object" in types:
        return DEDUCED_NODE  # FieldsV1, RawExtension: no declared structure
    for json_type, scalar in (("string", "string"), ("integer", "numeric"),
                              ("number", "numeric"), ("boolean", "boolean")):
        if json_type in types:
            return TypeNode(SCALAR, json_type, scalar=scalar)
    return DEDUCED_NODE


def _compile_list(s: dict[str, Any]) -> TypeNode:
    """List semantics as kube-openapi's schemaconv reads them, patch tags as a fallback."""
    items = s.get("items") or {}
    list_type = s.get("x-kubernetes-list-type")
    merge_key = s.get("x-kubernetes-patch-merge-key")
    if list_type is None and "merge" in s.get("x-kubernetes-patch-strategy", "").split(","):
        list_type = "map" if merge_key else "set"
    keys: tuple[str, ...] = ()
    if list_type == "map":
        keys = tuple(s.get("x-kubernetes-list-map-keys") or ([merge_key] if merge_key else []))
    if list_type == "set" or keys:
        item_def = schema.ref_name(items) or ""
        defaults = {k: _KEY_DEFAULTS[(item_def, k)] for k in keys if (item_def, k) in _KEY_DEFAULTS}
        return TypeNode(LIST, "list", keys=keys, is_set=not keys, key_defaults=defaults,
                        extra=items)
    return TypeNode(LIST, "list", atomic=True, extra=items)


@functools.cache
def _definition_names() -> dict[int, str]:
    return {id(v): k for k, v in schema.definitions().items()}


def for_value(node: TypeNode, value: Any) -> TypeNode:
    """The node to walk ``value`` with (structured-merge-diff's ``deduceAtom``).

    Deduced types become a granular map, an atomic list or a scalar; a value
    that contradicts its schema is treated as an opaque leaf, so ownership
    tracking never fails on an object the store already holds.
    """
    kind = node.kind
    if kind == DEDUCED:
        if isinstance(value, dict):
            return DEDUCED_MAP
        return ATOMIC_LIST if isinstance(value, list) else ANY_SCALAR
    if value is None:
        return node
    if kind == MAP:
        return node if isinstance(value, dict) else LEAF
    if kind == LIST:
        return node if isinstance(value, list) else LEAF
    return LEAF if isinstance(value, dict | list) else node
