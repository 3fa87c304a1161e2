"""Strategic merge patch on lists: merge by key, primitive sets, directives, ordering.

Follows k8s.io/apimachinery/pkg/util/strategicpatch/patch.go: ``mergeSlice``,
``mergeSliceWithSpecialElements`` (``$patch: delete|replace`` items),
``deleteFromSlice`` (``$deleteFromPrimitiveList``), and the ordering rules of
``normalizeElementOrder`` / ``mergeSortedSlice``: items named by the patch keep
the patch's order, items only on the server keep theirs, interleaved where the
live order says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from engine.api.patch import smp_errors as e
from engine.api.patch._gosort import stable_sort
from engine.api.patch._json import go_v, scalar_key
from engine.api.patch.schema_walk import TypeNode

if TYPE_CHECKING:
    from engine.api.patch.strategic import Options

DIRECTIVE = "$patch"
DELETE, REPLACE, MERGE = "delete", "replace", "merge"

MapMerger = Callable[[dict[str, Any], dict[str, Any], TypeNode, "Options"], dict[str, Any]]


def element_kind(*lists: list[Any]) -> str:
    """``sliceElementType``: all items must share one JSON type, and not be lists."""
    kind = ""
    for items in lists:
        for item in items:
            if isinstance(item, list):
                raise e.SmpError(e.NO_LIST_OF_LISTS)
            this = "map" if isinstance(item, dict) else e.go_type_name(item)
            if this == "float64":
                this = "int64"  # JSON numbers: one type, whatever the decoder chose
            if kind and this != kind or item is None:
                raise e.SmpError(f"list element types are not identical: {go_v(list(lists))}")
            kind = this
    if not kind:
        raise e.SmpError("no elements in any of the given slices")
    return "map" if kind == "map" else "scalar"


def merge_slice(original: list[Any], patch: list[Any], node: TypeNode, merge_key: str,
                opts: Options, merge_map: MapMerger, *, is_delete: bool = False) -> list[Any]:
    """``mergeSlice``: merge a patch list into a list whose strategy is ``merge``."""
    if not original and not patch:
        return original
    kind = element_kind(original, patch)
    if kind != "map":
        if opts.parallel and is_delete:
            return delete_from(original, patch)
        merged = dedupe(original + patch)
    else:
        if not merge_key:
            raise e.SmpError(f"cannot merge lists without merge key for {node.name}")
        original, patch = _special_items(original, patch, merge_key, opts)
        merged = _merge_items(list(original), patch, node, merge_key, opts, merge_map)
    patch_items, server_only = partition(merged, patch, merge_key)
    return normalize_order(patch_items, server_only, patch, original, merge_key, kind)


def _special_items(original: list[Any], patch: list[Any], merge_key: str,
                   opts: Options) -> tuple[list[Any], list[Any]]:
    """``mergeSliceWithSpecialElements``: apply ``$patch`` items, return the rest."""
    plain: list[Any] = []
    replace = False
    for i, item in enumerate(patch):
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == DELETE:
            if merge_key not in item:
                raise e.no_merge_key(item, merge_key).at(i)
            wanted = scalar_key(item[merge_key])
            original = [o for o in original
                        if not (merge_key in o and scalar_key(o[merge_key]) == wanted)]
        elif directive == REPLACE:
            replace = True  # keep scanning: later $patch items are pruned too
        elif directive == MERGE:
            raise e.SmpError("merging lists cannot yet be specified in the patch").at(i)
        else:
            raise e.bad_patch_type(directive, item).at(i)
    if not replace:
        return original, plain
    return ([without_nulls(v) for v in plain] if opts.parallel else plain), []


def _merge_items(original: list[Any], patch: list[Any], node: TypeNode, merge_key: str,
                 opts: Options, merge_map: MapMerger) -> list[Any]:
    """``mergeSliceWithoutSpecialElements``: merge items by key, append new ones."""
    index = {scalar_key(o[merge_key]): i for i, o in reversed(list(enumerate(original)))
             if merge_key in o}
    for i, item in enumerate(patch):
        if merge_key not in item:
            raise e.no_merge_key(item, merge_key).at(i)
        at = index.get(scalar_key(item[merge_key]))
        try:
            if at is not None:
                original[at] = merge_map(original[at], item, node, opts)
            else:
                # Upstream appends the raw item; on the server its nulls go, as decoding
                # would drop them.
                index[scalar_key(item[merge_key])] = len(original)
                original.append(without_nulls(item) if opts.parallel else item)
        except e.SmpError as err:
            raise err.at(i) from None
    return original


def delete_from(current: list[Any], to_delete: list[Any]) -> list[Any]:
    """``deleteFromSlice``: drop every occurrence of each listed value."""
    gone = {scalar_key(v) for v in to_delete}
    return [v for v in current if scalar_key(v) not in gone]


def dedupe(items: list[Any]) -> list[Any]:
    """``deduplicateScalars`` (the order is re-established by the caller)."""
    seen: set[Any] = set()
    out = []
    for v in items:
        k = scalar_key(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _ident(item: Any, merge_key: str) -> Any:
    if merge_key:
        return scalar_key(item.get(merge_key)) if isinstance(item, dict) else None
    return scalar_key(item)


def partition(merged: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    """Split ``merged`` into items named in ``by`` and server-only items."""
    if merge_key:
        for item in merged:
            if not isinstance(item, dict):
                raise e.bad_arg_type("map[string]interface {}", item)
            if merge_key not in item:
                raise e.no_merge_key(item, merge_key)
        for item in by:
            if not isinstance(item, dict):
                raise e.SmpError("value for key is not a map")
    named = {_ident(v, merge_key) for v in by}
    inside = [v for v in merged if _ident(v, merge_key) in named]
    outside = [v for v in merged if _ident(v, merge_key) not in named]
    return inside, outside


def normalize_order(patch_items: list[Any], server_only: list[Any], patch_order: list[Any],
                    server_order: list[Any], merge_key: str, kind: str) -> list[Any]:
    """``normalizeElementOrder``: sort each part, then interleave by the live order."""
    patch_items = sort_by(patch_items, patch_order, merge_key, kind)
    server_only = sort_by(server_only, server_order, merge_key, kind)
    return _merge_sorted(server_only, patch_items, server_order, merge_key)


def _positions(order: list[Any], merge_key: str) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for i, item in enumerate(order):
        out.setdefault(_ident(item, merge_key), i)
    return out


def sort_by(items: list[Any], order: list[Any], merge_key: str, kind: str) -> list[Any]:
    """``normalizeSliceOrder``: stable sort by position in ``order``, deletions last.

    Upstream's comparator calls an item missing from ``order`` "less" than any
    other; with such items the order is whatever Go's stable sort makes of it.
    """
    deletes: list[Any] = []
    if kind == "map":
        for item in (*items, *order):
            if not isinstance(item, dict):
                raise e.bad_arg_type("map[string]interface {}", item)
            if merge_key not in item:
                raise e.no_merge_key(item, merge_key)
        deletes = [v for v in items if v.get(DIRECTIVE) == DELETE]
        items = [v for v in items if v.get(DIRECTIVE) != DELETE]
    pos = _positions(order, merge_key)
    ranks = [pos.get(_ident(v, merge_key)) for v in items]
    if None not in ranks:
        return sorted(items, key=lambda v: pos[_ident(v, merge_key)]) + deletes

    def less(left: Any, right: Any) -> bool:
        i, j = pos.get(_ident(left, merge_key)), pos.get(_ident(right, merge_key))
        return i < j if i is not None and j is not None else True

    return stable_sort(items, less) + deletes


def _merge_sorted(left: list[Any], right: list[Any], server_order: list[Any],
                  merge_key: str) -> list[Any]:
    """``mergeSortedSlice``: a left item goes first only if the live order says so."""
    pos = _positions(server_order, merge_key)
    out: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
            continue
        if j < len(right):
            li = pos.get(_ident(left[i], merge_key))
            ri = pos.get(_ident(right[j], merge_key))
            if li is None or ri is None or li >= ri:
                out.append(right[j])
                j += 1
                continue
        out.append(left[i])
        i += 1
    return out


def check_order(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
    """``validatePatchWithSetOrderList``: patch items must follow the order list."""
    if not order or not patch_list:
        return
    items = patch_list
    if merge_key:
        for item in patch_list:
            if not isinstance(item, dict):
                raise e.bad_arg_type("map[string]interface {}", item)
        items = [v for v in patch_list if v.get(DIRECTIVE) != DELETE]
    p = s = 0
    while p < len(items) and s < len(order):
        if isinstance(items[p], dict) and DIRECTIVE in items[p]:
            p += 1
            continue
        if key_equal(items[p], order[s], merge_key):
            p += 1
        s += 1
    if p < len(items) and s >= len(order):
        raise e.SmpError(f"The order in patch list:\n{go_v(patch_list)}\n doesn't match "
                         f"$setElementOrder list:\n{go_v(order)}\n")


def key_equal(left: Any, right: Any, merge_key: str) -> bool:
    """``mergeKeyValueEqual``."""
    if not merge_key:
        return scalar_key(left) == scalar_key(right)
    for side in (left, right):
        if not isinstance(side, dict):
            raise e.bad_arg_type("map[string]interface {}", side)
        if merge_key not in side:
            raise e.no_merge_key(side, merge_key)
    return scalar_key(left[merge_key]) == scalar_key(right[merge_key])


def remove_directives(value: Any, *, keep_replaced: bool = False) -> tuple[Any, bool]:
    """``removeDirectives``: drop maps carrying ``$patch``. With ``keep_replaced``, a
    ``$patch: replace`` map is kept without its marker (upstream drops it too)."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            if not (keep_replaced and value[DIRECTIVE] == REPLACE):
                return None, False
            value = {k: v for k, v in value.items() if k != DIRECTIVE}
        out = {}
        for k, v in value.items():
            v, keep = remove_directives(v, keep_replaced=keep_replaced)
            if keep:
                out[k] = v
        return out, True
    if isinstance(value, list):
        kept = [remove_directives(v, keep_replaced=keep_replaced) for v in value]
        return [v for v, keep in kept if keep], True
    return value, True


def without_nulls(value: Any) -> Any:
    """``discardNullValuesFromPatch`` on a copy: null map members go, at any depth."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value
