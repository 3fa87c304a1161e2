"""The RBAC authorizer: may this user do this?

Upstream: ``plugin/pkg/auth/authorizer/rbac/rbac.go`` (``RBACAuthorizer``,
``Authorize``, ``RulesFor``) and ``pkg/registry/rbac/validation/rule.go``
(``VisitRulesFor``: every ClusterRoleBinding's ClusterRole, then the
RoleBindings of the request's namespace, whose ClusterRoles apply only
there). Users in ``system:masters`` are always allowed (kube-apiserver's
privileged group, checked before any authorizer). Nodes
(``system:nodes``) are allowed as the Node authorizer would allow their
kubelets' own requests; k9py's kubelets only touch their own objects.

The roles and bindings are read from the API server's always-current
listers, so a new binding counts for the very next request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from engine.api.admission.base import UserInfo
from engine.api.authorization import RequestAttributes
from engine.api.rbac.rules import Request, rule_allows
from engine.api.rbac.subjects import describe, matching_subject

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]
MASTERS = "system:masters"
NODES = "system:nodes"


class RBACAuthorizer:
    """``authorization.Authorizer`` over the cluster's RBAC objects."""

    def __init__(self, api: APIServer) -> None:
        self.api = api

    def __call__(self, attrs: RequestAttributes) -> bool:
        req = Request(attrs.verb, attrs.info.group, attrs.info.plural, attrs.subresource,
                      attrs.name, attrs.namespace)
        return self.allows(attrs.user, req)

    # -- decisions -------------------------------------------------------------------
    def allows(self, user: UserInfo, req: Request) -> bool:
        """``Authorize``: the privileged groups, else any rule of a bound role."""
        if MASTERS in user.groups or NODES in user.groups:
            return True
        return any(rule_allows(rule, req) for rule in self.rules_for(user, req.namespace))

    def allowed(self, user: UserInfo, verb: str, group: str = "", resource: str = "",
                namespace: str = "", name: str = "", subresource: str = "",
                path: str = "") -> bool:
        """The same decision from plain fields (the HTTP layer's shape)."""
        return self.allows(user, Request(verb, group, resource, subresource, name, namespace,
                                         path))

    def reason(self, user: UserInfo, req: Request) -> str:
        """The allowing binding as upstream's ``authorizingVisitor`` words it, or ""."""
        for source, rules in self._visit(user, req.namespace):
            if any(rule_allows(rule, req) for rule in rules):
                return f"RBAC: allowed by {source}"
        return ""

    # -- rule resolution -------------------------------------------------------------
    def rules_for(self, user: UserInfo, namespace: str = "") -> Iterator[Obj]:
        """``VisitRulesFor``: cluster-wide rules, then the namespace's."""
        for _, rules in self._visit(user, namespace):
            yield from rules

    def _visit(self, user: UserInfo, namespace: str) -> Iterator[tuple[str, list[Obj]]]:
        for binding in self.api.lister("clusterrolebindings").list():
            subject = matching_subject(binding, user)
            if subject is not None:
                yield describe(binding, subject), self._role_rules(binding, "")
        if not namespace:
            return
        for binding in self.api.lister("rolebindings").list(namespace):
            subject = matching_subject(binding, user)
            if subject is not None:
                yield describe(binding, subject), self._role_rules(binding, namespace)

    def _role_rules(self, binding: Obj, namespace: str) -> list[Obj]:
        """``GetRoleReferenceRules``: the referenced Role's or ClusterRole's rules."""
        ref = binding.get("roleRef") or {}
        if ref.get("kind") == "ClusterRole":
            role = self.api.lister("clusterroles").get(ref.get("name", ""))
        elif ref.get("kind") == "Role" and namespace:
            role = self.api.lister("roles").get(ref.get("name", ""), namespace)
        else:
            role = None
        return list((role or {}).get("rules") or ())


def install(api: APIServer) -> RBACAuthorizer:
    """Make RBAC the API server's authorizer (``--authorization-mode=Node,RBAC``)."""
    authorizer = RBACAuthorizer(api)
    api.authorizer = authorizer
    return authorizer


def authorizer_of(api: APIServer) -> RBACAuthorizer | None:
    found = getattr(api, "authorizer", None)
    return found if isinstance(found, RBACAuthorizer) else None
