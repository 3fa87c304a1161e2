"""RBAC: Roles and ClusterRoles print Name, Created At; bindings print Name,
Role, Age (+ Users, Groups, ServiceAccounts); upstream ``printRole``,
``printRoleBinding``, ``printClusterRoleBinding``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from engine.printers.base import register
from engine.printers.common import (
    AGE,
    NAME,
    Column,
    age,
    dig,
    meta,
    name,
    parse_time,
    wide,
)

CREATED = Column("Created At", type="date", description="CreationTimestamp is a timestamp "
                                                        "representing the server time when this "
                                                        "object was created.")
BINDING_COLUMNS = (
    NAME,
    Column("Role", description="RoleRef can reference a Role in the current namespace or a "
                               "ClusterRole in the global namespace."),
    AGE,
    wide("Users", "Users in the roleBinding"),
    wide("Groups", "Groups in the roleBinding"),
    wide("ServiceAccounts", "ServiceAccounts in the roleBinding"),
)


def _role_row(obj: dict[str, Any], now: float) -> list[Any]:
    stamp = parse_time(meta(obj).get("creationTimestamp"))
    created = "" if stamp is None else datetime.fromtimestamp(stamp, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    return [name(obj), created]


def _subjects(obj: dict[str, Any]) -> tuple[str, str, str]:
    users, groups, sas = [], [], []
    for s in obj.get("subjects") or []:
        if s.get("kind") == "User":
            users.append(s.get("name", ""))
        elif s.get("kind") == "Group":
            groups.append(s.get("name", ""))
        elif s.get("kind") == "ServiceAccount":
            sas.append(f"{s.get('namespace', '')}/{s.get('name', '')}")
    return ", ".join(users), ", ".join(groups), ", ".join(sas)


def _binding_row(obj: dict[str, Any], now: float) -> list[Any]:
    ref = dig(obj, "roleRef", default={})
    return [name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", age(obj, now),
            *_subjects(obj)]


_GROUP = "rbac.authorization.k8s.io"
register(_GROUP, "roles", (NAME, CREATED), _role_row)
register(_GROUP, "clusterroles", (NAME, CREATED), _role_row)
register(_GROUP, "rolebindings", BINDING_COLUMNS, _binding_row)
register(_GROUP, "clusterrolebindings", BINDING_COLUMNS, _binding_row)
