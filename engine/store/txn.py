"""Txn compares and validation, with etcd's rules.

An absent key compares as version/create_revision/mod_revision 0, so
``Compare(key, "version", "=", 0)`` means "key does not exist"; a value
compare on an absent key is always false (etcd's applyCompare).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping

from engine.store.errors import StoreError
from engine.store.model import Compare, KeyValue, Op

_OPERATORS: dict[str, Callable[[object, object], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}


def compare_holds(cmp: Compare, kv: KeyValue | None) -> bool:
    """Whether one compare is true against the key's current value."""
    if cmp.target == "value":
        if kv is None:
            return False
        actual: object = kv.value
    else:
        actual = 0 if kv is None else getattr(kv, cmp.target)
    return _OPERATORS[cmp.op](actual, cmp.value)


def all_hold(compares: Iterable[Compare], kvs: Mapping[str, KeyValue]) -> bool:
    """Whether every compare holds (an empty list holds, as in etcd)."""
    return all(compare_holds(c, kvs.get(c.key)) for c in compares)


def check_ops(ops: Iterable[Op]) -> None:
    """Reject a branch that writes one key twice (etcd does the same)."""
    written: set[str] = set()
    for op in ops:
        if not isinstance(op, Op):
            raise StoreError(f"txn op must be an Op, not {type(op).__name__}")
        if op.kind == "get":
            continue
        if op.key in written:
            raise StoreError("etcdserver: duplicate key given in txn request")
        written.add(op.key)
