"""RFC 7386 JSON merge patch, as kube-apiserver applies it.

Upstream: ``jsonpatch.MergePatch`` from gopkg.in/evanphx/json-patch.v4 (merge.go),
called by ``jsonPatcher.applyJSPatch`` in k8s.io/apiserver's patch handler.
Objects merge recursively, ``null`` deletes a member, anything else (lists
included) replaces; nulls inside newly added values are pruned. A ``null`` body
is ``Invalid JSON Patch`` (400) and a body that is not an object is the 400 the
handler's strict decode returns (``error decoding patch: json: cannot
unmarshal ...``): a Kubernetes object can only be patched into an object.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.patch._json import json_copy, json_type


def apply_merge_patch(doc: dict[str, Any], patch: Any) -> dict[str, Any]:
    """Merge ``patch`` into a copy of ``doc``; neither argument is mutated."""
    if patch is None:
        raise errors.bad_request("Invalid JSON Patch")
    if not isinstance(patch, dict):
        raise errors.bad_request(
            f"error decoding patch: json: cannot unmarshal {json_type(patch)} into Go value "
            "of type map[string]interface {}")
    result = json_copy(doc)
    merge_into(result, json_copy(patch))
    return result


def merge_into(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    """``mergeDocs``: merge ``patch`` into ``doc`` in place (both already private copies)."""
    for key, value in patch.items():
        if value is None:
            doc.pop(key, None)
            continue
        current = doc.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merge_into(current, value)
        elif current is None or not isinstance(current, dict):
            doc[key] = prune_nulls(value)
        else:
            doc[key] = value  # an object replaced by a list or scalar: v4 does not prune it


def prune_nulls(value: Any) -> Any:
    """``pruneNulls``: drop null members of objects, recursing through lists."""
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            del value[key]
        for v in value.values():
            prune_nulls(v)
    elif isinstance(value, list):
        for v in value:
            prune_nulls(v)
    return value
