"""Resources the HTTP layer answers itself, without storage: reviews that
ask the authorizer or authenticator about the caller (upstream
``pkg/registry/authorization/selfsubjectaccessreview``,
``selfsubjectrulesreview`` and ``pkg/registry/authentication/selfsubjectreview``)
and the resource metrics API (metrics-server's ``metrics.k8s.io/v1beta1``)."""

from __future__ import annotations

from engine.api.aggregated import NODE_METRICS, POD_METRICS
from engine.api.resources import ResourceInfo

_CREATE = ("create",)

EXTRA_RESOURCES: tuple[ResourceInfo, ...] = (
    ResourceInfo("authorization.k8s.io", "v1", "SelfSubjectAccessReview",
                 "selfsubjectaccessreviews", False, verbs=_CREATE),
    ResourceInfo("authorization.k8s.io", "v1", "SelfSubjectRulesReview",
                 "selfsubjectrulesreviews", False, verbs=_CREATE),
    ResourceInfo("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews",
                 False, verbs=_CREATE),
    # metrics-server's API, answered from the kubelets' usage figures.
    NODE_METRICS,
    POD_METRICS,
)
EXTRA_BY_PLURAL = {(r.group, r.plural): r for r in EXTRA_RESOURCES}


def converted() -> tuple[ResourceInfo, ...]:
    """Other versions of stored resources, served by conversion."""
    from engine.rest import hpa_v1

    return (hpa_v1.INFO,)

# subresource -> (group, version, kind or "" for the parent's kind, verbs)
SUBRESOURCES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "status": ("", "", "", ("get", "patch", "update")),
    "scale": ("autoscaling", "v1", "Scale", ("get", "patch", "update")),
    "eviction": ("policy", "v1", "Eviction", ("create",)),
    "binding": ("", "v1", "Binding", ("create",)),
    "log": ("", "v1", "Pod", ("get",)),
    "exec": ("", "v1", "PodExecOptions", ("create", "get")),
    "attach": ("", "v1", "PodAttachOptions", ("create", "get")),
    "portforward": ("", "v1", "PodPortForwardOptions", ("create", "get")),
    "ephemeralcontainers": ("", "", "", ("get", "patch", "update")),
    "resize": ("", "", "", ("get", "patch", "update")),
    "token": ("authentication.k8s.io", "v1", "TokenRequest", ("create",)),
    "finalize": ("", "", "", ("update",)),
}
_PROXY_KINDS = {"pods": "PodProxyOptions", "nodes": "NodeProxyOptions",
                "services": "ServiceProxyOptions"}
PROXY_VERBS = ("create", "delete", "get", "patch", "update")


def subresource_kind(info: ResourceInfo, sub: str) -> tuple[str, str, str, tuple[str, ...]]:
    """The group, version, kind and verbs of ``<resource>/<sub>``."""
    if sub == "proxy":
        return "", "v1", _PROXY_KINDS.get(info.plural, "ProxyOptions"), PROXY_VERBS
    group, version, kind, verbs = SUBRESOURCES.get(sub, ("", "", "", ("get",)))
    if not kind:
        return info.group, info.version, info.kind, verbs
    return group, version, kind, verbs
