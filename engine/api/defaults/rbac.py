"""Defaults for ``rbac.authorization.k8s.io/v1``.

Upstream: ``pkg/apis/rbac/v1/defaults.go``: ``SetDefaults_RoleBinding`` and
``SetDefaults_ClusterRoleBinding`` (``roleRef.apiGroup`` is the RBAC group) and
``SetDefaults_Subject`` (User and Group subjects are in the RBAC group; a
ServiceAccount's group is the core group, i.e. empty).
"""

from __future__ import annotations

from typing import Any

from engine.api.defaults._util import child, items

Obj = dict[str, Any]

GROUP = "rbac.authorization.k8s.io"


def default_binding(obj: Obj) -> None:
    role_ref = child(obj, "roleRef")
    if role_ref is not None and not role_ref.get("apiGroup"):
        role_ref["apiGroup"] = GROUP
    for subject in items(obj, "subjects"):
        if not subject.get("apiGroup") and subject.get("kind") in ("User", "Group"):
            subject["apiGroup"] = GROUP


DEFAULTERS = {
    (GROUP, "RoleBinding"): default_binding,
    (GROUP, "ClusterRoleBinding"): default_binding,
}
