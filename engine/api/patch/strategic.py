"""Strategic merge patch (``application/strategic-merge-patch+json``).

Follows k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (``mergeMap`` and
friends) driven by the ``x-kubernetes-patch-strategy`` / ``-merge-key`` tags of
upstream's OpenAPI definitions: maps merge and ``null`` deletes; lists replace
unless tagged ``merge`` (then items merge by key, or as a set for primitives);
``retainKeys`` fields drop the keys the patch does not list. Directives:
``$patch: replace|delete`` on maps and list items, ``$retainKeys``,
``$setElementOrder/<list>``, ``$deleteFromPrimitiveList/<list>``.

The same ``merge_map`` also merges two patches (``Options.parallel`` false), which
``CreateThreeWayMergePatch`` uses to combine its deletions and changes.

Values with nothing to merge into (new keys, new list items, replaced maps and
lists) are taken as upstream takes them, directives and all, minus their nulls:
decoding into Go types drops those anyway, and the directives are left for the
decoder to report under ``fieldValidation=Strict``. Deliberate differences from
upstream: ``$patch: replace`` on an absent map yields the map (upstream drops
it), an empty ``$setElementOrder`` list over an empty list is accepted (upstream
fails with "no elements in any of the given slices"), and every malformed patch
is a 400 naming the field (see ``smp_errors``), including a value whose JSON
type contradicts the schema. Where upstream iterates a Go map (the order of a
list addition and a ``$deleteFromPrimitiveList`` of the same value), deletions
go last. Checked against ``kubectl patch --local``, which runs this same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.api.patch import smp_errors as e
from engine.api.patch import smp_lists
from engine.api.patch._json import MISSING, cannot_unmarshal, json_copy
from engine.api.patch.merge_patch import apply_merge_patch
from engine.api.patch.schema_walk import (
    DEDUCED_NODE,
    LIST,
    MAP,
    SCALAR,
    FieldInfo,
    TypeNode,
    root_node,
)
from engine.api.patch.smp_lists import DELETE, DIRECTIVE, MERGE, REPLACE

RETAIN_KEYS = "$retainKeys"
DELETE_PRIMITIVE = "$deleteFromPrimitiveList"
SET_ORDER = "$setElementOrder"


@dataclass(frozen=True)
class Options:
    """``MergeOptions``: applying a patch to an object, or merging two patches."""

    parallel: bool  # MergeParallelList: apply $deleteFromPrimitiveList and friends
    ignore_nulls: bool  # IgnoreUnmatchedNulls: a null for an absent key is dropped


APPLY = Options(parallel=True, ignore_nulls=True)
COMBINE = Options(parallel=False, ignore_nulls=False)


def apply_strategic_merge_patch(doc: dict[str, Any], patch: Any,
                                definition: str | None) -> dict[str, Any]:
    """Apply a strategic merge patch to a copy of ``doc`` (neither input is mutated).

    ``definition`` names the schema of ``doc``'s kind; None (custom resources,
    unknown kinds) makes this a JSON merge patch, as the brief for this package asks.
    """
    if patch is None:
        return json_copy(doc)  # upstream decodes ``null`` into an empty patch
    if not isinstance(patch, dict):
        raise cannot_unmarshal(patch, "map[string]interface {}")
    if definition is None:
        return apply_merge_patch(doc, patch)
    try:
        return merge_map(json_copy(doc), json_copy(patch), root_node(definition), APPLY)
    except e.SmpError as err:
        raise err.status() from None


def merge_map(original: dict[str, Any], patch: dict[str, Any], node: TypeNode,
              opts: Options) -> dict[str, Any]:
    """``mergeMap``: merge ``patch`` into ``original``; both are private and mutated."""
    if DIRECTIVE in patch:
        return _map_directive(patch, node, opts)
    _retain_keys(original, patch, opts)
    _element_orders(original, patch, node, opts)
    deletions = []
    for key in list(patch):
        if key.startswith(DELETE_PRIMITIVE):
            if opts.parallel:
                deletions.append(key)
            else:
                original[key] = patch[key]
            continue
        _merge_key(original, key, patch[key], node, opts, is_delete=False)
    for key in deletions:  # upstream's order is random; deleting last is the useful one
        try:
            list_key = _extract(key, DELETE_PRIMITIVE, e.BAD_PRIMITIVE_LIST)
        except e.SmpError as err:
            raise err.at(key) from None
        _merge_key(original, list_key, patch[key], node, opts, is_delete=True)
    return original


def _map_directive(patch: dict[str, Any], node: TypeNode, opts: Options) -> dict[str, Any]:
    """``handleDirectiveInMergeMap``: only ``replace`` and ``delete`` exist for maps."""
    directive = patch[DIRECTIVE]
    if directive == REPLACE:
        rest = {k: v for k, v in patch.items() if k != DIRECTIVE}
        return smp_lists.without_nulls(rest) if opts.parallel else rest
    if directive == DELETE:
        return {}
    raise e.bad_patch_type(directive, patch)


def _retain_keys(original: dict[str, Any], patch: dict[str, Any], opts: Options) -> None:
    """``applyRetainKeysDirective``: clear keys of ``original`` the patch does not list."""
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    if not opts.parallel:
        if RETAIN_KEYS in original and original[RETAIN_KEYS] != retain:
            raise e.SmpError(f"{original[RETAIN_KEYS]} and {retain} are not deep equal: this "
                             "may happen when calculating the 3-way diff patch")
        original[RETAIN_KEYS] = retain
        return
    if not isinstance(retain, list):
        raise e.SmpError(e.BAD_RETAIN_KEYS).at(RETAIN_KEYS)
    allowed = {k for k in retain if isinstance(k, str)}
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_PRIMITIVE, SET_ORDER)):
            continue
        if key not in allowed:
            raise e.SmpError(e.BAD_RETAIN_KEYS).at(RETAIN_KEYS)
    for key in [k for k in original if k not in allowed]:
        del original[key]


def _extract(key: str, prefix: str, message: str) -> str:
    """``extractKey``: the list name after ``<prefix>/``."""
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise e.SmpError(message)
    return rest


def _list_info(node: TypeNode, key: str) -> tuple[FieldInfo, TypeNode]:
    info = node.child(key)
    return info, (info.node.elem if info.node.kind == LIST else DEDUCED_NODE)


def _element_orders(original: dict[str, Any], patch: dict[str, Any], node: TypeNode,
                    opts: Options) -> None:
    """``mergePatchIntoOriginal``: merge each ``$setElementOrder`` list and its list."""
    for key in [k for k in patch if k.startswith(SET_ORDER)]:
        order = patch.pop(key)
        try:
            list_key = _extract(key, SET_ORDER, e.BAD_SET_ORDER)
            if not opts.parallel:
                if key in original and original[key] != order:
                    raise e.SmpError(e.BAD_SET_ORDER)
                original[key] = order
            if not isinstance(order, list):
                raise e.bad_arg_type("[]interface {}", order)
            ordered = _ordered_list(original, patch, list_key, order, node, opts)
        except e.SmpError as err:
            raise err.at(key) from None
        if ordered is not None:
            original[list_key] = ordered
            patch.pop(list_key, None)


def _ordered_list(original: dict[str, Any], patch: dict[str, Any], key: str, order: list[Any],
                  node: TypeNode, opts: Options) -> list[Any] | None:
    found_original, found_patch = key in original, key in patch
    if not found_original and not found_patch:
        return None
    current, wanted = original.get(key), patch.get(key)
    for value in (current, wanted):
        if value is not None and not isinstance(value, list):
            raise e.bad_arg_type("[]interface {}", value)
    info, elem = _list_info(node, key)
    smp_lists.check_order(wanted or [], order, info.merge_key)
    if not found_patch:
        merged = current or []
    elif not found_original:
        merged = smp_lists.remove_directives(_raw(wanted, opts))[0]
    elif info.strategy == MERGE:
        merged = smp_lists.merge_slice(current or [], wanted or [], elem, info.merge_key,
                                       opts, merge_map)
    else:
        merged = _raw(wanted, opts)
    if not merged or (not info.merge_key and isinstance(merged[0], dict)):
        return merged
    kind = smp_lists.element_kind(merged)
    inside, outside = smp_lists.partition(merged, order, info.merge_key)
    return smp_lists.normalize_order(inside, outside, order, current or [], info.merge_key, kind)


def _merge_key(original: dict[str, Any], key: str, value: Any, node: TypeNode, opts: Options,
               *, is_delete: bool) -> None:
    """One key of ``mergeMap``'s main loop."""
    try:
        if value is None:
            original.pop(key, None)
            if opts.ignore_nulls:
                return
        current = original.get(key, MISSING)
        if current is MISSING or not _same_shape(current, value):
            if not is_delete:
                _set_new(original, key, value, node.child(key), opts)
            return
        info = node.child(key)
        if isinstance(current, dict):
            if info.strategy == REPLACE:
                original[key] = _raw(value, opts)
            else:
                original[key] = merge_map(current, value, info.node, opts)
        elif isinstance(current, list):
            original[key] = _merge_list(current, value, info, opts, is_delete)
        else:
            original[key] = value
    except e.SmpError as err:
        raise err.at(key) from None


