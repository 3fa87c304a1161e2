"""What makes an applied configuration unusable (structured-merge-diff typed/validate.go).

``ObjectToTyped`` rejects a server-side apply body whose values contradict the
schema, whose associative-list items cannot be keyed or repeat a key, or that
sets fields a struct does not declare; kube-apiserver returns the collected
messages in one error.
"""

from __future__ import annotations

from typing import Any

from engine.api.patch._json import go_v
from engine.api.patch.fieldpath import pe_string
from engine.api.patch.schema_walk import DEDUCED, LIST, SCALAR, TypeNode
from engine.api.patch.typed import ItemError, item_pe


def validate(value: Any, node: TypeNode) -> list[str]:
    """What ``ObjectToTyped`` rejects in an applied configuration (validate.go)."""
    errs: list[str] = []
    _validate(value, node, "", errs)
    return errs


def _validate(value: Any, node: TypeNode, path: str, errs: list[str]) -> None:
    if node.kind == DEDUCED:
        if isinstance(value, dict):
            for key, child in value.items():
                _validate(child, node, f"{path}.{key}", errs)
        return
    if value is None:
        return
    if node.kind == SCALAR:
        problem = _scalar_problem(node.scalar, value)
        if problem:
            errs.append(f"{path}: {problem}")
    elif node.kind == LIST:
        if not isinstance(value, list):
            errs.append(f"{path}: expected list, got {go_v(value)}")
        else:
            _validate_items(value, node, path, errs)
    elif not isinstance(value, dict):
        errs.append(f"{path}: expected map, got {go_v(value)}")
    else:
        for key, child in value.items():
            info = node.child(key)
            if not info.declared and node.extra is None:
                errs.append(f"{path}.{key}: field not declared in schema")
            else:
                _validate(child, info.node, f"{path}.{key}", errs)


def _validate_items(items: list[Any], node: TypeNode, path: str, errs: list[str]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if node.atomic:
            _validate(item, node.elem, f"{path}[{i}]", errs)
            continue
        try:
            pe = item_pe(node, item)
        except ItemError as err:
            errs.append(f"{path}: element {i}: {err}")
            continue
        if pe in seen:
            errs.append(f"{path}: duplicate entries for key {pe_string(pe)}")
            continue
        seen.add(pe)
        _validate(item, node.elem, path + pe_string(pe), errs)


def _scalar_problem(kind: str, value: Any) -> str:
    """``validateScalar``."""
    if isinstance(value, dict | list):
        return f"expected {kind or 'any scalar'}, got {go_v(value)}"
    if kind == "numeric" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"expected numeric (int or float), got {type(value).__name__}"
    if kind == "string" and not isinstance(value, str):
        return f"expected string, got {go_v(value)}"
    if kind == "boolean" and not isinstance(value, bool):
        return f"expected boolean, got {go_v(value)}"
    return ""
