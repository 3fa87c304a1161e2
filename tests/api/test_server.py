"""The API server's verbs, as a client of kube-apiserver would see them."""

from __future__ import annotations

import pytest

from engine.api import errors
from engine.api.server import APIServer
from tests.helpers import deployment, pod


def test_create_fills_system_fields(api: APIServer) -> None:
    created = api.create("pods", pod("web"), namespace="default")
    m = created["metadata"]
    assert m["namespace"] == "default"
    assert len(m["uid"]) == 36
    assert m["creationTimestamp"] == "2025-01-01T00:00:00Z"
    assert int(m["resourceVersion"]) > 0
    assert api.get("pods", "web", "default") == created


def test_generate_name_appends_five_characters(api: APIServer) -> None:
    obj = pod("")
    obj["metadata"] = {"generateName": "web-"}
    name = api.create("pods", obj, namespace="default")["metadata"]["name"]
    assert name.startswith("web-") and len(name) == len("web-") + 5


def test_create_twice_is_already_exists(api: APIServer) -> None:
    api.create("pods", pod("web"), namespace="default")
    with pytest.raises(errors.StatusError) as err:
        api.create("pods", pod("web"), namespace="default")
    assert err.value.code == 409
    assert err.value.reason == "AlreadyExists"
    assert str(err.value) == 'pods "web" already exists'


def test_get_missing_names_group_resource(api: APIServer) -> None:
    with pytest.raises(errors.StatusError) as err:
        api.get("deployments", "nope", "default")
    assert err.value.code == 404
    assert str(err.value) == 'deployments.apps "nope" not found'
    assert err.value.status()["details"] == {"name": "nope", "group": "apps",
                                              "kind": "deployments"}


def test_stale_update_is_a_conflict_with_upstream_message(api: APIServer) -> None:
    first = api.create("deployments", deployment("nginx"), namespace="default")
    fresh = dict(first, spec=dict(first["spec"], replicas=3))
    api.update("deployments", fresh)
    stale = dict(first, spec=dict(first["spec"], replicas=5))
    with pytest.raises(errors.StatusError) as err:
        api.update("deployments", stale)
    assert err.value.code == 409
    assert str(err.value) == (
        'Operation cannot be fulfilled on deployments.apps "nginx": the object has been '
        "modified; please apply your changes to the latest version and try again"
    )
    assert api.get("deployments", "nginx", "default")["spec"]["replicas"] == 3


def test_generation_bumps_on_spec_changes_only(api: APIServer) -> None:
    d = api.create("deployments", deployment("nginx"), namespace="default")
    assert d["metadata"]["generation"] == 1
    d["metadata"]["labels"]["tier"] = "web"
    d = api.update("deployments", d)
    assert d["metadata"]["generation"] == 1
    d["spec"]["replicas"] = 4
    d = api.update("deployments", d)
    assert d["metadata"]["generation"] == 2


def test_status_subresource_changes_only_status(api: APIServer) -> None:
    d = api.create("deployments", deployment("nginx"), namespace="default")
    d["spec"]["replicas"] = 9
    d["status"] = {"replicas": 2, "readyReplicas": 1}
    out = api.update("deployments", d, subresource="status")
    assert out["spec"]["replicas"] == 2
    assert out["status"]["readyReplicas"] == 1
    # and the main resource ignores status
    out["status"] = {"replicas": 100}
    out = api.update("deployments", out)
    assert out["status"]["replicas"] == 2


def test_noop_update_keeps_resource_version(api: APIServer) -> None:
    d = api.create("deployments", deployment("nginx"), namespace="default")
    again = api.update("deployments", d)
    assert again["metadata"]["resourceVersion"] == d["metadata"]["resourceVersion"]


def test_namespace_must_exist(api: APIServer) -> None:
    with pytest.raises(errors.StatusError) as err:
        api.create("pods", pod("web"), namespace="missing")
    assert err.value.code == 404
    assert str(err.value) == 'namespaces "missing" not found'


