"""Which binding subjects name a user.

Upstream: ``plugin/pkg/auth/authorizer/rbac/rbac.go`` (``appliesToUser``):
``User`` by name, ``Group`` by membership, ``ServiceAccount`` by the
``system:serviceaccount:<namespace>:<name>`` user name.
"""

from __future__ import annotations

from typing import Any

from engine.api.admission.base import UserInfo

Obj = dict[str, Any]
SA_PREFIX = "system:serviceaccount:"


def service_account_user(namespace: str, name: str) -> str:
    return f"{SA_PREFIX}{namespace}:{name}"


def applies_to(subject: Obj, user: UserInfo, binding_namespace: str) -> bool:
    kind = subject.get("kind")
    name = subject.get("name", "")
    if kind == "User":
        return user.name == name
    if kind == "Group":
        return name in user.groups
    if kind == "ServiceAccount":
        ns = subject.get("namespace") or binding_namespace
        return user.name == service_account_user(ns, name)
    return False


def matching_subject(binding: Obj, user: UserInfo) -> Obj | None:
    """The first of the binding's subjects that names ``user``."""
    ns = (binding.get("metadata") or {}).get("namespace", "")
    for subject in binding.get("subjects") or ():
        if applies_to(subject, user, ns):
            return subject
    return None


def describe(binding: Obj, subject: Obj) -> str:
    """``clusterRoleBindingDescriber`` / ``roleBindingDescriber``."""
    m = binding.get("metadata") or {}
    ref = binding.get("roleRef") or {}
    if m.get("namespace"):
        what = f'RoleBinding "{m.get("name", "")}/{m["namespace"]}"'
    else:
        what = f'ClusterRoleBinding "{m.get("name", "")}"'
    return f'{what} of {ref.get("kind", "")} "{ref.get("name", "")}" to {_subject(subject)}'


def _subject(subject: Obj) -> str:
    name = subject.get("name", "")
    if subject.get("kind") == "ServiceAccount" and subject.get("namespace"):
        name = f'{name}/{subject["namespace"]}'
    return f'{subject.get("kind", "")} "{name}"'
