"""Structural checks of a request body against upstream's OpenAPI definitions.

This is what kube-apiserver's JSON decoder decides before any validation code
runs (k8s.io/apimachinery ``runtime/serializer/json`` over ``sigs.k8s.io/json``,
a fork of Go's ``encoding/json``):

- a value of the wrong JSON type fails decoding with Go's ``UnmarshalTypeError``
  text: ``json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas
  of type int32`` (the struct is the innermost Go type holding the field, the path the
  JSON field names from the root without indices or map keys). Go keeps the first such
  error and goes on; an error from a type's own ``UnmarshalJSON`` (Quantity, IntOrString,
  Time, base64 ``[]byte``) stops decoding at once and wins;
- fields the type does not know are dropped, or listed by strict decoding as
  ``unknown field "spec.template.spec.containers[0].foo"`` (with indices).

Each definition is compiled once into a small tree of :class:`_Node` s so a Pod is
checked in well under 200 µs.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import orjson

from engine.api import errors, schema
from engine.api.errors import FieldError
from engine.api.memo import LRU, MAX_KEY_BYTES
from engine.api.validation.quantity import QuantityError, parse_quantity

_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
_MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"

# Node kinds.
STRUCT, MAP, ARRAY, STRING, INT, FLOAT, BOOL, QUANTITY, INT_OR_STRING, TIME, BYTES, ANY = range(12)

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1),
               "int": (-(2**63), 2**63 - 1)}

# Named Go types the OpenAPI document does not name (the `of type X` in messages).
_NAMED: dict[tuple[str, str], str] = {
    ("PodSpec", "restartPolicy"): "v1.RestartPolicy",
    ("PodSpec", "dnsPolicy"): "v1.DNSPolicy",
    ("PodSpec", "preemptionPolicy"): "v1.PreemptionPolicy",
    ("PodSpec", "overhead"): "v1.ResourceList",
    ("Container", "imagePullPolicy"): "v1.PullPolicy",
    ("Container", "terminationMessagePolicy"): "v1.TerminationMessagePolicy",
    ("Container", "restartPolicy"): "v1.ContainerRestartPolicy",
    ("ContainerPort", "protocol"): "v1.Protocol",
    ("ServicePort", "protocol"): "v1.Protocol",
    ("EndpointPort", "protocol"): "v1.Protocol",
    ("ResourceRequirements", "limits"): "v1.ResourceList",
    ("ResourceRequirements", "requests"): "v1.ResourceList",
    ("ServiceSpec", "type"): "v1.ServiceType",
    ("ServiceSpec", "sessionAffinity"): "v1.ServiceAffinity",
    ("ServiceSpec", "externalTrafficPolicy"): "v1.ServiceExternalTrafficPolicy",
    ("ServiceSpec", "internalTrafficPolicy"): "v1.ServiceInternalTrafficPolicy",
    ("ServiceSpec", "ipFamilyPolicy"): "v1.IPFamilyPolicy",
    ("ServiceSpec", "ipFamilies"): "[]v1.IPFamily",
    ("Secret", "type"): "v1.SecretType",
    ("Toleration", "operator"): "v1.TolerationOperator",
    ("Toleration", "effect"): "v1.TaintEffect",
    ("Taint", "effect"): "v1.TaintEffect",
    ("NodeSelectorRequirement", "operator"): "v1.NodeSelectorOperator",
    ("ObjectMeta", "uid"): "types.UID",
    ("OwnerReference", "uid"): "types.UID",
    ("DeploymentStrategy", "type"): "v1.DeploymentStrategyType",
    ("DaemonSetUpdateStrategy", "type"): "v1.DaemonSetUpdateStrategyType",
    ("StatefulSetUpdateStrategy", "type"): "v1.StatefulSetUpdateStrategyType",
    ("StatefulSetSpec", "podManagementPolicy"): "v1.PodManagementPolicyType",
    ("PersistentVolumeClaimSpec", "accessModes"): "[]v1.PersistentVolumeAccessMode",
    ("PersistentVolumeClaimSpec", "volumeMode"): "v1.PersistentVolumeMode",
    ("PersistentVolumeSpec", "accessModes"): "[]v1.PersistentVolumeAccessMode",
    ("PersistentVolumeSpec", "capacity"): "v1.ResourceList",
    ("CronJobSpec", "concurrencyPolicy"): "v1.ConcurrencyPolicy",
    ("JobSpec", "completionMode"): "v1.CompletionMode",
    ("PodStatus", "phase"): "v1.PodPhase",
    ("NamespaceStatus", "phase"): "v1.NamespacePhase",
    ("NamespaceSpec", "finalizers"): "[]v1.FinalizerName",
    ("LimitRangeItem", "type"): "v1.LimitType",
    ("LimitRangeItem", "max"): "v1.ResourceList",
    ("LimitRangeItem", "min"): "v1.ResourceList",
    ("LimitRangeItem", "default"): "v1.ResourceList",
    ("LimitRangeItem", "defaultRequest"): "v1.ResourceList",
    ("LimitRangeItem", "maxLimitRequestRatio"): "v1.ResourceList",
    ("ResourceQuotaSpec", "hard"): "v1.ResourceList",
    ("ResourceQuotaSpec", "scopes"): "[]v1.ResourceQuotaScope",
    ("NodeStatus", "capacity"): "v1.ResourceList",
    ("NodeStatus", "allocatable"): "v1.ResourceList",
}


class DecodeError(str):
    """A decoding failure: the message (a ``str``) plus where it happened.

    ``path`` is the field path (``spec.replicas``), ``value`` the offending value.
    """

    path: str
    value: Any

    def __new__(cls, message: str, path: str = "", value: Any = None) -> DecodeError:
        obj = super().__new__(cls, message)
        obj.path = path
        obj.value = value
        return obj

    def field_error(self) -> FieldError:
        return errors.type_invalid(self.path, self.value, str(self))


class _Node:
    """One compiled schema position."""

    __slots__ = ("kind", "go_type", "struct_name", "definition", "child", "_props", "int_range",
                 "loose", "costly", "flat")

    def __init__(self, kind: int, go_type: str, *, definition: str = "",
                 child: _Node | None = None, int_range: tuple[int, int] | None = None) -> None:
        self.kind = kind
        self.go_type = go_type
        self.definition = definition
        self.struct_name = definition.rsplit(".", 1)[-1] if definition else ""
        self.child = child
        self._props: dict[str, _Node] | None = None
        self.int_range = int_range
        self.loose: bool | None = None  # see _loose()
        self.costly: bool | None = None  # see _costly()
        self.flat: bool | None = None  # see _flat()

    @property
    def props(self) -> dict[str, _Node]:
        """A struct's fields, compiled on first use (definitions may recurse)."""
        if self._props is None:
            self._props = _compile_props(self.definition)
        return self._props


