"""RFC 7386 JSON merge patch, and dispatch by Content-Type."""

from __future__ import annotations

import copy

import pytest

from engine.api import patch as P
from engine.api.errors import StatusError

# RFC 7386 Appendix A, the cases whose target and patch are objects.
RFC_7386 = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    # the document-level cases, on an object target
    ({}, {"a": "b", "c": None}, {"a": "b"}),
]


@pytest.mark.parametrize(("doc", "patch", "want"), RFC_7386)
def test_rfc7386_examples(doc: dict, patch: dict, want: dict) -> None:
    before, patch_before = copy.deepcopy(doc), copy.deepcopy(patch)
    assert P.apply_merge_patch(doc, patch) == want
    assert doc == before and patch == patch_before


@pytest.mark.parametrize(("body", "message"), [
    (None, "Invalid JSON Patch"),
    (["c"], "error decoding patch: json: cannot unmarshal array into Go value of type "
            "map[string]interface {}"),
    ("bar", "error decoding patch: json: cannot unmarshal string into Go value of type "
            "map[string]interface {}"),
])
def test_non_object_bodies_are_400(body: object, message: str) -> None:
    """RFC 7386 lets a non-object patch replace the target; a Kubernetes object cannot be
    replaced by one, and the handler's strict decode rejects it first."""
    with pytest.raises(StatusError) as err:
        P.apply_merge_patch({"a": "foo"}, body)
    assert (err.value.code, err.value.message) == (400, message)


def test_lists_replace_even_keyed_ones() -> None:
    """The task page's JSON merge patch: the container list is replaced wholesale."""
    deploy = {"spec": {"template": {"spec": {"containers": [
        {"name": "patch-demo-ctr", "image": "nginx"},
        {"name": "patch-demo-ctr-2", "image": "redis"}]}}}}
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "patch-demo-ctr-3", "image": "gcr.io/google-samples/hello-app:2.0"}]}}}}
    out = P.apply_patch(P.MERGE_PATCH, deploy, patch, None)
    assert out["spec"]["template"]["spec"]["containers"] == [
        {"name": "patch-demo-ctr-3", "image": "gcr.io/google-samples/hello-app:2.0"}]


def test_kubectl_label_and_scale_shapes() -> None:
    obj = {"metadata": {"labels": {"app": "web", "tier": "fe"}}, "spec": {"replicas": 1}}
    out = P.apply_merge_patch(obj, {"metadata": {"labels": {"tier": None, "env": "prod"}}})
    assert out["metadata"]["labels"] == {"app": "web", "env": "prod"}
    assert P.apply_merge_patch(obj, {"spec": {"replicas": 5}})["spec"] == {"replicas": 5}


def test_nulls_inside_new_values_are_pruned_but_not_under_replaced_objects() -> None:
    """evanphx v4 prunes nulls when a value is added, not when an object is replaced."""
    assert P.apply_merge_patch({}, {"a": [{"b": None}]}) == {"a": [{}]}
    assert P.apply_merge_patch({"a": {"x": 1}}, {"a": [{"b": None}]}) == {"a": [{"b": None}]}


@pytest.mark.parametrize("content_type", [
    "application/merge-patch+json", "application/merge-patch+json; charset=utf-8"])
def test_apply_patch_dispatches_on_media_type(content_type: str) -> None:
    assert P.apply_patch(content_type, {"a": 1}, {"b": 2}, None) == {"a": 1, "b": 2}


@pytest.mark.parametrize("content_type", ["application/json", P.APPLY_PATCH, "text/plain"])
def test_apply_patch_rejects_other_types_with_upstreams_415(content_type: str) -> None:
    with pytest.raises(StatusError) as err:
        P.apply_patch(content_type, {"a": 1}, {}, None)
    assert err.value.code == 415
    assert err.value.message == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/strategic-merge-patch+json, application/apply-patch+yaml")
