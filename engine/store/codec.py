"""WAL record framing and payload encoding.

A record on disk is ``u32 payload length | u32 crc32(payload) | payload``
(little endian). Payloads are:

* txn:     ``u8 kind=1 | u64 revision | u32 n`` then n times
  ``u8 op | u32 key length | u32 value length | key utf-8 | value``
  (op 0 = put, 1 = delete; a delete has an empty value);
* compact: ``u8 kind=2 | u64 revision``.

Only a txn's effects are logged (the puts and deletes it performed), never its
compares, so replay needs no decisions. Binary ``struct`` packing keeps the
encode cost of a put to a few hundred nanoseconds.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from zlib import crc32

from engine.store.model import PUT, Event

TXN = 1
COMPACT = 2
OP_PUT = 0
OP_DELETE = 1

_FRAME = struct.Struct("<II")
_TXN = struct.Struct("<BQI")
_OP = struct.Struct("<BII")
_COMPACT = struct.Struct("<BQ")
_ONE_PUT = struct.Struct("<BQIBII")  # a txn header followed by its single op header

FRAME_SIZE = _FRAME.size


def frame(payload: bytes) -> bytes:
    """Prefix a payload with its length and checksum."""
    return _FRAME.pack(len(payload), crc32(payload)) + payload


def encode_events(revision: int, events: list[Event]) -> bytes:
    """A framed txn record for the events of one revision."""
    if len(events) == 1:
        kv = events[0].kv
        op = OP_PUT if events[0].type == PUT else OP_DELETE
        key = kv.key.encode()
        head = _ONE_PUT.pack(TXN, revision, 1, op, len(key), len(kv.value))
        return frame(head + key + kv.value)
    parts = [_TXN.pack(TXN, revision, len(events))]
    for ev in events:
        key = ev.kv.key.encode()
        op = OP_PUT if ev.type == PUT else OP_DELETE
        parts.append(_OP.pack(op, len(key), len(ev.kv.value)))
        parts.append(key)
        parts.append(ev.kv.value)
    return frame(b"".join(parts))


def encode_compact(revision: int) -> bytes:
    """A framed compaction record."""
    return frame(_COMPACT.pack(COMPACT, revision))


Ops = list[tuple[int, str, bytes]]


def decode(payload: bytes) -> tuple[int, int, Ops]:
    """``(kind, revision, ops)`` of a payload; raises ValueError if malformed."""
    kind = payload[0]
    if kind == COMPACT:
        return COMPACT, _COMPACT.unpack_from(payload)[1], []
    if kind != TXN:
        raise ValueError(f"unknown WAL record kind {kind}")
    _, revision, count = _TXN.unpack_from(payload)
    pos = _TXN.size
    ops: Ops = []
    for _ in range(count):
        op, klen, vlen = _OP.unpack_from(payload, pos)
        pos += _OP.size
        key = payload[pos : pos + klen].decode()
        pos += klen
        ops.append((op, key, payload[pos : pos + vlen]))
        pos += vlen
    if pos != len(payload):
        raise ValueError("WAL record length does not match its ops")
    return TXN, revision, ops


def scan(data: bytes) -> Iterator[tuple[bytes, int]]:
    """Yield ``(payload, end offset)`` for each intact record from the start.

    Stops silently at the first torn or corrupt record (short header, length
    past the end, zero length, or checksum mismatch): everything from there on
    is a tail that was never acknowledged and recovery truncates it.
    """
    pos, size = 0, len(data)
    while pos + FRAME_SIZE <= size:
        length, crc = _FRAME.unpack_from(data, pos)
        start, end = pos + FRAME_SIZE, pos + FRAME_SIZE + length
        if length == 0 or end > size:
            return
        payload = data[start:end]
        if crc32(payload) != crc:
            return
        yield payload, end
        pos = end
