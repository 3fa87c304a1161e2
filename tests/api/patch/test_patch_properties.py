"""Property tests: any patch either applies or raises StatusError, and never mutates inputs."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine.api import patch as P
from engine.api.errors import StatusError

DEPLOY = "io.k8s.api.apps.v1.Deployment"
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5),
                    st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.sampled_from(["a", "b", "c", "", "$patch", "delete", "replace"]))
keys = st.sampled_from(["a", "b", "c", "name", "$patch", "$retainKeys", "spec", "0"])
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=12)
json_objects = st.dictionaries(keys, json_values, max_size=4)

# Deployment-shaped values, with directives and wrong types mixed in.
names = st.sampled_from(["a", "b", "c"])
directive = st.sampled_from(["delete", "replace", "merge", "bogus"])
env = st.fixed_dictionaries({"name": names}, optional={"value": st.sampled_from(["1", "2"])})
port = st.fixed_dictionaries({"containerPort": st.integers(1, 3)},
                             optional={"protocol": st.sampled_from(["TCP", "UDP"])})
container = st.fixed_dictionaries(
    {"name": names},
    optional={"image": st.sampled_from(["x:1", "x:2"]), "env": st.lists(env, max_size=3),
              "ports": st.lists(port, max_size=2), "args": st.lists(names, max_size=2),
              "$patch": directive, "$retainKeys": st.lists(keys, max_size=2)})
containers = st.lists(st.one_of(container, json_values), max_size=3)
pod_spec = st.fixed_dictionaries({}, optional={
    "containers": st.one_of(containers, json_values),
    "$setElementOrder/containers": st.lists(st.fixed_dictionaries({"name": names}), max_size=3),
    "tolerations": st.lists(st.fixed_dictionaries({"key": names}), max_size=2),
    "nodeSelector": st.dictionaries(names, names, max_size=2),
    "$patch": directive})
deployment = st.fixed_dictionaries({}, optional={
    "metadata": st.fixed_dictionaries({}, optional={
        "labels": st.dictionaries(names, st.one_of(names, st.none()), max_size=2),
        "finalizers": st.lists(names, max_size=3),
        "$deleteFromPrimitiveList/finalizers": st.lists(names, max_size=2),
        "$setElementOrder/finalizers": st.lists(names, max_size=3)}),
    "spec": st.fixed_dictionaries({}, optional={
        "replicas": st.one_of(st.integers(0, 3), st.none(), json_values),
        "strategy": st.fixed_dictionaries({}, optional={
            "type": st.sampled_from(["Recreate", "RollingUpdate"]),
            "rollingUpdate": st.fixed_dictionaries({"maxSurge": st.integers(0, 2)}),
            "$retainKeys": st.lists(st.sampled_from(["type", "rollingUpdate"]), max_size=2)}),
        "template": st.fixed_dictionaries({}, optional={"spec": pod_spec})})})


def base_deployment() -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "w", "namespace": "d", "labels": {"a": "a"}, "finalizers": ["a"]},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"a": "a"}},
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
                     "template": {"metadata": {"labels": {"a": "a"}}, "spec": {"containers": [
                         {"name": "a", "image": "x:1", "env": [{"name": "a", "value": "1"}],
                          "ports": [{"containerPort": 1, "protocol": "TCP"}]},
                         {"name": "b", "image": "x:1"}]}}}}


def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A deployment-like document: the base with a generated fragment merged in."""
    try:
        return P.apply_merge_patch(base, extra)
    except StatusError:
        return base


def check(fn: Callable[[], Any], *inputs: Any) -> None:
    """``fn`` returns a JSON object or raises StatusError, leaving ``inputs`` unchanged."""
    before = copy.deepcopy(inputs)
    try:
        out = fn()
    except StatusError as err:
        assert 400 <= err.code < 600 and err.message
    else:
        assert isinstance(out, dict)
        json.dumps(out)
    assert inputs == before


@SETTINGS
@given(json_objects, st.lists(st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "remove", "replace", "move", "copy", "test", "x"])},
    optional={"path": st.sampled_from(["", "/a", "/a/0", "/a/-", "/b/c", "/~01", "a", "/0"]),
              "from": st.sampled_from(["", "/a", "/b", "/a/0"]), "value": json_values}),
    max_size=4) | json_values)
def test_json_patch(doc: dict, patch: Any) -> None:
    check(lambda: P.apply_json_patch(doc, patch), doc, patch)


@SETTINGS
@given(json_objects, json_values)
def test_merge_patch(doc: dict, patch: Any) -> None:
    check(lambda: P.apply_merge_patch(doc, patch), doc, patch)


@SETTINGS
@given(deployment, st.one_of(deployment, json_objects, json_values))
def test_strategic_merge_patch(extra: dict, patch: Any) -> None:
    doc = merged(base_deployment(), extra)
    check(lambda: P.apply_strategic_merge_patch(doc, patch, DEPLOY), doc, patch)


@SETTINGS
@given(json_objects, json_objects)
def test_strategic_merge_patch_without_a_schema(doc: dict, patch: dict) -> None:
    check(lambda: P.apply_strategic_merge_patch(doc, patch, DEPLOY), doc, patch)


