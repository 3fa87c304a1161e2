"""What a fresh kubeadm/kind cluster holds before anyone applies anything:
the system namespaces, the built-in PriorityClasses, and the control plane's
own pods in kube-system.

Upstream: kube-apiserver's post-start hooks (system namespaces,
``pkg/registry/scheduling/rest/storage_scheduling.go`` system priority
classes) and kubeadm's static pod manifests (cmd/kubeadm/app/phases/controlplane).
Until the kubelets and the workload controllers run, the bootstrapper posts
these pods and their running status through the API the way kubelets post
mirror pods.
"""

from __future__ import annotations

from typing import Any

from engine.bootstrap.nodes import KUBERNETES_VERSION, NodeSpec

Obj = dict[str, Any]

SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")

SYSTEM_PRIORITY_CLASSES = (
    ("system-node-critical", 2000001000,
     "Used for system critical pods that must not be moved from their current node."),
    ("system-cluster-critical", 2000000000,
     "Used for system critical pods that must run in the cluster, but can be moved to "
     "another node if necessary."),
)

STATIC_PODS = (
    ("etcd", "registry.k8s.io/etcd:3.5.16-0", {"cpu": "100m", "memory": "100Mi"}),
    ("kube-apiserver", f"registry.k8s.io/kube-apiserver:{KUBERNETES_VERSION}", {"cpu": "250m"}),
    ("kube-controller-manager",
     f"registry.k8s.io/kube-controller-manager:{KUBERNETES_VERSION}", {"cpu": "200m"}),
    ("kube-scheduler", f"registry.k8s.io/kube-scheduler:{KUBERNETES_VERSION}", {"cpu": "100m"}),
)

COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.11.3"
KUBE_PROXY_IMAGE = f"registry.k8s.io/kube-proxy:{KUBERNETES_VERSION}"
COREDNS_REPLICAS = 2


def namespace(name: str) -> Obj:
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}}}


def priority_class(name: str, value: int, description: str) -> Obj:
    return {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": name}, "value": value, "description": description,
            "preemptionPolicy": "PreemptLowerPriority"}


def static_pod(component: str, image: str, requests: dict[str, str], node: NodeSpec,
               node_uid: str | None) -> Obj:
    """A kubeadm static pod as its mirror pod appears in the API. The Node owns
    it; before the node is registered the kubelet adds that reference
    (``engine/kubelet/mirror.py``)."""
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": f"{component}-{node.name}",
            "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": {"kubernetes.io/config.source": "file",
                            "kubernetes.io/config.seen": "", "kubernetes.io/config.mirror": ""},
            "ownerReferences": [mirror_owner(node.name, node_uid or "")],
        },
        "spec": {
            "nodeName": node.name,
            "hostNetwork": True,
            "priorityClassName": "system-node-critical",
            "containers": [{"name": component, "image": image, "command": [component],
                            "resources": {"requests": requests}}],
            "tolerations": [{"operator": "Exists", "effect": "NoExecute"}],
        },
    }
    if node_uid is None:
        del pod["metadata"]["ownerReferences"]
    return pod


def mirror_owner(node_name: str, node_uid: str) -> Obj:
    """The owner reference a mirror pod carries to its Node."""
    return {"apiVersion": "v1", "kind": "Node", "name": node_name, "uid": node_uid,
            "controller": True}


def service_account(name: str) -> Obj:
    return {"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": name, "namespace": "kube-system"}}


def kube_proxy_daemonset() -> Obj:
    """kubeadm's kube-proxy DaemonSet (cmd/kubeadm/app/phases/addons/proxy/manifests.go)."""
    labels = {"k8s-app": "kube-proxy"}
    return {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": labels},
        "spec": {
            "selector": {"matchLabels": labels},
            "updateStrategy": {"type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "hostNetwork": True,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "kube-proxy",
                    "tolerations": [{"operator": "Exists"}],
                    "containers": [{
                        "name": "kube-proxy", "image": KUBE_PROXY_IMAGE,
                        "command": ["/usr/local/bin/kube-proxy",
                                    "--config=/var/lib/kube-proxy/config.conf",
                                    "--hostname-override=$(NODE_NAME)"],
                        "env": [{"name": "NODE_NAME",
                                 "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
                        "securityContext": {"privileged": True},
                        "volumeMounts": [{"name": "kube-proxy",
                                          "mountPath": "/var/lib/kube-proxy"}],
                    }],
                    "volumes": [{"name": "kube-proxy",
                                 "configMap": {"name": "kube-proxy"}}],
                },
            },
        },
    }


def coredns_deployment() -> Obj:
    """kubeadm's CoreDNS Deployment (cmd/kubeadm/app/phases/addons/dns/manifests.go)."""
    labels = {"k8s-app": "kube-dns"}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": labels},
        "spec": {
            "replicas": COREDNS_REPLICAS,
            "selector": {"matchLabels": labels},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                    {"key": "node-role.kubernetes.io/control-plane",
                                     "effect": "NoSchedule"}],
                    "affinity": {"podAntiAffinity": {
                        "preferredDuringSchedulingIgnoredDuringExecution": [{
                            "weight": 100, "podAffinityTerm": {
                                "labelSelector": {"matchExpressions": [{
                                    "key": "k8s-app", "operator": "In",
                                    "values": ["kube-dns"]}]},
                                "topologyKey": "kubernetes.io/hostname"}}]}},
                    "containers": [{
                        "name": "coredns", "image": COREDNS_IMAGE,
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "ports": [{"name": "dns", "containerPort": 53, "protocol": "UDP"},
                                  {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"},
                                  {"name": "metrics", "containerPort": 9153, "protocol": "TCP"}],
                        "resources": {"limits": {"memory": "170Mi"},
                                      "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "livenessProbe": {"httpGet": {"path": "/health", "port": 8080},
                                          "initialDelaySeconds": 60, "timeoutSeconds": 5,
                                          "successThreshold": 1, "failureThreshold": 5},
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181}},
                        "volumeMounts": [{"name": "config-volume", "mountPath": "/etc/coredns",
                                          "readOnly": True}],
                    }],
                    "volumes": [{"name": "config-volume", "configMap": {
                        "name": "coredns", "items": [{"key": "Corefile", "path": "Corefile"}]}}],
                },
            },
        },
    }


def running_status(pod: Obj, node: NodeSpec, pod_ip: str, now: str, uid_hex: str) -> Obj:
    """The status a kubelet posts for a pod whose containers all run and are ready."""
    conditions = [{"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": now}
                  for t in ("PodReadyToStartContainers", "Initialized", "Ready",
                            "ContainersReady", "PodScheduled")]
    statuses = [{
        "name": c["name"], "image": c["image"], "imageID": c["image"],
        "containerID": f"containerd://{uid_hex}{i:02d}",
        "ready": True, "started": True, "restartCount": 0,
        "state": {"running": {"startedAt": now}}, "lastState": {},
    } for i, c in enumerate(pod["spec"]["containers"])]
    status = dict(pod.get("status") or {})
    status.update({
        "phase": "Running", "conditions": conditions, "hostIP": node.internal_ip,
        "hostIPs": [{"ip": node.internal_ip}], "podIP": pod_ip, "podIPs": [{"ip": pod_ip}],
        "startTime": now, "containerStatuses": statuses,
    })
    return status
