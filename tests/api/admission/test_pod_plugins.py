"""Admission plugins that shape pods, through the API server: ServiceAccount,
Priority, DefaultTolerationSeconds, LimitRanger (plugin/pkg/admission/...)."""

from __future__ import annotations

import copy

import pytest

from engine.api import errors
from engine.api.admission import Attributes
from engine.api.admission.priority import Priority
from engine.api.server import APIServer
from tests.helpers import pod

MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def _refused(api: APIServer, obj: dict, namespace: str = "default") -> errors.StatusError:
    with pytest.raises(errors.StatusError) as err:
        api.create("pods", obj, namespace=namespace)
    return err.value


# -- ServiceAccount ----------------------------------------------------------------------
def test_default_service_account_and_token_volume(api: APIServer) -> None:
    created = api.create("pods", pod("web"), namespace="default")
    spec = created["spec"]
    assert spec["serviceAccountName"] == "default"
    assert spec["serviceAccount"] == "default"
    [volume] = spec["volumes"]
    assert volume["name"].startswith("kube-api-access-")
    assert len(volume["name"]) == len("kube-api-access-") + 5
    assert volume["projected"] == {
        "defaultMode": 420,
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {
                "configMap": {
                    "name": "kube-root-ca.crt",
                    "items": [{"key": "ca.crt", "path": "ca.crt"}],
                }
            },
            {
                "downwardAPI": {
                    "items": [
                        {
                            "path": "namespace",
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                        }
                    ]
                }
            },
        ],
    }
    assert spec["containers"][0]["volumeMounts"] == [
        {"name": volume["name"], "readOnly": True, "mountPath": MOUNT_PATH}
    ]


def test_automount_false_skips_the_token(api: APIServer) -> None:
    obj = pod("web")
    obj["spec"]["automountServiceAccountToken"] = False
    spec = api.create("pods", obj, namespace="default")["spec"]
    assert "volumes" not in spec
    assert "volumeMounts" not in spec["containers"][0]


def test_account_opting_out_of_automount(api: APIServer) -> None:
    api.create(
        "serviceaccounts",
        {
            "metadata": {"name": "quiet"},
            "automountServiceAccountToken": False,
            "imagePullSecrets": [{"name": "regcred"}],
        },
        namespace="default",
    )
    obj = pod("web")
    obj["spec"]["serviceAccountName"] = "quiet"
    spec = api.create("pods", obj, namespace="default")["spec"]
    assert "volumes" not in spec
    assert spec["imagePullSecrets"] == [{"name": "regcred"}]


def test_existing_mount_at_token_path_is_respected(api: APIServer) -> None:
    obj = pod("web")
    obj["spec"]["volumes"] = [{"name": "mine", "emptyDir": {}}]
    obj["spec"]["containers"][0]["volumeMounts"] = [{"name": "mine", "mountPath": MOUNT_PATH}]
    spec = api.create("pods", obj, namespace="default")["spec"]
    assert [v["name"] for v in spec["volumes"]] == ["mine"]


def test_missing_service_account_is_refused_once_the_namespace_has_accounts(api: APIServer) -> None:
    obj = pod("web")
    obj["spec"]["serviceAccountName"] = "builder"
    api.create("pods", obj, namespace="default")  # tolerated: no accounts at all yet
    api.create("serviceaccounts", {"metadata": {"name": "default"}}, namespace="default")
    obj["metadata"]["name"] = "web2"
    err = _refused(api, obj)
    assert err.code == 403
    assert str(err) == (
        'pods "web2" is forbidden: error looking up service account '
        'default/builder: serviceaccount "builder" not found'
    )


def test_mirror_pods_may_not_use_service_accounts(api: APIServer) -> None:
    obj = pod("static")
    obj["metadata"]["annotations"] = {"kubernetes.io/config.mirror": "abc"}
    obj["spec"]["nodeName"] = "node-1"
    obj["spec"]["serviceAccountName"] = "default"
    assert str(_refused(api, obj)) == (
        'pods "static" is forbidden: mirror pods may not reference service accounts'
    )
    del obj["spec"]["serviceAccountName"]
    created = api.create("pods", obj, namespace="default")
    assert "volumes" not in created["spec"]


