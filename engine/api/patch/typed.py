"""Typed walks over objects, as sigs.k8s.io/structured-merge-diff/typed does them.

* :func:`to_field_set` — the fields a value sets (tofieldset.go);
* :func:`compare` — added / modified / removed fields between two values (compare.go);
* :func:`merge` — an applied configuration merged over a live object (merge.go);
* :func:`remove_items` — a value without the given fields (remove.go);
* :func:`with_zero_structs` — an old object as Go would hold it, for comparisons.

Granular maps and associative lists are walked member by member; atomic ones,
scalars, and empty-on-both-sides values are leaves. ``MISSING`` is an absent
value, ``None`` a JSON null, as upstream distinguishes a nil Value from null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.api.memo import LRU
from engine.api.patch._json import MISSING, equal_containers, json_equal
from engine.api.patch.fieldpath import (
    FieldSet,
    Path,
    field_pe,
    key_pe,
    string_key_pe,
    value_pe,
)
from engine.api.patch.schema_walk import (
    ANY_SCALAR,
    ATOMIC_LIST,
    DEDUCED,
    DEDUCED_MAP,
    LEAF,
    LIST,
    MAP,
    SCALAR,
    TypeNode,
    for_value,
)


class ItemError(ValueError):
    """A list item that cannot be named by its keys."""


def item_pe(node: TypeNode, item: Any) -> str:
    """``listItemToPathElement`` for an associative list."""
    keys = node.keys
    if len(keys) == 1 and type(item) is dict:
        # The usual list-map: one string key (name, type, ip) present in the item.
        value = item.get(keys[0])
        if type(value) is str:
            memo_key = (keys[0], value)
            pe = _ONE_KEY_PES.get(memo_key)
            if pe is None:
                pe = string_key_pe(keys[0], value)
                _ONE_KEY_PES.put(memo_key, pe)
            return pe
    if keys:
        if item is None:
            raise ItemError("associative list with keys may not have a null element")
        if not isinstance(item, dict):
            raise ItemError("associative list with keys may not have non-map elements")
        fields = {}
        for key in node.keys:
            if key in item:
                fields[key] = item[key]
            elif key in node.key_defaults:
                fields[key] = node.key_defaults[key]
            else:
                raise ItemError(f'associative list with keys has an element that omits key '
                                f'field "{key}" (and doesn\'t have default value)')
        # The element depends on the key fields alone; plain scalar keys (the
        # usual name/type/port) are remembered by name, type and value.
        memo_key = tuple((k, type(v), v) for k, v in fields.items())
        if all(t in _PLAIN_KEY_TYPES for _, t, _ in memo_key):
            pe = _KEY_PES.get(memo_key)
            if pe is None:
                pe = key_pe(fields)
                _KEY_PES.put(memo_key, pe)
            return pe
        return key_pe(fields)
    if isinstance(item, dict):
        raise ItemError("associative list without keys has an element that's a map type")
    if isinstance(item, list):
        raise ItemError("not supported: associative list with lists as elements")
    if item is None:
        raise ItemError("associative list without keys has an element that's an explicit null")
    return value_pe(item)


_PLAIN_KEY_TYPES = frozenset({str, int, bool, type(None)})
_KEY_PES = LRU(8192)
# (key field, its string value) -> element, for the one-key lists.
_ONE_KEY_PES = LRU(8192)


def _pe_or_none(node: TypeNode, item: Any) -> str | None:
    try:
        return item_pe(node, item)
    except ItemError:
        return None


def _pick(node: TypeNode, lhs: Any, rhs: Any) -> TypeNode:
    """The atom both sides are walked as; differing shapes make a leaf."""
    lv = None if lhs is MISSING else lhs
    rv = None if rhs is MISSING else rhs
    left, right = for_value(node, lv), for_value(node, rv)
    if lv is not None and rv is not None and left.kind != right.kind:
        return LEAF
    return right if rv is not None else left


def _is_leaf(node: TypeNode, lhs: Any, rhs: Any) -> bool:
    """Scalars, atomic values, and containers empty on both sides (``emptyPromoteToLeaf``)."""
    if node.kind in (SCALAR, DEDUCED) or node.atomic:
        return True
    kind = dict if node.kind == MAP else list
    return not (isinstance(lhs, kind) and lhs) and not (isinstance(rhs, kind) and rhs)


# -- field sets ------------------------------------------------------------------------
def to_field_set(value: Any, node: TypeNode) -> FieldSet:
    """``TypedValue.ToFieldSet``: leaves, list items, and map entries that are not fields."""
    out: set[Path] = set()
    _tfs(value, node, (), out)
    return frozenset(out)


def _tfs(value: Any, node: TypeNode, path: Path, out: set[Path]) -> None:
    node = for_value(node, value)
    if node.kind != MAP and node.kind != LIST or node.atomic:
        out.add(path)
    elif node.kind == LIST:
        if value:
            _tfs_items(value, node, path, out)
    elif value:
        for key, child in value.items():
            info = node.child(key)
            sub = (*path, field_pe(key))
            _tfs(child, info.node, sub, out)
            if child is None or child == {} or not info.declared:
                out.add(sub)


def _tfs_items(items: list[Any], node: TypeNode, path: Path, out: set[Path]) -> None:
    pes = [_pe_or_none(node, item) for item in items]
    seen: set[str] = set()
    duplicates: set[str] = set()
    for pe in pes:
        if pe is not None:
            (duplicates if pe in seen else seen).add(pe)
    out.update((*path, pe) for pe in duplicates)
    for item, pe in zip(items, pes, strict=True):
        if pe is not None and pe not in duplicates:
            sub = (*path, pe)
            _tfs(item, node.elem, sub, out)
            out.add(sub)


# -- compare ---------------------------------------------------------------------------
@dataclass
class Comparison:
    """``typed.Comparison``: no path is in more than one set."""

    added: set[Path] = field(default_factory=set)
    modified: set[Path] = field(default_factory=set)
    removed: set[Path] = field(default_factory=set)

    def without(self, prefixes: tuple[Path, ...]) -> Comparison:
        """``FilterFields`` with an exclude filter (reset fields)."""
        if not prefixes:
            return self
        by_length: dict[int, set[Path]] = {}
        for q in prefixes:
            by_length.setdefault(len(q), set()).add(q)
        if len(by_length) == 1 and 1 in by_length:  # top-level fields: no slicing
            firsts = {q[0] for q in by_length[1]}

            def keep(paths: set[Path]) -> set[Path]:
                return {p for p in paths if not p or p[0] not in firsts}
        elif len(by_length) == 1:
            ((n, qs),) = by_length.items()

            def keep(paths: set[Path]) -> set[Path]:
                return {p for p in paths if p[:n] not in qs}
        else:
            groups = tuple(by_length.items())

            def keep(paths: set[Path]) -> set[Path]:
                return {p for p in paths if not any(p[:n] in qs for n, qs in groups)}

        return Comparison(keep(self.added), keep(self.modified), keep(self.removed))


def compare(lhs: Any, rhs: Any, node: TypeNode) -> Comparison:
    """``TypedValue.Compare``: what changed from ``lhs`` to ``rhs``."""
    result = Comparison()
    _cmp(lhs, rhs, node, (), result)
    return result


# The walk below is compare.go's, with the common shapes inlined: a subtree on
# one side only contributes every path in it (``_one_side``) without
# comparisons, and equal subtrees are cut off at their root by ``json_equal``.
def _cmp(lhs: Any, rhs: Any, node: TypeNode, path: Path, out: Comparison) -> None:
    if lhs is MISSING:
        if rhs is MISSING:
            out.added.add(path)  # what upstream's walk does with nothing on either side
        else:
            _one_side(rhs, node, path, out.added)
        return
    if rhs is MISSING:
        _one_side(lhs, node, path, out.removed)
        return
    if json_equal(lhs, rhs):
        return  # nothing below an unchanged value is added, modified or removed
    _cmp_unequal(lhs, rhs, node, path, out)


def _cmp_unequal(lhs: Any, rhs: Any, node: TypeNode, path: Path, out: Comparison) -> None:
    """``_cmp`` of two present values known not to be ``json_equal``.

    Two non-empty dicts under a granular map (or a deduced type) and two
    non-empty lists under an associative list are walked at once, and two
    lists (or dicts) under an atomic list (or map) are a leaf at once: that is
    what ``_pick`` and ``_is_leaf`` decide for them."""
    kind = node.kind
    tl = type(lhs)
    if tl is type(rhs) and lhs and rhs:
        if tl is dict:
            if kind == MAP and not node.atomic:
                _cmp_maps(lhs, rhs, node, path, out)
                return
            if kind == DEDUCED:
                _cmp_maps(lhs, rhs, DEDUCED_MAP, path, out)
                return
        elif tl is list and kind == LIST and not node.atomic:
            _cmp_items(lhs, rhs, node, path, out)
            return
    if node.atomic and tl is type(rhs) and (tl is list and kind == LIST
                                             or tl is dict and kind == MAP):
        # An atomic list or map on both sides (containerStatuses): _pick keeps
        # the node, a leaf.
        out.modified.add(path)
        return
    node = _pick(node, lhs, rhs)
    if _is_leaf(node, lhs, rhs):
        out.modified.add(path)  # both present and not equal (checked above)
        return
    if node.kind == MAP:
        _cmp_maps(lhs if isinstance(lhs, dict) else {}, rhs if isinstance(rhs, dict) else {},
                  node, path, out)
    else:
        _cmp_items(lhs if isinstance(lhs, list) else [], rhs if isinstance(rhs, list) else [],
                   node, path, out)


def _cmp_maps(left: dict[str, Any], right: dict[str, Any], node: TypeNode, path: Path,
              out: Comparison) -> None:
    """The members of two maps (of ``node``), present on either side or both."""
    child = node.child
    gone = False  # (whether a key of left is not in right)
    for key, lv in left.items():
        rv = right.get(key, MISSING)
        kind = type(lv)
        if kind is type(rv):  # the usual case first: the same type on both sides
            if kind is str or kind is bool or kind is int or lv is None:
                if lv != rv:
                    out.modified.add((*path, "f:" + key))  # two scalars: a leaf
                continue
            if kind is dict or kind is list:
                # json_equal tells containers apart only once ``==`` says equal.
                if not (lv is rv or lv == rv and equal_containers(lv, rv)):
                    _cmp_unequal(lv, rv, child(key).node, (*path, "f:" + key), out)
                continue
        if rv is lv and kind is not float:
            continue  # the very same value (a NaN alone differs from itself)
        if rv is MISSING:
            gone = True
            if isinstance(lv, _CONTAINERS):
                _one_side(lv, child(key).node, (*path, "f:" + key), out.removed)
            else:
                out.removed.add((*path, "f:" + key))  # a scalar is a leaf whatever its schema
        elif isinstance(lv, _CONTAINERS) or isinstance(rv, _CONTAINERS):
            # json_equal tells containers apart only once ``==`` says equal.
            if lv == rv and json_equal(lv, rv):
                continue
            _cmp_unequal(lv, rv, child(key).node, (*path, "f:" + key), out)
        elif lv != rv if type(lv) is type(rv) else not json_equal(lv, rv):
            out.modified.add((*path, "f:" + key))  # two scalars: a leaf, as in _cmp
    if not gone and len(right) == len(left):
        return  # right's keys are left's: none only in right
    for key, rv in right.items():
        if key not in left:
            sub = (*path, "f:" + key)
            if isinstance(rv, _CONTAINERS):
                _one_side(rv, child(key).node, sub, out.added)
            else:
                out.added.add(sub)


def _one_side(value: Any, node: TypeNode, path: Path, into: set[Path]) -> None:
    """``_cmp`` of a value against MISSING: the value's every path goes ``into``
    the added (or removed) set, list items that cannot be named excepted."""
    kind = node.kind
    if kind == DEDUCED:
        node = DEDUCED_MAP if isinstance(value, dict) else (
            ATOMIC_LIST if isinstance(value, list) else ANY_SCALAR)
        kind = node.kind
    elif value is not None:
        if kind == MAP:
            if not isinstance(value, dict):
                node = LEAF
        elif kind == LIST:
            if not isinstance(value, list):
                node = LEAF
        elif isinstance(value, dict | list):
            node = LEAF
        kind = node.kind
    if not node.atomic and value:
        if kind == MAP and isinstance(value, dict):
            child = node.child
            for key, v in value.items():
                if isinstance(v, _CONTAINERS):
                    _one_side(v, child(key).node, (*path, "f:" + key), into)
                else:
                    into.add((*path, "f:" + key))  # a scalar is a leaf whatever its schema
        elif kind == LIST and isinstance(value, list):
            order: list[str] = []
            groups = _group(value, node, order)
            elem = node.elem
            for pe in order:
                items = groups[pe]
                if len(items) == 1 and isinstance(items[0], _CONTAINERS):
                    _one_side(items[0], elem, (*path, pe), into)
                else:
                    into.add((*path, pe))  # a scalar item, or duplicates
    into.add(path)


_CONTAINERS = (dict, list)


def _group(items: list[Any], node: TypeNode, order: list[str]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for item in items:
        pe = _pe_or_none(node, item)
        if pe is None:
            continue
        if pe not in groups:
            groups[pe] = []
            order.append(pe)
        groups[pe].append(item)
    return groups


def _cmp_items(lhs: list[Any], rhs: list[Any], node: TypeNode, path: Path,
               out: Comparison) -> None:
    """``compareWalker.visitListItems``, duplicates included."""
    if len(node.keys) == 1 and _cmp_one_key_items(lhs, rhs, node, path, out):
        return
    order: list[str] = []
    left, right = _group(lhs, node, order), _group(rhs, node, order)
    for pe in dict.fromkeys(order):
        ll, rl = left.get(pe, []), right.get(pe, [])
        sub = (*path, pe)
        if len(ll) <= 1 and len(rl) <= 1:
            _cmp(ll[0] if ll else MISSING, rl[0] if rl else MISSING, node.elem, sub, out)
        elif len(ll) >= 2 and len(rl) >= 2:
            if not json_equal(ll, rl):
                out.modified.add(sub)
        elif len(ll) >= 2:
            if rl:
                _cmp(MISSING, rl[0], node.elem, sub, out)
            out.removed.add(sub)
        else:
            if ll:
                _cmp(ll[0], MISSING, node.elem, sub, out)
            out.added.add(sub)


def _by_string_key(items: list[Any], key: str) -> dict[str, Any] | None:
    """The items of a one-key list by their key's value, when every item is a
    dict whose key is a string and no two share it; else None."""
    out: dict[str, Any] = {}
    for item in items:
        if type(item) is not dict:
            return None
        value = item.get(key)
        if type(value) is not str or value in out:
            return None
        out[value] = item
    return out


def _cmp_one_key_items(lhs: list[Any], rhs: list[Any], node: TypeNode, path: Path,
                       out: Comparison) -> bool:
    """``_cmp_items`` of the usual list-map (conditions by type, containers by
    name: one string key, no duplicates), matching items by the key's value;
    an item's element is worked out only when it is not the same on both
    sides. False, having done nothing, for any other list."""
    key = node.keys[0]
    left = _by_string_key(lhs, key)
    if left is None:
        return False
    right = _by_string_key(rhs, key)
    if right is None:
        return False
    elem = node.elem
    for value, li in left.items():
        ri = right.get(value, MISSING)
        if ri is li:
            continue  # the very same item (json_equal would say so)
        if ri is MISSING:
            _one_side(li, elem, (*path, item_pe(node, li)), out.removed)
        elif not (li == ri and equal_containers(li, ri)):
            _cmp_unequal(li, ri, elem, (*path, item_pe(node, li)), out)
    for value, ri in right.items():
        if value not in left:
            _one_side(ri, elem, (*path, item_pe(node, ri)), out.added)
    return True


# -- merge -----------------------------------------------------------------------------
def merge(lhs: Any, rhs: Any, node: TypeNode) -> Any:
    """``TypedValue.Merge``: ``rhs`` (the applied configuration) over ``lhs``."""
    node = _pick(node, lhs, rhs)
    if _is_leaf(node, lhs, rhs):
        return rhs if rhs is not MISSING else lhs
    if node.kind == MAP:
        left = lhs if isinstance(lhs, dict) else {}
        right = rhs if isinstance(rhs, dict) else {}
        out = {}
        for key in (*left, *(k for k in right if k not in left)):
            value = merge(left.get(key, MISSING), right.get(key, MISSING), node.child(key).node)
            if value is not MISSING:
                out[key] = value
        return out or MISSING
    return _merge_items(lhs if isinstance(lhs, list) else [],
                        rhs if isinstance(rhs, list) else [], node)


def _index(items: list[Any], node: TypeNode, duplicates_to_null: bool) -> tuple[list[str], dict]:
    pes: list[str] = []
    seen: dict[str, Any] = {}
    for i, item in enumerate(items):
        pe = _pe_or_none(node, item) or f"?{i}"  # unnamed live items are kept as they are
        if pe in seen and duplicates_to_null:
            seen[pe] = None  # duplicated items are not merged with the new value
        else:
            seen.setdefault(pe, item)
        pes.append(pe)
    return pes, seen


def _merge_items(lhs: list[Any], rhs: list[Any], node: TypeNode) -> Any:
    """``mergingWalker.visitListItems``: live order, with applied items in their order."""
    rhs_pes, right = _index(rhs, node, False)
    lhs_pes, left = _index(lhs, node, True)
    shared = iter([pe for pe in rhs_pes if pe in left])
    next_shared = next(shared, None)
    merged_rhs: set[str] = set()
    out: list[Any] = []

    def take(value: Any) -> None:
        if value is not MISSING:
            out.append(value)

    li = ri = 0
    while li < len(lhs_pes) or ri < len(rhs_pes):
        if li < len(lhs_pes) and ri < len(rhs_pes):
            pe = lhs_pes[li]
            if pe == rhs_pes[ri]:
                merged_rhs.add(pe)
                take(merge(left[pe], right[pe], node.elem))
                li, ri = li + 1, ri + 1
                next_shared = next(shared, None)
                continue
            if pe in right and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(lhs_pes):
            pe = lhs_pes[li]
            if pe not in right:
                take(merge(lhs[li], MISSING, node.elem))
                li += 1
                continue
            if pe in merged_rhs:
                li += 1
        if ri < len(rhs_pes):
            pe = rhs_pes[ri]
            merged_rhs.add(pe)
            take(merge(left.get(pe, MISSING), right[pe], node.elem))
            ri += 1
            if next_shared is not None and next_shared == pe:
                next_shared = next(shared, None)
    return out or MISSING


# -- removal ---------------------------------------------------------------------------
Trie = dict[str, list[Any]]


def _trie(paths: FieldSet) -> Trie:
    trie: Trie = {}
    for path in paths:
        node = trie
        for pe in path[:-1]:
            node = node.setdefault(pe, [False, {}])[1]
        if path:
            node.setdefault(path[-1], [False, {}])[0] = True
    return trie


def remove_items(value: dict[str, Any], paths: FieldSet, node: TypeNode) -> dict[str, Any]:
    """``TypedValue.RemoveItems``: drop every member path (and what is under it).

    Upstream leaves a null where a container became empty, which the round trip
    through the Go type turns into an omitted pointer, map or list (or a zero
    value struct, which for a dict is the same as absent); here it is dropped.
    """
    if not paths:
        return value
    out = _remove(value, _trie(paths), node)
    return {} if out is MISSING else out


def _remove(value: Any, trie: Trie, node: TypeNode) -> Any:
    node = for_value(node, value)
    if node.kind not in (MAP, LIST):
        return value
    if not value or node.atomic:
        return MISSING
    if node.kind == LIST:
        items = []
        for item in value:
            entry = trie.get(_pe_or_none(node, item) or "")
            if entry is not None:
                if entry[0]:
                    continue
                item = _remove(item, entry[1], node.elem) if entry[1] else item
                if item is MISSING:
                    continue
            items.append(item)
        return items or MISSING
    out = {}
    for key, child in value.items():
        entry = trie.get(field_pe(key))
        if entry is not None:
            if entry[0]:
                continue
            child = _remove(child, entry[1], node.child(key).node) if entry[1] else child
            if child is MISSING:
                continue
        out[key] = child
    return out or MISSING


# -- zero values -----------------------------------------------------------------------
def with_zero_structs(old: dict[str, Any], new: dict[str, Any], node: TypeNode) -> dict[str, Any]:
    """``old`` as Go would hold it: value-typed structs that ``new`` fills exist, empty.

    Upstream compares Go objects, in which a value-typed struct (``spec``,
    ``spec.template``, ``status``...) exists even when empty, so filling it is
    never "adding" it. The schema does not say which fields are pointers;
    non-empty structs are taken to be values, which matches the common fields
    (a new pointer struct, e.g. ``rollingUpdate``, then lacks its ``.`` entry).
    Copy-on-write: ``old`` is returned as is when nothing is missing.
    """
    if node.kind != MAP or not isinstance(new, dict):
        return old
    structs = _STRUCT_FIELDS.get(node)
    if structs is None:
        structs = _STRUCT_FIELDS[node] = _struct_fields(node)
    if not structs:
        return old
    out: dict[str, Any] | None = None
    for key, child in new.items():
        sub = structs.get(key)
        if sub is None or not (isinstance(child, dict) and child):
            continue
        current = old.get(key)
        if current is not None and not isinstance(current, dict):
            continue
        filled = with_zero_structs(current or {}, child, sub)
        if filled is not current:
            out = dict(old) if out is None else out
            out[key] = filled
    return old if out is None else out


# Per map node: its declared fields that hold a granular struct (what
# with_zero_structs fills), worked out once per compiled schema node.
_STRUCT_FIELDS: dict[TypeNode, dict[str, TypeNode]] = {}


def _struct_fields(node: TypeNode) -> dict[str, TypeNode]:
    out: dict[str, TypeNode] = {}
    for key in node.props:
        info = node.child(key)
        sub = info.node
        if info.declared and sub.kind == MAP and sub.props and not sub.atomic:
            out[key] = sub
    return out
