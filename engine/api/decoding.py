"""Turning a request body into an object the registry can store.

As kube-apiserver's decoder does: the body must be a JSON object of the kind
the endpoint serves; fields the schema does not know are dropped, reported as
warnings, or rejected, according to ``fieldValidation`` (Ignore, Warn, Strict;
upstream ``pkg/endpoints/handlers/rest.go`` and the strict decoding errors of
``k8s.io/apimachinery/pkg/runtime/serializer/json``).
"""

from __future__ import annotations

from typing import Any

import orjson

from engine.api import errors, jsonbytes, meta, schema
from engine.api.resources import ResourceInfo

Obj = dict[str, Any]

FIELD_VALIDATION = ("Ignore", "Warn", "Strict")


def decode_request(info: ResourceInfo, body: Any, field_validation: str = "Warn",
                   warnings: list[str] | None = None, *, owned: bool = False,
                   old: Obj | None = None) -> Obj:
    """A private, checked copy of ``body`` for ``info``'s kind.

    ``owned``: the caller hands ``body`` over (an in-process caller that built
    it of JSON values alone and never uses it again, or the server's own
    :func:`owned_copy` of an update's body), so it is checked and used as it
    is instead of copied; unknown fields are pruned from a full copy.

    ``old``: for an update, the stored object it replaces; the schema check
    takes the parts equal to old's as clean (``validate_schema(old=)``, the
    same result, cheaper)."""
    _check_request(info, body, field_validation)
    if owned:
        obj = body
    else:
        try:
            obj = orjson.loads(orjson.dumps(body))
        except (TypeError, orjson.JSONEncodeError) as err:
            raise errors.bad_request(f"the object is not valid JSON: {err}") from None
    return _checked(info, obj, field_validation, warnings, owned, old)


def decode_update(info: ResourceInfo, body: Any, field_validation: str, warnings: list[str] | None,
                  stored: bytes, revision: int) -> tuple[Obj, Obj]:
    """``decode_request(body, old=...)`` and old, decoded from ``stored`` at
    ``revision``, for a kind whose update path leaves the parts an update
    did not change alone (``Strategy.shares_unchanged_parts``): parts byte
    for byte the same as the stored ones are decoded once and are the same
    objects in both (see :func:`_copy_sharing`)."""
    _check_request(info, body, field_validation)
    try:
        obj, old = _copy_sharing(body, stored, revision)
    except (TypeError, orjson.JSONEncodeError) as err:
        raise errors.bad_request(f"the object is not valid JSON: {err}") from None
    return _checked(info, obj, field_validation, warnings, False, old), old


def _check_request(info: ResourceInfo, body: Any, field_validation: str) -> None:
    if field_validation not in FIELD_VALIDATION:
        raise errors.bad_request(
            f"fieldValidation parameter unsupported: {field_validation}. Supported values: "
            "Ignore, Warn, Strict")
    if not isinstance(body, dict):
        raise errors.bad_request(
            f"the body of the request was in an unknown format - expected a JSON object for "
            f"{info.kind}, got {type(body).__name__}")


def _checked(info: ResourceInfo, obj: Obj, field_validation: str, warnings: list[str] | None,
             owned: bool, old: Obj | None) -> Obj:
    """The copy's type, metadata and schema checked (unknown fields pruned)."""
    _check_type(info, obj)
    if not isinstance(obj.get("metadata", {}), dict):
        raise errors.bad_request(_cannot_handle(info, "metadata must be an object"))
    obj.setdefault("metadata", {})
    return _check_schema(info, obj, field_validation, warnings, owned, old)


def _copy_sharing(body: Obj, stored: bytes, revision: int) -> tuple[Obj, Obj]:
    """``orjson.loads(orjson.dumps(body))`` and ``meta.decode(stored,
    revision)``, except that trailing parts (spec, status) byte for byte
    the same in both are decoded once, shared, and their bytes go to
    :mod:`jsonbytes` for defaulting and validation. A label update then
    decodes its metadata twice (the body's and the stored one) and the rest
    once, instead of everything twice. Parts before the last changed one
    are compared with old's after decoding it (:func:`_same_as_old`).

    Each part of the body is encoded inside a one-element list, one level
    deeper, so encoding fails exactly where encoding the whole body would
    (orjson's depth limit included), with the same message.

    Why a suffix match proves a part the same: ``stored`` is orjson's
    rendering of old, so it ends with old's last members, each a balanced
    JSON value. If it ends with ``,"spec":S,"status":T}`` for balanced S and
    T, then T ends where old's last value ends and is old's last value (a
    value nested inside another ends before it), preceded by its key; the
    same then holds for S, and what comes before ``,"spec"``, closed with
    ``}``, is old's other members. Only plain keys (ASCII letters and
    digits) are matched, so no escaping can make two keys render alike."""
    items = list(body.items())
    try:
        wrapped = [orjson.dumps([value]) for _, value in items]
    except (TypeError, orjson.JSONEncodeError):
        orjson.dumps(body)  # the whole body's first error: a key may come before this part
        raise
    first, tail = len(items), b"}"
    for i in range(len(items) - 1, -1, -1):
        name = items[i][0]
        if name == "metadata" or not (type(name) is str and name.isascii() and name.isalnum()):
            break
        candidate = b',"' + name.encode() + b'":' + wrapped[i][1:-1] + tail
        if not stored.endswith(candidate):
            break
        first, tail = i, candidate
    if first == len(items):
        old = meta.decode(stored, revision)
    else:
        old = orjson.loads(stored[: len(stored) - len(tail)] + b"}")
    obj: Obj = {}
    for i, (name, value) in enumerate(items):
        if type(name) is not str:
            orjson.dumps(body)  # the parts did not show orjson the top level's keys
        if i < first:
            if type(value) is str:
                obj[name] = value  # immutable, and encodable (dumps took it)
            elif type(value) is dict and name != "metadata":
                obj[name] = _same_as_old(name, wrapped[i], old)
            else:
                obj[name] = orjson.loads(wrapped[i])[0]
            continue
        part = obj[name] = orjson.loads(wrapped[i])[0]
        if type(part) is dict and jsonbytes.remember(part, wrapped[i][1:-1]):
            old[name] = part
        elif type(part) is dict or type(part) is list:
            old[name] = orjson.loads(wrapped[i])[0]  # not known to be shared: a copy
        else:
            old[name] = part  # a scalar: nothing to change in place
    old.setdefault("metadata", {})["resourceVersion"] = str(revision)
    return obj, old


