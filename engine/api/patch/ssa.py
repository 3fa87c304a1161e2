"""Server-side apply (``application/apply-patch+yaml``).

The applied configuration is merged over the live object by field ownership,
as sigs.k8s.io/structured-merge-diff merge/update.go ``Updater.Apply`` does, with
the wrappers of k8s.io/apimachinery/pkg/util/managedfields/internal around it:

* versioncheck.go — the configuration must be the request's group/version/kind;
* lastappliedmanager.go — ``kubectl`` may take over fields it client-side
  applied, when the live value still matches last-applied-configuration;
* lastappliedupdater.go — ``kubectl`` keeps that annotation current;
* skipnonapplied.go — an object without managedFields first gets them, as
  ``before-first-apply``;
* merge/update.go — fields the applier applied before and no longer applies are
  pruned unless someone else owns them; changing a field another manager owns
  is a conflict unless ``force``, which takes the field over.
"""

from __future__ import annotations

import json
from typing import Any

from engine.api import errors, schema
from engine.api.patch._json import MISSING, go_json, json_copy, json_equal
from engine.api.patch.fieldpath import (
    FieldsError,
    FieldSet,
    Path,
    iterate,
    path_string,
    recursive_difference,
    with_named_parents,
)
from engine.api.patch.managed_fields import (
    APPLY,
    STRIPPED,
    UPDATE,
    Entry,
    Managed,
    decode,
    drop_fields,
    manager_id,
    record_update,
    reset_paths,
    with_managed_fields,
    without_managed_fields,
)
from engine.api.patch.schema_walk import LIST, MAP, TypeNode, for_value, root_node
from engine.api.patch.typed import compare, merge, remove_items, to_field_set
from engine.api.patch.typed_validate import validate

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
BEFORE_FIRST_APPLY = "before-first-apply"
MAX_ANNOTATIONS_BYTES = 256 * 1024  # apimachinery validation TotalAnnotationSizeLimitB


class Conflicts(Exception):
    """``merge.Conflicts``: (manager identifier, path) pairs."""

    def __init__(self, items: list[tuple[str, Path]]) -> None:
        super().__init__(f"{len(items)} conflicts")
        self.items = items