def _merge_list(current: list[Any], value: list[Any], info: FieldInfo, opts: Options,
                is_delete: bool) -> list[Any]:
    if info.strategy == MERGE or is_delete:
        elem = info.node.elem if info.node.kind == LIST else DEDUCED_NODE
        return smp_lists.merge_slice(current, value, elem, info.merge_key, opts, merge_map,
                                     is_delete=is_delete)
    return _raw(value, opts)


def _raw(value: Any, opts: Options) -> Any:
    """A patch value taken as it is (``typedPatch``); on the server, without nulls."""
    return smp_lists.without_nulls(value) if opts.parallel else value


def _same_shape(a: Any, b: Any) -> bool:
    """Upstream compares ``reflect.TypeOf``; only containers behave differently."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict)
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list)
    return True


def _set_new(original: dict[str, Any], key: str, value: Any, info: FieldInfo,
             opts: Options) -> None:
    """A key absent from ``original`` (or of another type) takes the patch value,
    without its nulls (``discardNullValuesFromPatch``) and directives."""
    if opts.parallel:
        _check_shape(info.node, value)
    if opts.ignore_nulls:
        value = smp_lists.without_nulls(value)
    value, keep = smp_lists.remove_directives(value, keep_replaced=opts.parallel)
    if keep:
        original[key] = value
    else:
        original.pop(key, None)


def _check_shape(node: TypeNode, value: Any) -> None:
    """Reject a patch value whose JSON type contradicts the schema."""
    if node.kind == MAP and not isinstance(value, dict):
        raise e.wrong_type("object", value)
    if node.kind == LIST and not isinstance(value, list):
        raise e.wrong_type("array", value)
    if node.kind == SCALAR and isinstance(value, dict | list):
        raise e.wrong_type(node.name if node.scalar else "scalar", value)
