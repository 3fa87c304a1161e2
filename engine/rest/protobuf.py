"""Decoding ``application/vnd.kubernetes.protobuf`` request bodies.

client-go v0.32 typed clients send protobuf, so kubectl 1.32+ posts
``create deployment|configmap|secret|service|namespace|job|...``, ``auth
can-i`` and ``create token`` bodies this way. The envelope (apimachinery
``pkg/runtime/serializer/protobuf``) is the magic ``k8s\\x00`` then a
``runtime.Unknown`` {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3
contentEncoding, 4 contentType}; ``raw`` is the object's message. Go's
generated marshallers write every non-pointer field, so zero values of
non-pointer fields are dropped to get the JSON the client meant
(``omitempty``). Field numbers: :mod:`engine.rest.proto_fields`.
"""

from __future__ import annotations

import base64
import functools
import struct
from datetime import UTC, datetime
from typing import Any

import orjson

from engine.api import errors
from engine.rest.proto_fields import MESSAGES, ROOTS

MAGIC = b"k8s\x00"
# Go's zero time.Time as seconds since the Unix epoch (0001-01-01T00:00:00Z).
GO_ZERO_TIME = -62135596800
Obj = dict[str, Any]


class _Field:
    __slots__ = ("name", "kind", "repeated", "map", "pointer")

    def __init__(self, name: str, code: str) -> None:
        self.name = name
        self.pointer = code.endswith("*")
        code = code.rstrip("*")
        self.repeated = code.startswith("[]")
        self.map = code.startswith("{}")
        self.kind = code[2:] if self.repeated or self.map else code


@functools.cache
def _fields(message: str) -> dict[int, _Field]:
    out = {}
    for spec in MESSAGES[message].split(";"):
        num, name, code = spec.split(" ")
        out[int(num)] = _Field(name, code)
    return out


def _bad(why: str) -> errors.StatusError:
    return errors.bad_request(f"the body of the request was in an unknown format - {why}")


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise _bad("truncated protobuf varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _iter(buf: bytes):
    """(field number, wire type, value) for each field; values are ints or bytes."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 2:
            size, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise _bad(f"unsupported protobuf wire type {wire}")
        yield num, wire, value


def _time(buf: bytes) -> str | None:
    seconds = nanos = 0
    for num, _, value in _iter(buf):
        if num == 1:
            seconds = _signed(value)
        elif num == 2:
            nanos = value
    if seconds in (0, GO_ZERO_TIME) and nanos == 0:  # Go writes a zero Time as {}
        return None
    stamp = datetime.fromtimestamp(seconds, UTC)
    if nanos:
        return stamp.strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos // 1000:06d}Z"
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _duration(buf: bytes) -> str:
    """A metav1.Duration as Go's ``time.Duration.String()`` (``1h0m0s``)."""
    nanos = next((_signed(v) for n, _, v in _iter(buf) if n == 1), 0)
    if nanos == 0:
        return "0s"
    sign, nanos = ("-", -nanos) if nanos < 0 else ("", nanos)
    hours, rest = divmod(nanos, 3600 * 10**9)
    minutes, rest = divmod(rest, 60 * 10**9)
    seconds = f"{rest / 10**9:.9f}".rstrip("0").rstrip(".")
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}s"
    if minutes:
        return f"{sign}{minutes}m{seconds}s"
    return f"{sign}{seconds}s"


def _int_or_string(buf: bytes) -> int | str:
    kind, int_val, str_val = 0, 0, ""
    for num, _, value in _iter(buf):
        if num == 1:
            kind = value
        elif num == 2:
            int_val = _signed(value)
        elif num == 3:
            str_val = value.decode()
    return str_val if kind == 1 else int_val


def _scalar(kind: str, wire: int, value: Any) -> Any:
    if kind == "s":
        return value.decode("utf-8")
    if kind == "i":
        return _signed(value)
    if kind == "b":
        return bool(value)
    if kind == "f":
        return struct.unpack("<d" if wire == 1 else "<f", value)[0]
    if kind == "B":
        return base64.b64encode(value).decode()
    if kind == "t":
        return _time(value)
    if kind == "D":
        return _duration(value)
    if kind == "q":
        return next((v.decode() for n, _, v in _iter(value) if n == 1), "")
    if kind == "n":
        return _int_or_string(value)
    if kind == "x":
        raw = next((v for n, _, v in _iter(value) if n == 1), b"")
        return orjson.loads(raw) if raw else {}
    return decode_message(kind[1:], value)


def _repeated(field: _Field, wire: int, value: Any) -> list[Any]:
    if wire == 2 and field.kind in ("i", "b"):  # packed
        out, pos = [], 0
        while pos < len(value):
            item, pos = _varint(value, pos)
            out.append(_scalar(field.kind, 0, item))
        return out
    return [_scalar(field.kind, wire, value)]


def _map_entry(field: _Field, value: bytes) -> tuple[str, Any]:
    key, item = "", None
    for num, wire, raw in _iter(value):
        if num == 1:
            key = raw.decode("utf-8")
        elif num == 2:
            item = _scalar(field.kind, wire, raw)
    if item is None:
        item = {"s": "", "B": ""}.get(field.kind, item)
    return key, item


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == 0 or value is False or value == {} or (
        value == [])


def decode_message(message: str, buf: bytes) -> Obj:
    """One message as the JSON object Go's encoder would have written."""
    fields = _fields(message)
    out: Obj = {}
    for num, wire, value in _iter(buf):
        field = fields.get(num)
        if field is None:
            continue
        if field.repeated:
            out.setdefault(field.name, []).extend(_repeated(field, wire, value))
        elif field.map:
            key, item = _map_entry(field, value)
            out.setdefault(field.name, {})[key] = item
        elif field.name == "~":
            out.update(_scalar(field.kind, wire, value))
        else:
            out[field.name] = _scalar(field.kind, wire, value)
    for field in fields.values():
        name = field.name
        if name in out and (out[name] is None or (not field.pointer and _empty(out[name]))):
            del out[name]
    return out


def decode(raw: bytes) -> Obj:
    """The JSON-like object in a protobuf request body."""
    if not raw.startswith(MAGIC):
        raise _bad("the protobuf body does not start with the k8s magic prefix")
    api_version = kind = ""
    payload = b""
    for num, _, value in _iter(raw[len(MAGIC):]):
        if num == 1:
            for n, _, v in _iter(value):
                if n == 1:
                    api_version = v.decode()
                elif n == 2:
                    kind = v.decode()
        elif num == 2:
            payload = value
    message = ROOTS.get((api_version, kind))
    if message is None:
        raise errors.StatusError(
            415, "UnsupportedMediaType",
            f"the body of the request was in an unknown format - no protobuf decoding for "
            f"{kind} in version {api_version!r}; send application/json")
    obj = decode_message(message, payload)
    return {"apiVersion": api_version, "kind": kind, **obj}