# -- Priority ------------------------------------------------------------------------------
def test_pods_without_class_get_priority_zero(api: APIServer) -> None:
    spec = api.create("pods", pod("web"), namespace="default")["spec"]
    assert spec["priority"] == 0
    assert spec["preemptionPolicy"] == "PreemptLowerPriority"
    assert "priorityClassName" not in spec


def test_priority_class_resolves(api: APIServer) -> None:
    api.create(
        "priorityclasses",
        {"metadata": {"name": "high"}, "value": 1000, "preemptionPolicy": "Never"},
    )
    obj = pod("web")
    obj["spec"]["priorityClassName"] = "high"
    spec = api.create("pods", obj, namespace="default")["spec"]
    assert (spec["priority"], spec["preemptionPolicy"]) == (1000, "Never")


@pytest.mark.parametrize(
    ("name", "value"),
    [("system-node-critical", 2000001000), ("system-cluster-critical", 2000000000)],
)
def test_system_priority_classes(api: APIServer, name: str, value: int) -> None:
    obj = pod("critical")
    obj["spec"]["priorityClassName"] = name
    assert api.create("pods", obj, namespace="default")["spec"]["priority"] == value


def test_global_default_class_applies(api: APIServer) -> None:
    api.create(
        "priorityclasses", {"metadata": {"name": "normal"}, "value": 100, "globalDefault": True}
    )
    spec = api.create("pods", pod("web"), namespace="default")["spec"]
    assert (spec["priorityClassName"], spec["priority"]) == ("normal", 100)


def test_unknown_priority_class_is_refused(api: APIServer) -> None:
    obj = pod("web")
    obj["spec"]["priorityClassName"] = "nope"
    err = _refused(api, obj)
    assert err.code == 403
    assert str(err) == 'pods "web" is forbidden: no PriorityClass with name nope was found'


def test_mismatched_priority_is_refused(api: APIServer) -> None:
    obj = pod("web")
    obj["spec"]["priority"] = 5
    assert str(_refused(api, obj)) == (
        'pods "web" is forbidden: the integer value of priority (5) must not be provided in '
        "pod spec; priority admission controller computed 0 from the given PriorityClass name"
    )


def test_only_one_global_default(api: APIServer) -> None:
    api.create("priorityclasses", {"metadata": {"name": "a"}, "value": 1, "globalDefault": True})
    with pytest.raises(errors.StatusError) as err:
        api.create(
            "priorityclasses", {"metadata": {"name": "b"}, "value": 2, "globalDefault": True}
        )
    assert str(err.value) == (
        'priorityclasses.scheduling.k8s.io "b" is forbidden: '
        "PriorityClass a is already marked as default. Only one default "
        "can exist"
    )


def test_pod_update_keeps_priority(api: APIServer) -> None:
    created = api.create("pods", pod("web"), namespace="default")
    new = copy.deepcopy(created)
    del new["spec"]["priority"]
    del new["spec"]["preemptionPolicy"]
    attrs = Attributes("UPDATE", api.info("pods"), "default", "web", old=created)
    Priority(api).admit(attrs, new)
    assert (new["spec"]["priority"], new["spec"]["preemptionPolicy"]) == (0, "PreemptLowerPriority")


# -- DefaultTolerationSeconds -----------------------------------------------------------------
def test_default_tolerations_are_added(api: APIServer) -> None:
    spec = api.create("pods", pod("web"), namespace="default")["spec"]
    assert spec["tolerations"] == [
        {
            "key": "node.kubernetes.io/not-ready",
            "operator": "Exists",
            "effect": "NoExecute",
            "tolerationSeconds": 300,
        },
        {
            "key": "node.kubernetes.io/unreachable",
            "operator": "Exists",
            "effect": "NoExecute",
            "tolerationSeconds": 300,
        },
    ]


def test_existing_tolerations_suppress_defaults(api: APIServer) -> None:
    obj = pod("web")
    obj["spec"]["tolerations"] = [
        {
            "key": "node.kubernetes.io/unreachable",
            "operator": "Exists",
            "effect": "NoExecute",
            "tolerationSeconds": 10,
        }
    ]
    tolerations = api.create("pods", obj, namespace="default")["spec"]["tolerations"]
    assert [t["key"] for t in tolerations] == [
        "node.kubernetes.io/unreachable",
        "node.kubernetes.io/not-ready",
    ]
    obj["metadata"]["name"] = "tolerates-all"
    obj["spec"]["tolerations"] = [{"operator": "Exists"}]
    assert api.create("pods", obj, namespace="default")["spec"]["tolerations"] == [
        {"operator": "Exists"}
    ]


