"""Valid objects of several kinds, in the shape validation sees them: v1 JSON after
upstream defaulting (so validators can be exercised without the defaulting layer)."""

from __future__ import annotations

import copy
from typing import Any

Obj = dict[str, Any]


def container(name: str = "app", image: str = "nginx:1.14.2") -> Obj:
    return {"name": name, "image": image, "imagePullPolicy": "IfNotPresent",
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File", "resources": {},
            "ports": [{"containerPort": 80, "protocol": "TCP"}]}


def pod_spec(restart: str = "Always") -> Obj:
    return {"containers": [container()], "restartPolicy": restart, "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler",
            "securityContext": {}, "enableServiceLinks": True}


def pod(name: str = "web") -> Obj:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
            "spec": pod_spec()}


def template(labels: Obj | None = None, restart: str = "Always") -> Obj:
    spec = pod_spec(restart)
    spec.pop("enableServiceLinks")
    return {"metadata": {"labels": dict(labels or {"app": "web"})}, "spec": spec}


def deployment(name: str = "web") -> Obj:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"},
                         "generation": 1},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": template(),
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                     "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600}}


def replica_set(name: str = "web-1") -> Obj:
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                     "template": template()}}


def stateful_set(name: str = "db") -> Obj:
    return {"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": 1, "serviceName": "db",
                     "selector": {"matchLabels": {"app": "db"}},
                     "template": template({"app": "db"}),
                     "podManagementPolicy": "OrderedReady",
                     "updateStrategy": {"type": "RollingUpdate",
                                        "rollingUpdate": {"partition": 0}},
                     "revisionHistoryLimit": 10,
                     "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain",
                                                              "whenScaled": "Retain"}}}


def daemon_set(name: str = "agent") -> Obj:
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                     "template": template({"app": "agent"}),
                     "updateStrategy": {"type": "RollingUpdate",
                                        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
                     "revisionHistoryLimit": 10}}


def job(name: str = "pi", uid: str = "0a1b") -> Obj:
    labels = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
              "controller-uid": uid, "job-name": name}
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": "default", "uid": uid},
            "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 6,
                     "completionMode": "NonIndexed", "suspend": False,
                     "podReplacementPolicy": "TerminatingOrFailed", "manualSelector": False,
                     "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}},
                     "template": template(labels, restart="Never")}}


def cron_job(name: str = "hello") -> Obj:
    return {"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"schedule": "*/5 * * * *", "concurrencyPolicy": "Allow", "suspend": False,
                     "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                     "jobTemplate": {"spec": {"template": template({}, restart="OnFailure")}}}}


def service(name: str = "web") -> Obj:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"type": "ClusterIP", "sessionAffinity": "None",
                     "internalTrafficPolicy": "Cluster", "selector": {"app": "web"},
                     "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}}


def config_map(name: str = "cfg") -> Obj:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "default"}, "data": {"a": "1"}}


def secret(name: str = "s") -> Obj:
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": name, "namespace": "default"}, "data": {"k": "dmFsdWU="}}


def hpa(name: str = "web") -> Obj:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                        "name": "web"},
                     "minReplicas": 1, "maxReplicas": 5,
                     "metrics": [{"type": "Resource", "resource": {
                         "name": "cpu", "target": {"type": "Utilization",
                                                   "averageUtilization": 80}}}]}}


def ingress(name: str = "web") -> Obj:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"rules": [{"host": "example.com", "http": {"paths": [
                {"path": "/", "pathType": "Prefix",
                 "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}


def network_policy(name: str = "deny") -> Obj:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"],
                     "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8",
                                                        "except": ["10.1.0.0/16"]}}],
                                  "ports": [{"protocol": "TCP", "port": 80}]}]}}


def pdb(name: str = "web") -> Obj:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}}


def role(name: str = "reader") -> Obj:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": name, "namespace": "default"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]}


def role_binding(name: str = "read") -> Obj:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": name, "namespace": "default"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                        "name": "reader"},
            "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"}]}


def priority_class(name: str = "high") -> Obj:
    return {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": name}, "value": 1000, "preemptionPolicy": "PreemptLowerPriority"}


def storage_class(name: str = "fast") -> Obj:
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": name}, "provisioner": "example.com/fast",
            "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"}


def node(name: str = "node-1") -> Obj:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
            "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"],
                     "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]},
            "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}}


def pvc(name: str = "data") -> Obj:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"accessModes": ["ReadWriteOnce"], "volumeMode": "Filesystem",
                     "resources": {"requests": {"storage": "1Gi"}}}}


def pv(name: str = "pv-1") -> Obj:
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
            "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"},
                     "hostPath": {"path": "/data", "type": ""},
                     "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem"}}


def lease(name: str = "node-1") -> Obj:
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": name, "namespace": "kube-node-lease"},
            "spec": {"holderIdentity": "node-1", "leaseDurationSeconds": 40}}


def endpoint_slice(name: str = "web-abc") -> Obj:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": name, "namespace": "default"}, "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.244.0.5"], "conditions": {"ready": True}}],
            "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}


# (plural, group, builder) for every sample kind.
SAMPLES = [
    ("pods", "", pod), ("deployments", "apps", deployment), ("replicasets", "apps", replica_set),
    ("statefulsets", "apps", stateful_set), ("daemonsets", "apps", daemon_set),
    ("jobs", "batch", job), ("cronjobs", "batch", cron_job), ("services", "", service),
    ("configmaps", "", config_map), ("secrets", "", secret),
    ("horizontalpodautoscalers", "autoscaling", hpa),
    ("ingresses", "networking.k8s.io", ingress),
    ("networkpolicies", "networking.k8s.io", network_policy),
    ("poddisruptionbudgets", "policy", pdb), ("roles", "rbac.authorization.k8s.io", role),
    ("rolebindings", "rbac.authorization.k8s.io", role_binding),
    ("priorityclasses", "scheduling.k8s.io", priority_class),
    ("storageclasses", "storage.k8s.io", storage_class), ("nodes", "", node),
    ("persistentvolumeclaims", "", pvc), ("persistentvolumes", "", pv),
    ("leases", "coordination.k8s.io", lease),
    ("endpointslices", "discovery.k8s.io", endpoint_slice),
]


def fresh(builder: Any) -> Obj:
    return copy.deepcopy(builder())
