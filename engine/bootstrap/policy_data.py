"""The bootstrap RBAC roles' rules, as kube-apiserver's ``rbac/bootstrap-roles``
post-start hook stores them.

Upstream: ``plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go``
(``ClusterRoles``, ``ClusterRoleBindings``) and ``controller_policy.go``
(the ``system:controller:*`` roles). Only the roles k9py's components and
users need are listed, with upstream's content.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

READ = ["get", "list", "watch"]
WRITE = ["create", "delete", "deletecollection", "patch", "update"]
READ_WRITE = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
AGG = "rbac.authorization.k8s.io/aggregate-to-"


def rule(verbs: list[str], groups: list[str], resources: list[str],
         names: list[str] | None = None) -> Obj:
    out: Obj = {"verbs": verbs, "apiGroups": groups, "resources": resources}
    if names:
        out["resourceNames"] = names
    return out


def urls(verbs: list[str], paths: list[str]) -> Obj:
    return {"verbs": verbs, "nonResourceURLs": paths}


def events() -> Obj:
    return rule(["create", "patch", "update"], ["", "events.k8s.io"], ["events"])


VIEW_RULES = [
    rule(READ, [""], ["pods", "replicationcontrollers", "replicationcontrollers/scale",
                      "serviceaccounts", "services", "services/status", "endpoints",
                      "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"]),
    rule(READ, [""], ["limitranges", "resourcequotas", "bindings", "events", "pods/status",
                      "resourcequotas/status", "namespaces/status",
                      "replicationcontrollers/status", "pods/log"]),
    rule(READ, [""], ["namespaces"]),
    rule(READ, ["discovery.k8s.io"], ["endpointslices"]),
    rule(READ, ["apps"], ["controllerrevisions", "statefulsets", "statefulsets/status",
                          "statefulsets/scale", "daemonsets", "daemonsets/status",
                          "deployments", "deployments/status", "deployments/scale",
                          "replicasets", "replicasets/status", "replicasets/scale"]),
    rule(READ, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
    rule(READ, ["batch"], ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
    rule(READ, ["extensions"], ["daemonsets", "daemonsets/status", "deployments",
                                "deployments/scale", "deployments/status", "ingresses",
                                "ingresses/status", "replicasets", "replicasets/scale",
                                "replicasets/status", "replicationcontrollers/scale",
                                "networkpolicies"]),
    rule(READ, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
    rule(READ, ["networking.k8s.io"], ["networkpolicies", "ingresses", "ingresses/status"]),
]

EDIT_RULES = [
    rule(["impersonate"], [""], ["serviceaccounts"]),
    rule(WRITE, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
    rule(["create"], [""], ["pods/eviction"]),
    rule(WRITE, [""], ["replicationcontrollers", "replicationcontrollers/scale",
                       "serviceaccounts", "services", "services/proxy",
                       "persistentvolumeclaims", "configmaps", "secrets", "events"]),
    rule(["create"], [""], ["serviceaccounts/token"]),
    rule(WRITE, ["apps"], ["statefulsets", "statefulsets/scale", "daemonsets", "deployments",
                           "deployments/scale", "deployments/rollback", "replicasets",
                           "replicasets/scale"]),
    rule(WRITE, ["autoscaling"], ["horizontalpodautoscalers"]),
    rule(WRITE, ["batch"], ["jobs", "cronjobs"]),
    rule(WRITE, ["extensions"], ["daemonsets", "deployments", "deployments/scale",
                                 "deployments/rollback", "ingresses", "networkpolicies",
                                 "replicasets", "replicasets/scale",
                                 "replicationcontrollers/scale"]),
    rule(WRITE, ["policy"], ["poddisruptionbudgets"]),
    rule(WRITE, ["networking.k8s.io"], ["networkpolicies", "ingresses"]),
    rule(WRITE, ["coordination.k8s.io"], ["leases"]),
    rule(READ, [""], ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets",
                      "services/proxy"]),
]

ADMIN_RULES = [
    rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
    rule(READ_WRITE, ["rbac.authorization.k8s.io"], ["rolebindings", "roles"]),
]

SCHEDULER_RULES = [
    events(),
    rule(["create"], ["coordination.k8s.io"], ["leases"]),
    rule(["get", "update"], ["coordination.k8s.io"], ["leases"], ["kube-scheduler"]),
    rule(READ, [""], ["nodes"]),
    rule(["delete", "get", "list", "watch"], [""], ["pods"]),
    rule(["create"], [""], ["bindings", "pods/binding"]),
    rule(["patch", "update"], [""], ["pods/status"]),
    rule(READ, [""], ["replicationcontrollers", "services"]),
    rule(READ, ["apps", "extensions"], ["replicasets"]),
    rule(READ, ["apps"], ["statefulsets"]),
    rule(READ, ["policy"], ["poddisruptionbudgets"]),
    rule(READ, [""], ["persistentvolumeclaims", "persistentvolumes"]),
    rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
    rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
    rule(READ, ["storage.k8s.io"], ["csinodes"]),
    rule(READ, [""], ["namespaces"]),
    rule(READ, ["storage.k8s.io"], ["csidrivers", "csistoragecapacities"]),
]

VOLUME_SCHEDULER_RULES = [
    rule(["get", "list", "patch", "update", "watch"], [""], ["persistentvolumes"]),
    rule(READ, ["storage.k8s.io"], ["storageclasses"]),
    rule(["get", "list", "patch", "update", "watch"], [""], ["persistentvolumeclaims"]),
]

NODE_CONTROLLER_RULES = [
    rule(["delete", "get", "list", "patch", "update"], [""], ["nodes"]),
    rule(["patch", "update"], [""], ["nodes/status"]),
    rule(["patch", "update"], [""], ["pods/status"]),
    rule(["delete", "list"], [""], ["pods"]),
    rule(["get"], [""], ["pods"]),
    events(),
]

# k9py's node lifecycle controllers PUT pod status where upstream PATCHes it.
TAINT_EVICTION_RULES = [
    rule(["patch", "update"], [""], ["pods/status"]),
    rule(["delete", "get", "list", "patch", "update"], [""], ["pods"]),
    events(),
]

POD_GC_RULES = [
    rule(["delete", "list", "watch"], [""], ["pods"]),
    rule(["get", "list"], [""], ["nodes"]),
    rule(["patch", "update"], [""], ["pods/status"]),
]

NODE_RULES = [
    rule(["create", "get", "list", "watch", "delete", "patch", "update"], [""], ["nodes"]),
    rule(["patch", "update"], [""], ["nodes/status"]),
    rule(READ, [""], ["services", "pods", "configmaps", "secrets", "persistentvolumeclaims",
                      "persistentvolumes", "endpoints"]),
    rule(["create", "delete"], [""], ["pods"]),
    rule(["update", "patch"], [""], ["pods/status"]),
    rule(["create"], [""], ["pods/eviction"]),
    events(),
    rule(["create", "delete", "get", "patch", "update"], ["coordination.k8s.io"], ["leases"]),
]

PROXIER_RULES = [
    rule(READ, [""], ["endpoints", "services"]),
    rule(["get", "list", "watch"], [""], ["nodes"]),
    events(),
    rule(READ, ["discovery.k8s.io"], ["endpointslices"]),
]

KUBE_DNS_RULES = [rule(["list", "watch"], [""], ["endpoints", "services"])]

DISCOVERY_URLS = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                  "/openapi/*", "/readyz", "/version", "/version/"]
PUBLIC_URLS = ["/healthz", "/livez", "/readyz", "/version", "/version/"]
MONITORING_URLS = ["/metrics", "/metrics/slis", "/livez", "/readyz", "/healthz", "/livez/*",
                   "/readyz/*", "/healthz/*"]

BASIC_USER_RULES = [
    rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews",
                                                "selfsubjectrulesreviews"]),
    rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
]

# metrics-server's aggregated reader (its components.yaml), so view/edit/admin
# may run ``kubectl top``.
METRICS_READER_RULES = [rule(READ, ["metrics.k8s.io"], ["pods", "nodes"])]

# k9py's read-only HTTP user: every resource, every read (engine/rest/auth.py).
READ_ONLY_RULES = [rule(READ, ["*"], ["*"]), urls(["get"], ["*"])]
# k9py's scheduler records its explanations in a pod annotation.
SCHEDULER_EXPLAIN_RULES = [rule(["patch"], [""], ["pods"])]