# -- LimitRanger -----------------------------------------------------------------------------
def _limit_range(api: APIServer, *items: dict) -> None:
    api.create(
        "limitranges",
        {"metadata": {"name": "limits"}, "spec": {"limits": list(items)}},
        namespace="default",
    )


def test_limit_range_defaults_and_annotation(api: APIServer) -> None:
    _limit_range(
        api,
        {
            "type": "Container",
            "default": {"cpu": "500m", "memory": "256Mi"},
            "defaultRequest": {"cpu": "100m"},
        },
    )
    created = api.create("pods", pod("web"), namespace="default")
    resources = created["spec"]["containers"][0]["resources"]
    assert resources == {
        "limits": {"cpu": "500m", "memory": "256Mi"},
        "requests": {"cpu": "100m", "memory": "256Mi"},
    }
    assert created["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == (
        "LimitRanger plugin set: cpu, memory request for container app; "
        "cpu, memory limit for container app"
    )
    assert created["status"]["qosClass"] == "Burstable"


def test_limit_range_keeps_what_the_container_sets(api: APIServer) -> None:
    _limit_range(api, {"type": "Container", "default": {"cpu": "500m"}})
    obj = pod("web")
    obj["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "200m"}}
    created = api.create("pods", obj, namespace="default")
    assert created["spec"]["containers"][0]["resources"] == {
        "limits": {"cpu": "200m"},
        "requests": {"cpu": "200m"},
    }
    assert "annotations" not in created["metadata"]


@pytest.mark.parametrize(
    ("item", "resources", "message"),
    [
        (
            {"type": "Container", "max": {"cpu": "1"}},
            {"limits": {"cpu": "2"}},
            "maximum cpu usage per Container is 1, but limit is 2",
        ),
        (
            {"type": "Container", "min": {"memory": "100Mi"}, "max": {"memory": "1Gi"}},
            {"limits": {"memory": "50Mi"}},
            "minimum memory usage per Container is 100Mi, but request is 50Mi",
        ),
        (
            {"type": "Container", "maxLimitRequestRatio": {"cpu": "2"}},
            {"limits": {"cpu": "2"}, "requests": {"cpu": "500m"}},
            "cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000",
        ),
        (
            {"type": "Pod", "max": {"cpu": "1"}},
            {"limits": {"cpu": "3"}},
            "maximum cpu usage per Pod is 1, but limit is 3",
        ),
    ],
)
def test_limit_range_refusals(api: APIServer, item: dict, resources: dict, message: str) -> None:
    _limit_range(api, item)
    obj = pod("web")
    obj["spec"]["containers"][0]["resources"] = resources
    err = _refused(api, obj)
    assert err.code == 403
    assert str(err) == f'pods "web" is forbidden: {message}'


def test_limit_range_max_without_limit(api: APIServer) -> None:
    api.create(
        "limitranges",
        {
            "metadata": {"name": "l"},
            "spec": {"limits": [{"type": "Pod", "max": {"memory": "1Gi"}}]},
        },
        namespace="default",
    )
    assert str(_refused(api, pod("web"))) == (
        'pods "web" is forbidden: maximum memory usage per Pod is 1Gi.  No limit is specified'
    )


def test_limit_range_on_claims(api: APIServer) -> None:
    _limit_range(api, {"type": "PersistentVolumeClaim", "max": {"storage": "2Gi"}})
    claim = {
        "metadata": {"name": "big"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "5Gi"}}},
    }
    with pytest.raises(errors.StatusError) as err:
        api.create("persistentvolumeclaims", claim, namespace="default")
    assert str(err.value) == (
        'persistentvolumeclaims "big" is forbidden: maximum storage usage '
        "per PersistentVolumeClaim is 2Gi, but request is 5Gi"
    )


def test_system_priority_classes_cannot_be_deleted(api: APIServer) -> None:
    api.create(
        "priorityclasses", {"metadata": {"name": "system-node-critical"}, "value": 2000001000}
    )
    with pytest.raises(errors.StatusError) as err:
        api.delete("priorityclasses", "system-node-critical")
    assert err.value.code == 403
    assert str(err.value) == (
        'priorityclasses.scheduling.k8s.io "system-node-critical" is '
        "forbidden: this is a system priority class and cannot be deleted"
    )