def test_terminating_namespace_refuses_new_content(api: APIServer) -> None:
    api.create("namespaces", {"metadata": {"name": "team"}})
    ns = api.delete("namespaces", "team")
    assert ns["status"]["phase"] == "Terminating"
    with pytest.raises(errors.StatusError) as err:
        api.create("pods", pod("web"), namespace="team")
    assert err.value.code == 403
    assert str(err.value) == (
        'pods "web" is forbidden: unable to create new content in namespace team because it '
        "is being terminated"
    )


def test_system_namespaces_cannot_be_deleted(api: APIServer) -> None:
    with pytest.raises(errors.StatusError) as err:
        api.delete("namespaces", "default")
    assert err.value.code == 403
    assert str(err.value) == 'namespaces "default" is forbidden: this namespace may not be deleted'


def test_namespace_mismatch_is_bad_request(api: APIServer) -> None:
    obj = pod("web")
    obj["metadata"]["namespace"] = "other"
    with pytest.raises(errors.StatusError) as err:
        api.create("pods", obj, namespace="default")
    assert err.value.code == 400


def test_list_with_label_and_field_selectors(api: APIServer) -> None:
    api.create("pods", pod("a", app="web"), namespace="default")
    api.create("pods", pod("b", app="db"), namespace="default")
    api.create("pods", pod("c", app="web", tier="front"), namespace="default")
    names = lambda lst: [o["metadata"]["name"] for o in lst["items"]]  # noqa: E731
    assert names(api.list("pods", "default", label_selector="app=web")) == ["a", "c"]
    assert names(api.list("pods", "default", label_selector="app in (db),!tier")) == ["b"]
    assert names(api.list("pods", "default", field_selector="metadata.name!=a")) == ["b", "c"]
    listed = api.list("pods")
    assert listed["kind"] == "PodList" and listed["apiVersion"] == "v1"


def test_list_pages_with_limit_and_continue(api: APIServer) -> None:
    for i in range(7):
        api.create("pods", pod(f"p{i}", app="web" if i % 2 == 0 else "db"), namespace="default")
    seen, token, pages = [], None, 0
    while True:
        page = api.list("pods", "default", label_selector="app=web", limit=2, continue_=token)
        seen += [o["metadata"]["name"] for o in page["items"]]
        pages += 1
        token = page["metadata"].get("continue")
        if not token:
            break
    assert seen == ["p0", "p2", "p4", "p6"]
    assert pages == 2


def test_bad_continue_token_is_bad_request(api: APIServer) -> None:
    with pytest.raises(errors.StatusError) as err:
        api.list("pods", "default", limit=1, continue_="%%%")
    assert err.value.code == 400


def test_unknown_resource_type(api: APIServer) -> None:
    with pytest.raises(errors.StatusError) as err:
        api.list("widgets")
    assert str(err.value) == 'the server doesn\'t have a resource type "widgets"'


def test_finalizers_hold_deletion_until_removed(api: APIServer) -> None:
    obj = {"metadata": {"name": "cfg", "finalizers": ["example.com/hold"]}, "data": {"a": "1"}}
    api.create("configmaps", obj, namespace="default")
    held = api.delete("configmaps", "cfg", namespace="default")
    assert "deletionTimestamp" in held["metadata"]
    assert api.get("configmaps", "cfg", "default")["metadata"]["finalizers"] == [
        "example.com/hold"]
    held["metadata"]["finalizers"] = []
    api.update("configmaps", held)
    with pytest.raises(errors.StatusError):
        api.get("configmaps", "cfg", "default")


@pytest.mark.parametrize(("policy", "finalizer"), [("Orphan", "orphan"),
                                                   ("Foreground", "foregroundDeletion")])
def test_propagation_policy_is_recorded_as_finalizer(api: APIServer, policy: str,
                                                     finalizer: str) -> None:
    api.create("deployments", deployment("nginx"), namespace="default")
    out = api.delete("deployments", "nginx", namespace="default", propagation_policy=policy)
    assert out["metadata"]["finalizers"] == [finalizer]
    assert "deletionTimestamp" in out["metadata"]


def test_background_delete_removes_at_once(api: APIServer) -> None:
    api.create("deployments", deployment("nginx"), namespace="default")
    api.delete("deployments", "nginx", namespace="default", propagation_policy="Background")
    assert api.list("deployments", "default")["items"] == []


