"""Random mutations of valid objects, shared by the API fuzz tests
(tests/api/test_fuzz.py through the server, tests/api/validation/test_fuzz.py
straight into validation): any JSON value replaces, or deletion removes, any
part of an object, so every code path meets every wrong shape."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st


def json_values(text_size: int, extras: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    """Any JSON value; ``extras`` adds strings that look valid to some field
    (quantities, enums) so mutations reach past the first type check."""
    leaves = (st.none() | st.booleans() | st.integers(-2**40, 2**40)
              | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=text_size))
    if extras:
        leaves = leaves | st.sampled_from(list(extras))
    return st.recursive(
        leaves,
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=8), children, max_size=3),
        max_leaves=6,
    )


def paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path into ``obj`` (dict keys and list indexes), the root excluded."""
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += paths(v, (*prefix, i))
    return out


def mutate(obj: dict, path: tuple, value: Any, delete: bool) -> dict:
    """A copy of ``obj`` with ``value`` at ``path``, or with the key at ``path``
    removed (``delete``; in a list the element is replaced instead)."""
    out = copy.deepcopy(obj)
    parent = out
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = value
    return out
