"""The three-way patch client-side ``kubectl apply`` sends.

``original`` is the last-applied-configuration annotation, ``modified`` the file
(kubectl adds the new annotation to it before diffing), ``current`` the live
object. The patch carries every change from live to file, but deletions only
for fields the previous apply set and the file no longer does; fields that
only the live object has (a scale, a label someone added, defaults) survive.

Upstream: ``strategicpatch.CreateThreeWayMergePatch`` for built-in kinds and
``jsonmergepatch.CreateThreeWayJSONMergePatch`` for kinds without a schema
(k8s.io/kubectl/pkg/cmd/apply/patcher.go picks between them). kubectl passes
``overwrite=true``, so the strategic form never reports conflicts.
"""

from __future__ import annotations

from typing import Any

import yaml

from engine.api import errors
from engine.api.patch import smp_errors as e
from engine.api.patch._json import go_v, json_copy, json_equal, json_type, sort_keys_deep
from engine.api.patch.merge_patch import merge_into
from engine.api.patch.schema_walk import root_node
from engine.api.patch.smp_diff import DiffOptions, diff_maps
from engine.api.patch.strategic import COMBINE, merge_map


def create_three_way_merge_patch(original: dict[str, Any] | None, modified: dict[str, Any],
                                 current: dict[str, Any],
                                 definition: str | None) -> dict[str, Any]:
    """The patch ``kubectl apply`` sends: a strategic merge patch, or a JSON merge
    patch when ``definition`` is None. Keys are sorted, as Go marshals maps."""
    for name, value in (("original", original or {}), ("modified", modified),
                        ("current", current)):
        if not isinstance(value, dict):
            raise errors.bad_request(f"invalid JSON document: {name} is a {json_type(value)}")
    o, m, c = json_copy(original or {}), json_copy(modified), json_copy(current)
    if definition is None:
        return sort_keys_deep(_json_three_way(o, m, c))
    root = root_node(definition)
    try:
        delta = diff_maps(c, m, root, DiffOptions(ignore_deletions=True))
        deletions = diff_maps(o, m, root, DiffOptions(ignore_changes=True))
        return sort_keys_deep(merge_map(deletions, delta, root, COMBINE))
    except e.SmpError as err:
        raise err.status() from None


def _json_three_way(original: dict[str, Any], modified: dict[str, Any],
                    current: dict[str, Any]) -> dict[str, Any]:
    """``CreateThreeWayJSONMergePatch`` with kubectl's preconditions."""
    changes = keep_or_delete_null(create_merge_patch(current, modified), keep_null=False)
    deletions = keep_or_delete_null(create_merge_patch(original, modified), keep_null=True)
    if has_conflicts(changes, deletions):
        raise errors.StatusError(409, "Conflict", (
            f"patch:\n{_yaml(changes)}\nconflicts with changes made from original to "
            f"current:\n{_yaml(deletions)}\n"))
    merge_into(deletions, changes)
    for key in ("apiVersion", "kind"):
        if key in deletions:
            raise _precondition_failed(deletions)
    if isinstance(deletions.get("metadata"), dict) and "name" in deletions["metadata"]:
        raise _precondition_failed(deletions)
    return deletions


def _precondition_failed(patch: dict[str, Any]) -> errors.StatusError:
    return errors.bad_request(f"precondition failed for: {go_v(patch)}")


def _yaml(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=True)


def create_merge_patch(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """evanphx ``CreateMergePatch`` (``getDiff``): the RFC 7386 patch from ``a`` to ``b``."""
    out: dict[str, Any] = {}
    for key, new in b.items():
        if key not in a or json_type(a[key]) != json_type(new):
            out[key] = new
        elif isinstance(new, dict):
            sub = create_merge_patch(a[key], new)
            if sub:
                out[key] = sub
        elif not json_equal(a[key], new):
            out[key] = new
    for key in a:
        if key not in b:
            out[key] = None
    return out


def keep_or_delete_null(patch: dict[str, Any], *, keep_null: bool) -> dict[str, Any]:
    """``keepOrDeleteNullInObj``: only the deletions, or only the changes."""
    out: dict[str, Any] = {}
    for key, value in patch.items():
        if value is None:
            if keep_null:
                out[key] = None
        elif isinstance(value, dict) and value:
            sub = keep_or_delete_null(value, keep_null=keep_null)
            if sub:
                out[key] = sub
        elif not keep_null:
            out[key] = value  # lists, scalars and explicitly empty maps are values
    return out


def has_conflicts(left: Any, right: Any) -> bool:
    """``mergepatch.HasConflicts``: both patches touch a key in different ways."""
    if isinstance(left, dict):
        if not isinstance(right, dict):
            return True
        return any(has_conflicts(v, right[k]) for k, v in left.items() if k in right)
    if isinstance(left, list):
        if not isinstance(right, list) or len(left) != len(right):
            return True
        return any(has_conflicts(x, y) for x, y in zip(left, right, strict=True))
    return not json_equal(left, right)
