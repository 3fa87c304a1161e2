"""Matching one PolicyRule against a request.

Upstream: ``plugin/pkg/auth/authorizer/rbac/rbac.go`` (``RuleAllows``) and
``pkg/apis/rbac/v1/evaluation_helpers.go`` (``VerbMatches``,
``APIGroupMatches``, ``ResourceMatches``, ``ResourceNameMatches``,
``NonResourceURLMatches``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]
ALL = "*"


@dataclass(frozen=True)
class Request:
    """What is asked: a resource request (``path`` empty) or a non-resource one."""

    verb: str
    group: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    namespace: str = ""
    path: str = ""

    @property
    def is_resource(self) -> bool:
        return not self.path


def verb_matches(rule: Obj, verb: str) -> bool:
    verbs = rule.get("verbs") or ()
    return ALL in verbs or verb in verbs


def group_matches(rule: Obj, group: str) -> bool:
    groups = rule.get("apiGroups") or ()
    return ALL in groups or group in groups


def resource_matches(rule: Obj, resource: str, subresource: str) -> bool:
    """``*``, the exact ``resource[/subresource]``, or ``*/subresource``."""
    combined = f"{resource}/{subresource}" if subresource else resource
    for candidate in rule.get("resources") or ():
        if candidate in (ALL, combined):
            return True
        if subresource and candidate == f"*/{subresource}":
            return True
    return False


def name_matches(rule: Obj, name: str) -> bool:
    names = rule.get("resourceNames") or ()
    return not names or name in names


def url_matches(rule: Obj, path: str) -> bool:
    """An exact URL, ``*``, or a prefix ending in ``*``."""
    for candidate in rule.get("nonResourceURLs") or ():
        if candidate in (ALL, path):
            return True
        if candidate.endswith(ALL) and path.startswith(candidate[:-1]):
            return True
    return False


def rule_allows(rule: Obj, req: Request) -> bool:
    """``RuleAllows``."""
    if not verb_matches(rule, req.verb):
        return False
    if not req.is_resource:
        return url_matches(rule, req.path)
    return (group_matches(rule, req.group)
            and resource_matches(rule, req.resource, req.subresource)
            and name_matches(rule, req.name))
