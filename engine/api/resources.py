"""The kinds the API server serves: upstream's RESTMapper and discovery data.

One :class:`ResourceInfo` per resource, with the group, version, kind, plural,
singular, short names, scope, subresources, verbs and categories that
``kubectl api-resources`` prints for a v1.32 cluster (upstream: each
resource's ``pkg/registry/<group>/<resource>/storage/storage.go``, its
``ShortNames()`` and ``Categories()``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.api import errors

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceInfo:
    """Everything the API layer and discovery need to know about one resource."""

    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS
    # Upstream's etcd key prefix under /registry (e.g. nodes live in "minions").
    storage: str = ""
    singular: str = field(default="")

    def __post_init__(self) -> None:
        # The dataclass hash of every field, worked out once: a resource is a
        # key of several per-request lookups (strategies, hooks, listers).
        object.__setattr__(self, "_hash", hash((
            self.group, self.version, self.kind, self.plural, self.namespaced,
            self.short_names, self.subresources, self.categories, self.verbs, self.storage,
            self.singular)))
        object.__setattr__(self, "_key_prefix", f"/registry/{self.storage or self.plural}/")

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """``deployments.apps`` or ``pods``: how errors name the resource."""
        return errors.qualified(self.plural, self.group)

    @property
    def list_kind(self) -> str:
        return f"{self.kind}List"

    @property
    def singular_name(self) -> str:
        return self.singular or self.kind.lower()

    @property
    def key_prefix(self) -> str:
        """The store prefix holding every object of this resource."""
        return self._key_prefix  # type: ignore[attr-defined, no-any-return]

    def key(self, namespace: str | None, name: str) -> str:
        if self.namespaced:
            return f"{self._key_prefix}{namespace}/{name}"  # type: ignore[attr-defined]
        return f"{self._key_prefix}{name}"  # type: ignore[attr-defined]


def _r(group: str, version: str, kind: str, plural: str, namespaced: bool, **kw) -> ResourceInfo:
    return ResourceInfo(group, version, kind, plural, namespaced, **kw)


_ALL = ("all",)
_STATUS = ("status",)

RESOURCES: tuple[ResourceInfo, ...] = (
    # core/v1
    _r("", "v1", "Binding", "bindings", True, verbs=("create",)),
    _r("", "v1", "ConfigMap", "configmaps", True, short_names=("cm",)),
    _r("", "v1", "Endpoints", "endpoints", True, short_names=("ep",), storage="services/endpoints"),
    _r("", "v1", "Event", "events", True, short_names=("ev",)),
    _r("", "v1", "LimitRange", "limitranges", True, short_names=("limits",)),
    _r("", "v1", "Namespace", "namespaces", False, short_names=("ns",),
       subresources=("finalize", "status"),
       verbs=("create", "delete", "get", "list", "patch", "update", "watch")),
    _r("", "v1", "Node", "nodes", False, short_names=("no",), subresources=("proxy", "status"),
       storage="minions"),
    _r("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", True, short_names=("pvc",),
       subresources=_STATUS),
    _r("", "v1", "PersistentVolume", "persistentvolumes", False, short_names=("pv",),
       subresources=_STATUS),
    _r("", "v1", "Pod", "pods", True, short_names=("po",), categories=_ALL,
       subresources=("attach", "binding", "ephemeralcontainers", "eviction", "exec", "log",
                     "portforward", "proxy", "resize", "status")),
    _r("", "v1", "PodTemplate", "podtemplates", True),
    _r("", "v1", "ReplicationController", "replicationcontrollers", True, short_names=("rc",),
       categories=_ALL, subresources=("scale", "status"), storage="controllers"),
    _r("", "v1", "ResourceQuota", "resourcequotas", True, short_names=("quota",),
       subresources=_STATUS),
    _r("", "v1", "Secret", "secrets", True),
    _r("", "v1", "ServiceAccount", "serviceaccounts", True, short_names=("sa",),
       subresources=("token",)),
    _r("", "v1", "Service", "services", True, short_names=("svc",), categories=_ALL,
       subresources=("proxy", "status"), storage="services/specs"),
    # apps/v1
    _r("apps", "v1", "ControllerRevision", "controllerrevisions", True),
    _r("apps", "v1", "DaemonSet", "daemonsets", True, short_names=("ds",), categories=_ALL,
       subresources=_STATUS),
    _r("apps", "v1", "Deployment", "deployments", True, short_names=("deploy",),
       categories=_ALL, subresources=("scale", "status")),
    _r("apps", "v1", "ReplicaSet", "replicasets", True, short_names=("rs",), categories=_ALL,
       subresources=("scale", "status")),
    _r("apps", "v1", "StatefulSet", "statefulsets", True, short_names=("sts",),
       categories=_ALL, subresources=("scale", "status")),
    # autoscaling/v2
    _r("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", True,
       short_names=("hpa",), categories=_ALL, subresources=_STATUS),
    # batch/v1
    _r("batch", "v1", "CronJob", "cronjobs", True, short_names=("cj",), categories=_ALL,
       subresources=_STATUS),
    _r("batch", "v1", "Job", "jobs", True, categories=_ALL, subresources=_STATUS),
    # coordination.k8s.io/v1
    _r("coordination.k8s.io", "v1", "Lease", "leases", True),
    # discovery.k8s.io/v1
    _r("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", True),
    # events.k8s.io/v1: the same objects as core Events, in the newer shape.
    _r("events.k8s.io", "v1", "Event", "events", True, short_names=("ev",),
       storage="events"),
    # networking.k8s.io/v1
    _r("networking.k8s.io", "v1", "IngressClass", "ingressclasses", False),
    _r("networking.k8s.io", "v1", "Ingress", "ingresses", True, short_names=("ing",),
       subresources=_STATUS),
    _r("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", True,
       short_names=("netpol",)),
    # policy/v1
    _r("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", True,
       short_names=("pdb",), subresources=_STATUS),
    # rbac.authorization.k8s.io/v1
    _r("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", False),
    _r("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False),
    _r("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", True),
    _r("rbac.authorization.k8s.io", "v1", "Role", "roles", True),
    # scheduling.k8s.io/v1
    _r("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", False,
       short_names=("pc",)),
    # storage.k8s.io/v1
    _r("storage.k8s.io", "v1", "StorageClass", "storageclasses", False, short_names=("sc",)),
)

# Preferred resource for each plural when a name is ambiguous (kubectl prefers
# the core group's Event over events.k8s.io's, as it does in discovery order).
_BY_GROUP_PLURAL = {(r.group, r.plural): r for r in RESOURCES}
_BY_KIND = {(r.group, r.kind): r for r in RESOURCES}


def _index() -> dict[str, ResourceInfo]:
    """Every name a user may type for a resource, first match wins."""
    names: dict[str, ResourceInfo] = {}
    for r in RESOURCES:
        for alias in (r.plural, r.singular_name, r.kind.lower(), *r.short_names,
                      f"{r.plural}.{r.group}" if r.group else r.plural,
                      f"{r.plural}.{r.version}.{r.group}" if r.group else r.plural):
            names.setdefault(alias, r)
    return names


_BY_NAME = _index()


def by_group_plural(group: str, plural: str) -> ResourceInfo:
    """The resource served at ``/apis/<group>/<version>/<plural>``."""
    try:
        return _BY_GROUP_PLURAL[(group, plural)]
    except KeyError:
        raise errors.not_found(plural, group, "") from None


def by_kind(api_version: str, kind: str) -> ResourceInfo:
    """The resource for an object's ``apiVersion`` and ``kind``.

    Errors use the wording kube-apiserver gives for an unknown type:
    ``no kind "X" is registered for version "v"``.
    """
    group, _, version = api_version.rpartition("/")
    info = _BY_KIND.get((group, kind))
    if info is None or info.version != version:
        raise errors.bad_request(
            f'no kind "{kind}" is registered for version "{api_version}" in scheme '
            '"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"'
        )
    return info


def resolve(name: str) -> ResourceInfo:
    """A resource from any name kubectl accepts: ``po``, ``pods``, ``Deployment``,
    ``deployments.apps``. Unknown names get kubectl's wording."""
    info = _BY_NAME.get(name) or _BY_NAME.get(name.lower())
    if info is None:
        raise errors.StatusError(
            404, "NotFound", f'the server doesn\'t have a resource type "{name}"'
        )
    return info
