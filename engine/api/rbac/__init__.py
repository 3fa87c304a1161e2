"""RBAC: the authorizer the API server asks for every request with a user,
and the access reviews (``kubectl auth can-i``) answered from it.

Upstream: ``plugin/pkg/auth/authorizer/rbac`` and
``pkg/registry/authorization``. Wiring: :func:`install` sets
``api.authorizer``; the HTTP layer may call :func:`allowed` (the same
decision from plain fields, including non-resource paths) and the review
functions in :mod:`engine.api.rbac.review`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.api.admission.base import UserInfo
from engine.api.rbac.authorizer import RBACAuthorizer, authorizer_of, install
from engine.api.rbac.review import (
    self_subject_access_review,
    self_subject_rules_review,
    subject_access_review,
)

if TYPE_CHECKING:
    from engine.api.server import APIServer

__all__ = [
    "RBACAuthorizer",
    "allowed",
    "authorizer_of",
    "install",
    "self_subject_access_review",
    "self_subject_rules_review",
    "subject_access_review",
]


def allowed(api: APIServer, user: UserInfo, verb: str, group: str = "", resource: str = "",
            namespace: str = "", name: str = "", subresource: str = "",
            path: str = "") -> bool | None:
    """The API server's RBAC decision, or None when RBAC is not installed
    (the caller then keeps its own policy). ``path`` asks about a
    non-resource URL such as ``/version``."""
    authorizer = authorizer_of(api)
    if authorizer is None:
        return None
    return authorizer.allowed(user, verb, group, resource, namespace, name, subresource, path)
