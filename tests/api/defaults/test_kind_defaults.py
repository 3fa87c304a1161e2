"""Defaults of every other kind, with upstream's values (pkg/apis/<group>/v1/defaults.go)."""

from __future__ import annotations

import base64

import pytest

from ._helpers import defaulted, dig

TEMPLATE = {
    "metadata": {"labels": {"app": "x"}},
    "spec": {"containers": [{"name": "c", "image": "busybox"}]},
}

# (resource, object, path, upstream default)
CASES = [
    # core/v1
    ("services", {"spec": {"ports": [{"port": 80}]}}, "spec.type", "ClusterIP"),
    ("services", {"spec": {"ports": [{"port": 80}]}}, "spec.sessionAffinity", "None"),
    ("services", {"spec": {"ports": [{"port": 80}]}}, "spec.ports.0.protocol", "TCP"),
    ("services", {"spec": {"ports": [{"port": 80}]}}, "spec.ports.0.targetPort", 80),
    (
        "services",
        {"spec": {"ports": [{"port": 80, "targetPort": "http"}]}},
        "spec.ports.0.targetPort",
        "http",
    ),
    ("services", {"spec": {}}, "spec.internalTrafficPolicy", "Cluster"),
    ("services", {"spec": {"type": "NodePort"}}, "spec.externalTrafficPolicy", "Cluster"),
    ("services", {"spec": {"type": "LoadBalancer"}}, "spec.externalTrafficPolicy", "Cluster"),
    ("services", {"spec": {"type": "LoadBalancer"}}, "spec.allocateLoadBalancerNodePorts", True),
    (
        "services",
        {"spec": {"sessionAffinity": "ClientIP"}},
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
        10800,
    ),
    (
        "services",
        {
            "spec": {"type": "LoadBalancer"},
            "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}},
        },
        "status.loadBalancer.ingress.0.ipMode",
        "VIP",
    ),
    ("namespaces", {"metadata": {"name": "team"}}, "status.phase", "Active"),
    ("nodes", {"status": {"capacity": {"cpu": "4"}}}, "status.allocatable", {"cpu": "4"}),
    ("nodes", {"spec": {"podCIDR": "10.244.0.0/24"}}, "spec.podCIDRs", ["10.244.0.0/24"]),
    ("persistentvolumes", {"spec": {}}, "spec.persistentVolumeReclaimPolicy", "Retain"),
    ("persistentvolumes", {"spec": {}}, "spec.volumeMode", "Filesystem"),
    ("persistentvolumes", {"spec": {}}, "status.phase", "Pending"),
    ("persistentvolumeclaims", {"spec": {}}, "spec.volumeMode", "Filesystem"),
    ("persistentvolumeclaims", {"spec": {}}, "status.phase", "Pending"),
    (
        "persistentvolumeclaims",
        {"spec": {"resources": {"requests": {"storage": "1024Mi"}}}},
        "spec.resources.requests.storage",
        "1Gi",
    ),
    ("secrets", {}, "type", "Opaque"),
    ("endpoints", {"subsets": [{"ports": [{"port": 80}]}]}, "subsets.0.ports.0.protocol", "TCP"),
    ("replicationcontrollers", {"spec": {"template": TEMPLATE}}, "spec.replicas", 1),
    ("replicationcontrollers", {"spec": {"template": TEMPLATE}}, "spec.selector", {"app": "x"}),
    ("replicationcontrollers", {"spec": {"template": TEMPLATE}}, "metadata.labels", {"app": "x"}),
    (
        "limitranges",
        {"spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}}]}},
        "spec.limits.0.default",
        {"cpu": "2"},
    ),
    (
        "limitranges",
        {"spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}}]}},
        "spec.limits.0.defaultRequest",
        {"cpu": "2"},
    ),
    (
        "limitranges",
        {"spec": {"limits": [{"type": "Container", "min": {"cpu": "100m"}}]}},
        "spec.limits.0.defaultRequest",
        {"cpu": "100m"},
    ),
    (
        "resourcequotas",
        {"spec": {"hard": {"requests.cpu": "0.5"}}},
        "spec.hard",
        {"requests.cpu": "500m"},
    ),
    # apps/v1
    ("deployments", {"spec": {"template": TEMPLATE}}, "spec.replicas", 1),
    (
        "deployments",
        {"spec": {"template": TEMPLATE}},
        "spec.strategy",
        {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
    ),
    (
        "deployments",
        {"spec": {"strategy": {"type": "Recreate"}}},
        "spec.strategy",
        {"type": "Recreate"},
    ),
    ("deployments", {"spec": {}}, "spec.revisionHistoryLimit", 10),
    ("deployments", {"spec": {}}, "spec.progressDeadlineSeconds", 600),
    ("replicasets", {"spec": {}}, "spec.replicas", 1),
    ("statefulsets", {"spec": {}}, "spec.replicas", 1),
    ("statefulsets", {"spec": {}}, "spec.podManagementPolicy", "OrderedReady"),
    (
        "statefulsets",
        {"spec": {}},
        "spec.updateStrategy",
        {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
    ),
    (
        "statefulsets",
        {"spec": {"updateStrategy": {"type": "RollingUpdate"}}},
        "spec.updateStrategy",
        {"type": "RollingUpdate"},
    ),
    ("statefulsets", {"spec": {}}, "spec.revisionHistoryLimit", 10),
    (
        "statefulsets",
        {"spec": {}},
        "spec.persistentVolumeClaimRetentionPolicy",
        {"whenDeleted": "Retain", "whenScaled": "Retain"},
    ),
    (
        "statefulsets",
        {"spec": {"volumeClaimTemplates": [{"metadata": {"name": "d"}, "spec": {}}]}},
        "spec.volumeClaimTemplates.0",
        {
            "metadata": {"name": "d"},
            "spec": {"volumeMode": "Filesystem"},
            "status": {"phase": "Pending"},
        },
    ),
    (
        "daemonsets",
        {"spec": {}},
        "spec.updateStrategy",
        {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
    ),
    ("daemonsets", {"spec": {}}, "spec.revisionHistoryLimit", 10),
    # batch/v1
    ("jobs", {"spec": {}}, "spec.parallelism", 1),
    ("jobs", {"spec": {}}, "spec.completions", 1),
    ("jobs", {"spec": {"parallelism": 3}}, "spec.parallelism", 3),
    ("jobs", {"spec": {}}, "spec.backoffLimit", 6),
    ("jobs", {"spec": {"backoffLimitPerIndex": 1}}, "spec.backoffLimit", 2147483647),
    ("jobs", {"spec": {}}, "spec.completionMode", "NonIndexed"),
    ("jobs", {"spec": {}}, "spec.suspend", False),
    ("jobs", {"spec": {}}, "spec.manualSelector", False),
    ("jobs", {"spec": {}}, "spec.podReplacementPolicy", "TerminatingOrFailed"),
    (
        "jobs",
        {
            "spec": {
                "podFailurePolicy": {
                    "rules": [
                        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}
                    ]
                }
            }
        },
        "spec.podReplacementPolicy",
        "Failed",
    ),
    (
        "jobs",
        {
            "spec": {
                "podFailurePolicy": {
                    "rules": [
                        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}
                    ]
                }
            }
        },
        "spec.podFailurePolicy.rules.0.onPodConditions.0.status",
        "True",
    ),
    ("jobs", {"spec": {"template": TEMPLATE}}, "metadata.labels", {"app": "x"}),
    ("cronjobs", {"spec": {}}, "spec.concurrencyPolicy", "Allow"),
    ("cronjobs", {"spec": {}}, "spec.suspend", False),
    ("cronjobs", {"spec": {}}, "spec.successfulJobsHistoryLimit", 3),
    ("cronjobs", {"spec": {}}, "spec.failedJobsHistoryLimit", 1),
    # autoscaling/v2
    ("horizontalpodautoscalers", {"spec": {}}, "spec.minReplicas", 1),
    (
        "horizontalpodautoscalers",
        {"spec": {}},
        "spec.metrics",
        [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 80},
                },
            }
        ],
    ),
    (
        "horizontalpodautoscalers",
        {"spec": {"behavior": {}}},
        "spec.behavior.scaleUp",
        {
            "stabilizationWindowSeconds": 0,
            "selectPolicy": "Max",
            "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ],
        },
    ),
    (
        "horizontalpodautoscalers",
        {"spec": {"behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}},
        "spec.behavior.scaleDown",
        {
            "stabilizationWindowSeconds": 60,
            "selectPolicy": "Max",
            "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
        },
    ),
    # networking.k8s.io/v1
    ("networkpolicies", {"spec": {}}, "spec.policyTypes", ["Ingress"]),
    (
        "networkpolicies",
        {"spec": {"egress": [{"ports": [{"port": 53}]}]}},
        "spec.policyTypes",
        ["Ingress", "Egress"],
    ),
    (
        "networkpolicies",
        {"spec": {"egress": [{"ports": [{"port": 53}]}]}},
        "spec.egress.0.ports.0.protocol",
        "TCP",
    ),
    (
        "ingressclasses",
        {"spec": {"parameters": {"kind": "K", "name": "n"}}},
        "spec.parameters.scope",
        "Cluster",
    ),
    # discovery.k8s.io/v1
    (
        "endpointslices",
        {"ports": [{"port": 80}]},
        "ports.0",
        {"port": 80, "name": "", "protocol": "TCP"},
    ),
    # rbac.authorization.k8s.io/v1
    (
        "rolebindings",
        {
            "roleRef": {"kind": "Role", "name": "r"},
            "subjects": [{"kind": "User", "name": "u"}, {"kind": "ServiceAccount", "name": "s"}],
        },
        "roleRef.apiGroup",
        "rbac.authorization.k8s.io",
    ),
    (
        "clusterrolebindings",
        {
            "roleRef": {"kind": "ClusterRole", "name": "r"},
            "subjects": [{"kind": "Group", "name": "g"}],
        },
        "subjects.0.apiGroup",
        "rbac.authorization.k8s.io",
    ),
    # scheduling.k8s.io/v1 and storage.k8s.io/v1
    ("priorityclasses", {"value": 10}, "preemptionPolicy", "PreemptLowerPriority"),
    ("storageclasses", {"provisioner": "p"}, "reclaimPolicy", "Delete"),
    ("storageclasses", {"provisioner": "p"}, "volumeBindingMode", "Immediate"),
]


@pytest.mark.parametrize(
    ("resource", "obj", "path", "expected"), CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES]
)
def test_default(resource: str, obj: dict, path: str, expected: object) -> None:
    assert dig(defaulted(resource, obj), path) == expected


def test_service_account_subject_has_no_group() -> None:
    out = defaulted(
        "rolebindings",
        {
            "roleRef": {"kind": "Role", "name": "r"},
            "subjects": [{"kind": "ServiceAccount", "name": "s"}],
        },
    )
    assert "apiGroup" not in out["subjects"][0]


def test_namespace_name_label() -> None:
    out = defaulted("namespaces", {"metadata": {"name": "team", "labels": {"a": "b"}}})
    assert out["metadata"]["labels"] == {"a": "b", "kubernetes.io/metadata.name": "team"}


def test_session_affinity_none_drops_its_config() -> None:
    out = defaulted(
        "services", {"spec": {"sessionAffinity": "None", "sessionAffinityConfig": {"clientIP": {}}}}
    )
    assert "sessionAffinityConfig" not in out["spec"]


def test_external_name_service_has_no_internal_traffic_policy() -> None:
    out = defaulted("services", {"spec": {"type": "ExternalName", "externalName": "a.b"}})
    assert "internalTrafficPolicy" not in out["spec"]
    assert "externalTrafficPolicy" not in out["spec"]


def test_secret_string_data_is_merged_into_data() -> None:
    out = defaulted("secrets", {"data": {"a": "eA=="}, "stringData": {"b": "hello"}})
    assert out["data"] == {"a": "eA==", "b": base64.b64encode(b"hello").decode()}
    assert "stringData" not in out


def test_hpa_without_behavior_gets_none() -> None:
    assert "behavior" not in defaulted("horizontalpodautoscalers", {"spec": {}})["spec"]


def test_job_with_user_labels_keeps_them() -> None:
    out = defaulted("jobs", {"metadata": {"labels": {"team": "a"}}, "spec": {"template": TEMPLATE}})
    assert out["metadata"]["labels"] == {"team": "a"}


def test_kinds_without_defaults_are_untouched() -> None:
    cm = {"metadata": {"name": "c"}, "data": {"k": "v"}}
    assert defaulted("configmaps", cm) == cm