@SETTINGS
@given(deployment, deployment, deployment)
def test_three_way_patch_applies(a: dict, b: dict, c: dict) -> None:
    original, modified, current = (merged(base_deployment(), x) for x in (a, b, c))

    def run() -> dict[str, Any]:
        patch = P.create_three_way_merge_patch(original, modified, current, DEPLOY)
        return P.apply_strategic_merge_patch(current, patch, DEPLOY)

    check(run, original, modified, current)


@SETTINGS
@given(deployment, deployment, st.booleans(), st.sampled_from(["alice", "bob", "kubectl"]))
def test_server_side_apply(first: dict, second: dict, force: bool, manager: str) -> None:
    live_config = merged(base_deployment(), first)
    config = merged(base_deployment(), second)

    def run() -> dict[str, Any]:
        try:
            live = P.server_side_apply(None, live_config, "alice", force=False,
                                       definition=DEPLOY, now="2025-01-01T00:00:00Z")
        except StatusError:
            live = None
        return P.server_side_apply(live, config, manager, force=force, definition=DEPLOY,
                                   now="2025-01-01T00:01:00Z")

    check(run, live_config, config)


@SETTINGS
@given(json_objects, json_objects)
def test_server_side_apply_of_arbitrary_objects(live: dict, config: dict) -> None:
    check(lambda: P.server_side_apply(live or None, config, "m", force=False, definition=DEPLOY,
                                      now="2025-01-01T00:00:00Z"), live, config)
    check(lambda: P.server_side_apply(live or None, config, "m", force=True, definition=None,
                                      now="2025-01-01T00:00:00Z"), live, config)


@SETTINGS
@given(deployment, deployment)
def test_update_managed_fields(a: dict, b: dict) -> None:
    old, new = merged(base_deployment(), a), merged(base_deployment(), b)
    check(lambda: P.update_managed_fields(old, new, "m", "Update", definition=DEPLOY,
                                          now="2025-01-01T00:00:00Z"), old, new)


def has_directive(value: Any) -> bool:
    """Manifests and live objects never carry patch directives."""
    if isinstance(value, dict):
        return any(k.startswith("$") or has_directive(v) for k, v in value.items())
    return isinstance(value, list) and any(has_directive(v) for v in value)


def has_duplicates(value: Any) -> bool:
    """Duplicate keys in merged lists never converge, upstream included."""
    if isinstance(value, dict):
        return any(has_duplicates(v) for v in value.values())
    if not isinstance(value, list):
        return False
    keys = [json.dumps(v.get("name", v.get("containerPort")) if isinstance(v, dict) else v)
            for v in value]
    return len(set(keys)) != len(keys) or any(has_duplicates(v) for v in value)


def only_order_directives(patch: Any) -> bool:
    """True when a patch changes nothing but element order (kubectl re-sends those)."""
    if not isinstance(patch, dict):
        return False
    return all(k.startswith("$setElementOrder/") or only_order_directives(v)
               for k, v in patch.items())


@SETTINGS
@given(deployment, deployment, deployment)
def test_kubectl_apply_converges(a: dict, b: dict, c: dict) -> None:
    """Applying the three-way patch, then computing it again, leaves nothing to do."""
    original, modified, current = (merged(base_deployment(), x) for x in (a, b, c))
    assume(not any(has_directive(x) or has_duplicates(x) for x in (original, modified, current)))
    try:
        patch = P.create_three_way_merge_patch(original, modified, current, DEPLOY)
        patched = P.apply_strategic_merge_patch(current, patch, DEPLOY)
    except StatusError:
        return
    again = P.create_three_way_merge_patch(modified, modified, patched, DEPLOY)
    assert again == {} or only_order_directives(again)


@SETTINGS
@given(deployment, deployment, st.sampled_from(["alice", "bob"]))
def test_server_side_reapply_is_a_noop(first: dict, second: dict, manager: str) -> None:
    """Re-applying the same configuration changes neither the object nor its owners."""
    try:
        live = P.server_side_apply(None, merged(base_deployment(), first), "alice",
                                   force=False, definition=DEPLOY, now="2025-01-01T00:00:00Z")
        config = merged(base_deployment(), second)
        once = P.server_side_apply(live, config, manager, force=True, definition=DEPLOY,
                                   now="2025-01-01T00:01:00Z")
    except StatusError:
        return
    twice = P.server_side_apply(once, config, manager, force=False, definition=DEPLOY,
                                now="2025-01-01T00:02:00Z")
    # Upstream compares before its Go round trip, so a field applied as ``[]`` that
    # encodes as absent still refreshes the applier's timestamp; and an empty struct
    # equals an absent one once decoded. Nothing else may move.
    assert go_equivalent(twice) == go_equivalent(once)


def go_equivalent(obj: dict[str, Any]) -> Any:
    """The object without managedFields times and without empty maps."""
    out = copy.deepcopy(obj)
    for entry in out["metadata"].get("managedFields", []):
        entry.pop("time", None)
    return without_empty_maps(out)


def without_empty_maps(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: without_empty_maps(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v != {}}
    if isinstance(value, list):
        return [without_empty_maps(v) for v in value]
    return value