def _go_type_of_definition(name: str) -> str:
    parts = name.split(".")
    return f"{parts[-2]}.{parts[-1]}" if len(parts) >= 2 else name


@functools.cache
def _definition_node(name: str) -> _Node:
    """The node for a named definition."""
    if name == _QUANTITY:
        return _Node(QUANTITY, "resource.Quantity")
    if name == _INT_OR_STRING:
        return _Node(INT_OR_STRING, "intstr.IntOrString")
    if name in (_TIME, _MICRO_TIME):
        return _Node(TIME, _go_type_of_definition(name))
    sch = schema.definitions().get(name, {})
    if "properties" in sch:
        return _Node(STRUCT, _go_type_of_definition(name), definition=name)
    node = _inline_node(sch, "", "")
    if node.kind == ANY and "additionalProperties" not in sch:
        return node
    return node


def _inline_node(sch: dict[str, Any], owner: str, prop: str) -> _Node:
    """The node for an inline (or ``$ref``) property schema."""
    named = _NAMED.get((owner, prop))
    ref = schema.ref_name(sch)
    if ref is not None:
        node = _definition_node(ref)
        if named and node.kind != STRUCT:
            node = _clone(node, named)
        return node
    types = schema.types_of(sch)
    if sch.get("x-kubernetes-preserve-unknown-fields") or sch.get("x-kubernetes-int-or-string"):
        return _Node(ANY, "interface {}")
    if not types:
        return _Node(ANY, "interface {}")
    kind = types[0]
    if kind == "string":
        if sch.get("format") == "byte":
            return _Node(BYTES, "[]uint8")
        return _Node(STRING, named or "string")
    if kind == "integer":
        fmt = sch.get("format", "int")
        return _Node(INT, named or fmt, int_range=_INT_RANGES.get(fmt, _INT_RANGES["int64"]))
    if kind == "number":
        return _Node(FLOAT, "float64")
    if kind == "boolean":
        return _Node(BOOL, "bool")
    if kind == "array":
        items = sch.get("items")
        item = _inline_node(items, "", "") if isinstance(items, dict) else _Node(ANY, "")
        return _Node(ARRAY, named or f"[]{item.go_type}", child=item)
    if kind == "object":
        extra = sch.get("additionalProperties")
        if isinstance(extra, dict):
            value = _inline_node(extra, "", "")
            return _Node(MAP, named or f"map[string]{value.go_type}", child=value)
        return _Node(ANY, "map[string]interface {}")
    return _Node(ANY, "interface {}")