def server_side_apply(live: dict[str, Any] | None, config: Any, manager: str, *, force: bool,
                      definition: str | None, now: str, subresource: str = "",
                      reset_fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Apply ``config`` for ``manager``; returns the new object with managedFields.

    ``live`` is None when the object does not exist yet. Neither input is
    mutated. Reset fields (status on the main resource) are merged but never
    owned; the caller's strategy resets them, and defaults the result, as
    upstream does after apply. Nulls in ``config`` own their field and leave it
    unset; empty lists and maps are dropped as Go's ``omitempty`` would.
    """
    root = root_node(definition)
    _check_request(live, config, manager, definition, root)
    try:
        managed = decode(((live or {}).get("metadata") or {}).get("managedFields"))
    except FieldsError as err:
        raise errors.internal_error(f"failed to decode managed fields: {err}") from None
    ctx = _Context(root, config.get("apiVersion", ""), reset_paths(subresource, reset_fields),
                   subresource, now)
    live_obj = without_managed_fields(live)
    try:
        new, managed = _apply_kubectl_aware(live_obj, config, managed, manager, force, ctx)
    except Conflicts as err:
        raise conflict_error(err.items) from None
    new = _as_go_would_encode(json_copy(new), root) if definition else _strip_nulls(json_copy(new))
    if manager == "kubectl":
        _update_last_applied(new, config)
    return with_managed_fields(new, managed)


class _Context:
    def __init__(self, root: TypeNode, version: str, reset: tuple[Path, ...], subresource: str,
                 now: str) -> None:
        self.root, self.version, self.reset = root, version, reset
        self.subresource, self.now = subresource, now


def _check_request(live: dict[str, Any] | None, config: Any, manager: str,
                   definition: str | None, root: TypeNode) -> None:
    """The handler's and ``versionCheckManager``'s checks, then ``ObjectToTyped``."""
    if not isinstance(config, dict):
        raise errors.bad_request(
            f"error decoding YAML: json: cannot unmarshal {type(config).__name__} into Go "
            "value of type map[string]interface {}")
    if not manager:
        raise errors.invalid_object("PatchOptions", "meta.k8s.io", "", [errors.required(
            "fieldManager", "is required for apply patch")])
    expected = _expected_gvk(live, definition)
    got = _gvk_string(config.get("apiVersion"), config.get("kind"))
    if expected is not None and got != expected:
        raise errors.bad_request(f"invalid object type: {got}")
    metadata = config.get("metadata")
    if isinstance(metadata, dict) and metadata.get("managedFields") is not None:
        raise errors.bad_request("metadata.managedFields must be nil")
    problems = validate(config, root)
    if problems:
        meta = metadata if isinstance(metadata, dict) else {}
        text = problems[0] if len(problems) == 1 else "errors:\n  " + "\n  ".join(problems)
        raise errors.bad_request(
            f"failed to create typed patch object ({meta.get('namespace', '')}/"
            f"{meta.get('name', '')}; {got}): {text}")


def _gvk_string(api_version: Any, kind: Any) -> str:
    """``schema.GroupVersionKind.String()``: ``apps/v1, Kind=Deployment``, ``/v1, Kind=Pod``."""
    api_version = api_version if isinstance(api_version, str) else ""
    group, _, version = api_version.rpartition("/")
    return f"{group}/{version}, Kind={kind if isinstance(kind, str) else ''}"


def _expected_gvk(live: dict[str, Any] | None, definition: str | None) -> str | None:
    if live:
        return _gvk_string(live.get("apiVersion"), live.get("kind"))
    gvks = schema.definitions().get(definition or "", {}).get("x-kubernetes-group-version-kind")
    if not gvks:
        return None
    gvk = gvks[0]
    api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
    return _gvk_string(api_version, gvk["kind"])


def _apply_kubectl_aware(live: dict[str, Any], config: dict[str, Any], managed: Managed,
                         manager: str, force: bool, ctx: _Context) -> tuple[dict, Managed]:
    """``lastAppliedManager.Apply``: kubectl may take over its client-side fields."""
    ident = manager_id(manager, APPLY, "", ctx.subresource)
    try:
        return _apply(live, config, managed, ident, force, ctx)
    except Conflicts as err:
        if manager != "kubectl":
            raise
        allowed = _allowed_from_last_applied(live, ctx)
        if allowed is None:
            raise
        remaining = [(m, p) for m, p in err.items if p not in allowed]
        if remaining:
            raise Conflicts(remaining) from None
        return _apply(live, config, managed, ident, True, ctx)


def _allowed_from_last_applied(live: dict[str, Any], ctx: _Context) -> FieldSet | None:
    """Fields in last-applied-configuration whose live value still matches it."""
    text = ((live.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
    if not text:
        return None
    try:
        last = json.loads(text)
    except ValueError:
        return None
    if not isinstance(last, dict) or last.get("apiVersion") != ctx.version:
        return None
    if validate(last, ctx.root):
        return None
    diff = compare(last, live, ctx.root)
    return to_field_set(last, ctx.root) - diff.modified - diff.added - diff.removed


def _apply(live: dict[str, Any], config: dict[str, Any], managed: Managed, ident: str,
           force: bool, ctx: _Context) -> tuple[dict[str, Any], Managed]:
    """``Updater.Apply`` inside strip-meta and the managed-fields timestamps."""
    if not managed:  # skipNonApplied: the existing fields go to before-first-apply
        first = manager_id(BEFORE_FIRST_APPLY, UPDATE, ctx.version, ctx.subresource)
        managed = record_update({}, live, {}, first, ctx.version, ctx.root, ctx.reset, ctx.now)
    merged = merge(live, config, ctx.root)
    merged = {} if merged is MISSING else merged
    last = managed.get(ident)
    applied = recursive_difference(to_field_set(config, ctx.root), ctx.reset)
    managed = {**managed, ident: Entry(applied, ctx.version, True, last.time if last else None)}
    merged = _prune(merged, managed, last, ctx.root)
    managed = _take_over(live, merged, managed, ident, force, ctx)
    changed = not json_equal(live, merged)
    mine = managed.pop(ident, None)
    if mine is not None and mine.fields - STRIPPED:
        managed[ident] = mine._replace(fields=mine.fields - STRIPPED,
                                       time=ctx.now if changed else mine.time)
    return (merged if changed else live), managed


def _prune(merged: dict[str, Any], managed: Managed, last: Entry | None,
           root: TypeNode) -> dict[str, Any]:
    """``Updater.prune``: drop what the applier owned, no longer applies, and nobody
    else owns (addBackOwnedItems, addBackDanglingItems)."""
    if last is None or not last.fields:
        return merged
    last_set = with_named_parents(last.fields, root)
    pruned = remove_items(merged, last_set, root)
    owned: set[Path] = set()
    for entry in managed.values():
        owned |= entry.fields
    merged_set = with_named_parents(to_field_set(merged, root), root)
    pruned_set = with_named_parents(to_field_set(pruned, root), root)
    keep = pruned_set | with_named_parents(owned, root)
    pruned = remove_items(merged, merged_set - keep, root)
    pruned_set = with_named_parents(to_field_set(pruned, root), root)
    return remove_items(merged, (merged_set - pruned_set) & last_set, root)


def _take_over(live: dict[str, Any], new: dict[str, Any], managed: Managed, ident: str,
               force: bool, ctx: _Context) -> Managed:
    """``Updater.update``: conflicts with other owners of changed fields; on force
    (or none) they lose those fields, and everyone loses removed fields."""
    diff = compare(live, new, ctx.root).without(ctx.reset)
    changed = frozenset(diff.modified | diff.added)
    conflicts = [(m, p) for m in sorted(managed) if m != ident
                 for p in iterate(managed[m].fields & changed)]
    if conflicts and not force:
        raise Conflicts(conflicts)
    return drop_fields(managed, changed | diff.removed, keep=ident)


def print_manager(ident: str) -> str:
    """``printManager``: ``"kubectl"``, or ``"kube-controller" using apps/v1``."""
    try:
        info = json.loads(ident)
    except ValueError:
        return json.dumps(ident)
    text = json.dumps(info.get("manager", ""), ensure_ascii=False)
    if info.get("subresource"):
        text += f" with subresource {json.dumps(info['subresource'], ensure_ascii=False)}"
    if info.get("operation") == UPDATE:
        text += f" using {info.get('apiVersion', '')}"
    return text


def conflict_error(items: list[tuple[str, Path]]) -> errors.StatusError:
    """``NewConflictError``: 409 with one FieldManagerConflict cause per field."""
    causes = [{"reason": "FieldManagerConflict", "message": f"conflict with {print_manager(m)}",
               "field": path_string(p)} for m, p in items]
    if len(items) == 1:
        m, p = items[0]
        message = f"Apply failed with 1 conflict: conflict with {print_manager(m)}: {path_string(p)}"
    else:
        lines = []
        for m in sorted({m for m, _ in items}):
            lines.append(f"conflicts with {print_manager(m)}:")
            lines.extend(f"- {path_string(p)}" for mm, p in items if mm == m)
        message = f"Apply failed with {len(items)} conflicts: " + "\n".join(lines)
    return errors.StatusError(409, "Conflict", message, {"causes": causes})


def _update_last_applied(obj: dict[str, Any], config: dict[str, Any]) -> None:
    """``lastAppliedUpdater``: if the object carries the annotation, refresh it."""
    annotations = (obj.get("metadata") or {}).get("annotations")
    if not isinstance(annotations, dict) or not annotations.get(LAST_APPLIED):
        return
    applied = json_copy(config)
    meta = applied.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
        meta["annotations"].pop(LAST_APPLIED, None)
    annotations[LAST_APPLIED] = go_json(applied)
    if sum(len(k) + len(v) for k, v in annotations.items() if isinstance(v, str)) > (
            MAX_ANNOTATIONS_BYTES):
        del annotations[LAST_APPLIED]


def _as_go_would_encode(value: Any, node: TypeNode) -> Any:
    """The object after upstream's round trip through its Go type (``TypedToObject``
    then ``toVersioned``): nulls, empty lists and empty Go maps (``omitempty``)
    disappear; empty structs stay. Without it a field applied as ``[]`` would
    differ from the same field pruned away, and re-applies would never settle."""
    node = for_value(node, value)
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            sub = node.child(key).node if node.kind == MAP else node
            child = _as_go_would_encode(child, sub)
            if child is None or child == [] or (child == {} and _is_go_map(sub)):
                continue
            out[key] = child
        return out
    if isinstance(value, list):
        elem = node.elem if node.kind == LIST else node
        return [_as_go_would_encode(v, elem) for v in value]
    return value


def _is_go_map(node: TypeNode) -> bool:
    return node.kind == MAP and node.extra is not None and not node.props


def _strip_nulls(value: Any) -> Any:
    """Drop null members: decoding into Go types leaves such fields unset."""
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value
