"""Field paths and field sets, as sigs.k8s.io/structured-merge-diff/fieldpath has them.

A path element is kept in its serialized FieldsV1 form, which is also its
identity: ``f:<name>`` (a struct field or map key), ``k:{"name":"nginx"}``
(an associative-list item by its keys), ``v:"x"`` (a set item), ``i:3`` (an
index). A path is a tuple of them; a set is a Python ``frozenset`` of paths.
This module converts sets to and from FieldsV1 (serialize.go), prints paths as
conflict messages do (path.go, element.go) and adds the named parent fields
``EnsureNamedFieldsAreMembers`` adds (set.go).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

import orjson

from engine.api.memo import LRU
from engine.api.patch._json import canonical_json, go_float
from engine.api.patch.schema_walk import DEDUCED, DEDUCED_NODE, LIST, MAP, TypeNode

Path = tuple[str, ...]
FieldSet = frozenset[Path]
EMPTY: FieldSet = frozenset()


class FieldsError(ValueError):
    """A FieldsV1 document that cannot be read."""


def field_pe(name: str) -> str:
    return "f:" + name


def value_pe(value: Any) -> str:
    return "v:" + canonical_json(value)


def key_pe(fields: dict[str, Any]) -> str:
    """``k:`` with the key fields sorted by name (``value.FieldList.Sort``)."""
    return "k:" + canonical_json(fields)


def normalize_pe(text: str) -> str | None:
    """``DeserializePathElement`` then re-serialize; None for unknown element types."""
    if len(text) < 2 or text[1] != ":":
        raise FieldsError(f"key must be 2 characters long: {text}")
    kind, body = text[0], text[2:]
    if kind == "f":
        return text
    if kind == "i":
        try:
            return f"i:{int(body)}"
        except ValueError as err:
            raise FieldsError(str(err)) from None
    if kind in "kv":
        try:
            value = json.loads(body)
        except ValueError as err:
            raise FieldsError(f"parsing key as path element: {err}") from None
        if kind == "k" and not isinstance(value, dict):
            raise FieldsError(f"expected an object for a key path element: {text}")
        return f"{kind}:{canonical_json(value)}"
    return None


def from_fields_v1(fields: Any) -> FieldSet:
    """Read a ``fieldsV1`` object (``Set.FromJSON``); cached, as every write re-reads
    the same entries: by the dict's identity, else by its JSON bytes."""
    if fields is None:
        return EMPTY
    held = _BY_IDENTITY.get(id(fields))
    if held is not None and held[0] is fields:
        return held[1]
    if not isinstance(fields, dict):
        raise FieldsError("fieldsV1 must be an object")
    try:
        raw = orjson.dumps(fields)
    except (TypeError, orjson.JSONEncodeError):
        return _parse(fields)
    found = _PARSED.get(raw)
    if found is None:
        canonical = [True]
        out: set[Path] = set()
        _read(orjson.loads(raw), (), out, canonical)  # raises for unreadable sets
        found = frozenset(out)
        _PARSED.put(raw, found)
        if canonical[0]:
            # These bytes are exactly what to_fields_v1 writes for the set, so a
            # write that hands the set back unchanged need not encode it again.
            _ENCODED.put(found, (raw, True))
        normal = canonical[0]
    else:
        encoded = _ENCODED.get(found)
        normal = encoded is not None and encoded[1] and encoded[0] == raw
    _BY_IDENTITY.put(id(fields), (fields, found, normal))
    return found


def known_fields_v1(fields: Any) -> bool:
    """Whether :func:`from_fields_v1` knows ``fields`` by identity (no bytes needed)."""
    held = _BY_IDENTITY.get(id(fields))
    return held is not None and held[0] is fields


def written_as(fields: Any) -> FieldSet | None:
    """The set ``fields`` was read as when it is known by identity and is exactly
    what :func:`to_fields_v1` writes for that set (so a write that keeps the set
    may keep the dict); else None."""
    held = _BY_IDENTITY.get(id(fields))
    if held is not None and held[0] is fields and held[2]:
        return held[1]
    return None


# id(a fieldsV1 dict) -> (the dict, its set, whether it is the set's canonical
# encoding), for the dicts this module read, and those it wrote that read back
# as the set they were written from. The API server hands an in-process write
# the object it stored last (the watch cache's, read only) as the old object,
# so the next write of an object finds its entries here without serializing
# them. The dict is held, so its id cannot be reused while it is remembered;
# like every object the server shares, it is never mutated.
_BY_IDENTITY = LRU(1 << 15)


# FieldsV1 JSON bytes -> FieldSet. Also filled by :func:`to_fields_v1` with the
# sets it writes when reading the bytes back is known to give the same set.
_PARSED = LRU(4096)


def _parse(fields: dict[str, Any]) -> FieldSet:
    out: set[Path] = set()
    _read(fields, (), out)
    return frozenset(out)


