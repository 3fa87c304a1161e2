"""Strategic merge patch diffs: the patch that turns one object into another.

Follows ``diffMaps`` / ``diffLists`` in k8s.io/apimachinery/pkg/util/strategicpatch/
patch.go. A diff can ignore deletions (the change from the live object to the
file: never remove what controllers or other users added) or ignore changes and
additions (the deletions from the last applied file to the new one), which is
how ``CreateThreeWayMergePatch`` builds what ``kubectl apply`` sends.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from engine.api.patch import smp_errors as e
from engine.api.patch import smp_lists
from engine.api.patch._json import go_v, json_equal, json_type
from engine.api.patch.schema_walk import DEDUCED_NODE, LIST, TypeNode
from engine.api.patch.smp_lists import DELETE, DIRECTIVE, MERGE, REPLACE
from engine.api.patch.strategic import DELETE_PRIMITIVE, RETAIN_KEYS, SET_ORDER


@dataclass(frozen=True)
class DiffOptions:
    """``DiffOptions``."""

    set_element_order: bool = True
    ignore_changes: bool = False  # IgnoreChangesAndAdditions
    ignore_deletions: bool = False
    retain_keys: bool = False  # BuildRetainKeysDirective


def diff_maps(original: dict[str, Any], modified: dict[str, Any], node: TypeNode,
              opts: DiffOptions) -> dict[str, Any]:
    """``diffMaps``: a patch that yields ``modified`` when applied to ``original``."""
    patch: dict[str, Any] = {}
    retain: list[str] = []
    for key, new in modified.items():
        if opts.retain_keys and new is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes:
                patch[key] = new
            continue
        old = original[key]
        if key == DIRECTIVE:
            if not isinstance(old, str) or not isinstance(new, str):
                raise e.SmpError(f"invalid value for special key: {DIRECTIVE}")
            if old != new:
                patch[key] = new
            continue
        try:
            _diff_value(key, old, new, patch, node, opts)
        except e.SmpError as err:
            raise err.at(key) from None
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or _has_extra_field(original, modified)):
        patch[RETAIN_KEYS] = sorted(retain, key=go_v)
    return patch


def _diff_value(key: str, old: Any, new: Any, patch: dict[str, Any], node: TypeNode,
                opts: DiffOptions) -> None:
    if json_type(old) != json_type(new):
        if not opts.ignore_changes:
            patch[key] = new
        return
    if isinstance(old, dict):
        info = node.child(key)
        if info.strategy == REPLACE:
            if not opts.ignore_changes:
                patch[key] = new
            return
        sub = diff_maps(old, new, info.node, replace(opts, retain_keys=info.retain_keys))
        if sub:
            patch[key] = sub
    elif isinstance(old, list):
        info = node.child(key)
        if info.strategy != MERGE:
            _replace_if_changed(key, old, new, patch, opts)
            return
        elem = info.node.elem if info.node.kind == LIST else DEDUCED_NODE
        sub_opts = replace(opts, retain_keys=info.retain_keys)
        added, deleted, order = diff_lists(old, new, elem, info.merge_key, sub_opts)
        if added:
            patch[key] = added
        if deleted:
            patch[f"{DELETE_PRIMITIVE}/{key}"] = deleted
        if order:
            patch[f"{SET_ORDER}/{key}"] = order
    else:
        _replace_if_changed(key, old, new, patch, opts)


def _replace_if_changed(key: str, old: Any, new: Any, patch: dict[str, Any],
                        opts: DiffOptions) -> None:
    if not opts.ignore_changes and not json_equal(old, new):
        patch[key] = new


def _has_extra_field(original: dict[str, Any], modified: dict[str, Any]) -> bool:
    """``hasAdditionalNewField``."""
    return any(v is not None and k not in modified for k, v in original.items())


def diff_lists(original: list[Any], modified: list[Any], node: TypeNode, merge_key: str,
               opts: DiffOptions) -> tuple[list[Any], list[Any], list[Any]]:
    """``diffLists``: (changes and additions, primitive deletions, $setElementOrder)."""
    if not original:
        if not modified or opts.ignore_changes:
            return [], [], []
        return modified, [], []
    kind = smp_lists.element_kind(original, modified)
    if kind == "map":
        changed, deleted = _diff_lists_of_maps(original, modified, node, merge_key, opts)
        changed = smp_lists.sort_by(changed, modified, merge_key, kind) + deleted
        same_order = _order_same(original, modified, merge_key)
        order: list[Any] = []
        if opts.set_element_order and (
                (not opts.ignore_changes and (changed or not same_order))
                or (not opts.ignore_deletions and changed)):
            order = [{merge_key: item[merge_key]} for item in modified]
        return changed, [], order
    added, removed = _diff_lists_of_scalars(original, modified, opts)
    added = smp_lists.sort_by(added, modified, "", kind)
    order = []
    # diffListsOfScalars sorts ``original`` in place before this comparison, so an
    # unsorted list always gets an order directive; kubectl's patches show it.
    if opts.set_element_order and ((not opts.ignore_deletions and removed) or (
            not opts.ignore_changes and not json_equal(sorted(original, key=go_v), modified))):
        order = modified
    return added, removed, order


def _order_same(original: list[Any], modified: list[Any], merge_key: str) -> bool:
    """``isOrderSame``."""
    if len(original) != len(modified):
        return False
    return all(smp_lists.key_equal(o, m, merge_key)
               for o, m in zip(original, modified, strict=True))


def _diff_lists_of_scalars(original: list[Any], modified: list[Any],
                           opts: DiffOptions) -> tuple[list[Any], list[Any]]:
    """``diffListsOfScalars``: walk both lists sorted by their ``%v`` text."""
    old = sorted(original, key=go_v)
    new = sorted(modified, key=go_v)
    added: list[Any] = []
    removed: list[Any] = []
    i = j = 0
    while i < len(old) or j < len(new):
        a = go_v(old[i]) if i < len(old) else None
        b = go_v(new[j]) if j < len(new) else None
        if a is not None and b is not None and a == b:
            i, j = i + 1, j + 1
        elif b is not None and (a is None or a > b):
            if not opts.ignore_changes:
                added.append(new[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                removed.append(old[i])
            i += 1
    return added, smp_lists.dedupe(removed)


def _diff_lists_of_maps(original: list[Any], modified: list[Any], node: TypeNode,
                        merge_key: str, opts: DiffOptions) -> tuple[list[Any], list[Any]]:
    """``diffListsOfMaps``: walk both lists sorted by merge key."""
    old = _sorted_by_key(original, merge_key)
    new = _sorted_by_key(modified, merge_key)
    changed: list[Any] = []
    deleted: list[Any] = []
    i = j = 0
    while i < len(old) or j < len(new):
        a = go_v(old[i][merge_key]) if i < len(old) else None
        b = go_v(new[j][merge_key]) if j < len(new) else None
        if a is not None and a == b:
            sub = diff_maps(old[i], new[j], node, opts)
            if sub:
                sub[merge_key] = new[j][merge_key]
                changed.append(sub)
            i, j = i + 1, j + 1
        elif b is not None and (a is None or a > b):
            if not opts.ignore_changes:
                changed.append(new[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deleted.append({merge_key: old[i][merge_key], DIRECTIVE: DELETE})
            i += 1
    return changed, deleted


def _sorted_by_key(items: list[Any], merge_key: str) -> list[dict[str, Any]]:
    for item in items:
        if not isinstance(item, dict):
            raise e.bad_arg_type("map[string]interface {}", item)
        if merge_key not in item:
            raise e.no_merge_key(item, merge_key)
    return sorted(items, key=lambda item: go_v(item[merge_key]))
