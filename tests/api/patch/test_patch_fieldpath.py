"""Field paths and FieldsV1, as structured-merge-diff serializes and prints them."""

from __future__ import annotations

import pytest

from engine.api.patch.fieldpath import (
    FieldsError,
    from_fields_v1,
    iterate,
    key_pe,
    path_string,
    to_fields_v1,
    value_pe,
    with_named_parents,
)
from engine.api.patch.schema_walk import root_node

# A real kubectl-client-side-apply entry's fieldsV1 (abridged), as kube-apiserver stores it.
REAL = {
    "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}},
                   "f:labels": {".": {}, "f:app": {}}},
    "f:spec": {
        "f:replicas": {}, "f:selector": {},
        "f:template": {"f:spec": {"f:containers": {'k:{"name":"nginx"}': {
            ".": {}, "f:image": {}, "f:name": {},
            "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {
                ".": {}, "f:containerPort": {}, "f:protocol": {}}}}}}}},
}


def test_fields_v1_round_trip() -> None:
    paths = from_fields_v1(REAL)
    assert ("f:metadata", "f:labels") in paths  # "." makes the map itself a member
    assert ("f:spec",) not in paths  # a parent without "." is not
    assert to_fields_v1(paths) == REAL


def test_keys_are_emitted_in_path_element_order() -> None:
    paths = {("f:b",), ("f:a",), ("f:l", value_pe("x")), ("f:l", key_pe({"name": "z"})),
             ("f:a2", "i:10"), ("f:a2", "i:9")}
    out = to_fields_v1(paths)
    assert list(out) == ["f:a", "f:a2", "f:b", "f:l"]
    assert list(out["f:a2"]) == ["i:9", "i:10"]
    assert list(out["f:l"]) == ['k:{"name":"z"}', 'v:"x"']


def test_reading_normalizes_keys_and_drops_unknown_element_types() -> None:
    paths = from_fields_v1({'k:{"protocol": "TCP", "containerPort": 80}': {}, "z:future": {}})
    assert paths == {(key_pe({"containerPort": 80, "protocol": "TCP"}),)}


@pytest.mark.parametrize("bad", [{"x": {}}, {"k:[1]": {}}, {"f:a": 1}, {"i:x": {}}, [1]])
def test_unreadable_fields(bad: object) -> None:
    with pytest.raises(FieldsError):
        from_fields_v1(bad)


@pytest.mark.parametrize(("path", "text"), [
    (("f:spec", "f:replicas"), ".spec.replicas"),
    (("f:spec", "f:containers", key_pe({"name": "nginx"}), "f:image"),
     '.spec.containers[name="nginx"].image'),
    (("f:ports", key_pe({"containerPort": 80, "protocol": "TCP"})),
     '.ports[containerPort=80,protocol="TCP"]'),
    (("f:metadata", "f:finalizers", value_pe("a")), '.metadata.finalizers[="a"]'),
    (("f:args", "i:2"), ".args[2]"),
])
def test_path_strings_match_conflict_messages(path: tuple, text: str) -> None:
    assert path_string(path) == text


def test_iterate_lists_members_before_children_at_each_level() -> None:
    paths = {("f:spec", "f:template", "f:x"), ("f:spec", "f:replicas"), ("f:a",)}
    assert iterate(paths) == [("f:a",), ("f:spec", "f:replicas"), ("f:spec", "f:template", "f:x")]


def test_named_parents_are_struct_fields_only() -> None:
    root = root_node("io.k8s.api.apps.v1.Deployment")
    image = ("f:spec", "f:template", "f:spec", "f:containers", key_pe({"name": "c"}), "f:image")
    label = ("f:metadata", "f:labels", "f:app")
    out = with_named_parents({image, label}, root)
    assert ("f:spec",) in out and ("f:spec", "f:template", "f:spec", "f:containers") in out
    assert image[:5] not in out  # a list item is not a named field
    assert ("f:metadata", "f:labels") in out  # labels is a field of ObjectMeta
