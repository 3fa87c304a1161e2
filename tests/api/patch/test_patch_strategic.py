"""Strategic merge patch, driven by upstream's schema tags.

Cases come from the kubernetes.io task "Update API Objects in Place Using kubectl
patch", the community doc ``strategic-merge-patch.md`` and upstream's
``strategicpatch`` behaviour; each names what it checks.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest

from engine.api import patch as P
from engine.api.errors import StatusError

DEPLOY = "io.k8s.api.apps.v1.Deployment"
POD = "io.k8s.api.core.v1.Pod"
SERVICE = "io.k8s.api.core.v1.Service"
PDB = "io.k8s.api.policy.v1.PodDisruptionBudget"


def patch_demo() -> dict[str, Any]:
    """deployment-patch.yaml from the task page."""
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "patch-demo"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "nginx"}},
                 "template": {"metadata": {"labels": {"app": "nginx"}},
                              "spec": {"containers": [{"name": "patch-demo-ctr", "image": "nginx"}],
                                       "tolerations": [{"effect": "NoSchedule", "key": "dedicated",
                                                        "value": "test-team"}]}}}}


def retainkeys_demo() -> dict[str, Any]:
    """deployment-retainkeys.yaml from the task page."""
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "retainkeys-demo"},
            "spec": {"selector": {"matchLabels": {"app": "nginx"}},
                     "strategy": {"rollingUpdate": {"maxSurge": "30%"}},
                     "template": {"metadata": {"labels": {"app": "nginx"}},
                                  "spec": {"containers": [{"name": "retainkeys-demo-ctr",
                                                           "image": "nginx"}]}}}}


def pod(**spec: Any) -> dict[str, Any]:
    base = {"containers": [{"name": "a", "image": "a:1"}]}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": base}


def dig(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


CASES: list[tuple[str, str, dict[str, Any], Any, str, Any]] = [
    ("task page: containers merge by name, patch items first", DEPLOY, patch_demo(),
     {"spec": {"template": {"spec": {"containers": [{"name": "patch-demo-ctr-2",
                                                      "image": "redis"}]}}}},
     "spec.template.spec.containers",
     [{"name": "patch-demo-ctr-2", "image": "redis"}, {"name": "patch-demo-ctr", "image": "nginx"}]),
    ("task page: tolerations have no strategy and are replaced", DEPLOY, patch_demo(),
     {"spec": {"template": {"spec": {"tolerations": [
         {"effect": "NoSchedule", "key": "disktype", "value": "ssd"}]}}}},
     "spec.template.spec.tolerations",
     [{"effect": "NoSchedule", "key": "disktype", "value": "ssd"}]),
    ("task page: type Recreate alone keeps rollingUpdate", DEPLOY, retainkeys_demo(),
     {"spec": {"strategy": {"type": "Recreate"}}}, "spec.strategy",
     {"rollingUpdate": {"maxSurge": "30%"}, "type": "Recreate"}),
    ("task page: $retainKeys clears rollingUpdate", DEPLOY, retainkeys_demo(),
     {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}, "spec.strategy",
     {"type": "Recreate"}),
    ("merge an existing container by name", POD, pod(containers=[
        {"name": "a", "image": "a:1", "args": ["x"]}, {"name": "b", "image": "b:1"}]),
     {"spec": {"containers": [{"name": "b", "image": "b:2"}]}}, "spec.containers",
     [{"name": "a", "image": "a:1", "args": ["x"]}, {"name": "b", "image": "b:2"}]),
    ("null deletes a key", DEPLOY, patch_demo(), {"spec": {"replicas": None}}, "spec",
     {"selector": {"matchLabels": {"app": "nginx"}}, "template": patch_demo()["spec"]["template"]}),
    ("$patch: replace on a map replaces it", POD, pod(restartPolicy="Always"),
     {"spec": {"$patch": "replace", "containers": [{"name": "z", "image": "z"}]}}, "spec",
     {"containers": [{"name": "z", "image": "z"}]}),
    ("$patch: replace in a list replaces the list", POD, pod(containers=[
        {"name": "a", "image": "a"}, {"name": "b", "image": "b"}]),
     {"spec": {"containers": [{"name": "c", "image": "c"}, {"$patch": "replace"}]}},
     "spec.containers", [{"name": "c", "image": "c"}]),
    ("$patch: delete removes list items by merge key", POD, pod(containers=[
        {"name": "a", "image": "a"}, {"name": "log-tailer", "image": "t"}]),
     {"spec": {"containers": [{"name": "log-tailer", "$patch": "delete"}]}}, "spec.containers",
     [{"name": "a", "image": "a"}]),
    ("$patch: delete on a map empties it (decoding then unsets it)", DEPLOY, retainkeys_demo(),
     {"spec": {"strategy": {"rollingUpdate": {"$patch": "delete"}}}}, "spec.strategy",
     {"rollingUpdate": {}}),
    ("$patch: delete on an absent map adds nothing", DEPLOY, patch_demo(),
     {"spec": {"strategy": {"$patch": "delete"}}}, "spec", patch_demo()["spec"]),
    ("finalizers are a primitive set: union without duplicates", POD,
     {"metadata": {"finalizers": ["a", "b"]}},
     {"metadata": {"finalizers": ["c", "a"]}}, "metadata.finalizers", ["c", "a", "b"]),
    ("doc: $deleteFromPrimitiveList", POD, {"metadata": {"finalizers": ["a", "b", "c"]}},
     {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b", "c"]}}, "metadata.finalizers",
     ["a"]),
    ("doc: $setElementOrder on primitives", POD, {"metadata": {"finalizers": ["a", "b", "c"]}},
     {"metadata": {"$setElementOrder/finalizers": ["b", "c", "a"]}}, "metadata.finalizers",
     ["b", "c", "a"]),
    ("doc: $setElementOrder on maps", POD, pod(containers=[
        {"name": "a", "image": "a"}, {"name": "b", "image": "b"}, {"name": "c", "image": "c"}]),
     {"spec": {"$setElementOrder/containers": [{"name": "b"}, {"name": "c"}, {"name": "a"}]}},
     "spec.containers",
     [{"name": "b", "image": "b"}, {"name": "c", "image": "c"}, {"name": "a", "image": "a"}]),
    ("$setElementOrder with changes (kubectl set image)", POD, pod(containers=[
        {"name": "a", "image": "a"}, {"name": "b", "image": "b"}]),
     {"spec": {"$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
               "containers": [{"name": "b", "image": "b:2"}]}},
     "spec.containers", [{"name": "a", "image": "a"}, {"name": "b", "image": "b:2"}]),
    ("container ports merge by containerPort", POD, pod(containers=[
        {"name": "a", "image": "a", "ports": [{"containerPort": 80, "name": "http"}]}]),
     {"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 443, "name": "https"}]}]}},
     "spec.containers.0.ports",
     [{"containerPort": 443, "name": "https"}, {"containerPort": 80, "name": "http"}]),
    ("env merges by name", POD, pod(containers=[
        {"name": "a", "image": "a", "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]}]),
     {"spec": {"containers": [{"name": "a", "env": [{"name": "Y", "value": "3"}]}]}},
     "spec.containers.0.env", [{"name": "X", "value": "1"}, {"name": "Y", "value": "3"}]),
    ("volumes merge by name; $retainKeys switches the source", POD, pod(volumes=[
        {"name": "v", "emptyDir": {}}, {"name": "w", "emptyDir": {}}]),
     {"spec": {"volumes": [{"name": "v", "$retainKeys": ["configMap", "name"],
                            "configMap": {"name": "cm"}}]}},
     "spec.volumes", [{"name": "v", "configMap": {"name": "cm"}}, {"name": "w", "emptyDir": {}}]),
    ("ownerReferences merge by uid", POD, {"metadata": {"ownerReferences": [
        {"uid": "1", "kind": "ReplicaSet", "name": "r", "apiVersion": "apps/v1"}]}},
     {"metadata": {"ownerReferences": [{"uid": "2", "kind": "Node", "name": "n", "apiVersion": "v1"}]}},
     "metadata.ownerReferences",
     [{"uid": "2", "kind": "Node", "name": "n", "apiVersion": "v1"},
      {"uid": "1", "kind": "ReplicaSet", "name": "r", "apiVersion": "apps/v1"}]),
    ("pod conditions merge by type", POD, {"status": {"conditions": [
        {"type": "Ready", "status": "False"}, {"type": "Initialized", "status": "True"}]}},
     {"status": {"conditions": [{"type": "Ready", "status": "True"}]}}, "status.conditions",
     [{"type": "Ready", "status": "True"}, {"type": "Initialized", "status": "True"}]),
    ("service ports merge by port", SERVICE, {"spec": {"ports": [{"port": 80, "name": "http"}]}},
     {"spec": {"ports": [{"port": 80, "targetPort": 8080}]}}, "spec.ports",
     [{"port": 80, "name": "http", "targetPort": 8080}]),
    ("PDB selector has strategy replace", PDB,
     {"spec": {"selector": {"matchLabels": {"a": "1"}}}},
     {"spec": {"selector": {"matchLabels": {"b": "2"}}}}, "spec.selector",
     {"matchLabels": {"b": "2"}}),
    ("maps merge whatever their map-type (nodeSelector)", POD, pod(nodeSelector={"a": "1"}),
     {"spec": {"nodeSelector": {"b": "2"}}}, "spec.nodeSelector", {"a": "1", "b": "2"}),
    ("new list items are taken as sent, minus nulls (upstream appends them raw)", POD, pod(),
     {"spec": {"containers": [{"name": "n", "image": "n", "args": None,
                               "env": [{"name": "E", "value": "1"}, {"name": "E"}]}]}},
     "spec.containers.0", {"name": "n", "image": "n",
                           "env": [{"name": "E", "value": "1"}, {"name": "E"}]}),
    ("new keys lose nulls and items carrying directives", POD, {"spec": {}},
     {"spec": {"containers": [{"name": "a", "image": None}, {"name": "b", "$patch": "delete"}]}},
     "spec.containers", [{"name": "a"}]),
    ("$patch: replace on an absent map yields the map", DEPLOY, patch_demo(),
     {"spec": {"strategy": {"$patch": "replace", "type": "Recreate"}}}, "spec.strategy",
     {"type": "Recreate"}),
    ("a list absent from the object takes the patch", POD, {"spec": {}},
     {"spec": {"imagePullSecrets": [{"name": "r"}]}}, "spec.imagePullSecrets", [{"name": "r"}]),
    ("unknown fields merge like a merge patch", POD, {"spec": {"x": {"a": 1}}},
     {"spec": {"x": {"b": 2}}}, "spec.x", {"a": 1, "b": 2}),
    ("a null body changes nothing", POD, pod(), None, "spec", pod()["spec"]),
]


@pytest.mark.parametrize(("name", "definition", "doc", "patch", "path", "want"), CASES,
                         ids=[c[0] for c in CASES])
def test_strategic_merge_patch(name: str, definition: str, doc: dict, patch: Any, path: str,
                               want: Any) -> None:
    before, patch_before = copy.deepcopy(doc), copy.deepcopy(patch)
    out = P.apply_strategic_merge_patch(doc, patch, definition)
    assert dig(out, path) == want
    assert doc == before and patch == patch_before


def test_without_a_definition_it_is_a_merge_patch() -> None:
    """Custom resources: containers are replaced, not merged."""
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "x", "image": "x"}]}}}}
    out = P.apply_strategic_merge_patch(patch_demo(), patch, None)
    assert out["spec"]["template"]["spec"]["containers"] == [{"name": "x", "image": "x"}]


ERRORS = [
    ("a map where a list belongs", {"spec": {"containers": {"name": "x"}}}, 400,
     "spec.containers: expected array, got object"),
    ("a list where a map belongs", {"metadata": {"labels": ["x"]}}, 400,
     "metadata.labels: expected object, got array"),
    ("an object where an integer belongs", {"spec": {"activeDeadlineSeconds": {"a": 1}}}, 400,
     "spec.activeDeadlineSeconds: expected integer, got object"),
    ("unknown $patch on a map", {"spec": {"$patch": "bogus"}}, 400,
     "spec: unknown patch type: bogus in map: map[$patch:bogus]"),
    ("$patch: merge is only a struct tag", {"spec": {"$patch": "merge"}}, 400,
     "spec: unknown patch type: merge in map: map[$patch:merge]"),
    ("$patch: merge in a list", {"spec": {"containers": [{"name": "a", "$patch": "merge"}]}}, 400,
     "spec.containers[0]: merging lists cannot yet be specified in the patch"),
    ("unknown $patch in a list", {"spec": {"containers": [{"name": "a", "$patch": "x"}]}}, 400,
     "spec.containers[0]: unknown patch type: x in map: map[$patch:x name:a]"),
    ("missing merge key", {"spec": {"containers": [{"image": "x"}]}}, 400,
     "spec.containers[0]: map: map[image:x] does not contain declared merge key: name"),
    ("$retainKeys must be a list", {"spec": {"$retainKeys": "x"}}, 400,
     "spec.$retainKeys: invalid patch format of retainKeys"),
    ("$retainKeys must list every patched key", {"spec": {"$retainKeys": ["a"], "b": 1}}, 400,
     "spec.$retainKeys: invalid patch format of retainKeys"),
    ("$setElementOrder needs a list name", {"spec": {"$setElementOrder": []}}, 400,
     "spec.$setElementOrder: invalid patch format of setElementOrder list"),
    ("$setElementOrder must cover the patch list", {"spec": {
        "$setElementOrder/containers": [{"name": "a"}],
        "containers": [{"name": "b", "image": "b"}]}}, 400,
     "spec.$setElementOrder/containers: The order in patch list:\n[map[image:b name:b]]\n doesn't "
     "match $setElementOrder list:\n[map[name:a]]\n"),
    ("$deleteFromPrimitiveList needs a list name", {"metadata": {"$deleteFromPrimitiveList": []}},
     400, "metadata.$deleteFromPrimitiveList: invalid patch format of primitive list"),
    ("lists of lists are 422", {"metadata": {"finalizers": [["a"]]}}, 422,
     "metadata.finalizers: lists of lists are not supported"),
    ("mixed item types", {"metadata": {"finalizers": [1]}}, 400,
     "metadata.finalizers: list element types are not identical: [[a] [1]]"),
]


@pytest.mark.parametrize(("name", "patch", "code", "message"), ERRORS, ids=[c[0] for c in ERRORS])
def test_malformed_patches_name_the_field(name: str, patch: dict, code: int, message: str) -> None:
    doc = pod()
    doc["metadata"]["finalizers"] = ["a"]
    with pytest.raises(StatusError) as err:
        P.apply_strategic_merge_patch(doc, patch, POD)
    assert (err.value.code, err.value.message) == (code, message)


@pytest.mark.parametrize("body", [[1], "x", 3])
def test_a_body_that_is_not_an_object_is_400(body: Any) -> None:
    with pytest.raises(StatusError) as err:
        P.apply_strategic_merge_patch(pod(), body, POD)
    assert err.value.code == 400
    assert err.value.message.startswith("json: cannot unmarshal ")


def test_typical_deployment_patch_is_well_under_a_millisecond() -> None:
    doc = patch_demo()
    patch = {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "patch-demo-ctr"}],
        "containers": [{"name": "patch-demo-ctr", "image": "nginx:1.27"}]}}}}
    P.apply_strategic_merge_patch(doc, patch, DEPLOY)  # warm the schema caches
    runs = 300
    start = time.perf_counter()
    for _ in range(runs):
        P.apply_strategic_merge_patch(doc, patch, DEPLOY)
    assert (time.perf_counter() - start) / runs < 0.001
