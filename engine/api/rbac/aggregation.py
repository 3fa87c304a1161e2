"""Aggregated ClusterRoles: a role with an ``aggregationRule`` holds the rules
of every ClusterRole its selectors match.

Upstream: ``pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go``
(``syncClusterRole``: the matching roles sorted by name, each rule added
once, the result written only when it differs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.api.selectors import SelectorError, try_label_selector_from_dict

Obj = dict[str, Any]


def selectors_of(role: Obj) -> list[Any]:
    """The role's ``aggregationRule.clusterRoleSelectors`` as matchers."""
    rule = role.get("aggregationRule") or {}
    out = []
    for sel in rule.get("clusterRoleSelectors") or ():
        try:
            out.append(try_label_selector_from_dict(sel))
        except SelectorError:
            continue
    return out


def aggregate(role: Obj, roles: Iterable[Obj]) -> list[Obj] | None:
    """The aggregated rules of ``role``; None when it does not aggregate."""
    if role.get("aggregationRule") is None:
        return None
    selectors = selectors_of(role)
    name = role["metadata"]["name"]
    rules: list[Obj] = []
    for other in sorted(roles, key=lambda r: r["metadata"]["name"]):
        if other["metadata"]["name"] == name:
            continue
        labels = other["metadata"].get("labels") or {}
        if not any(s.matches(labels) for s in selectors):
            continue
        for rule in other.get("rules") or ():
            if rule not in rules:
                rules.append(rule)
    return rules
