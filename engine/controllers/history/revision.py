"""ControllerRevisions: naming, hashing, equality, ordering.

Upstream: ``pkg/controller/history/controller_history.go``
(``ControllerRevisionName``, ``NewControllerRevision``,
``HashControllerRevision``, ``EqualRevision``, ``FindEqualRevisions``,
``SortControllerRevisions``) and the ``getPatch`` both
``pkg/controller/statefulset/stateful_set_utils.go`` and
``pkg/controller/daemon/update.go`` use for a revision's ``data``.

A revision's data is a strategic merge patch that restores the pod template:
``{"spec":{"template":{..., "$patch":"replace"}}}``, as Go's ``json.Marshal``
writes a ``map[string]interface{}`` (keys sorted, compact, ``<>&`` escaped).
The template is the object's JSON as the API server sends it, plus the
``creationTimestamp: null`` Go always writes for a zero ``metav1.Time``. The
hash is FNV-1 (not 1a) over those bytes, then the collision count in decimal,
as ``rand.SafeEncodeString`` of the sum, so names match a real cluster's
whenever the template's JSON does.
"""

from __future__ import annotations

import json
from typing import Any

from engine.api import meta

Obj = dict[str, Any]

CONTROLLER_REVISION_HASH_LABEL = "controller.kubernetes.io/hash"
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
FNV32_OFFSET = 2166136261
FNV32_PRIME = 16777619
MAX_PREFIX = 223
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
               "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_json(value: Any) -> bytes:
    """``json.Marshal`` of a decoded JSON value: sorted keys, no spaces,
    HTML-safe escapes, UTF-8 kept."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if any(c in text for c in _GO_ESCAPES):
        text = "".join(_GO_ESCAPES.get(c, c) for c in text)
    return text.encode()


def template_patch(obj: Obj) -> Obj:
    """``getPatch``: the patch that puts ``obj``'s pod template back."""
    template = meta.deep_copy((obj.get("spec") or {}).get("template") or {})
    metadata = template.setdefault("metadata", {})
    metadata.setdefault("creationTimestamp", None)
    template.setdefault("spec", {})
    template["$patch"] = "replace"
    return {"spec": {"template": template}}


def fnv32(data: bytes, h: int = FNV32_OFFSET) -> int:
    """FNV-1, 32 bits (Go's ``fnv.New32``)."""
    for byte in data:
        h = ((h * FNV32_PRIME) & 0xFFFFFFFF) ^ byte
    return h


def safe_encode_string(s: str) -> str:
    """``rand.SafeEncodeString``."""
    return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in s)


def hash_controller_revision(data: Obj, probe: int | None) -> str:
    """``HashControllerRevision``: FNV-1 of the data's bytes and the probe."""
    h = fnv32(go_json(data))
    if probe is not None:
        h = fnv32(str(probe).encode(), h)
    return safe_encode_string(str(h))


def controller_revision_name(prefix: str, hash_: str) -> str:
    """``ControllerRevisionName``: the prefix cut to 223 bytes, then the hash."""
    return f"{prefix[:MAX_PREFIX]}-{hash_}"


def new_controller_revision(parent: Obj, api_version: str, kind: str,
                            template_labels: dict[str, str] | None, data: Obj,
                            revision: int, collision_count: int | None) -> Obj:
    """``NewControllerRevision``: the template's labels plus the hash label, a
    controller reference to ``parent``, named ``<parent>-<hash>``."""
    m = parent["metadata"]
    hash_ = hash_controller_revision(data, collision_count)
    labels = {**(template_labels or {}), CONTROLLER_REVISION_HASH_LABEL: hash_}
    ref = {"apiVersion": api_version, "kind": kind, "name": m["name"], "uid": m["uid"],
           "controller": True, "blockOwnerDeletion": True}
    return {"apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": {"name": controller_revision_name(m["name"], hash_),
                         "namespace": m.get("namespace"), "labels": labels,
                         "ownerReferences": [ref]},
            "data": data, "revision": revision}


def revision_number(cr: Obj) -> int:
    return int(cr.get("revision") or 0)


def sort_revisions(revisions: list[Obj]) -> list[Obj]:
    """``SortControllerRevisions``: by revision, then creation time, then name."""
    return sorted(revisions, key=lambda r: (revision_number(r),
                                            r["metadata"].get("creationTimestamp") or "",
                                            r["metadata"]["name"]))


def equal_revision(a: Obj | None, b: Obj | None) -> bool:
    """``EqualRevision``: same data (the safe-encoded hash labels never parse
    as integers, so upstream's label shortcut never decides)."""
    if a is None or b is None:
        return a is b
    return (a.get("data") or {}) == (b.get("data") or {})


def find_equal_revisions(revisions: list[Obj], needle: Obj) -> list[Obj]:
    """``FindEqualRevisions``."""
    return [r for r in revisions if equal_revision(r, needle)]


def next_revision(revisions: list[Obj]) -> int:
    """``nextRevision``: one more than the highest (revisions sorted), or 1."""
    return revision_number(revisions[-1]) + 1 if revisions else 1