def test_bad_propagation_policy(api: APIServer) -> None:
    api.create("deployments", deployment("nginx"), namespace="default")
    with pytest.raises(errors.StatusError) as err:
        api.delete("deployments", "nginx", namespace="default", propagation_policy="Sideways")
    assert err.value.code == 422
    assert "propagationPolicy: Unsupported value: \"Sideways\"" in str(err.value)


def test_delete_precondition_on_uid(api: APIServer) -> None:
    api.create("pods", pod("web"), namespace="default")
    with pytest.raises(errors.StatusError) as err:
        api.delete("pods", "web", namespace="default", preconditions={"uid": "nope"})
    assert err.value.code == 409
    assert "Precondition failed: UID in precondition: nope" in str(err.value)


def test_delete_collection_by_label(api: APIServer) -> None:
    api.create("pods", pod("a", app="web"), namespace="default")
    api.create("pods", pod("b", app="db"), namespace="default")
    api.delete_collection("pods", "default", label_selector="app=web")
    assert [p["metadata"]["name"] for p in api.list("pods", "default")["items"]] == ["b"]


def test_dry_run_writes_nothing(api: APIServer) -> None:
    out = api.create("pods", pod("web"), namespace="default", dry_run=True)
    assert out["metadata"]["name"] == "web"
    assert api.list("pods", "default")["items"] == []


def test_cluster_scoped_objects_have_no_namespace(api: APIServer) -> None:
    node = api.create("nodes", {"metadata": {"name": "n1", "namespace": "default"}})
    assert "namespace" not in node["metadata"]
    assert api.get("nodes", "n1")["metadata"]["name"] == "n1"


def test_paged_list_shows_one_instant(api: APIServer) -> None:
    for i in range(4):
        api.create("pods", pod(f"p{i}"), namespace="default")
    page = api.list("pods", "default", limit=2)
    api.create("pods", pod("p3a"), namespace="default")  # after the first page
    api.delete("pods", "p3", namespace="default")
    rest = api.list("pods", "default", limit=10, continue_=page["metadata"]["continue"])
    assert [p["metadata"]["name"] for p in rest["items"]] == ["p2", "p3"]
    assert rest["metadata"]["resourceVersion"] == page["metadata"]["resourceVersion"]


def test_continue_from_compacted_revision_is_410(api: APIServer) -> None:
    for i in range(3):
        api.create("pods", pod(f"p{i}"), namespace="default")
    page = api.list("pods", "default", limit=1)
    api.create("pods", pod("later"), namespace="default")
    api.compact(api.store.revision)
    with pytest.raises(errors.StatusError) as err:
        api.list("pods", "default", limit=1, continue_=page["metadata"]["continue"])
    assert err.value.code == 410 and err.value.reason == "Expired"