def _clone(node: _Node, go_type: str) -> _Node:
    out = _Node(node.kind, go_type, definition=node.definition, child=node.child,
                int_range=node.int_range)
    return out


def _compile_props(definition: str) -> dict[str, _Node]:
    sch = schema.definitions().get(definition, {})
    owner = definition.rsplit(".", 1)[-1]
    return {name: _inline_node(prop, owner, name)
            for name, prop in sch.get("properties", {}).items()}


# -- value checks ----------------------------------------------------------------------


def _json_kind(value: Any) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null"


def _number_text(value: int | float) -> str:
    if isinstance(value, float):
        text = repr(value)
        return text.replace("e+", "e")
    return str(value)


_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_GO_RFC3339 = "2006-01-02T15:04:05Z07:00"


def _time_error(text: str) -> str | None:
    """``time.Parse(time.RFC3339, text)``'s error, or None when it parses."""
    match = _RFC3339.fullmatch(text)
    if match:
        month, day = int(match.group(2)), int(match.group(3))
        hour, minute, sec = int(match.group(4)), int(match.group(5)), int(match.group(6))
        if not 1 <= month <= 12:
            return f'parsing time "{text}": month out of range'
        if not 1 <= day <= 31:
            return f'parsing time "{text}": day out of range'
        if hour > 23 or minute > 59 or sec > 59:
            return f'parsing time "{text}": hour out of range' if hour > 23 else (
                f'parsing time "{text}": minute out of range' if minute > 59 else
                f'parsing time "{text}": second out of range')
        return None
    # Which layout element failed (a close approximation of Go's report).
    layout_parts = [("2006", r"\d{4}"), ("-", "-"), ("01", r"\d{2}"), ("-", "-"), ("02", r"\d{2}"),
                    ("T", "[Tt]"), ("15", r"\d{2}"), (":", ":"), ("04", r"\d{2}"), (":", ":"),
                    ("05", r"\d{2}"), ("Z07:00", r"(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")]
    pos = 0
    for i, (elem, rx) in enumerate(layout_parts):
        m = re.compile(rx).match(text, pos)
        if m is None:
            rest_layout = "".join(e for e, _ in layout_parts[i:])
            return (f'parsing time "{text}" as "{_GO_RFC3339}": cannot parse '
                    f'"{text[pos:]}" as "{elem if elem not in "-:T" else rest_layout[:1]}"')
        pos = m.end()
    return f'parsing time "{text}": extra text: "{text[pos:]}"'


