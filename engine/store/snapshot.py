"""Snapshot files: the full live state at one revision.

Layout: ``MAGIC | u64 revision | u64 compact revision | u64 count |
u64 body length | u32 crc32(body) | body`` where the body is, per key in key
order, ``u32 key length | u32 value length | u64 create_revision |
u64 mod_revision | u64 version | key utf-8 | value``.

A snapshot is written to a temporary file, fsynced, renamed into place and
the directory fsynced, so a crash leaves either the old set of snapshots or
the new one, never a half-written file under a real name.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from zlib import crc32

from engine.store.model import KeyValue

MAGIC = b"K9SNAP1\n"
_HEAD = struct.Struct("<QQQQI")
_KV = struct.Struct("<IIQQQ")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A decoded snapshot."""

    revision: int
    compact_revision: int
    kvs: list[KeyValue]


def encode(revision: int, compact_revision: int, kvs: list[KeyValue]) -> bytes:
    """The bytes of a snapshot file."""
    parts: list[bytes] = []
    pack = _KV.pack
    for kv in sorted(kvs, key=lambda kv: kv.key):
        key = kv.key.encode()
        parts.append(pack(len(key), len(kv.value), kv.create_revision, kv.mod_revision, kv.version))
        parts.append(key)
        parts.append(kv.value)
    body = b"".join(parts)
    head = _HEAD.pack(revision, compact_revision, len(kvs), len(body), crc32(body))
    return MAGIC + head + body


def decode(data: bytes) -> Snapshot:
    """Parse a snapshot file; raises ValueError if it is damaged."""
    if not data.startswith(MAGIC):
        raise ValueError("not a snapshot file")
    pos = len(MAGIC)
    revision, compact, count, length, crc = _HEAD.unpack_from(data, pos)
    body = memoryview(data)[pos + _HEAD.size :]
    if len(body) != length or crc32(body) != crc:
        raise ValueError("snapshot checksum mismatch")
    kvs: list[KeyValue] = []
    pos = 0
    for _ in range(count):
        klen, vlen, create, mod, version = _KV.unpack_from(body, pos)
        pos += _KV.size
        key = bytes(body[pos : pos + klen]).decode()
        pos += klen
        kvs.append(KeyValue(key, bytes(body[pos : pos + vlen]), create, mod, version))
        pos += vlen
    return Snapshot(revision, compact, kvs)


def write(path: str, data: bytes, *, fsync: bool) -> None:
    """Atomically create ``path`` holding ``data``."""
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if fsync:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def read(path: str) -> Snapshot:
    """Load a snapshot file; raises OSError or ValueError if unusable."""
    with open(path, "rb") as f:
        return decode(f.read())
