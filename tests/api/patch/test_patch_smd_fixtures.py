"""Scenarios ported from structured-merge-diff's own tests (merge/*_test.go, typed/merge_test.go).

They run the apply/update machinery over small synthetic schemas (written in
OpenAPI form) and compare the final object and every manager's field set with
upstream's expectations, so pruning and ownership follow upstream step by step.
(Updates skip the emulation of Go's zero-valued structs, which these untyped
fixtures do not have.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.api.patch import ssa
from engine.api.patch.fieldpath import Path, field_pe, key_pe, value_pe
from engine.api.patch.managed_fields import UPDATE, manager_id, record_update
from engine.api.patch.schema_walk import compile_schema
from engine.api.patch.typed import merge

_STR = {"type": "string"}
_NUM = {"type": "integer"}
NESTED = compile_schema({"properties": {
    "listOfLists": {"type": "array", "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    "items": {"properties": {"name": _STR, "value": {
                        "type": "array", "x-kubernetes-list-type": "set", "items": _STR}}}},
    "struct": {"properties": {"name": _STR, "value": _NUM}},
}})
ASSOCIATIVE = compile_schema({"properties": {"list": {
    "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["key", "id"],
    "items": {"properties": {"key": _STR, "id": _NUM, "value": {"additionalProperties": _STR},
                             "bv": {"type": "boolean"}, "nv": _NUM}}},
    "atomicList": {"type": "array", "x-kubernetes-list-type": "atomic", "items": _STR}}})


def P(*parts: Any) -> Path:
    """``_P``: strings are fields, dicts are keys (``_KBF``), tuples are set values (``_V``)."""
    out = []
    for part in parts:
        if isinstance(part, dict):
            out.append(key_pe(part))
        elif isinstance(part, tuple):
            out.append(value_pe(part[0]))
        else:
            out.append(field_pe(part))
    return tuple(out)


def run(ops: list[tuple[str, str, dict[str, Any]]]) -> tuple[dict, dict[str, frozenset]]:
    """Apply/Update operations in order, as the fixture's TestCase does."""
    live: dict[str, Any] = {}
    managed: dict = {}
    for kind, manager, obj in ops:
        if kind == "apply":
            ctx = ssa._Context(NESTED, "v1", (), "", "t")
            live, managed = ssa._apply(live, obj, managed, manager_id(manager, "Apply", ""),
                                       False, ctx)
        else:
            managed = record_update(live, obj, managed, manager_id(manager, UPDATE, "v1"), "v1",
                                    NESTED, (), "t", go_zero=False)
            live = obj
    owners = {json.loads(k)["manager"]: v.fields for k, v in managed.items()}
    return live, owners


def lol(*items: Any) -> dict[str, Any]:
    return {"listOfLists": list(items)}