_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _base64_error(text: str) -> int | None:
    """The offset ``base64.StdEncoding.Decode`` reports as corrupt, or None if valid."""
    si, n = 0, len(text)
    while True:
        j = 0
        while j < 4:
            if si == n:
                if j == 0:
                    return None
                return si - j
            c = text[si]
            si += 1
            if c in _B64:
                j += 1
                continue
            if c in "\r\n":
                continue
            if c != "=":
                return si - 1
            # Padding.
            if j in (0, 1):
                return si - 1
            if j == 2:
                while si < n and text[si] in "\r\n":
                    si += 1
                if si == n:
                    return n
                if text[si] != "=":
                    return si - 1
                si += 1
            while si < n and text[si] in "\r\n":
                si += 1
            if si < n:
                return si
            return None


class _Abort(Exception):
    """An error from a type's UnmarshalJSON: decoding stops here."""

    def __init__(self, error: DecodeError) -> None:
        self.error = error


class _Walker:
    __slots__ = ("saved", "unknown", "collect_unknown")

    def __init__(self, collect_unknown: bool) -> None:
        self.saved: DecodeError | None = None
        self.unknown: list[str] = []
        self.collect_unknown = collect_unknown

    def type_error(self, value: Any, kind: str, go_type: str, struct: str, gopath: str,
                   path: str, hard: bool = False) -> None:
        if struct:
            msg = (f"json: cannot unmarshal {kind} into Go struct field {struct}.{gopath} "
                   f"of type {go_type}")
        else:
            msg = f"json: cannot unmarshal {kind} into Go value of type {go_type}"
        err = DecodeError(msg, path, value)
        if hard:
            raise _Abort(err)
        if self.saved is None:
            self.saved = err

    def walk_struct(self, obj: dict[str, Any], node: _Node, gopath: str, path: str) -> None:
        props = node.props
        struct = node.struct_name
        for name, value in obj.items():
            sub = props.get(name)
            sub_path = f"{path}.{name}" if path else name
            if sub is None:
                if self.collect_unknown:
                    self.unknown.append(sub_path)
                continue
            if value is None:
                continue
            sub_gopath = f"{gopath}.{name}" if gopath else name
            self.walk(value, sub, struct, sub_gopath, sub_path)

    def walk(self, value: Any, node: _Node, struct: str, gopath: str, path: str) -> None:
        kind = node.kind
        if kind == STRING:
            if not isinstance(value, str):
                self.type_error(value, _json_kind(value), node.go_type, struct, gopath, path)
        elif kind == STRUCT:
            if isinstance(value, dict):
                self.walk_struct(value, node, gopath, path)
            else:
                self.type_error(value, _json_kind(value), node.go_type, struct, gopath, path)
        elif kind == ARRAY:
            if isinstance(value, list):
                item = node.child
                assert item is not None
                for i, v in enumerate(value):
                    if v is not None:
                        self.walk(v, item, struct, gopath, f"{path}[{i}]")
            else:
                self.type_error(value, _json_kind(value), node.go_type, struct, gopath, path)
        elif kind == MAP:
            if isinstance(value, dict):
                item = node.child
                assert item is not None
                if item.kind == STRING:
                    for k, v in value.items():
                        if v is not None and not isinstance(v, str):
                            self.type_error(v, _json_kind(v), item.go_type, struct, gopath,
                                            f"{path}[{k}]")
                else:
                    for k, v in value.items():
                        if v is not None:
                            self.walk(v, item, struct, gopath, f"{path}[{k}]")
            else:
                self.type_error(value, _json_kind(value), node.go_type, struct, gopath, path)
        elif kind == INT:
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.type_error(value, _json_kind(value), node.go_type, struct, gopath, path)
            else:
                lo, hi = node.int_range or _INT_RANGES["int64"]
                if isinstance(value, float) or not lo <= value <= hi:
                    self.type_error(value, "number " + _number_text(value), node.go_type,
                                    struct, gopath, path)
        elif kind == BOOL:
            if not isinstance(value, bool):
                self.type_error(value, _json_kind(value), node.go_type, struct, gopath, path)
        elif kind == QUANTITY:
            self.check_quantity(value, path)
        elif kind == INT_OR_STRING:
            if isinstance(value, str):
                return
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.type_error(value, _json_kind(value), "int32", struct, gopath, path,
                                hard=True)
            elif isinstance(value, float) or not -(2**31) <= value < 2**31:
                self.type_error(value, "number " + _number_text(value), "int32", struct, gopath,
                                path, hard=True)
        elif kind == FLOAT:
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.type_error(value, _json_kind(value), node.go_type, struct, gopath, path)
        elif kind == TIME:
            if not isinstance(value, str):
                self.type_error(value, _json_kind(value), "string", struct, gopath, path,
                                hard=True)
            else:
                err = _time_error(value)
                if err is not None:
                    raise _Abort(DecodeError(err, path, value))
        elif kind == BYTES:
            if not isinstance(value, str):
                self.type_error(value, _json_kind(value), node.go_type, struct, gopath, path)
            else:
                offset = _base64_error(value)
                if offset is not None and self.saved is None:
                    self.saved = DecodeError(f"illegal base64 data at input byte {offset}", path,
                                             value)

    @staticmethod
    def check_quantity(value: Any, path: str) -> None:
        if isinstance(value, str):
            text = value.strip()
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                text = "x"
            else:
                text = _number_text(value)
        else:
            text = "{"  # an object or array never parses
        try:
            parse_quantity(text)
        except QuantityError as err:
            raise _Abort(DecodeError(str(err), path, value)) from None


