"""The values the store hands out: key-values, watch events and txn parts.

All are immutable: the same objects are shared between the live index, the
event history and every watcher, so nobody may mutate them. Key-values and
events are named tuples rather than frozen dataclasses: every write makes
one of each, and a frozen dataclass's ``__init__`` (one ``object.__setattr__``
per field) costs twice a tuple's construction; the txn parts, made rarely,
stay dataclasses with their checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

PUT = "PUT"
DELETE = "DELETE"

# Compare targets and operators, with etcd's meaning (mvccpb Compare).
TARGETS = frozenset({"version", "create_revision", "mod_revision", "value"})
COMPARE_OPS = frozenset({"=", "!=", "<", ">"})
OP_KINDS = frozenset({"put", "delete", "get"})


class KeyValue(NamedTuple):
    """One version of a key, as etcd's mvccpb.KeyValue."""

    key: str
    value: bytes
    create_revision: int
    mod_revision: int
    version: int  # 1 on create, +1 per update; restarts at 1 after a delete


class Event(NamedTuple):
    """One change of one key. A txn's events all share one revision.

    For a DELETE, ``kv`` holds only the key and the deletion revision
    (value ``b""``, create_revision 0, version 0), as etcd's delete event does.
    ``prev_kv`` is always filled (None only for a create).
    """

    type: str
    kv: KeyValue
    prev_kv: KeyValue | None

    @property
    def revision(self) -> int:
        return self.kv.mod_revision


@dataclass(frozen=True, slots=True)
class Compare:
    """A txn guard, ``<target of key> <op> <value>`` (etcd's Compare).

    ``target`` is one of version/create_revision/mod_revision (compared with
    an int; an absent key has 0 for all three) or value (compared with bytes;
    always false for an absent key, as in etcd).
    """

    key: str
    target: str
    op: str
    value: int | bytes

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise ValueError(f"unknown compare target {self.target!r}")
        if self.op not in COMPARE_OPS:
            raise ValueError(f"unknown compare operator {self.op!r}")


@dataclass(frozen=True, slots=True)
class Op:
    """A txn operation on one key: put, delete or get.

    Results, one per op: put -> the new KeyValue; delete -> the deleted
    KeyValue or None if the key was absent; get -> the KeyValue or None.
    """

    kind: str
    key: str
    value: bytes = b""

    def __post_init__(self) -> None:
        if self.kind not in OP_KINDS:
            raise ValueError(f"unknown op kind {self.kind!r}")

    @staticmethod
    def put(key: str, value: bytes) -> Op:
        return Op("put", key, value)

    @staticmethod
    def delete(key: str) -> Op:
        return Op("delete", key)

    @staticmethod
    def get(key: str) -> Op:
        return Op("get", key)