NESTED_CASES = [
    ("remove_one_keep_one_with_two_sub_items", [
        ("apply", "apply-one", lol({"name": "a"}, {"name": "b", "value": ["c"]})),
        ("apply", "apply-two", lol({"name": "b", "value": ["d"]})),
        ("apply", "apply-one", lol({"name": "a"})),
    ], lol({"name": "a"}, {"name": "b", "value": ["d"]}), {
        "apply-one": {P("listOfLists", {"name": "a"}), P("listOfLists", {"name": "a"}, "name")},
        "apply-two": {P("listOfLists", {"name": "b"}), P("listOfLists", {"name": "b"}, "name"),
                      P("listOfLists", {"name": "b"}, "value", ("d",))},
    }),
    ("remove_one_keep_one_with_dangling_subitem", [
        ("apply", "apply-one", lol({"name": "a"}, {"name": "b", "value": ["c"]})),
        ("apply", "apply-two", lol({"name": "b", "value": ["d"]})),
        ("update", "controller", lol({"name": "a"}, {"name": "b", "value": ["c", "d", "e"]})),
        ("apply", "apply-one", lol({"name": "a"})),
    ], lol({"name": "a"}, {"name": "b", "value": ["d", "e"]}), {
        "apply-one": {P("listOfLists", {"name": "a"}), P("listOfLists", {"name": "a"}, "name")},
        "apply-two": {P("listOfLists", {"name": "b"}), P("listOfLists", {"name": "b"}, "name"),
                      P("listOfLists", {"name": "b"}, "value", ("d",))},
        "controller": {P("listOfLists", {"name": "b"}, "value", ("e",))},
    }),
    ("remove_one_with_dangling_subitem_keep_one", [
        ("apply", "apply-one", lol({"name": "a"}, {"name": "b", "value": ["c"]})),
        ("apply", "apply-two", lol({"name": "a", "value": ["b"]})),
        ("update", "controller", lol({"name": "a", "value": ["b"]},
                                     {"name": "b", "value": ["c", "d"]})),
        ("apply", "apply-one", lol({"name": "a"})),
    ], lol({"name": "a", "value": ["b"]}), {
        "apply-one": {P("listOfLists", {"name": "a"}), P("listOfLists", {"name": "a"}, "name")},
        "apply-two": {P("listOfLists", {"name": "a"}), P("listOfLists", {"name": "a"}, "name"),
                      P("listOfLists", {"name": "a"}, "value", ("b",))},
    }),
    ("remove_one_keep_one_with_sub_item", [
        ("apply", "apply-one", lol({"name": "a"}, {"name": "b", "value": ["c"]})),
        ("apply", "apply-two", lol({"name": "b", "value": ["d"]})),
        ("apply", "apply-one", lol({"name": "a"})),
    ], lol({"name": "a"}, {"name": "b", "value": ["d"]}), {
        "apply-one": {P("listOfLists", {"name": "a"}), P("listOfLists", {"name": "a"}, "name")},
        "apply-two": {P("listOfLists", {"name": "b"}), P("listOfLists", {"name": "b"}, "name"),
                      P("listOfLists", {"name": "b"}, "value", ("d",))},
    }),
    ("unset_scalar_shared_with_updater", [
        ("update", "updater", {"struct": {"name": "a", "value": 1}}),
        ("apply", "applier", {"struct": {"name": "a", "value": 1}}),
        ("apply", "applier", {"struct": {"name": "a"}}),
    ], {"struct": {"name": "a", "value": 1}}, {
        "updater": {P("struct"), P("struct", "name"), P("struct", "value")},
        "applier": {P("struct", "name")},
    }),
    ("updater_claims_field", [
        ("apply", "applier", {"struct": {"name": "a", "value": 1}}),
        ("update", "updater", {"struct": {"name": "a", "value": 2}}),
    ], {"struct": {"name": "a", "value": 2}}, {
        "updater": {P("struct", "value")},
        "applier": {P("struct", "name")},
    }),
    ("unset_scalar_sole_owner", [
        ("apply", "apply-one", {"struct": {"name": "a", "value": 1}}),
        ("apply", "apply-one", {"struct": {"name": "a"}}),
    ], {"struct": {"name": "a"}}, {"apply-one": {P("struct", "name")}}),
]


@pytest.mark.parametrize(("name", "ops", "want", "owners"), NESTED_CASES,
                         ids=[c[0] for c in NESTED_CASES])
def test_structured_merge_diff_scenarios(name: str, ops: list, want: dict,
                                         owners: dict[str, set]) -> None:
    live, got = run(ops)
    assert live == want
    assert {m: set(f) for m, f in got.items()} == owners


# typed/merge_test.go, "associative list": merge order and duplicates
MERGES = [
    ('{"list":[{"key":"a","id":1}]}', '{"list":[{"key":"a","id":2}]}',
     '{"list":[{"key":"a","id":1},{"key":"a","id":2}]}'),
    ('{"list":[{"key":"a","id":1},{"key":"b","id":1}]}',
     '{"list":[{"key":"a","id":1},{"key":"a","id":2}]}',
     '{"list":[{"key":"a","id":1},{"key":"b","id":1},{"key":"a","id":2}]}'),
    ('{"list":[{"key":"b","id":2}]}', '{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}',
     '{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}'),
    ('{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}',
     '{"list":[{"key":"c","id":3},{"key":"b","id":2}]}',
     '{"list":[{"key":"a","id":1},{"key":"c","id":3},{"key":"b","id":2}]}'),
    ('{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}',
     '{"list":[{"key":"c","id":3},{"key":"a","id":1}]}',
     '{"list":[{"key":"b","id":2},{"key":"c","id":3},{"key":"a","id":1}]}'),
    ('{"atomicList":["a","a","a"]}', '{"atomicList":null}', '{"atomicList":null}'),
    ('{"atomicList":["a","b","c"]}', '{"atomicList":[]}', '{"atomicList":[]}'),
    ('{"list":[{"key":"a","id":1,"bv":true},{"key":"b","id":2},{"key":"a","id":1,"bv":false,"nv":2}]}',
     '{"list":[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]}',
     '{"list":[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]}'),
    ('{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}', '{"list":[]}',
     '{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}'),
]


@pytest.mark.parametrize(("lhs", "rhs", "out"), MERGES)
def test_typed_merge_of_associative_lists(lhs: str, rhs: str, out: str) -> None:
    assert merge(json.loads(lhs), json.loads(rhs), ASSOCIATIVE) == json.loads(out)