# -- the fast path: is a value clean? ---------------------------------------------------
#
# Almost every request decodes without a type error or an unknown field. These
# functions answer exactly "would the walker above record nothing?" without
# building any path; only when the answer is no does the walker run, to report
# as it always has.

_INT32 = (-(2**31), 2**31 - 1)


def _clean_struct(obj: dict[str, Any], node: _Node) -> bool:
    props = node.props
    for name, value in obj.items():
        sub = props.get(name)
        if sub is None:
            return False  # an unknown field
        if value is None:
            continue
        kind = sub.kind
        if kind == STRING:
            if not isinstance(value, str):
                return False
        elif kind == STRUCT:
            if not (isinstance(value, dict) and _clean_struct(value, sub)):
                return False
        elif kind == BOOL:  # the common scalars of a status, inline: _clean's answers
            if value is not True and value is not False:
                return False
        elif kind == TIME:
            if not (isinstance(value, str) and _time_ok(value)):
                return False
        elif kind == INT and type(value) is int:
            lo, hi = sub.int_range or _INT64
            if not lo <= value <= hi:
                return False
        elif not _clean(value, sub):
            return False
    return True


_INT64 = _INT_RANGES["int64"]


def _clean(value: Any, node: _Node) -> bool:
    kind = node.kind
    if kind == STRING:
        return isinstance(value, str)
    if kind == STRUCT:
        return isinstance(value, dict) and _clean_struct(value, node)
    if kind == ARRAY:
        if not isinstance(value, list):
            return False
        item = node.child
        assert item is not None
        if item.kind == STRING:
            return all(v is None or isinstance(v, str) for v in value)
        if item.kind == STRUCT:  # _clean of each item, without a call per item
            return all(v is None or (isinstance(v, dict) and _clean_struct(v, item))
                       for v in value)
        return all(v is None or _clean(v, item) for v in value)
    if kind == MAP:
        if not isinstance(value, dict):
            return False
        item = node.child
        assert item is not None
        if item.kind == STRING:
            return all(v is None or isinstance(v, str) for v in value.values())
        return all(v is None or _clean(v, item) for v in value.values())
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            return False  # floats fail too, whatever their value
        lo, hi = node.int_range or _INT_RANGES["int64"]
        return lo <= value <= hi
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == TIME:
        return isinstance(value, str) and _time_ok(value)
    if kind == QUANTITY:
        return _quantity_ok(value)
    if kind == INT_OR_STRING:
        if isinstance(value, str):
            return True
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return _INT32[0] <= value <= _INT32[1]
    if kind == FLOAT:
        return not isinstance(value, bool) and isinstance(value, int | float)
    if kind == BYTES:
        return isinstance(value, str) and _base64_error(value) is None
    return True  # ANY


