"""RBAC on the API server: bootstrap roles, the authorizer's decisions with
upstream's Forbidden wording, aggregation and access reviews."""

from __future__ import annotations

import pytest

from engine.api import errors, rbac
from engine.api.admission.base import UserInfo
from engine.api.rbac.rules import Request, rule_allows
from engine.cluster import Cluster

READONLY = UserInfo("k9py-readonly", ("system:authenticated",))
JANE = UserInfo("jane", ("system:authenticated",))
ADMIN = UserInfo("kubernetes-admin", ("system:masters", "system:authenticated"))


def _cm(name: str) -> dict:
    return {"metadata": {"name": name}, "data": {"a": "b"}}


def test_rule_matching_subresources_names_and_urls() -> None:
    rule = {"verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]}
    assert rule_allows(rule, Request("get", "", "pods", "log"))
    assert not rule_allows(rule, Request("get", "", "pods"))
    star = {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*/scale"]}
    assert rule_allows(star, Request("update", "apps", "deployments", "scale"))
    named = {"verbs": ["get"], "apiGroups": [""], "resources": ["secrets"],
             "resourceNames": ["a"]}
    assert rule_allows(named, Request("get", "", "secrets", name="a"))
    assert not rule_allows(named, Request("get", "", "secrets", name="b"))
    urls = {"verbs": ["get"], "nonResourceURLs": ["/apis/*"]}
    assert rule_allows(urls, Request("get", path="/apis/apps"))
    assert not rule_allows(urls, Request("get", path="/version"))


def test_read_only_user_is_forbidden_to_write(cluster: Cluster) -> None:
    api = cluster.api
    with pytest.raises(errors.StatusError) as err:
        cluster.call(lambda: api.create("configmaps", _cm("x"), namespace="default",
                                        user=READONLY))
    assert err.value.code == 403
    assert str(err.value.message) == (
        'configmaps is forbidden: User "k9py-readonly" cannot create resource "configmaps" '
        'in API group "" in the namespace "default"')
    got = cluster.call(lambda: api.list("pods", "default", user=READONLY))
    assert got["kind"] == "PodList"


def test_can_i_through_self_subject_access_review(cluster: Cluster) -> None:
    api = cluster.api

    def review(user: UserInfo, verb: str, resource: str) -> dict:
        body = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                "spec": {"resourceAttributes": {"namespace": "default", "verb": verb,
                                                "resource": resource}}}
        return cluster.call(lambda: rbac.self_subject_access_review(api, user, body))

    got = review(READONLY, "get", "pods")
    assert got["status"]["allowed"] is True
    assert got["status"]["reason"] == ('RBAC: allowed by ClusterRoleBinding "k9py:read-only" '
                                       'of ClusterRole "k9py:read-only" to User "k9py-readonly"')
    assert review(READONLY, "create", "pods")["status"] == {"allowed": False}
    assert review(ADMIN, "delete", "nodes")["status"] == {"allowed": True}
    assert review(JANE, "get", "pods")["status"] == {"allowed": False}


def test_role_binding_to_aggregated_edit_role(cluster: Cluster) -> None:
    client, api = cluster.client, cluster.api
    client.create("namespaces", {"metadata": {"name": "team"}})
    client.create("rolebindings", {
        "metadata": {"name": "jane-edit", "namespace": "team"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "edit"},
        "subjects": [{"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"}]})
    created = cluster.call(lambda: api.create("configmaps", _cm("ok"), namespace="team",
                                              user=JANE))
    assert created["metadata"]["name"] == "ok"
    assert not rbac.allowed(api, JANE, "create", "", "configmaps", "default")
    assert rbac.allowed(api, JANE, "get", "apps", "deployments", "team")
    assert not rbac.allowed(api, JANE, "create", "rbac.authorization.k8s.io", "roles", "team")
    assert rbac.allowed(api, JANE, "get", path="/version")
    edit = client.get("clusterroles", "edit")
    assert edit["aggregationRule"]["clusterRoleSelectors"] == [
        {"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}}]
    assert any("pods/log" in r.get("resources", ()) for r in edit["rules"])


def test_namespaced_role_and_service_account_subject(cluster: Cluster) -> None:
    client, api = cluster.client, cluster.api
    client.create("roles", {
        "metadata": {"name": "pod-reader", "namespace": "default"},
        "rules": [{"apiGroups": [""], "resources": ["pods", "pods/log"],
                   "verbs": ["get", "list"]}]})
    client.create("rolebindings", {
        "metadata": {"name": "read-pods", "namespace": "default"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                    "name": "pod-reader"},
        "subjects": [{"kind": "ServiceAccount", "name": "robot", "namespace": "default"}]})
    robot = UserInfo("system:serviceaccount:default:robot",
                     ("system:serviceaccounts", "system:authenticated"))
    assert rbac.allowed(api, robot, "get", "", "pods", "default", subresource="log")
    assert not rbac.allowed(api, robot, "get", "", "pods", "kube-system")
    assert not rbac.allowed(api, robot, "delete", "", "pods", "default")
    rules = cluster.call(lambda: rbac.self_subject_rules_review(
        api, robot, {"spec": {"namespace": "default"}}))
    assert {"verbs": ["get", "list"], "apiGroups": [""],
            "resources": ["pods", "pods/log"]} in rules["status"]["resourceRules"]


def test_aggregation_controller_adds_labelled_roles_to_view() -> None:
    from engine.api.rbac.aggregation import aggregate

    view = {"metadata": {"name": "view"}, "aggregationRule": {"clusterRoleSelectors": [
        {"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}}]}, "rules": []}
    crd = {"metadata": {"name": "crontabs-view", "labels": {
        "rbac.authorization.k8s.io/aggregate-to-view": "true"}},
        "rules": [{"apiGroups": ["stable.example.com"], "resources": ["crontabs"],
                   "verbs": ["get"]}]}
    other = {"metadata": {"name": "other"}, "rules": [{"verbs": ["*"]}]}
    assert aggregate(view, [view, crd, other]) == crd["rules"]
    assert aggregate(other, [view, crd]) is None


def test_cached_decisions_follow_binding_changes(cluster: Cluster) -> None:
    client, api = cluster.client, cluster.api
    bob = UserInfo("bob", ("system:authenticated",))
    assert not cluster.call(lambda: rbac.allowed(api, bob, "list", "", "secrets", "default"))
    client.create("rolebindings", {
        "metadata": {"name": "bob-view", "namespace": "default"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "admin"},
        "subjects": [{"kind": "User", "name": "bob", "apiGroup": "rbac.authorization.k8s.io"}]})
    assert cluster.call(lambda: rbac.allowed(api, bob, "list", "", "secrets", "default"))
    client.delete("rolebindings", "bob-view", namespace="default")
    assert not cluster.call(lambda: rbac.allowed(api, bob, "list", "", "secrets", "default"))


def _configmap_reader(name: str, names: list[str] | None) -> list[dict]:
    rule: dict = {"verbs": ["get", "update"], "apiGroups": [""], "resources": ["configmaps"]}
    if names is not None:
        rule["resourceNames"] = names
    return [
        {"metadata": {"name": name, "namespace": "default"}, "rules": [rule]},
        {"metadata": {"name": name, "namespace": "default"},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
         "subjects": [{"kind": "User", "name": "ann", "apiGroup": "rbac.authorization.k8s.io"}]},
    ]


def test_remembered_decisions_tell_resource_names_apart(cluster: Cluster) -> None:
    """A request's decision is remembered per user, verb and resource; a rule
    with resourceNames makes the name part of that, so allowing "a" never
    allows "b" (nor the reverse), however the requests interleave."""
    client, api = cluster.client, cluster.api
    ann = UserInfo("ann", ("system:authenticated",))
    for name in "abc":
        client.create("configmaps", _cm(name))
    role, binding = _configmap_reader("reader", ["a"])
    client.create("roles", role)
    client.create("rolebindings", binding)

    def get(name: str) -> int:
        try:
            cluster.call(lambda: api.get("configmaps", name, "default", user=ann))
        except errors.StatusError as err:
            return err.code
        return 200

    assert [get(n) for n in "abab"] == [200, 403, 200, 403]
    assert get("c") == 403
    # Names no longer restricted: every configmap, at once (the binding's
    # change moves the generation, so nothing remembered before counts).
    client.update("roles", {**client.get("roles", "reader", "default"),
                            "rules": _configmap_reader("reader", None)[0]["rules"]})
    assert [get(n) for n in "abc"] == [200, 200, 200]
    client.delete("rolebindings", "reader", namespace="default")
    assert [get(n) for n in "abc"] == [403, 403, 403]


def test_remembered_decisions_agree_with_the_rules(cluster: Cluster) -> None:
    """Randomised: every request checked through the API server's authorizer
    (which remembers decisions) gets the answer the rules give afresh."""
    import random

    from engine.api.authorization import RequestAttributes

    client, api = cluster.client, cluster.api
    rng = random.Random(7)
    authorizer = api.authorizer
    users = [UserInfo("ann", ("system:authenticated",)), READONLY]
    resources = ["configmaps", "pods"]
    # Unrestricted first (ann's earlier refusals must not stand), then names.
    for step, names in enumerate([None, None, ["a"], ["b", "c"], None]):
        if step:
            role, binding = _configmap_reader(f"r{step}", names)
            client.create("roles", role)
            client.create("rolebindings", binding)
        for _ in range(300):
            user = rng.choice(users)
            info = api.info(rng.choice(resources))
            attrs = RequestAttributes(user, rng.choice(["get", "update", "create"]), info,
                                      rng.choice(["default", "kube-system"]),
                                      rng.choice(["a", "b", "c"]), rng.choice(["", "", "status"]))
            fresh = authorizer.allows(user, Request(attrs.verb, info.group, info.plural,
                                                    attrs.subresource, attrs.name,
                                                    attrs.namespace))
            assert cluster.call(lambda a=attrs: authorizer(a)) == fresh, attrs
