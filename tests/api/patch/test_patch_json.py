"""RFC 6902 JSON patch, with kube-apiserver's (evanphx/json-patch v4) behaviour."""

from __future__ import annotations

import copy

import pytest

from engine.api import patch as P
from engine.api.errors import StatusError
from engine.api.patch.json_patch import REJECTED

# RFC 6902 Appendix A (A.13 is about duplicate JSON keys, which a parser resolves).
RFC_6902 = [
    ("A.1 add object member", {"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}],
     {"baz": "qux", "foo": "bar"}),
    ("A.2 add array element", {"foo": ["bar", "baz"]},
     [{"op": "add", "path": "/foo/1", "value": "qux"}], {"foo": ["bar", "qux", "baz"]}),
    ("A.3 remove object member", {"baz": "qux", "foo": "bar"},
     [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
    ("A.4 remove array element", {"foo": ["bar", "qux", "baz"]},
     [{"op": "remove", "path": "/foo/1"}], {"foo": ["bar", "baz"]}),
    ("A.5 replace", {"baz": "qux", "foo": "bar"},
     [{"op": "replace", "path": "/baz", "value": "boo"}], {"baz": "boo", "foo": "bar"}),
    ("A.6 move value", {"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
     [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
     {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
    ("A.7 move array element", {"foo": ["all", "grass", "cows", "eat"]},
     [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
     {"foo": ["all", "cows", "eat", "grass"]}),
    ("A.8 test success", {"baz": "qux", "foo": ["a", 2, "c"]},
     [{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}],
     {"baz": "qux", "foo": ["a", 2, "c"]}),
    ("A.10 add nested member object", {"foo": "bar"},
     [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
     {"foo": "bar", "child": {"grandchild": {}}}),
    ("A.11 ignore unrecognized members", {"foo": "bar"},
     [{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}], {"foo": "bar", "baz": "qux"}),
    ("A.14 ~ escape ordering", {"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}],
     {"/": 9, "~1": 10}),
    ("A.16 add array value", {"foo": ["bar"]},
     [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
     {"foo": ["bar", ["abc", "def"]]}),
    ("copy", {"a": {"b": [1]}}, [{"op": "copy", "from": "/a", "path": "/c"}],
     {"a": {"b": [1]}, "c": {"b": [1]}}),
    ("test on whole document", {"a": 1}, [{"op": "test", "path": "", "value": {"a": 1}}],
     {"a": 1}),
    ("replace whole document", {"a": 1}, [{"op": "replace", "path": "", "value": {"b": 2}}],
     {"b": 2}),
    ("null patch is empty", {"a": 1}, None, {"a": 1}),
    # v4 quirks kube-apiserver inherits
    ("v4: replace of a missing member adds it", {"a": 1},
     [{"op": "replace", "path": "/b", "value": 2}], {"a": 1, "b": 2}),
    ("v4: negative index counts from the end", {"a": [1, 2, 3]},
     [{"op": "remove", "path": "/a/-1"}], {"a": [1, 2]}),
    ("v4: add at -1 appends", {"a": [1, 2]}, [{"op": "add", "path": "/a/-1", "value": 3}],
     {"a": [1, 2, 3]}),
    ("v4: copy from a missing member inserts null", {"a": 1},
     [{"op": "copy", "from": "/x", "path": "/y"}], {"a": 1, "y": None}),
    ("test null against a missing member", {"a": 1},
     [{"op": "test", "path": "/b", "value": None}], {"a": 1}),
]

FAILING = [
    ("A.9 test failure", {"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}]),
    ("A.12 add to nonexistent target", {"foo": "bar"},
     [{"op": "add", "path": "/baz/bat", "value": "qux"}]),
    ("A.15 strings are not numbers", {"/": 9, "~1": 10},
     [{"op": "test", "path": "/~01", "value": "10"}]),
    ("remove missing member", {"a": 1}, [{"op": "remove", "path": "/b"}]),
    ("remove out of range", {"a": [1]}, [{"op": "remove", "path": "/a/5"}]),
    ("unknown op", {"a": 1}, [{"op": "frobnicate", "path": "/a"}]),
    ("op missing", {"a": 1}, [{"path": "/a"}]),
    ("path missing", {"a": 1}, [{"op": "remove"}]),
    ("add at the root", {"a": 1}, [{"op": "add", "path": "", "value": {}}]),
    ("move into own child", {"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": "/a/b/c"}]),
    ("index is not a number", {"a": [1]}, [{"op": "replace", "path": "/a/x", "value": 2}]),
    ("true is not 1", {"a": True}, [{"op": "test", "path": "/a", "value": 1}]),
    ("path without leading slash", {"a": 1}, [{"op": "remove", "path": "a"}]),
    ("first op applies, second fails", {"a": 1},
     [{"op": "add", "path": "/b", "value": 1}, {"op": "test", "path": "/b", "value": 2}]),
]


@pytest.mark.parametrize(("name", "doc", "patch", "want"), RFC_6902, ids=[c[0] for c in RFC_6902])
def test_rfc6902_examples(name: str, doc: dict, patch: list | None, want: dict) -> None:
    before, patch_before = copy.deepcopy(doc), copy.deepcopy(patch)
    assert P.apply_json_patch(doc, patch) == want
    assert doc == before and patch == patch_before


@pytest.mark.parametrize(("name", "doc", "patch"), FAILING, ids=[c[0] for c in FAILING])
def test_failed_operations_are_422_with_upstreams_generic_message(name: str, doc: dict,
                                                                  patch: list) -> None:
    """kube-apiserver maps every apply error to NewGenericServerResponse(422)."""
    before = copy.deepcopy(doc)
    with pytest.raises(StatusError) as err:
        P.apply_json_patch(doc, patch)
    assert (err.value.code, err.value.reason, err.value.message) == (422, "Invalid", REJECTED)
    assert err.value.__cause__ is not None  # the specific reason, for logs
    assert doc == before


@pytest.mark.parametrize(("body", "message"), [
    ({"op": "add"}, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
    ("x", "json: cannot unmarshal string into Go value of type jsonpatch.Patch"),
    ([1], "json: cannot unmarshal number into Go value of type jsonpatch.Operation"),
    ([[]], "json: cannot unmarshal array into Go value of type jsonpatch.Operation"),
])
def test_malformed_bodies_are_400(body: object, message: str) -> None:
    with pytest.raises(StatusError) as err:
        P.apply_json_patch({"a": 1}, body)
    assert (err.value.code, err.value.reason, err.value.message) == (400, "BadRequest", message)


def test_more_than_10000_operations_is_413() -> None:
    ops = [{"op": "test", "path": "/a", "value": 1}] * 10001
    with pytest.raises(StatusError) as err:
        P.apply_json_patch({"a": 1}, ops)
    assert err.value.code == 413
    assert err.value.message == ("Request entity too large: The allowed maximum operations in a "
                                 "JSON patch is 10000, got 10001")


def test_replacing_the_document_with_a_list_is_invalid() -> None:
    with pytest.raises(StatusError) as err:
        P.apply_json_patch({"a": 1}, [{"op": "replace", "path": "", "value": [1]}])
    assert err.value.code == 422


def test_inserted_values_are_copies_of_the_patch() -> None:
    value = {"x": [1]}
    patch = [{"op": "add", "path": "/a", "value": value},
             {"op": "add", "path": "/a/x/-", "value": 2}]
    out = P.apply_json_patch({}, patch)
    assert out == {"a": {"x": [1, 2]}}
    assert value == {"x": [1]}


def test_rollout_undo_shape() -> None:
    """``kubectl rollout undo`` replaces the template and the annotations (protocol §7)."""
    deploy = {"metadata": {"annotations": {"deployment.kubernetes.io/revision": "2"}},
              "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "v2"}]}}}}
    patch = [
        {"op": "replace", "path": "/spec/template",
         "value": {"spec": {"containers": [{"name": "a", "image": "v1"}]}}},
        {"op": "replace", "path": "/metadata/annotations",
         "value": {"deployment.kubernetes.io/revision": "1"}},
    ]
    out = P.apply_patch(P.JSON_PATCH, deploy, patch, "io.k8s.api.apps.v1.Deployment")
    assert out["spec"]["template"]["spec"]["containers"][0]["image"] == "v1"
    assert out["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