# Top-level subtrees (a pod's spec, a deployment's template) found clean, by
# (node, JSON bytes): every pod of a template sends the same spec, and a
# value's cleanliness depends on nothing else. Of the metadata only the
# managed fields are remembered (each write of an object sends them again;
# names and uids differ per object, so the rest would only fill the table).
_CLEAN_SUBTREES = LRU(1024)
# Smaller subtrees of strings (an event's involvedObject and source) are walked
# faster than looked up, and are mostly unique: remembering them would only push
# the templates out of the table. Quantities and times cost a parse each, so
# subtrees that may hold them (a pod spec, however small) are remembered.
_MIN_KEY_BYTES = 256
_COSTLY_KINDS = frozenset({QUANTITY, TIME, BYTES, INT_OR_STRING})


def _costly(node: _Node) -> bool:
    """Whether a value that takes a parse to check may occur below ``node``."""
    costly = node.costly
    return _may_hold(node, _COSTLY_KINDS, "costly") if costly is None else costly


def _may_hold(node: _Node, kinds: frozenset[str], memo: str) -> bool:
    """Whether a value of one of ``kinds`` may occur at or below ``node``,
    remembered on each node under the attribute ``memo``."""
    known = getattr(node, memo)
    if known is not None:
        return known
    setattr(node, memo, True)  # while it is worked out: a recursive definition stays safe
    kind = node.kind
    if kind == STRUCT:
        found = any(_may_hold(sub, kinds, memo) for sub in node.props.values())
    elif kind in (ARRAY, MAP):
        found = node.child is None or _may_hold(node.child, kinds, memo)
    else:
        found = kind in kinds
    setattr(node, memo, found)
    return found


def _clean_top(obj: dict[str, Any], node: _Node) -> bool:
    """:func:`_clean_struct` for a whole object, remembering clean subtrees."""
    props = node.props
    for name, value in obj.items():
        sub = props.get(name)
        if sub is None:
            return False
        if value is None:
            continue
        kind = sub.kind
        if kind == STRING:  # most of an event's fields
            if not isinstance(value, str):
                return False
        elif name == "metadata" and type(value) is dict and kind == STRUCT:
            if not _clean_meta(value, sub):
                return False
        elif kind != STRUCT or type(value) is not dict:
            if not _clean(value, sub):
                return False
        elif not _clean_remembered(value, sub):
            return False
    return True


def _clean_meta(meta: dict[str, Any], node: _Node) -> bool:
    """:func:`_clean_struct` of ObjectMeta, its managed fields remembered."""
    managed = meta.get("managedFields")
    if type(managed) is not list or not managed:
        return _clean_struct(meta, node)
    sub = node.props.get("managedFields")
    if sub is None:
        return False
    rest = {k: v for k, v in meta.items() if k != "managedFields"}
    return _clean_struct(rest, node) and _clean_remembered(managed, sub)


def _flat(node: _Node) -> bool:
    """Whether ``node`` is a struct of scalar fields: its walk is a type test
    per field, cheaper than encoding it to look it up."""
    flat = node.flat
    if flat is None:
        flat = node.flat = node.kind == STRUCT and all(
            sub.kind not in _CONTAINER_KINDS for sub in node.props.values())
    return flat


_CONTAINER_KINDS = frozenset({STRUCT, MAP, ARRAY, ANY})


def _clean_remembered(value: Any, node: _Node) -> bool:
    """:func:`_clean` of a container, remembered by its JSON bytes when clean
    (but for a struct of plain scalars, cheaper to walk: an event's
    involvedObject and source)."""
    if _flat(node) and not _costly(node):
        return _clean(value, node)
    try:
        encoded = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        encoded = b"null"
    if len(encoded) > MAX_KEY_BYTES or (len(encoded) < _MIN_KEY_BYTES and not _costly(node)):
        return _clean(value, node)
    key = (node, encoded)
    if _CLEAN_SUBTREES.get(key) is not None:
        return True  # no key holds null: these bytes do not either
    if b"null" in encoded:  # NaN encodes as null too: not remembered
        return _clean(value, node)
    if not _clean(value, node):
        return False
    _CLEAN_SUBTREES.put(key, True)
    return True


