"""Validation through the real API server: 422 Invalid with upstream's aggregated
message, and nothing written to the store."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from engine.api import errors
from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.store import Store

Obj = dict[str, Any]


@pytest.fixture
def api() -> Iterator[APIServer]:
    clock = VirtualClock()
    loop = clock.new_event_loop()
    server = APIServer(Store(), clock)
    server.create("namespaces", {"metadata": {"name": "default"}})
    yield server
    server.close()
    loop.close()


def deployment(**spec: Any) -> Obj:
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}
    body["spec"].update(spec)
    return body


def pod(**container: Any) -> Obj:
    c = {"name": "app", "image": "nginx", **container}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
            "spec": {"containers": [c]}}


def rejected(api: APIServer, resource: str, obj: Obj, namespace: str | None = "default",
             old: Obj | None = None) -> str:
    """The message of the 422 a create (or update) gets; the store is unchanged."""
    before = api.store.revision
    with pytest.raises(errors.StatusError) as info:
        if old is None:
            api.create(resource, obj, namespace=namespace)
        else:
            api.update(resource, obj, namespace=namespace)
    assert (info.value.code, info.value.reason) == (422, "Invalid")
    assert api.store.revision == before
    return info.value.message


CASES = [
    ("deployments", deployment(selector={"matchLabels": {"app": "other"}}),
     'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: '
     'map[string]string{"app":"web"}: `selector` does not match template `labels`'),
    ("deployments", deployment(template={"metadata": {"labels": {"app": "web"}}, "spec": {
        "restartPolicy": "OnFailure", "containers": [{"name": "nginx", "image": "nginx"}]}}),
     'Deployment.apps "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: '
     '"OnFailure": supported values: "Always"'),
    ("deployments", deployment(replicas=-1, revisionHistoryLimit=-1),
     'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater '
     "than or equal to 0, spec.revisionHistoryLimit: Invalid value: -1: must be greater than "
     "or equal to 0]"),
    ("pods", pod(ports=[{"containerPort": 70000}]),
     'Pod "web" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: '
     "must be between 1 and 65535, inclusive"),
    ("pods", pod(volumeMounts=[{"name": "x", "mountPath": "/x"}]),
     'Pod "web" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "x"'),
    ("pods", pod(image=""),
     'Pod "web" is invalid: spec.containers[0].image: Required value'),
    ("services", {"metadata": {"name": "web"}, "spec": {
        "ports": [{"port": 80, "nodePort": 30080}]}},
     'Service "web" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when '
     "`type` is 'ClusterIP'"),
    ("configmaps", {"metadata": {"name": "cfg"}, "data": {"bad key": "x"}},
     'ConfigMap "cfg" is invalid: data[bad key]: Invalid value: "bad key": a valid config key '
     "must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
     "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"),
    ("cronjobs", {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
                  "spec": {"schedule": "bad", "jobTemplate": {"spec": {"template": {"spec": {
                      "restartPolicy": "OnFailure",
                      "containers": [{"name": "c", "image": "busybox"}]}}}}}},
     'CronJob.batch "c" is invalid: spec.schedule: Invalid value: "bad": expected exactly 5 '
     "fields, found 1: [bad]"),
    ("roles", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
               "metadata": {"name": "reader"},
               "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": []}]},
     'Role.rbac.authorization.k8s.io "reader" is invalid: rules[0].verbs: Required value: '
     "verbs must contain at least one value"),
    ("horizontalpodautoscalers", {
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                    "name": "web"}, "minReplicas": 5, "maxReplicas": 2}},
     'HorizontalPodAutoscaler.autoscaling "web" is invalid: spec.maxReplicas: Invalid value: 2: '
     "must be greater than or equal to `minReplicas`"),
]


@pytest.mark.parametrize(("resource", "obj", "message"), CASES,
                         ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(CASES)])
def test_create_rejected(api: APIServer, resource: str, obj: Obj, message: str) -> None:
    assert rejected(api, resource, obj) == message


def test_cluster_scoped_kinds(api: APIServer) -> None:
    assert rejected(api, "priorityclasses", {
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": "huge"}, "value": 2_000_000_000}, namespace=None) == (
        'PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: maximum allowed '
        "value of a user defined priority is 1000000000")
    assert rejected(api, "namespaces", {"metadata": {"name": "My-NS"}}, namespace=None) == (
        'Namespace "My-NS" is invalid: metadata.name: Invalid value: "My-NS": a lowercase RFC '
        "1123 label must consist of lower case alphanumeric characters or '-', and must start "
        "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
        "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")


def test_valid_objects_are_stored(api: APIServer) -> None:
    api.create("deployments", deployment(), namespace="default")
    api.create("pods", pod(ports=[{"containerPort": 80}]), namespace="default")
    assert api.get("deployments", "web", "default")["metadata"]["generation"] == 1


def test_deployment_selector_is_immutable(api: APIServer) -> None:
    stored = api.create("deployments", deployment(), namespace="default")
    changed = copy.deepcopy(stored)
    changed["spec"]["selector"]["matchLabels"]["tier"] = "x"
    changed["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    assert rejected(api, "deployments", changed, old=stored) == (
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: '
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable")


def test_pod_update_may_only_change_images(api: APIServer) -> None:
    stored = api.create("pods", pod(), namespace="default")
    retagged = copy.deepcopy(stored)
    retagged["spec"]["containers"][0]["image"] = "nginx:1.27"
    stored = api.update("pods", retagged, namespace="default")
    moved = copy.deepcopy(stored)
    moved["spec"]["nodeName"] = "node-1"
    message = rejected(api, "pods", moved, old=stored)
    assert message.split("\n")[0] == (
        'Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),"
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)")


def test_immutable_config_map(api: APIServer) -> None:
    stored = api.create("configmaps", {"metadata": {"name": "cfg"}, "data": {"a": "1"},
                                       "immutable": True}, namespace="default")
    changed = copy.deepcopy(stored)
    changed["data"]["a"] = "2"
    assert rejected(api, "configmaps", changed, old=stored) == (
        'ConfigMap "cfg" is invalid: data: Forbidden: field is immutable when `immutable` is set')


def test_role_binding_role_ref_is_immutable(api: APIServer) -> None:
    stored = api.create("rolebindings", {
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "read"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
        "subjects": [{"kind": "User", "name": "jane"}]}, namespace="default")
    changed = copy.deepcopy(stored)
    changed["roleRef"]["name"] = "writer"
    assert rejected(api, "rolebindings", changed, old=stored) == (
        'RoleBinding.rbac.authorization.k8s.io "read" is invalid: roleRef: Invalid value: '
        'rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"writer"}: '
        "cannot change roleRef")
