"""The bootstrap RBAC policy, and turning the RBAC authorizer on.

Upstream: kube-apiserver's ``rbac/bootstrap-roles`` post-start hook
(``pkg/registry/rbac/rest/storage_rbac.go``) stores the roles of
``plugin/pkg/auth/authorizer/rbac/bootstrappolicy``: ``cluster-admin``
(bound to ``system:masters``), the aggregated ``admin``/``edit``/``view``
user-facing roles and their ``system:aggregate-to-*`` parts, and the
``system:*`` roles the components run as. Objects carry the
``kubernetes.io/bootstrapping: rbac-defaults`` label and the autoupdate
annotation; existing ones are left alone (a restart creates nothing twice).
"""

from __future__ import annotations

from typing import Any

from engine.api.rbac import install
from engine.api.rbac.aggregation import aggregate
from engine.bootstrap import policy_data as d
from engine.client import LocalClient

Obj = dict[str, Any]
GROUP = "rbac.authorization.k8s.io"
API_VERSION = f"{GROUP}/v1"
BOOTSTRAP_LABELS = {"kubernetes.io/bootstrapping": "rbac-defaults"}
AUTOUPDATE = {"rbac.authorization.kubernetes.io/autoupdate": "true"}
READ_ONLY_USER = "k9py-readonly"


def cluster_role(name: str, rules: list[Obj], labels: dict[str, str] | None = None,
                 aggregate_to: str | None = None) -> Obj:
    role: Obj = {"apiVersion": API_VERSION, "kind": "ClusterRole",
                 "metadata": {"name": name, "labels": {**BOOTSTRAP_LABELS, **(labels or {})},
                              "annotations": dict(AUTOUPDATE)},
                 "rules": rules}
    if aggregate_to:
        role["aggregationRule"] = {"clusterRoleSelectors": [
            {"matchLabels": {f"{d.AGG}{aggregate_to}": "true"}}]}
    return role


def binding(name: str, role: str, *subjects: tuple[str, str]) -> Obj:
    """A ClusterRoleBinding; subjects are (kind, name), ServiceAccounts as ``ns/name``."""
    out = []
    for kind, who in subjects:
        if kind == "ServiceAccount":
            ns, _, sa = who.partition("/")
            out.append({"kind": kind, "name": sa, "namespace": ns})
        else:
            out.append({"kind": kind, "apiGroup": GROUP, "name": who})
    return {"apiVersion": API_VERSION, "kind": "ClusterRoleBinding",
            "metadata": {"name": name, "labels": dict(BOOTSTRAP_LABELS),
                         "annotations": dict(AUTOUPDATE)},
            "roleRef": {"apiGroup": GROUP, "kind": "ClusterRole", "name": role},
            "subjects": out}


def _agg(level: str) -> dict[str, str]:
    return {f"{d.AGG}{level}": "true"}


def cluster_roles() -> list[Obj]:
    everything = [d.rule(["*"], ["*"], ["*"]), d.urls(["*"], ["*"])]
    return [
        cluster_role("cluster-admin", everything),
        cluster_role("admin", [], aggregate_to="admin"),
        cluster_role("edit", [], _agg("admin"), aggregate_to="edit"),
        cluster_role("view", [], _agg("edit"), aggregate_to="view"),
        cluster_role("system:aggregate-to-admin", d.ADMIN_RULES, _agg("admin")),
        cluster_role("system:aggregate-to-edit", d.EDIT_RULES, _agg("edit")),
        cluster_role("system:aggregate-to-view", d.VIEW_RULES, _agg("view")),
        cluster_role("system:aggregated-metrics-reader", d.METRICS_READER_RULES,
                     {**_agg("admin"), **_agg("edit"), **_agg("view")}),
        cluster_role("system:basic-user", d.BASIC_USER_RULES),
        cluster_role("system:discovery", [d.urls(["get"], d.DISCOVERY_URLS)]),
        cluster_role("system:public-info-viewer", [d.urls(["get"], d.PUBLIC_URLS)]),
        cluster_role("system:monitoring", [d.urls(["get"], d.MONITORING_URLS)]),
        cluster_role("system:kube-scheduler", d.SCHEDULER_RULES),
        cluster_role("system:volume-scheduler", d.VOLUME_SCHEDULER_RULES),
        cluster_role("system:node", d.NODE_RULES),
        cluster_role("system:node-proxier", d.PROXIER_RULES),
        cluster_role("system:kube-dns", d.KUBE_DNS_RULES),
        cluster_role("system:controller:node-controller", d.NODE_CONTROLLER_RULES),
        cluster_role("system:controller:taint-eviction-controller", d.TAINT_EVICTION_RULES),
        cluster_role("system:controller:pod-garbage-collector", d.POD_GC_RULES),
        cluster_role("k9py:read-only", d.READ_ONLY_RULES),
        cluster_role("k9py:kube-scheduler-explanations", d.SCHEDULER_EXPLAIN_RULES),
    ]


def cluster_role_bindings() -> list[Obj]:
    authenticated = ("Group", "system:authenticated")
    return [
        binding("cluster-admin", "cluster-admin", ("Group", "system:masters")),
        binding("system:basic-user", "system:basic-user", authenticated),
        binding("system:discovery", "system:discovery", authenticated),
        binding("system:public-info-viewer", "system:public-info-viewer", authenticated,
                ("Group", "system:unauthenticated")),
        binding("system:monitoring", "system:monitoring", ("Group", "system:monitoring")),
        binding("system:kube-scheduler", "system:kube-scheduler",
                ("User", "system:kube-scheduler")),
        binding("system:volume-scheduler", "system:volume-scheduler",
                ("User", "system:kube-scheduler")),
        binding("system:node-proxier", "system:node-proxier", ("User", "system:kube-proxy")),
        binding("system:kube-dns", "system:kube-dns", ("ServiceAccount", "kube-system/kube-dns")),
        binding("system:controller:node-controller", "system:controller:node-controller",
                ("ServiceAccount", "kube-system/node-controller")),
        binding("system:controller:taint-eviction-controller",
                "system:controller:taint-eviction-controller",
                ("ServiceAccount", "kube-system/taint-eviction-controller")),
        binding("system:controller:pod-garbage-collector",
                "system:controller:pod-garbage-collector",
                ("ServiceAccount", "kube-system/pod-garbage-collector")),
        binding("k9py:read-only", "k9py:read-only", ("User", READ_ONLY_USER)),
        binding("k9py:kube-scheduler-explanations", "k9py:kube-scheduler-explanations",
                ("User", "system:kube-scheduler")),
    ]


def with_aggregated_rules(roles: list[Obj]) -> list[Obj]:
    """Fill the aggregated roles at once, as the aggregation controller will."""
    changed = True
    while changed:  # admin aggregates edit, which aggregates view
        changed = False
        for role in roles:
            rules = aggregate(role, roles)
            if rules is not None and rules != role["rules"]:
                role["rules"], changed = rules, True
    return roles


def ensure_policy(client: LocalClient, create: Any) -> None:
    """Create the bootstrap roles and bindings that are missing; turn RBAC on.

    ``create`` is the bootstrapper's AlreadyExists-tolerant create."""
    for role in with_aggregated_rules(cluster_roles()):
        create(lambda r=role: client.create("clusterroles", r))
    for crb in cluster_role_bindings():
        create(lambda b=crb: client.create("clusterrolebindings", b))
    install(client.api)
