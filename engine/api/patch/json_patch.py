"""RFC 6902 JSON patch, with kube-apiserver's semantics.

kube-apiserver applies ``application/json-patch+json`` with
gopkg.in/evanphx/json-patch.v4 (k8s.io/apiserver/pkg/endpoints/handlers/patch.go,
``jsonPatcher.applyJSPatch``). Observable behaviour kept from there:

* a body that is not a list of objects is a 400 (``json: cannot unmarshal ...``);
  ``null`` is an empty patch; more than 10000 operations is a 413;
* any failing operation (missing path, failed ``test``, unknown ``op``) is a 422
  ``Invalid`` whose message is only ``the server rejected our request due to an
  error in our request`` (``NewGenericServerResponse``); the specific reason is
  chained as ``__cause__`` for logs;
* v4 quirks: ``replace`` of a missing object member adds it, ``copy`` from a
  missing member inserts ``null``, array indices may be negative (counted from
  the end) and may carry leading zeros or a sign.

Checked against ``kubectl patch --local --type json`` (the same library).
Deliberate differences from v4, where v4 is plainly buggy: paths must be empty
or start with ``/`` (v4 silently drops the first segment), and ``test`` compares
numbers by value (v4 compares their text, so ``1`` and ``1.0`` differ).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from engine.api import errors
from engine.api.patch._json import cannot_unmarshal, go_json, json_copy, json_equal

MAX_OPERATIONS = 10000
REJECTED = "the server rejected our request due to an error in our request"
_INDEX = re.compile(r"[+-]?[0-9]+")

Container = dict[str, Any] | list[Any]


class OperationError(Exception):
    """Why one operation failed, in evanphx/json-patch's words."""


def apply_json_patch(doc: dict[str, Any], patch: Any) -> dict[str, Any]:
    """Apply an RFC 6902 patch to a copy of ``doc``; ``doc`` and ``patch`` are not mutated."""
    ops = _decode(patch)
    box = [json_copy(doc)]  # a box, so that ``replace ""`` can swap the whole document
    for op in ops:
        try:
            _apply(box, op)
        except OperationError as err:
            raise errors.StatusError(422, "Invalid", REJECTED) from err
    result = box[0]
    if not isinstance(result, dict):
        # The handler then fails to decode the document into an object.
        raise errors.invalid_object("", "", "", [errors.invalid(
            "patch", go_json(result), "the patched document is not a JSON object")])
    return result


def _decode(patch: Any) -> list[dict[str, Any]]:
    """``jsonpatch.DecodePatch`` plus the operation cap of ``maxJSONPatchOperations``."""
    if patch is None:
        return []
    if not isinstance(patch, list):
        raise cannot_unmarshal(patch, "jsonpatch.Patch")
    for op in patch:
        if not isinstance(op, dict):
            raise cannot_unmarshal(op, "jsonpatch.Operation")
    if len(patch) > MAX_OPERATIONS:
        raise errors.request_entity_too_large(
            f"The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, "
            f"got {len(patch)}")
    return patch


def _apply(box: list[Any], op: dict[str, Any]) -> None:
    kind = op.get("op")
    handler = _OPS.get(kind) if isinstance(kind, str) else None
    if handler is None:
        raise OperationError(f"Unexpected kind: {kind if isinstance(kind, str) else 'unknown'}")
    handler(box, op)


