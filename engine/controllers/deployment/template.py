"""Comparing pod templates as the deployment controller does.

Upstream: ``util/deployment_util.go`` ``EqualIgnoreHash``: both templates
without the ``pod-template-hash`` label, compared with
``apiequality.Semantic.DeepEqual`` (where nil and empty maps and slices are
equal).
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

POD_TEMPLATE_HASH = "pod-template-hash"


def _normal(value: Any) -> Any:
    """Drop null, empty maps and empty lists, recursively (Go's nil == empty)."""
    if isinstance(value, dict):
        out = {k: _normal(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != {} and v != []}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def without_hash(template: Obj) -> Obj:
    """The template with the hash label removed (a shallow copy)."""
    tm = template.get("metadata") or {}
    labels = tm.get("labels") or {}
    if POD_TEMPLATE_HASH not in labels:
        return template
    labels = {k: v for k, v in labels.items() if k != POD_TEMPLATE_HASH}
    return {**template, "metadata": {**tm, "labels": labels}}


def equal_ignore_hash(a: Obj | None, b: Obj | None) -> bool:
    """``EqualIgnoreHash``."""
    return _normal(without_hash(a or {})) == _normal(without_hash(b or {}))
