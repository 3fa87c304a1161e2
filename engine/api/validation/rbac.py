"""Validation of ``rbac.authorization.k8s.io/v1``: Roles, ClusterRoles and their bindings.

Upstream: pkg/apis/rbac/validation/validation.go (``ValidateRole``, ``ValidateClusterRole``,
``ValidatePolicyRule``, ``ValidateRoleBinding``, ``ValidateClusterRoleBinding``,
``ValidateRoleBindingSubject`` and the ``...Update`` variants). RBAC objects use
apimachinery's ``ValidateObjectMeta`` with path-segment names (``ValidateRBACName``).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.validation import names
from engine.api.validation.common import Errs, GoValue, as_list, as_map, go_quote, go_value
from engine.api.validation.kinds import custom, label_selector_as_selector
from engine.api.validation.objectmeta import (
    validate_label_selector,
    validate_object_meta,
    validate_object_meta_update,
)
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "rbac.authorization.k8s.io"


def _s(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def validate_policy_rule(rule: Obj, namespaced: bool, path: str) -> Errs:
    """Upstream ``ValidatePolicyRule``."""
    errs: Errs = []
    if not as_list(rule.get("verbs")):
        errs.append(errors.required(f"{path}.verbs", "verbs must contain at least one value"))
    urls = as_list(rule.get("nonResourceURLs"))
    if urls:
        if namespaced:
            errs.append(errors.invalid(f"{path}.nonResourceURLs", go_value(urls),
                                       "namespaced rules cannot apply to non-resource URLs"))
        if any(as_list(rule.get(k)) for k in ("apiGroups", "resources", "resourceNames")):
            errs.append(errors.invalid(f"{path}.nonResourceURLs", go_value(urls),
                                       "rules cannot apply to both regular resources and "
                                       "non-resource URLs"))
        return errs
    if not as_list(rule.get("apiGroups")):
        errs.append(errors.required(f"{path}.apiGroups",
                                    "resource rules must supply at least one api group"))
    if not as_list(rule.get("resources")):
        errs.append(errors.required(f"{path}.resources",
                                    "resource rules must supply at least one resource"))
    return errs


def _rules(obj: Obj, namespaced: bool) -> Errs:
    errs: Errs = []
    for i, rule in enumerate(as_list(obj.get("rules"))):
        errs.extend(validate_policy_rule(as_map(rule), namespaced, f"rules[{i}]"))
    return errs


def validate_role(obj: Obj) -> Errs:
    """Upstream ``ValidateRole``."""
    errs = validate_object_meta(obj.get("metadata"), True, names.validate_rbac_name)
    errs.extend(_rules(obj, True))
    return errs


def validate_cluster_role(obj: Obj) -> Errs:
    """Upstream ``ValidateClusterRole`` (with its aggregation rule)."""
    errs = validate_object_meta(obj.get("metadata"), False, names.validate_rbac_name)
    errs.extend(_rules(obj, False))
    aggregation = obj.get("aggregationRule")
    if isinstance(aggregation, dict):
        selectors = as_list(aggregation.get("clusterRoleSelectors"))
        path = "aggregationRule.clusterRoleSelectors"
        if not selectors:
            errs.append(errors.required(path, "at least one clusterRoleSelector required if "
                                        "aggregationRule is non-nil"))
        for i, selector in enumerate(selectors):
            errs.extend(validate_label_selector(as_map(selector), f"{path}[{i}]"))
            if label_selector_as_selector(as_map(selector)) is None:
                errs.append(errors.invalid(f"{path}[{i}]", go_value(selector),
                                           "invalid label selector."))
    return errs


def _role_ref(binding: Obj, kinds: tuple[str, ...]) -> Errs:
    ref = as_map(binding.get("roleRef"))
    errs: Errs = []
    if _s(ref, "apiGroup") != GROUP:
        errs.append(errors.not_supported("roleRef.apiGroup", _s(ref, "apiGroup"), [GROUP]))
    if _s(ref, "kind") not in kinds:
        errs.append(errors.not_supported("roleRef.kind", _s(ref, "kind"), list(kinds)))
    name = _s(ref, "name")
    if not name:
        errs.append(errors.required("roleRef.name", ""))
    else:
        errs.extend(errors.invalid("roleRef.name", name, msg)
                    for msg in names.validate_rbac_name(name, False))
    return errs


def validate_subject(subject: Obj, namespaced: bool, path: str) -> Errs:
    """Upstream ``ValidateRoleBindingSubject``."""
    errs: Errs = []
    name, kind, group = _s(subject, "name"), _s(subject, "kind"), _s(subject, "apiGroup")
    if not name:
        errs.append(errors.required(f"{path}.name", ""))
    if kind == "ServiceAccount":
        if name:
            errs.extend(errors.invalid(f"{path}.name", name, msg)
                        for msg in names.validate_service_account_name(name, False))
        if group:
            errs.append(errors.not_supported(f"{path}.apiGroup", group, [""]))
        if not namespaced and not _s(subject, "namespace"):
            errs.append(errors.required(f"{path}.namespace", ""))
    elif kind in ("User", "Group"):
        if group != GROUP:
            errs.append(errors.not_supported(f"{path}.apiGroup", group, [GROUP]))
    else:
        errs.append(errors.not_supported(f"{path}.kind", kind, ["ServiceAccount", "User", "Group"]))
    return errs


def _binding(obj: Obj, namespaced: bool) -> Errs:
    errs = validate_object_meta(obj.get("metadata"), namespaced, names.validate_rbac_name)
    errs.extend(_role_ref(obj, ("Role", "ClusterRole") if namespaced else ("ClusterRole",)))
    for i, subject in enumerate(as_list(obj.get("subjects"))):
        errs.extend(validate_subject(as_map(subject), namespaced, f"subjects[{i}]"))
    return errs


def _go_role_ref(ref: Obj) -> GoValue:
    return GoValue(f"rbac.RoleRef{{APIGroup:{go_quote(_s(ref, 'apiGroup'))}, "
                   f"Kind:{go_quote(_s(ref, 'kind'))}, Name:{go_quote(_s(ref, 'name'))}}}")


def _binding_update(namespaced: bool):
    def validate(new: Obj, old: Obj) -> Errs:
        """Upstream ``ValidateRoleBindingUpdate`` / ``ValidateClusterRoleBindingUpdate``."""
        errs = _binding(new, namespaced)
        errs.extend(validate_object_meta_update(new.get("metadata"), old.get("metadata")))
        ref, old_ref = as_map(new.get("roleRef")), as_map(old.get("roleRef"))
        if any(_s(ref, k) != _s(old_ref, k) for k in ("apiGroup", "kind", "name")):
            errs.append(errors.invalid("roleRef", _go_role_ref(ref), "cannot change roleRef"))
        return errs
    return validate


def _role_update(create):
    def validate(new: Obj, old: Obj) -> Errs:
        errs = create(new)
        errs.extend(validate_object_meta_update(new.get("metadata"), old.get("metadata")))
        return errs
    return validate


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "Role"): custom(validate_role, _role_update(validate_role)),
    (GROUP, "ClusterRole"): custom(validate_cluster_role, _role_update(validate_cluster_role)),
    (GROUP, "RoleBinding"): custom(lambda obj: _binding(obj, True), _binding_update(True)),
    (GROUP, "ClusterRoleBinding"): custom(lambda obj: _binding(obj, False),
                                          _binding_update(False)),
}