def test_patch_types_through_the_server(api: APIServer) -> None:
    from engine.api import patch

    api.create("deployments", deployment("nginx"), namespace="default")
    smp = {"spec": {"template": {"spec": {"containers": [{"name": "nginx",
                                                          "image": "nginx:1.16.1"}]}}}}
    out = api.patch("deployments", "nginx", smp, patch.STRATEGIC_MERGE_PATCH, namespace="default")
    containers = out["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("nginx", "nginx:1.16.1")]
    assert containers[0]["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    out = api.patch("deployments", "nginx", {"metadata": {"labels": {"tier": "web"}}},
                    patch.MERGE_PATCH, namespace="default")
    assert out["metadata"]["labels"] == {"app": "nginx", "tier": "web"}
    out = api.patch("deployments", "nginx", [{"op": "replace", "path": "/spec/replicas",
                                              "value": 5}], patch.JSON_PATCH,
                    namespace="default")
    assert out["spec"]["replicas"] == 5 and out["metadata"]["generation"] == 3


def test_server_side_apply_conflict_then_force(api: APIServer) -> None:
    from engine.api import patch

    cfg = deployment("web")
    api.patch("deployments", "web", cfg, patch.APPLY_PATCH, namespace="default",
              field_manager="kubectl")
    api.patch("deployments", "web", {"spec": {"replicas": 7}}, patch.MERGE_PATCH,
              namespace="default", field_manager="k9py")
    with pytest.raises(errors.StatusError) as err:
        api.patch("deployments", "web", cfg, patch.APPLY_PATCH, namespace="default",
                  field_manager="kubectl")
    assert err.value.code == 409
    assert str(err.value).startswith('Apply failed with 1 conflict: conflict with "k9py"')
    out = api.patch("deployments", "web", cfg, patch.APPLY_PATCH, namespace="default",
                    field_manager="kubectl", force=True)
    assert out["spec"]["replicas"] == 2


def test_apply_needs_a_field_manager(api: APIServer) -> None:
    from engine.api import patch

    with pytest.raises(errors.StatusError) as err:
        api.patch("deployments", "web", deployment("web"), patch.APPLY_PATCH,
                  namespace="default")
    assert err.value.code == 422


def test_namespace_finalizers_change_only_through_finalize(api: APIServer) -> None:
    api.create("namespaces", {"metadata": {"name": "team"}})
    ns = api.delete("namespaces", "team")
    ns["spec"]["finalizers"] = []
    kept = api.update("namespaces", ns)
    assert kept["spec"]["finalizers"] == ["kubernetes"]  # main update keeps them
    kept["spec"]["finalizers"] = []
    # the last finalizer gone, the update deletes it (ShouldDeleteNamespaceDuringUpdate)
    api.update("namespaces", kept, subresource="finalize")
    with pytest.raises(errors.StatusError) as err:
        api.get("namespaces", "team")
    assert err.value.code == 404


def test_generated_name_clash_is_retried(api: APIServer) -> None:
    from engine.api.meta import IdentitySource

    api.identity = IdentitySource(seed=1)
    first = pod("")
    first["metadata"] = {"generateName": "web-"}
    name = api.create("pods", first, namespace="default")["metadata"]["name"]
    api.identity = IdentitySource(seed=1)  # the same suffix comes up again
    again = api.create("pods", {**first, "metadata": {"generateName": "web-"}},
                       namespace="default")
    assert again["metadata"]["name"] != name


def test_authorizer_refuses_with_upstream_message(api: APIServer) -> None:
    from engine.api.admission.base import UserInfo

    api.authorizer = lambda attrs: attrs.verb in ("get", "list", "watch")
    viewer = UserInfo(name="viewer", groups=("system:authenticated",))
    assert api.list("pods", "default", user=viewer)["items"] == []
    with pytest.raises(errors.StatusError) as err:
        api.create("pods", pod("web"), namespace="default", user=viewer)
    assert err.value.code == 403
    assert str(err.value) == ('pods is forbidden: User "viewer" cannot create resource '
                              '"pods" in API group "" in the namespace "default"')
    with pytest.raises(errors.StatusError) as err:
        api.delete_collection("nodes", user=viewer)
    assert str(err.value) == ('nodes is forbidden: User "viewer" cannot deletecollection '
                              'resource "nodes" in API group "" at the cluster scope')
    assert api.create("pods", pod("web"), namespace="default")  # no user: in-process, trusted


def test_create_with_field_manager_returns_resource_version(api: APIServer) -> None:
    out = api.create("pods", pod("web"), namespace="default", field_manager="kubectl-create")
    assert out["metadata"]["resourceVersion"] == api.get("pods", "web", "default")[
        "metadata"]["resourceVersion"]
    assert out["metadata"]["managedFields"][0]["manager"] == "kubectl-create"


def test_binding_assigns_node_once(api: APIServer) -> None:
    api.create("pods", pod("web"), namespace="default")
    bound = api.bind("web", "k9py-worker", namespace="default")
    assert bound["spec"]["nodeName"] == "k9py-worker"
    cond = {c["type"]: c["status"] for c in bound["status"]["conditions"]}
    assert cond["PodScheduled"] == "True"
    with pytest.raises(errors.StatusError) as err:
        api.bind("web", "k9py-worker2", namespace="default")
    assert err.value.code == 409
    assert str(err.value).endswith('pod web is already assigned to node "k9py-worker"')
