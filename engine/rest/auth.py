"""Authentication by bearer token and the one authorization decision.

Each served cluster gets two random tokens: an admin (group
``system:masters``, as kind's ``kubernetes-admin``) and a read-only user.
Requests without a known token get upstream's 401 Status. Every request is
then put to :func:`authorize`; the access-control issue replaces its body
with RBAC (upstream ``k8s.io/apiserver/pkg/authorization/authorizer``
attributes, ``pkg/endpoints/filters/authorization.go`` for the 403 wording).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from engine.api import errors
from engine.api.admission.base import UserInfo

ADMIN_USER = UserInfo("kubernetes-admin", ("system:masters", "system:authenticated"))
READONLY_USER = UserInfo("k9py-readonly", ("system:authenticated",))
ANONYMOUS = UserInfo("system:anonymous", ("system:unauthenticated",))
READ_VERBS = ("get", "list", "watch")
# Paths anyone may read (upstream's system:public-info-viewer role).
PUBLIC_PATHS = ("/version", "/healthz", "/livez", "/readyz")


@dataclass
class Tokens:
    """The cluster's bearer tokens. They come from the OS's secure random
    source, not the engine's seeded identity: a seeded token would be the
    same for every cluster started with the same seed, so anyone on the
    machine could guess it."""

    admin: str
    readonly: str
    # Tokens issued by TokenRequest (``kubectl create token``), by value.
    issued: dict[str, UserInfo] = field(default_factory=dict)

    @classmethod
    def generate(cls) -> Tokens:
        return cls(secrets.token_urlsafe(32), secrets.token_urlsafe(32))

    def user_for(self, header: str | None) -> UserInfo | None:
        """The user a ``Authorization: Bearer <token>`` header names, or None."""
        if not header or not header.startswith("Bearer "):
            return None
        token = header[len("Bearer "):].strip()
        if secrets.compare_digest(token, self.admin):
            return ADMIN_USER
        if secrets.compare_digest(token, self.readonly):
            return READONLY_USER
        return self.issued.get(token)

    def issue(self, namespace: str, service_account: str) -> str:
        """A bearer token for a service account (TokenRequest), which then
        authenticates as ``system:serviceaccount:<ns>:<name>``."""
        token = secrets.token_urlsafe(48)
        self.issued[token] = UserInfo(
            f"system:serviceaccount:{namespace}:{service_account}",
            ("system:serviceaccounts", f"system:serviceaccounts:{namespace}",
             "system:authenticated"))
        return token


def authorize(user: UserInfo, verb: str, group: str, resource: str, namespace: str,
              name: str, subresource: str = "") -> bool:
    """Whether ``user`` may do ``verb`` on the resource. The one decision
    point RBAC will replace: masters may do anything, others only read."""
    if "system:masters" in user.groups:
        return True
    if resource in ("selfsubjectaccessreviews", "selfsubjectrulesreviews",
                    "selfsubjectreviews") and verb == "create":
        return True
    return verb in READ_VERBS


def decide(api: Any, user: UserInfo, verb: str, group: str, resource: str, namespace: str,
           name: str, subresource: str = "") -> bool:
    """The API server's RBAC decision when RBAC is installed (engine/api/rbac),
    else :func:`authorize`'s built-in policy."""
    from engine.api import rbac

    verdict = rbac.allowed(api, user, verb, group, resource, namespace, name, subresource)
    if verdict is None:
        return authorize(user, verb, group, resource, namespace, name, subresource)
    return verdict


def forbidden(user: UserInfo, verb: str, group: str, resource: str, namespace: str, name: str,
              subresource: str = "") -> errors.StatusError:
    """``forbiddenMessage`` in upstream's authorization filter."""
    shown = f"{resource}/{subresource}" if subresource else resource
    where = (f'in the namespace "{namespace}"' if namespace else "at the cluster scope")
    why = (f'User "{user.name}" cannot {verb} resource "{shown}" in API group "{group}" '
           f"{where}")
    return errors.forbidden_error(resource, group, name, why)


def unauthorized() -> errors.StatusError:
    return errors.unauthorized("Unauthorized")