# -- updates: what equals the stored object is clean ------------------------------------
#
# The object an update replaces was stored, so it decoded clean (unknown fields
# pruned or rejected, every value of its field's type). A subtree of the new
# object that is the same JSON as old's is therefore clean too. Python's ``==``
# says so exactly where every value is a string, null or a container (equal
# strings are the same string; None equals only None, NaN nothing but itself),
# but not at a number or bool field: ``1 == 1.0 == True``, where the decoder
# accepts only the int for an int32 field. Under such ("loose") schema nodes
# equal ``orjson`` bytes pin every value's JSON type instead; only ``null`` is
# ambiguous there (None and NaN both encode so), and ``==`` decides; unless the
# new object holds no NaN (a decoded request's copy never does): then a null is
# None, which is clean wherever it occurs.

_LOOSE_KINDS = frozenset({INT, BOOL, FLOAT, QUANTITY, INT_OR_STRING})


def _loose(node: _Node) -> bool:
    """Whether a number or bool may occur below ``node`` (``==`` is not exact there)."""
    loose = node.loose
    return _may_hold(node, _LOOSE_KINDS, "loose") if loose is None else loose


def _identical(value: Any, old: Any, nan_free: bool = False) -> bool:
    """Whether ``value`` is the same JSON value as ``old``, type for type, or
    (``nan_free``: ``value`` holds no NaN) as clean as ``old``."""
    if value is old:
        return True
    try:
        encoded = orjson.dumps(value)
        if encoded != orjson.dumps(old):
            return False
    except (TypeError, orjson.JSONEncodeError):
        return False
    return nan_free or b"null" not in encoded or value == old


def _same(value: Any, old: Any, node: _Node, nan_free: bool = False) -> bool:
    """Whether ``value`` under ``node`` is the same JSON as ``old`` (so as clean)."""
    if value is old:
        return True
    if _loose(node):
        return _identical(value, old, nan_free)
    try:
        return bool(value == old)
    except RecursionError:
        return False


def _clean_top_against(obj: dict[str, Any], old: dict[str, Any], node: _Node,
                       nan_free: bool = False) -> bool:
    """:func:`_clean_top` of an update's object: parts the same as old's are clean.

    A part that is old's own object (an update's unchanged spec or status,
    shared with the stored object's decoding) is clean at once. A top-level
    part that changed is compared field by field (an update changes a label,
    a status update a few conditions, not the whole pod); one old lacks is
    checked as on a create."""
    props = node._props or node.props  # the slot: no property call once compiled
    old_get = old.get
    for name, value in obj.items():
        prev = old_get(name)
        if value is prev and value is not None:
            continue  # old's own value: a field old has, clean as old is
        sub = props.get(name)
        if sub is None:
            return False
        if value is None:
            continue
        kind = sub.kind
        if kind == STRING:  # apiVersion, kind
            if not isinstance(value, str):
                return False
        elif kind != STRUCT or type(value) is not dict:
            if not _clean(value, sub):
                return False
        elif type(prev) is dict:
            # Metadata always differs a little (resourceVersion, managed fields).
            if not ((name != "metadata" and _same(value, prev, sub, nan_free))
                    or _clean_fields_against(value, prev, sub, nan_free)):
                return False
        elif name == "metadata":
            if not _clean_meta(value, sub):
                return False
        elif not _clean_remembered(value, sub):
            return False
    return True


def _clean_fields_against(obj: dict[str, Any], old: dict[str, Any], node: _Node,
                          nan_free: bool = False) -> bool:
    """:func:`_clean_struct` of ``obj``, a field the same as ``old``'s taken as clean.

    Scalars are checked (cheaper than comparing), and so are maps of strings
    (labels, annotations: each value's type); other containers are compared
    and walked when they differ."""
    props = node._props or node.props  # the slot: no property call once compiled
    old_get = old.get
    for name, value in obj.items():
        sub = props.get(name)
        if sub is None:
            return False  # an unknown field
        if value is None:
            continue
        kind = sub.kind
        if kind == STRING:
            if not isinstance(value, str):
                return False
        elif kind == MAP and type(value) is dict and sub.child.kind == STRING:  # type: ignore[union-attr]
            for item in value.values():  # _clean's answer, inline
                if item is not None and not isinstance(item, str):
                    return False
        elif kind in _WALKED_KINDS:
            prev = old_get(name)
            if not ((prev is not None and _same(value, prev, sub, nan_free))
                    or _clean(value, sub)):
                return False
        elif kind == TIME:  # creationTimestamp: _clean's answer, inline
            if not (isinstance(value, str) and _time_ok(value)):
                return False
        elif not _clean(value, sub):
            return False
    return True


