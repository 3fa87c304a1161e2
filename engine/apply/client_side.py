"""Client-side apply: what ``kubectl apply`` sends for one object.

k8s.io/kubectl ``pkg/cmd/apply/apply.go`` (``applyOneObject``) and
``patcher.go`` (``Patcher.Patch``/``patchSimple``):

1. GET the live object;
2. absent: POST the manifest carrying the last-applied annotation;
3. present: a three-way patch between the live object's last-applied
   annotation, the manifest (with its new annotation) and the live object —
   a strategic merge patch for built-in kinds, a JSON merge patch otherwise —
   sent unless it is empty (``unchanged``).

Writes use kubectl's field manager ``kubectl-client-side-apply`` and
``fieldValidation=Strict`` (kubectl's default ``--validate=strict``).
"""

from __future__ import annotations

from typing import Any

from engine.api import patch as patches
from engine.api.errors import StatusError
from engine.api.patch._json import go_json
from engine.apply.errors import ManifestError, status_message
from engine.apply.objects import Target, last_applied
from engine.apply.results import CONFIGURED, CREATED, UNCHANGED, Outcome

FIELD_MANAGER = "kubectl-client-side-apply"
STRICT = "Strict"
Obj = dict[str, Any]


def get_live(client: Any, target: Target) -> Obj | None:
    """The live object, or None when it does not exist."""
    try:
        return client.get(target.info, target.name, target.namespace or None)
    except StatusError as err:
        if err.code == 404 and err.reason == "NotFound":
            return None
        raise target.fail(_retrieve_message(target, err), err.reason, err.status()) from None


def apply(client: Any, target: Target, *, dry_run: bool = False) -> Outcome:
    """Create or patch ``target`` as kubectl's client-side apply does."""
    live = get_live(client, target)
    modified = target.modified()
    if live is None:
        return _create(client, target, modified, dry_run)
    warnings = [] if last_applied(live) else [_missing_annotation(target)]
    body = _three_way(target, live, modified)
    if not body:
        return Outcome(target, UNCHANGED, live, live, warnings=warnings)
    kind = patches.STRATEGIC_MERGE_PATCH if target.definition else patches.MERGE_PATCH
    try:
        after = client.patch(target.info, target.name, body, kind,
                             namespace=target.namespace or None, dry_run=dry_run,
                             field_manager=FIELD_MANAGER, field_validation=STRICT)
    except StatusError as err:
        raise _patch_error(target, body, err) from None
    return Outcome(target, CONFIGURED, live, after, warnings=warnings)


def _create(client: Any, target: Target, modified: Obj, dry_run: bool) -> Outcome:
    try:
        after = client.create(target.info, modified, namespace=target.namespace or None,
                              dry_run=dry_run, field_manager=FIELD_MANAGER,
                              field_validation=STRICT)
    except StatusError as err:
        raise target.fail(status_message(err, "creating", target.source), err.reason,
                          err.status()) from None
    return Outcome(target, CREATED, None, after)


def _three_way(target: Target, live: Obj, modified: Obj) -> Obj:
    """``CreateThreeWayMergePatch`` (or the JSON merge form) from the shared library."""
    try:
        return patches.create_three_way_merge_patch(last_applied(live), modified, live,
                                                    target.definition)
    except StatusError as err:
        raise target.fail(
            f"error when creating patch with:\n{go_json(modified)}\nfor: \"{target.source}\": "
            f"{err.message}", err.reason) from None


def _patch_error(target: Target, body: Obj, err: StatusError) -> ManifestError:
    """kubectl's ``error when applying patch`` text; the short line as the message."""
    out = target.fail(status_message(err, "patching", target.source), err.reason,
                      err.status())
    out.detail = patch_error_text(target, body, err)
    return out


def patch_error_text(target: Target, body: Obj, err: StatusError) -> str:
    """The whole message kubectl prints when a patch fails (``patcher.go``)."""
    i = target.info
    gv = f"{i.group}/{i.version}"
    return (f"Error from server ({err.reason}): error when applying patch:\n{go_json(body)}\n"
            f'to:\nResource: "{gv}, Resource={i.plural}", GroupVersionKind: '
            f'"{gv}, Kind={i.kind}"\nName: "{target.name}", Namespace: "{target.namespace}"\n'
            f'for: "{target.source}": error when patching "{target.source}": {err.message}')


def _retrieve_message(target: Target, err: StatusError) -> str:
    i = target.info
    gv = f"{i.group}/{i.version}"
    return (f"Error from server ({err.reason}): error when retrieving current configuration "
            f'of:\nResource: "{gv}, Resource={i.plural}", GroupVersionKind: '
            f'"{gv}, Kind={i.kind}"\nName: "{target.name}", Namespace: "{target.namespace}"\n'
            f'from server for: "{target.source}": {err.message}')


def _missing_annotation(target: Target) -> str:
    return (f"Warning: resource {target.info.plural}/{target.name} is missing the "
            "kubectl.kubernetes.io/last-applied-configuration annotation which is required by "
            "kubectl apply. kubectl apply should only be used on resources created "
            "declaratively by either kubectl create --save-config or kubectl apply. The "
            "missing annotation will be patched automatically.")
