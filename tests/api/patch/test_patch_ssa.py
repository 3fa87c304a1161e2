"""Server-side apply and managedFields bookkeeping (structured-merge-diff semantics)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from engine.api import patch as P
from engine.api.errors import StatusError

DEPLOY = "io.k8s.api.apps.v1.Deployment"
CM = "io.k8s.api.core.v1.ConfigMap"
T0, T1, T2 = "2025-01-01T00:00:00Z", "2025-01-01T00:01:00Z", "2025-01-01T00:02:00Z"
LAST = "kubectl.kubernetes.io/last-applied-configuration"


def deploy(**spec: Any) -> dict[str, Any]:
    out = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
           "spec": {"selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"containers": [{"name": "nginx", "image": "nginx:1"}]}}}}
    out["spec"].update(spec)
    return out


def stored(obj: dict[str, Any]) -> dict[str, Any]:
    """What the store would hold after a create: uid and resourceVersion set."""
    out = copy.deepcopy(obj)
    out["metadata"].update(uid="uid-1", resourceVersion="5", creationTimestamp=T0)
    return out


def apply(live: dict | None, config: dict, manager: str, *, force: bool = False,
          now: str = T0, definition: str = DEPLOY) -> dict[str, Any]:
    before = copy.deepcopy((live, config))
    out = P.server_side_apply(live, config, manager, force=force, definition=definition, now=now)
    assert (live, config) == before
    return out


def entries(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["manager"]: e for e in obj["metadata"].get("managedFields", [])}


def fields(obj: dict[str, Any], manager: str) -> dict[str, Any]:
    return entries(obj)[manager]["fieldsV1"]


def test_create_records_the_applied_fields_as_upstream_prints_them() -> None:
    config = deploy(replicas=2)
    config["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    out = apply(None, config, "kubectl")
    assert out["spec"]["replicas"] == 2
    [entry] = out["metadata"]["managedFields"]
    assert entry == {
        "manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1", "time": T0,
        "fieldsType": "FieldsV1",
        "fieldsV1": {
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {
                "f:replicas": {}, "f:selector": {},
                "f:template": {
                    "f:metadata": {"f:labels": {"f:app": {}}},
                    "f:spec": {"f:containers": {'k:{"name":"nginx"}': {
                        ".": {}, "f:image": {}, "f:name": {},
                        "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {
                            ".": {}, "f:containerPort": {}}}}}}}}}}


def test_conflict_with_a_client_side_applier_has_upstreams_wording() -> None:
    live = P.update_managed_fields(None, stored(deploy(replicas=2)), "kubectl-client-side-apply",
                                   "Update", definition=DEPLOY, now=T0)
    with pytest.raises(StatusError) as err:
        apply(live, deploy(replicas=3), "ops")
    assert (err.value.code, err.value.reason) == (409, "Conflict")
    assert err.value.message == ('Apply failed with 1 conflict: conflict with '
                                 '"kubectl-client-side-apply" using apps/v1: .spec.replicas')
    assert err.value.details == {"causes": [{
        "reason": "FieldManagerConflict",
        "message": 'conflict with "kubectl-client-side-apply" using apps/v1',
        "field": ".spec.replicas"}]}


def test_several_conflicts_are_listed_per_manager() -> None:
    live = apply(None, deploy(replicas=2), "alice")
    config = deploy(replicas=3)
    config["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2"
    with pytest.raises(StatusError) as err:
        apply(live, config, "bob")
    assert err.value.message == (
        'Apply failed with 2 conflicts: conflicts with "alice":\n'
        "- .spec.replicas\n"
        '- .spec.template.spec.containers[name="nginx"].image')
    assert [c["field"] for c in err.value.details["causes"]] == [
        ".spec.replicas", '.spec.template.spec.containers[name="nginx"].image']


def test_same_value_is_shared_ownership_not_a_conflict() -> None:
    live = apply(None, deploy(replicas=2), "alice")
    out = apply(live, deploy(replicas=2), "bob", now=T1)
    assert "f:replicas" in fields(out, "alice")["f:spec"]
    assert "f:replicas" in fields(out, "bob")["f:spec"]


def test_force_takes_ownership() -> None:
    live = apply(None, deploy(replicas=2), "alice")
    out = apply(live, deploy(replicas=3), "bob", force=True, now=T1)
    assert out["spec"]["replicas"] == 3
    assert "f:replicas" not in fields(out, "alice")["f:spec"]
    assert "f:replicas" in fields(out, "bob")["f:spec"]
    assert entries(out)["bob"]["time"] == T1 and entries(out)["alice"]["time"] == T0


def test_a_field_no_longer_applied_is_removed() -> None:
    live = apply(None, deploy(replicas=2, minReadySeconds=5), "alice")
    out = apply(live, deploy(replicas=2), "alice", now=T1)
    assert "minReadySeconds" not in out["spec"]
    assert "f:minReadySeconds" not in fields(out, "alice")["f:spec"]


def test_a_field_no_longer_applied_but_owned_by_another_stays() -> None:
    live = apply(None, deploy(minReadySeconds=5), "alice")
    live = apply(live, deploy(minReadySeconds=5), "bob", now=T1)
    out = apply(live, deploy(), "alice", now=T2)
    assert out["spec"]["minReadySeconds"] == 5
    assert "f:minReadySeconds" in fields(out, "bob")["f:spec"]


def test_a_container_no_longer_applied_is_removed() -> None:
    config = deploy()
    config["spec"]["template"]["spec"]["containers"].append({"name": "sidecar", "image": "s"})
    live = apply(None, config, "alice")
    out = apply(live, deploy(), "alice", now=T1)
    assert [c["name"] for c in out["spec"]["template"]["spec"]["containers"]] == ["nginx"]


def test_fields_set_by_updates_survive_an_apply_that_never_set_them() -> None:
    live = apply(None, deploy(), "alice")
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 7
    scaled = P.update_managed_fields(live, scaled, "kubectl", "Update", definition=DEPLOY,
                                     now=T1, subresource="scale")
    scale_entry = [e for e in scaled["metadata"]["managedFields"] if e.get("subresource")]
    assert scale_entry[0]["fieldsV1"] == {"f:spec": {"f:replicas": {}}}
    out = apply(scaled, deploy(), "alice", now=T2)
    assert out["spec"]["replicas"] == 7


def test_kubectl_takes_over_fields_it_client_side_applied() -> None:
    """lastAppliedManager: the migration from client-side to server-side apply."""
    config = deploy(replicas=2)
    live = stored(config)
    live["metadata"]["annotations"] = {LAST: json.dumps(config)}
    live = P.update_managed_fields(None, live, "kubectl-client-side-apply", "Update",
                                   definition=DEPLOY, now=T0)
    out = apply(live, deploy(replicas=3), "kubectl", now=T1)
    assert out["spec"]["replicas"] == 3
    annotation = json.loads(out["metadata"]["annotations"][LAST])
    assert annotation["spec"]["replicas"] == 3  # lastAppliedUpdater keeps it current


def test_kubectl_still_conflicts_on_fields_changed_since_the_last_apply() -> None:
    config = deploy(replicas=2)
    live = stored(config)
    live["metadata"]["annotations"] = {LAST: json.dumps(config)}
    live = P.update_managed_fields(None, live, "kubectl-client-side-apply", "Update",
                                   definition=DEPLOY, now=T0)
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 5
    scaled = P.update_managed_fields(live, scaled, "hpa", "Update", definition=DEPLOY, now=T1)
    with pytest.raises(StatusError) as err:
        apply(scaled, deploy(replicas=3), "kubectl", now=T2)
    assert err.value.message == ('Apply failed with 1 conflict: conflict with "hpa" using '
                                 "apps/v1: .spec.replicas")


def test_object_without_managed_fields_gets_before_first_apply() -> None:
    live = stored(deploy(replicas=4))
    out = apply(live, deploy(replicas=4), "alice")
    owners = entries(out)
    assert set(owners) == {"alice", "before-first-apply"}
    assert owners["before-first-apply"]["operation"] == "Update"


def test_status_is_never_owned_on_the_main_resource() -> None:
    config = deploy()
    config["status"] = {"replicas": 3}
    out = apply(None, config, "alice")
    assert "f:status" not in fields(out, "alice")


def test_noop_apply_keeps_the_timestamp() -> None:
    live = apply(None, deploy(replicas=2), "alice")
    out = apply(live, deploy(replicas=2), "alice", now=T1)
    assert entries(out)["alice"]["time"] == T0
    assert out["spec"] == live["spec"]


def test_nulls_own_the_field_and_leave_it_unset() -> None:
    live = apply(None, deploy(replicas=2), "alice")
    out = apply(live, deploy(replicas=None), "alice", now=T1)
    assert "replicas" not in out["spec"]
    assert "f:replicas" in fields(out, "alice")["f:spec"]


def test_configmap_data_keys_are_members() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
              "data": {"a": "1", "b": "2"}}
    out = apply(None, config, "alice", definition=CM)
    assert fields(out, "alice") == {"f:data": {"f:a": {}, "f:b": {}}}
    out = apply(out, {**config, "data": {"a": "1"}}, "alice", definition=CM, now=T1)
    assert out["data"] == {"a": "1"}


def test_custom_resources_use_deduced_types() -> None:
    config = {"apiVersion": "x.io/v1", "kind": "W", "metadata": {"name": "w"},
              "spec": {"size": 1, "items": [1, 2]}}
    out = P.server_side_apply(None, config, "alice", force=False, definition=None, now=T0)
    assert fields(out, "alice") == {"f:spec": {".": {}, "f:items": {}, "f:size": {}}}


BAD_CONFIGS = [
    ("duplicate list keys", lambda c: c["spec"]["template"]["spec"]["containers"].append(
        {"name": "nginx", "image": "x"}),
     "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
     '.spec.template.spec.containers: duplicate entries for key [name="nginx"]'),
    ("list item without its key", lambda c: c["spec"]["template"]["spec"]["containers"].append(
        {"image": "x"}),
     "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
     ".spec.template.spec.containers: element 1: associative list with keys has an element "
     'that omits key field "name" (and doesn\'t have default value)'),
    ("a map where a list belongs", lambda c: c["spec"]["template"]["spec"].update(
        containers={"name": "x"}),
     "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
     ".spec.template.spec.containers: expected list, got map[name:x]"),
    ("unknown field", lambda c: c["spec"].update(bogus=1),
     "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
     ".spec.bogus: field not declared in schema"),
    ("managedFields in the body", lambda c: c["metadata"].update(managedFields=[]),
     "metadata.managedFields must be nil"),
    ("another kind", lambda c: c.update(kind="StatefulSet"),
     "invalid object type: apps/v1, Kind=StatefulSet"),
]


@pytest.mark.parametrize(("name", "mutate", "message"), BAD_CONFIGS,
                         ids=[c[0] for c in BAD_CONFIGS])
def test_unusable_configurations_are_400(name: str, mutate: Any, message: str) -> None:
    config = deploy()
    mutate(config)
    with pytest.raises(StatusError) as err:
        apply(None, config, "alice")
    assert (err.value.code, err.value.message) == (400, message)


def test_apply_needs_a_field_manager() -> None:
    with pytest.raises(StatusError) as err:
        apply(None, deploy(), "")
    assert err.value.code == 422
    assert err.value.message == ('PatchOptions.meta.k8s.io "" is invalid: fieldManager: '
                                 "Required value: is required for apply patch")


# -- update_managed_fields ---------------------------------------------------------------
def update(old: dict | None, new: dict, manager: str, now: str = T0, **kw: Any) -> dict:
    before = copy.deepcopy((old, new))
    out = P.update_managed_fields(old, new, manager, "Update", definition=DEPLOY, now=now, **kw)
    assert (old, new) == before
    return out


def test_create_records_an_update_entry() -> None:
    out = update(None, stored(deploy(replicas=1)), "kubectl-client-side-apply")
    [entry] = out["metadata"]["managedFields"]
    assert {k: entry[k] for k in ("manager", "operation", "apiVersion", "time", "fieldsType")} == {
        "manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "apps/v1",
        "time": T0, "fieldsType": "FieldsV1"}
    spec = entry["fieldsV1"]["f:spec"]
    assert "." not in spec and "." not in spec["f:template"]  # value structs are not added
    assert spec["f:template"]["f:metadata"]["f:labels"] == {".": {}, "f:app": {}}
    assert "f:uid" not in entry["fieldsV1"].get("f:metadata", {})  # stripped


def test_update_moves_ownership_of_changed_fields() -> None:
    live = update(None, stored(deploy(replicas=1)), "creator")
    new = copy.deepcopy(live)
    new["spec"]["replicas"] = 4
    new["metadata"]["labels"]["team"] = "x"
    out = update(live, new, "kubectl-edit", now=T1)
    editor = fields(out, "kubectl-edit")
    assert editor == {"f:metadata": {"f:labels": {"f:team": {}}}, "f:spec": {"f:replicas": {}}}
    assert "f:replicas" not in fields(out, "creator")["f:spec"]


def test_removed_fields_leave_every_owner() -> None:
    live = update(None, stored(deploy(replicas=1, minReadySeconds=3)), "creator")
    new = copy.deepcopy(live)
    del new["spec"]["minReadySeconds"]
    out = update(live, new, "other", now=T1)
    assert "f:minReadySeconds" not in fields(out, "creator")["f:spec"]
    assert "other" not in entries(out)  # it changed nothing it could own


def test_untracked_objects_stay_untracked_on_update() -> None:
    """skipNonApplied: only creates start tracking."""
    live = stored(deploy())
    new = copy.deepcopy(live)
    new["spec"]["replicas"] = 3
    assert "managedFields" not in update(live, new, "x")["metadata"]


def test_an_empty_list_in_the_request_resets_managed_fields() -> None:
    live = update(None, stored(deploy()), "creator")
    new = copy.deepcopy(live)
    new["metadata"]["managedFields"] = []
    out = update(live, new, "x", now=T1)
    assert "managedFields" not in out["metadata"]


def test_managed_fields_sent_in_the_request_win() -> None:
    live = update(None, stored(deploy()), "creator")
    new = copy.deepcopy(live)
    new["metadata"]["managedFields"][0]["manager"] = "renamed"
    out = update(live, new, "x", now=T1)
    assert set(entries(out)) == {"renamed"}


def test_at_most_ten_update_managers() -> None:
    obj = update(None, stored(deploy()), "m0")
    for i in range(1, 12):
        new = copy.deepcopy(obj)
        new["metadata"]["labels"][f"l{i}"] = "x"
        obj = update(obj, new, f"m{i}", now=f"2025-01-01T00:{i:02d}:00Z")
    managers = entries(obj)
    assert len(managers) == 10
    assert "ancient-changes" in managers
    assert {"m0", "m1", "m2"}.isdisjoint(managers)


def test_subresource_updates_are_separate_entries() -> None:
    live = update(None, stored(deploy()), "creator")
    new = copy.deepcopy(live)
    new["status"] = {"replicas": 1}
    out = update(live, new, "controller", now=T1, subresource="status")
    entry = entries(out)["controller"]
    assert entry["subresource"] == "status"
    assert entry["fieldsV1"] == {"f:status": {"f:replicas": {}}}
