"""The three-way patch of client-side ``kubectl apply``, checked by applying it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.api import patch as P
from engine.api.errors import StatusError

DEPLOY = "io.k8s.api.apps.v1.Deployment"
LAST = "kubectl.kubernetes.io/last-applied-configuration"


def manifest(**spec: Any) -> dict[str, Any]:
    out = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
           "spec": {"selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}}}
    out["spec"].update(spec)
    return out


def live_from(obj: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What the server holds: the object plus defaults and other writers' changes."""
    live = copy.deepcopy(obj)
    live["metadata"].update(uid="u", resourceVersion="7")
    live["spec"].setdefault("replicas", 1)
    live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "IfNotPresent"
    live["status"] = {"replicas": 1}
    for path, value in changes.items():
        target = live
        *parents, leaf = path.split("__")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return live


def apply(original: dict | None, modified: dict, live: dict) -> tuple[dict, dict]:
    args = [copy.deepcopy(a) for a in (original, modified, live)]
    patch = P.create_three_way_merge_patch(original, modified, live, DEPLOY)
    assert [original, modified, live] == args  # inputs untouched
    return patch, P.apply_strategic_merge_patch(live, patch, DEPLOY)


def test_unchanged_file_gives_an_empty_patch() -> None:
    file = manifest()
    patch, _ = apply(file, file, live_from(file))
    assert patch == {}


def test_scale_by_a_user_survives_reapplying_a_file_without_replicas() -> None:
    file = manifest()
    patch, out = apply(file, file, live_from(file, spec__replicas=5))
    assert patch == {}
    assert out["spec"]["replicas"] == 5


def test_a_file_that_sets_replicas_resets_a_scale() -> None:
    old, new = manifest(replicas=2), manifest(replicas=2)
    patch, out = apply(old, new, live_from(old, spec__replicas=5))
    assert patch == {"spec": {"replicas": 2}}
    assert out["spec"]["replicas"] == 2


def test_a_field_dropped_from_the_file_is_removed() -> None:
    old, new = manifest(minReadySeconds=10), manifest()
    patch, out = apply(old, new, live_from(old))
    assert patch == {"spec": {"minReadySeconds": None}}
    assert "minReadySeconds" not in out["spec"]


def test_a_label_added_by_someone_else_is_kept() -> None:
    file = manifest()
    live = live_from(file)
    live["metadata"]["labels"]["team"] = "payments"
    new = manifest()
    new["metadata"]["labels"]["tier"] = "web"
    patch, out = apply(file, new, live)
    assert patch == {"metadata": {"labels": {"tier": "web"}}}
    assert out["metadata"]["labels"] == {"app": "web", "team": "payments", "tier": "web"}


def test_a_label_dropped_from_the_file_is_removed_but_others_stay() -> None:
    old = manifest()
    old["metadata"]["labels"]["tier"] = "web"
    live = live_from(old)
    live["metadata"]["labels"]["team"] = "payments"
    patch, out = apply(old, manifest(), live)
    assert patch == {"metadata": {"labels": {"tier": None}}}
    assert out["metadata"]["labels"] == {"app": "web", "team": "payments"}


def test_container_replaced_in_the_file() -> None:
    """kubectl's shape: $setElementOrder, the new item, a delete directive for the old."""
    old = manifest()
    new = manifest()
    new["spec"]["template"]["spec"]["containers"] = [{"name": "app", "image": "app:1"}]
    patch, out = apply(old, new, live_from(old))
    assert patch == {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "app"}],
        "containers": [{"image": "app:1", "name": "app"}, {"$patch": "delete", "name": "nginx"}],
    }}}}
    assert out["spec"]["template"]["spec"]["containers"] == [{"name": "app", "image": "app:1"}]