def _read(node: dict[str, Any], prefix: Path, out: set[Path],
          canonical: list[bool] | None = None) -> None:
    """Add the members of one FieldsV1 level. With ``canonical``, clears
    ``canonical[0]`` unless the level is exactly as :func:`to_fields_v1` writes
    it: elements in their normal form and strictly in PathElement order, and a
    ``".": {}`` member mark only first, only below the root, only beside children."""
    previous: Any = None
    check = canonical is not None and canonical[0]
    for key, child in node.items():
        if key == ".":
            if check and (previous is not None or not prefix or child != {} or len(node) == 1):
                canonical[0] = check = False
            if prefix:
                out.add(prefix)
            continue
        pe = _normalized(key)
        if pe is None:
            if check:
                canonical[0] = check = False
            continue  # a future element type: dropped, as upstream does
        if not isinstance(child, dict):
            raise FieldsError(f"expected an object for {key}")
        if check:
            order = pe_order(pe)
            if pe != key or (previous is not None and not previous < order):
                canonical[0] = check = False
            previous = order
        path = (*prefix, pe)
        if not child:
            out.add(path)
        else:
            _read(child, path, out, canonical if check else None)


def to_fields_v1(paths: Iterable[Path]) -> dict[str, Any]:
    """Write a set as ``fieldsV1`` (``Set.ToJSON``): members are ``{}``, a member
    with children carries ``".": {}``; keys in path-element order. Returns a fresh
    dict each time (the encoding itself is cached)."""
    key = paths if type(paths) is frozenset else frozenset(paths)
    held = _ENCODED.get(key)
    if held is not None:
        return orjson.loads(held[0])
    canonical = [() not in key]
    tree = _encode(key, canonical)
    raw = orjson.dumps(tree)
    _ENCODED.put(key, (raw, canonical[0]))
    if canonical[0]:
        # Every element is in its normal form and no path is the root, so
        # reading these bytes back gives exactly this set.
        _PARSED.put(raw, key)
        _BY_IDENTITY.put(id(tree), (tree, key, True))
    return tree


# FieldSet -> (its FieldsV1 JSON bytes, whether reading them back gives the
# set). Sets are immutable; writes that leave a manager's set alone hand the
# same set object back, so lookups hit by identity.
_ENCODED = LRU(4096)


def _encode(paths: FieldSet, canonical: list[bool] | None = None) -> dict[str, Any]:
    if canonical is None:
        canonical = [True]
    return _encode_sorted(paths, canonical) or _encode_trie(paths, canonical)


def _encode_sorted(paths: FieldSet, canonical: list[bool]) -> dict[str, Any] | None:
    """The FieldsV1 object built in one pass over the sorted paths; None if a path
    holds an element other than ``f:``, ``k:`` or ``v:`` (an index orders by number),
    the only kinds whose string order is ``PathElement.Compare``'s: ``f:`` < ``k:`` <
    ``v:`` as strings, and a path sorts before the paths below it."""
    out: dict[str, Any] = {}
    check = canonical[0]
    for path in sorted(paths):
        if not path:
            continue
        node = out
        for pe in path[:-1]:
            child = node.get(pe)
            if child is None:
                if pe[:2] != "f:":  # (a field is string ordered and normal)
                    if pe[:1] not in _STRING_ORDERED:
                        return None
                    if check and not _is_normal(pe):
                        canonical[0] = check = False
                child = node[pe] = {}
            elif not child:
                # Only a member's dict is ever empty here (a dict made for a path
                # below gets its child at once): its first child, mark first.
                child["."] = {}
            node = child
        pe = path[-1]
        if pe[:2] != "f:":
            if pe[:1] not in _STRING_ORDERED:
                return None
            if check and not _is_normal(pe):
                canonical[0] = check = False
        node[pe] = {}
    return out


# Element kinds whose string order is PathElement.Compare's order.
_STRING_ORDERED = frozenset({"f", "k", "v"})


def _encode_trie(paths: FieldSet, canonical: list[bool]) -> dict[str, Any]:
    trie: dict[str, list[Any]] = {}
    for path in paths:
        if not path:
            continue
        node = trie
        for pe in path[:-1]:
            entry = node.get(pe)
            if entry is None:
                entry = node[pe] = [False, {}]
            node = entry[1]
        entry = node.get(path[-1])
        if entry is None:
            node[path[-1]] = [True, {}]
        else:
            entry[0] = True
    return _emit(trie, canonical)


def _emit(trie: dict[str, list[Any]], canonical: list[bool]) -> dict[str, Any]:
    """The FieldsV1 object of a trie level; clears ``canonical[0]`` on meeting an
    element that reading back would rewrite or drop."""
    out: dict[str, Any] = {}
    for pe in sorted(trie, key=pe_order):
        if pe[:2] != "f:" and canonical[0] and not _is_normal(pe):
            canonical[0] = False
        member, children = trie[pe]
        if children:
            body = {".": {}} if member else {}
            body.update(_emit(children, canonical))
            out[pe] = body
        else:
            out[pe] = {}
    return out


def _is_normal(pe: str) -> bool:
    if pe in _KNOWN_NORMAL:
        return True
    try:
        return _normalized(pe) == pe
    except FieldsError:
        return False


