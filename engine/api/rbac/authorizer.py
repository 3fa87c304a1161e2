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
listers, so a new binding counts for the very next request. A user's
resolved rules are cached until any RBAC object changes (a generation
counter fed synchronously by the watch cache), and so are its decisions:
the same user asking the same verb of the same resource in the same
namespace gets the answer the rules gave last time, while the generation
stands. Names take part in that key only when one of the user's rules lists
``resourceNames`` (otherwise no rule looks at the name): the scheduler binds
every pod under its own name.
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
RBAC_RESOURCES = ("clusterrolebindings", "clusterroles", "rolebindings", "roles")
CACHE_LIMIT = 4096


class _Generation:
    """Counts changes to RBAC objects, as they are stored."""

    def __init__(self, api: APIServer) -> None:
        self.value = 0
        self._watches = []
        for resource in RBAC_RESOURCES:
            info = api.info(resource)
            self._watches.append(api.cache.watch(
                info, info.key_prefix, None, since=api.store.revision, initial=None,
                bookmarks=False, sink=self._bump))

    def _bump(self, _event: Any) -> None:
        self.value += 1

    def stop(self) -> None:
        for watch in self._watches:
            watch.stop()


class RBACAuthorizer:
    """``authorization.Authorizer`` over the cluster's RBAC objects."""

    def __init__(self, api: APIServer) -> None:
        self.api = api
        self.generation = _Generation(api)
        # (user, groups, namespace) -> (generation, rules, does any rule list resourceNames)
        self._rules: dict[tuple[str, tuple[str, ...], str], tuple[int, list[Obj], bool]] = {}
        self._decisions: dict[tuple[Any, ...], bool] = {}
        self._decided_at = -1  # the generation self._decisions hold for

    def __call__(self, attrs: RequestAttributes) -> bool:
        user = attrs.user
        groups = user.groups
        if MASTERS in groups or NODES in groups:
            return True  # as allows() decides first, without building the request
        if self._decided_at != self.generation.value or len(self._decisions) >= CACHE_LIMIT:
            self._decisions = {}
            self._decided_at = self.generation.value
        info = attrs.info
        key = (user.name, tuple(groups), attrs.namespace, attrs.verb, info.group, info.plural,
               attrs.subresource)
        _, rules, named = self._cached(user, attrs.namespace)
        if named:
            key = (*key, attrs.name)
        found = self._decisions.get(key)
        if found is None:
            req = Request(attrs.verb, info.group, info.plural, attrs.subresource, attrs.name,
                          attrs.namespace)
            found = any(rule_allows(rule, req) for rule in rules)
            self._decisions[key] = found
        return found

    # -- decisions -------------------------------------------------------------------
    def allows(self, user: UserInfo, req: Request) -> bool:
        """``Authorize``: the privileged groups, else any rule of a bound role."""
        if MASTERS in user.groups or NODES in user.groups:
            return True
        return any(rule_allows(rule, req) for rule in self._cached_rules(user, req.namespace))

    def _cached_rules(self, user: UserInfo, namespace: str) -> list[Obj]:
        return self._cached(user, namespace)[1]

    def _cached(self, user: UserInfo, namespace: str) -> tuple[int, list[Obj], bool]:
        """The user's rules in ``namespace`` and whether any restricts names."""
        key = (user.name, tuple(user.groups), namespace)
        found = self._rules.get(key)
        if found is not None and found[0] == self.generation.value:
            return found
        if len(self._rules) >= CACHE_LIMIT:
            self._rules.clear()
        rules = list(self.rules_for(user, namespace))
        found = (self.generation.value, rules, any(rule.get("resourceNames") for rule in rules))
        self._rules[key] = found
        return found

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
    old = authorizer_of(api)
    if old is not None:
        old.generation.stop()
    authorizer = RBACAuthorizer(api)
    api.authorizer = authorizer
    return authorizer


def authorizer_of(api: APIServer) -> RBACAuthorizer | None:
    found = getattr(api, "authorizer", None)
    return found if isinstance(found, RBACAuthorizer) else None