def test_image_change_keeps_server_defaults_of_the_container() -> None:
    old = manifest()
    new = manifest()
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"
    patch, out = apply(old, new, live_from(old))
    assert patch == {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "nginx"}],
        "containers": [{"image": "nginx:1.27", "name": "nginx"}]}}}}
    assert out["spec"]["template"]["spec"]["containers"] == [
        {"name": "nginx", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent"}]


def test_injected_sidecar_is_not_deleted() -> None:
    file = manifest()
    live = live_from(file)
    live["spec"]["template"]["spec"]["containers"].append({"name": "proxy", "image": "envoy"})
    patch, out = apply(file, file, live)
    assert "containers" not in str(patch).replace("$setElementOrder/containers", "")
    names = [c["name"] for c in out["spec"]["template"]["spec"]["containers"]]
    assert names == ["nginx", "proxy"]


def test_finalizer_removed_from_the_file() -> None:
    old, new = manifest(), manifest()
    old["metadata"]["finalizers"] = ["a", "b"]
    new["metadata"]["finalizers"] = ["a"]
    live = live_from(old)
    live["metadata"]["finalizers"].append("controller")
    patch, out = apply(old, new, live)
    assert patch["metadata"]["$deleteFromPrimitiveList/finalizers"] == ["b"]
    assert out["metadata"]["finalizers"] == ["a", "controller"]


def test_strategy_switch_sends_retain_keys() -> None:
    old = manifest(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}})
    new = manifest(strategy={"type": "Recreate"})
    patch, out = apply(old, new, live_from(old))
    assert patch == {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": None,
                                           "type": "Recreate"}}}
    assert out["spec"]["strategy"] == {"type": "Recreate"}


def test_first_apply_without_annotation_only_adds() -> None:
    live = live_from(manifest(), spec__minReadySeconds=3)
    patch, out = apply(None, manifest(revisionHistoryLimit=2), live)
    assert patch == {"spec": {"revisionHistoryLimit": 2}}
    assert out["spec"]["minReadySeconds"] == 3


def test_new_annotation_travels_in_the_patch() -> None:
    old, new = manifest(), manifest(replicas=3)
    new["metadata"]["annotations"] = {LAST: '{"new"}\n'}
    old_live = live_from(old)
    old_live["metadata"]["annotations"] = {LAST: '{"old"}\n'}
    patch, out = apply(old, new, old_live)
    assert patch["metadata"] == {"annotations": {LAST: '{"new"}\n'}}
    assert out["metadata"]["annotations"][LAST] == '{"new"}\n'


def test_keys_are_sorted_like_a_marshalled_go_map() -> None:
    patch = P.create_three_way_merge_patch(manifest(), manifest(replicas=2, paused=True),
                                           live_from(manifest()), DEPLOY)
    assert list(patch["spec"]) == ["paused", "replicas"]


# -- kinds without a schema: CreateThreeWayJSONMergePatch ------------------------------
def test_json_three_way_for_custom_resources() -> None:
    old = {"apiVersion": "x/v1", "kind": "W", "metadata": {"name": "w"},
           "spec": {"a": 1, "b": [1, 2], "gone": True}}
    new = {"apiVersion": "x/v1", "kind": "W", "metadata": {"name": "w"},
           "spec": {"a": 2, "b": [1]}}
    live = copy.deepcopy(old)
    live["spec"]["fromController"] = "x"
    patch = P.create_three_way_merge_patch(old, new, live, None)
    assert patch == {"spec": {"a": 2, "b": [1], "gone": None}}
    out = P.apply_merge_patch(live, patch)
    assert out["spec"] == {"a": 2, "b": [1], "fromController": "x"}


def test_json_three_way_refuses_to_rename() -> None:
    old = {"apiVersion": "x/v1", "kind": "W", "metadata": {"name": "w"}}
    new = {"apiVersion": "x/v1", "kind": "W", "metadata": {"name": "other"}}
    with pytest.raises(StatusError) as err:
        P.create_three_way_merge_patch(old, new, old, None)
    assert err.value.code == 400
    assert err.value.message.startswith("precondition failed for: map[metadata:map[name:other]]")


@pytest.mark.parametrize("bad", [[], "x", None])
def test_modified_and_current_must_be_objects(bad: Any) -> None:
    with pytest.raises(StatusError) as err:
        P.create_three_way_merge_patch({}, bad, {}, DEPLOY)
    assert err.value.code == 400