def string_key_pe(name: str, value: str) -> str:
    """``key_pe({name: value})`` for a string key, which is its own normal form (a
    string survives the JSON round trip): remembered as such, so writing a set
    with a new pod's IP or volume name need not parse the element back."""
    pe = key_pe({name: value})
    _KNOWN_NORMAL.put(pe, True)
    return pe


# Elements known to be in normal form without normalize_pe (string_key_pe's).
_KNOWN_NORMAL = LRU(1 << 14)


def _normalized(text: str) -> str | None:
    """:func:`normalize_pe`, memoised for string elements (errors are not cached)."""
    if type(text) is str:
        return _normalize_cached(text)
    return normalize_pe(text)


_normalize_cached = functools.lru_cache(maxsize=1 << 14)(normalize_pe)


@functools.lru_cache(maxsize=1 << 14)
def pe_order(pe: str) -> tuple[int, Any]:
    """``PathElement.Compare``: fields, then keys, then values, then indices."""
    kind = "fkvi".find(pe[0])
    if pe[0] == "i":
        return kind, int(pe[2:])
    return kind, pe[2:]


def path_string(path: Path) -> str:
    """``Path.String()``: ``.spec.containers[name="nginx"].image``."""
    return "".join(pe_string(pe) for pe in path)


def pe_string(pe: str) -> str:
    kind, body = pe[0], pe[2:]
    if kind == "f":
        return "." + body
    if kind == "i":
        return f"[{body}]"
    value = json.loads(body)
    if kind == "v":
        return f"[={to_string(value)}]"
    return "[" + ",".join(f"{k}={to_string(v)}" for k, v in value.items()) + "]"


def to_string(value: Any) -> str:
    """structured-merge-diff ``value.ToString``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(to_string(v) for v in value) + "]"
    return "".join(f"{k}={to_string(v)}" for k, v in value.items())


def iterate(paths: Iterable[Path]) -> list[Path]:
    """Paths in ``Set.Iterate`` order: at each level members first, then children."""
    trie: dict[str, list[Any]] = {}
    for path in paths:
        node = trie
        for pe in path[:-1]:
            node = node.setdefault(pe, [False, {}])[1]
        if path:
            node.setdefault(path[-1], [False, {}])[0] = True
    out: list[Path] = []
    _walk(trie, (), out)
    return out


def _walk(trie: dict[str, list[Any]], prefix: Path, out: list[Path]) -> None:
    ordered = sorted(trie, key=pe_order)
    out.extend((*prefix, pe) for pe in ordered if trie[pe][0])
    for pe in ordered:
        if trie[pe][1]:
            _walk(trie[pe][1], (*prefix, pe), out)


def with_named_parents(paths: Iterable[Path], root: TypeNode) -> FieldSet:
    """``EnsureNamedFieldsAreMembers``: add every ancestor that is a declared struct field."""
    return _with_named_parents(frozenset(paths), root)


@functools.lru_cache(maxsize=2048)
def _with_named_parents(paths: FieldSet, root: TypeNode) -> FieldSet:
    prefixes = {p[:i] for p in paths for i in range(1, len(p))}
    return paths | {q for q in prefixes if _is_named(root, q)}


@functools.lru_cache(maxsize=1 << 16)
def _is_named(root: TypeNode, prefix: Path) -> bool:
    pe = prefix[-1]
    if pe[0] != "f":
        return False
    parent = _node_at(root, prefix[:-1])
    return parent.kind == MAP and parent.child(pe[2:]).declared


@functools.lru_cache(maxsize=1 << 16)
def _node_at(root: TypeNode, prefix: Path) -> TypeNode:
    """The schema node a path leads to (deduced below undeclared fields)."""
    if not prefix:
        return root
    return _step(_node_at(root, prefix[:-1]), prefix[-1])


def _step(node: TypeNode, pe: str) -> TypeNode:
    if pe[0] == "f":
        return node.child(pe[2:]).node if node.kind in (MAP, DEDUCED) else DEDUCED_NODE
    return node.elem if node.kind == LIST else DEDUCED_NODE


def recursive_difference(paths: FieldSet, prefixes: Iterable[Path]) -> FieldSet:
    """``Set.RecursiveDifference``: drop every path at or below one of ``prefixes``."""
    prefixes = tuple(prefixes)
    if not prefixes:
        return paths
    by_length: dict[int, set[Path]] = {}
    for q in prefixes:
        by_length.setdefault(len(q), set()).add(q)
    if len(by_length) == 1 and 1 in by_length:  # top-level fields: no slicing
        firsts = {q[0] for q in by_length[1]}
        return frozenset(p for p in paths if not p or p[0] not in firsts)
    if len(by_length) == 1:
        ((n, qs),) = by_length.items()
        return frozenset(p for p in paths if p[:n] not in qs)
    groups = tuple(by_length.items())
    return frozenset(p for p in paths if not any(p[:n] in qs for n, qs in groups))


def parse_path(text: str) -> Path:
    """A dotted field path (``.status`` or ``metadata.labels``) as a fieldpath Path."""
    return tuple(field_pe(part) for part in text.strip(".").split(".") if part)
