"""Access reviews: ``kubectl auth can-i`` and ``kubectl auth can-i --list``.

Upstream: ``pkg/registry/authorization/selfsubjectaccessreview/rest.go``
(the spec's attributes, for the requesting user, put to the authorizer;
status ``allowed`` and the authorizer's ``reason``),
``subjectaccessreview/rest.go`` (the same for the user the spec names) and
``selfsubjectrulesreview/rest.go`` (the rules the user has in a namespace).
Reviews are not stored: the response is the request with its status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api.admission.base import UserInfo
from engine.api.rbac.authorizer import MASTERS, authorizer_of
from engine.api.rbac.rules import Request

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]
API_VERSION = "authorization.k8s.io/v1"


def request_of(spec: Obj) -> Request:
    """The review spec's resource or non-resource attributes."""
    attrs = spec.get("resourceAttributes")
    if attrs is not None:
        return Request(attrs.get("verb", ""), attrs.get("group", ""), attrs.get("resource", ""),
                       attrs.get("subresource", ""), attrs.get("name", ""),
                       attrs.get("namespace", ""))
    non = spec.get("nonResourceAttributes") or {}
    return Request(non.get("verb", ""), path=non.get("path", "") or "/")


def decide(api: APIServer, user: UserInfo, req: Request) -> Obj:
    """A review status: ``allowed`` and, when a binding allowed it, its ``reason``."""
    authorizer = authorizer_of(api)
    if authorizer is None:
        return {"allowed": api.authorizer is None}
    if MASTERS in user.groups:
        return {"allowed": True}
    if not authorizer.allows(user, req):
        return {"allowed": False}
    reason = authorizer.reason(user, req)
    return {"allowed": True, "reason": reason} if reason else {"allowed": True}


def _response(kind: str, body: Obj, status: Obj) -> Obj:
    return {"kind": kind, "apiVersion": API_VERSION,
            "metadata": {**(body.get("metadata") or {}), "creationTimestamp": None},
            "spec": body.get("spec") or {}, "status": status}


def self_subject_access_review(api: APIServer, user: UserInfo, body: Obj) -> Obj:
    """POST ``selfsubjectaccessreviews``: may the caller do this?"""
    spec = body.get("spec") or {}
    return _response("SelfSubjectAccessReview", body, decide(api, user, request_of(spec)))


def subject_access_review(api: APIServer, body: Obj) -> Obj:
    """POST ``subjectaccessreviews``: may the user the spec names do this?"""
    spec = body.get("spec") or {}
    user = UserInfo(spec.get("user", ""), tuple(spec.get("groups") or ()), spec.get("uid", ""),
                    dict(spec.get("extra") or {}))
    return _response("SubjectAccessReview", body, decide(api, user, request_of(spec)))


def self_subject_rules_review(api: APIServer, user: UserInfo, body: Obj) -> Obj:
    """POST ``selfsubjectrulesreviews``: the caller's rules in ``spec.namespace``."""
    spec = body.get("spec") or {}
    authorizer = authorizer_of(api)
    everything = [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]
    if authorizer is None:
        status = {"resourceRules": everything,
                  "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
                  "incomplete": False}
    else:
        status = rules_status(list(authorizer.rules_for(user, spec.get("namespace", ""))))
    return _response("SelfSubjectRulesReview", body, status)


def rules_status(rules: list[Obj]) -> Obj:
    resource, non_resource = [], []
    for rule in rules:
        if rule.get("nonResourceURLs"):
            non_resource.append({"verbs": list(rule.get("verbs") or ()),
                                 "nonResourceURLs": list(rule["nonResourceURLs"])})
            continue
        out = {"verbs": list(rule.get("verbs") or ()),
               "apiGroups": list(rule.get("apiGroups") or ()),
               "resources": list(rule.get("resources") or ())}
        if rule.get("resourceNames"):
            out["resourceNames"] = list(rule["resourceNames"])
        resource.append(out)
    return {"resourceRules": resource, "nonResourceRules": non_resource, "incomplete": False}