def _same_as_old(name: Any, wrapped: bytes, old: Obj) -> Any:
    """The copy of a body's part the suffix match did not reach: old's own
    object when it is a part other than metadata with the same bytes (a
    status write's unchanged spec, which comes before the status it
    changes), else a decoding of ``wrapped``."""
    prev = old.get(name) if type(name) is str else None
    if type(prev) is dict:
        encoded = wrapped[1:-1]
        if encoded == orjson.dumps(prev) and jsonbytes.remember(prev, encoded):
            return prev
    return orjson.loads(wrapped)[0]


def owned_copy(body: Any) -> Any:
    """An owned update's ``body`` with its top level, ``metadata`` and
    ``status`` copied one level deep: the API server sets apiVersion/kind,
    system metadata and status defaults (``default_status``, the pod's kept
    qosClass) there, and the caller's dicts (which it may keep, as the kubelet
    keeps the status it sent, or share with an informer's cached object) must
    not change. Deeper parts are shared and only read."""
    if type(body) is not dict:
        return body
    obj = dict(body)
    for field in ("metadata", "status"):
        part = obj.get(field)
        if type(part) is dict:
            obj[field] = dict(part)
    return obj


_CHECKS: list[Any] = []


def _schema_checks() -> tuple[Any, Any] | None:
    """``validate_schema`` and ``prune_unknown_fields``, imported on first use
    (the validation package imports this module's callers) and kept: an
    import statement per request costs a package lookup each time."""
    if not _CHECKS:
        try:
            from engine.api.validation import prune_unknown_fields, validate_schema
        except ImportError:  # the validation package is optional while it is built
            return None
        _CHECKS.append((validate_schema, prune_unknown_fields))
    return _CHECKS[0]


def _cannot_handle(info: ResourceInfo, why: str) -> str:
    return f'{info.kind} in version "{info.version}" cannot be handled as a {info.kind}: {why}'


def _check_type(info: ResourceInfo, obj: Obj) -> None:
    """apiVersion and kind, when sent, must name this endpoint's kind."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if kind is not None and kind != info.kind:
        raise errors.bad_request(
            f'{kind} in version "{api_version or info.version}" cannot be handled as a '
            f"{info.kind}: the kind of the object ({kind}) does not match the kind served here "
            f"({info.kind})")
    if api_version is not None and api_version != info.api_version:
        raise errors.bad_request(
            f"the API version in the data ({api_version}) does not match the expected API "
            f"version ({info.api_version})")
    obj["apiVersion"], obj["kind"] = info.api_version, info.kind


def _check_schema(info: ResourceInfo, obj: Obj, mode: str, warnings: list[str] | None,
                  owned: bool = False, old: Obj | None = None) -> Obj:
    """``obj`` checked against its schema, with unknown fields pruned (from a
    full copy when ``owned``: pruning reaches parts the caller may share)."""
    definition = schema.definition_name(info.group, info.version, info.kind)
    if definition is None:
        return obj
    checks = _schema_checks()
    if checks is None:
        return obj
    validate_schema, prune_unknown_fields = checks
    # A copy made through JSON holds no NaN (an owned body may).
    type_errors, unknown = validate_schema(obj, definition, strict=mode == "Strict", old=old,
                                           nan_free=not owned)
    if type_errors:
        raise errors.bad_request(_cannot_handle(info, "; ".join(type_errors)))
    if not unknown:
        return obj
    messages = [f'unknown field "{path}"' for path in unknown]
    if mode == "Strict":
        raise errors.bad_request(
            _cannot_handle(info, "strict decoding error: " + ", ".join(messages)))
    if mode == "Warn" and warnings is not None:
        warnings.extend(messages)
    if owned:
        obj = orjson.loads(orjson.dumps(obj))
    prune_unknown_fields(obj, definition)
    return obj