def _pointer(op: dict[str, Any], name: str) -> list[str]:
    """The decoded tokens of the ``path`` or ``from`` member (RFC 6901)."""
    value = op.get(name)
    if value is None:
        raise OperationError(f"operation missing {name} field: missing value")
    if not isinstance(value, str):
        raise OperationError(f"json: cannot unmarshal {type(value).__name__} into string")
    if value == "":
        return []
    if not value.startswith("/"):
        raise OperationError(f"invalid JSON pointer: {value!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in value[1:].split("/")]


def _index(token: str, length: int, *, extra: int = 0) -> int:
    """An array index as v4 reads it: ``strconv.Atoi``, negatives from the end."""
    if not _INDEX.fullmatch(token):
        raise OperationError(f'strconv.Atoi: parsing "{token}": invalid syntax')
    idx = int(token)
    size = length + extra
    if idx >= size or idx < -size:
        raise OperationError(f"Unable to access invalid index: {idx}: invalid index referenced")
    return idx + size if idx < 0 else idx


def _parent(box: list[Any], tokens: list[str], verb: str) -> tuple[Container, str]:
    """``findObject``: the container holding the last token, which must exist."""
    if not tokens:
        raise OperationError(f"{verb} operation does not apply: doc is missing path")
    cur: Any = box[0]
    for token in tokens[:-1]:
        if isinstance(cur, dict) and token in cur:
            cur = cur[token]
        elif isinstance(cur, list):
            cur = cur[_index(token, len(cur))]
        else:
            cur = None
        if not isinstance(cur, dict | list):
            raise OperationError(f"{verb} operation does not apply: doc is missing path")
    return cur, tokens[-1]


def _get(container: Container, key: str, verb: str) -> Any:
    if isinstance(container, list):
        return container[_index(key, len(container))]
    if key not in container:
        raise OperationError(f"{verb} operation does not apply: doc is missing key: {key}")
    return container[key]


def _insert(container: Container, key: str, value: Any) -> None:
    if isinstance(container, dict):
        container[key] = value
    elif key == "-":
        container.append(value)
    else:
        container.insert(_index(key, len(container), extra=1), value)


def _remove(container: Container, key: str) -> Any:
    if isinstance(container, dict):
        if key not in container:
            raise OperationError(f"Unable to remove nonexistent key: {key}: missing value")
        return container.pop(key)
    return container.pop(_index(key, len(container)))


def _value(op: dict[str, Any]) -> Any:
    value = op.get("value")
    return json_copy(value) if isinstance(value, dict | list) else value


def _op_add(box: list[Any], op: dict[str, Any]) -> None:
    container, key = _parent(box, _pointer(op, "path"), "add")
    _insert(container, key, _value(op))


def _op_remove(box: list[Any], op: dict[str, Any]) -> None:
    container, key = _parent(box, _pointer(op, "path"), "remove")
    _remove(container, key)


def _op_replace(box: list[Any], op: dict[str, Any]) -> None:
    tokens = _pointer(op, "path")
    if not tokens:
        value = _value(op)
        if not isinstance(value, dict | list):
            raise OperationError("replace operation value must be object or array")
        box[0] = value
        return
    container, key = _parent(box, tokens, "replace")
    if isinstance(container, list):
        container[_index(key, len(container))] = _value(op)
    else:
        container[key] = _value(op)  # v4 replaces a missing member too


def _op_move(box: list[Any], op: dict[str, Any]) -> None:
    container, key = _parent(box, _pointer(op, "from"), "move")
    value = _remove(container, key)
    target, key = _parent(box, _pointer(op, "path"), "move")
    _insert(target, key, value)


def _op_copy(box: list[Any], op: dict[str, Any]) -> None:
    container, key = _parent(box, _pointer(op, "from"), "copy")
    if isinstance(container, dict) and key not in container:
        value = None  # v4 copies a missing member as null
    else:
        value = json_copy(_get(container, key, "copy"))
    target, key = _parent(box, _pointer(op, "path"), "copy")
    _insert(target, key, value)


def _op_test(box: list[Any], op: dict[str, Any]) -> None:
    tokens = _pointer(op, "path")
    path = op.get("path")
    if not tokens:
        actual = box[0]
    else:
        container, key = _parent(box, tokens, "test")
        if isinstance(container, dict) and key not in container:
            if "value" in op and op["value"] is None:
                return
            raise OperationError(f"testing value {path} failed: test failed")
        actual = _get(container, key, "test")
    if "value" not in op or not json_equal(actual, op["value"]):
        raise OperationError(f"testing value {path} failed: test failed")


_OPS: dict[str, Callable[[list[Any], dict[str, Any]], None]] = {
    "add": _op_add,
    "remove": _op_remove,
    "replace": _op_replace,
    "move": _op_move,
    "copy": _op_copy,
    "test": _op_test,
}
