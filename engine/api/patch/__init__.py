"""Every patch type kube-apiserver accepts, plus field ownership (managedFields).

* ``application/json-patch+json`` — RFC 6902 (:mod:`.json_patch`)
* ``application/merge-patch+json`` — RFC 7386 (:mod:`.merge_patch`)
* ``application/strategic-merge-patch+json`` — :mod:`.strategic`, and the
  three-way patch ``kubectl apply`` computes client-side (:mod:`.three_way`)
* ``application/apply-patch+yaml`` — server-side apply (:mod:`.ssa`), with
  managedFields bookkeeping for ordinary writes in :mod:`.managed_fields`

Every failure is an :class:`engine.api.errors.StatusError`; inputs are never mutated.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.patch.json_patch import apply_json_patch
from engine.api.patch.managed_fields import update_managed_fields
from engine.api.patch.merge_patch import apply_merge_patch
from engine.api.patch.ssa import server_side_apply
from engine.api.patch.strategic import apply_strategic_merge_patch
from engine.api.patch.three_way import create_three_way_merge_patch

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"

# The order upstream's installer lists them in 415 errors (apiserver endpoints/installer.go).
PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH)

__all__ = [
    "APPLY_PATCH",
    "JSON_PATCH",
    "MERGE_PATCH",
    "PATCH_TYPES",
    "STRATEGIC_MERGE_PATCH",
    "apply_json_patch",
    "apply_merge_patch",
    "apply_patch",
    "apply_strategic_merge_patch",
    "create_three_way_merge_patch",
    "media_type",
    "server_side_apply",
    "unsupported_patch_type",
    "update_managed_fields",
]


def media_type(content_type: str) -> str:
    """The patch type of a Content-Type header: parameters such as charset dropped."""
    return content_type.split(";", 1)[0].strip().lower()


def unsupported_patch_type(allowed: tuple[str, ...] = PATCH_TYPES) -> errors.StatusError:
    """``negotiation.NewUnsupportedMediaTypeError``: the 415 for an unknown patch type."""
    return errors.StatusError(
        415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
        + ", ".join(allowed))


def apply_patch(content_type: str, doc: dict[str, Any], patch: Any,
                definition: str | None) -> dict[str, Any]:
    """Apply a JSON, merge or strategic merge patch, chosen by Content-Type.

    Server-side apply needs the field manager and ownership, so it goes through
    :func:`server_side_apply` instead; passing it here is a 415 like any other
    type this function cannot apply.
    """
    kind = media_type(content_type)
    if kind == JSON_PATCH:
        return apply_json_patch(doc, patch)
    if kind == MERGE_PATCH:
        return apply_merge_patch(doc, patch)
    if kind == STRATEGIC_MERGE_PATCH:
        return apply_strategic_merge_patch(doc, patch, definition)
    raise unsupported_patch_type()