_WALKED_KINDS = frozenset({STRUCT, ARRAY, MAP})


@functools.lru_cache(maxsize=4096)
def _time_ok(text: str) -> bool:
    return _time_error(text) is None


def _quantity_ok(value: Any) -> bool:
    try:
        _Walker.check_quantity(value, "")
    except _Abort:
        return False
    return True


def validate_schema(obj: dict[str, Any], definition: str, *, strict: bool = False,
                    old: Any = None,
                    nan_free: bool = False) -> tuple[list[DecodeError], list[str]]:
    """Decode-time checks of ``obj`` against the named definition.

    Returns ``(type_errors, unknown_field_paths)``: at most one type error (the one
    Go's decoder returns: the first saved mismatch, or the error that aborted
    decoding), each a ``str`` with ``path``/``value`` attributes (``.field_error()``
    gives a :class:`FieldError`); and every unknown field's path, in document order,
    for the caller to warn about (``unknown field "<path>"``), reject under strict
    field validation, and prune. ``strict`` is accepted for symmetry with the
    decoder's modes; the result is the same either way.

    ``old``: for an update, the stored object being replaced. It was decoded
    clean when it was written, so a subtree of ``obj`` identical to old's (same
    JSON values of the same types) is clean without being walked, and checking
    costs what changed. The result is exactly that of a call without ``old``.
    ``nan_free``: ``obj`` holds no NaN (it was decoded from JSON), so a null
    in its bytes is None: same bytes as old's are then clean without ``==``.
    """
    node = _definition_node(definition)
    if node.kind == STRUCT and isinstance(obj, dict):
        clean = (_clean_top_against(obj, old, node, nan_free) if type(old) is dict
                 else _clean_top(obj, node))
    else:
        clean = _clean(obj, node)
    if clean:
        return [], []
    walker = _Walker(collect_unknown=True)
    try:
        if node.kind == STRUCT and isinstance(obj, dict):
            walker.walk_struct(obj, node, "", "")
        else:
            walker.walk(obj, node, "", "", "")
    except _Abort as abort:
        return [abort.error], walker.unknown
    return ([walker.saved] if walker.saved is not None else []), walker.unknown


def schema_field_errors(obj: dict[str, Any], definition: str) -> list[FieldError]:
    """The decode errors of :func:`validate_schema` as ``FieldValueTypeInvalid`` errors."""
    type_errors, _ = validate_schema(obj, definition)
    return [e.field_error() for e in type_errors]


def prune_unknown_fields(obj: Any, definition: str) -> None:
    """Drop, in place, every field the definition does not know (non-strict decoding)."""
    node = _definition_node(definition)
    if node.kind == STRUCT and isinstance(obj, dict):
        _prune_struct(obj, node)


def _prune_struct(obj: dict[str, Any], node: _Node) -> None:
    props = node.props
    for name in [k for k in obj if k not in props]:
        del obj[name]
    for name, value in obj.items():
        if value is not None:
            _prune(value, props[name])


def _prune(value: Any, node: _Node) -> None:
    kind = node.kind
    if kind == STRUCT:
        if isinstance(value, dict):
            _prune_struct(value, node)
    elif kind == ARRAY:
        if isinstance(value, list) and node.child is not None and node.child.kind in (
                STRUCT, ARRAY, MAP):
            for v in value:
                _prune(v, node.child)
    elif kind == MAP and isinstance(value, dict) and node.child is not None and (
            node.child.kind in (STRUCT, ARRAY, MAP)):
        for v in value.values():
            _prune(v, node.child)
