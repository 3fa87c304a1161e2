"""Authorization: every request that carries a user is checked before it runs.

The decision comes from an authorizer (RBAC, issue 4) set on the API server;
without one, everything is allowed, as for a cluster with
``--authorization-mode=AlwaysAllow``. The Forbidden message is the one
kube-apiserver writes (``pkg/endpoints/handlers/responsewriters/errors.go``
``forbiddenMessage``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from engine.api import errors
from engine.api.admission.base import UserInfo
from engine.api.resources import ResourceInfo


class RequestAttributes(NamedTuple):
    """``authorizer.Attributes`` for a resource request (a named tuple: one is
    built per request that carries a user, and a frozen dataclass's
    ``__init__`` costs several times a tuple's)."""

    user: UserInfo
    verb: str
    info: ResourceInfo
    namespace: str = ""
    name: str = ""
    subresource: str = ""


Authorizer = Callable[[RequestAttributes], bool]


def forbidden(attrs: RequestAttributes) -> errors.StatusError:
    resource = attrs.info.plural + (f"/{attrs.subresource}" if attrs.subresource else "")
    scope = (f'in the namespace "{attrs.namespace}"' if attrs.namespace
             else "at the cluster scope")
    why = (f'User "{attrs.user.name}" cannot {attrs.verb} resource "{resource}" in API group '
           f'"{attrs.info.group}" {scope}')
    return errors.forbidden_error(attrs.info.plural, attrs.info.group, attrs.name, why)


def check(authorizer: Authorizer | None, attrs: RequestAttributes) -> None:
    """Raise 403 Forbidden unless the authorizer allows the request."""
    if authorizer is not None and not authorizer(attrs):
        raise forbidden(attrs)
