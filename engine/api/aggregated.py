"""Read-only API groups the API server delegates instead of storing.

Upstream, ``metrics.k8s.io`` is an *aggregated* API: kube-aggregator proxies
``/apis/metrics.k8s.io/v1beta1`` (an ``APIService``) to metrics-server, which
answers from its own scrape of the kubelets; nothing is kept in etcd, and the
resources have only ``get`` and ``list`` (kubernetes-sigs/metrics-server
``pkg/api/pod.go`` and ``node.go`` implement ``rest.Getter`` and ``rest.Lister``
and nothing else, so any other verb is 405 MethodNotAllowed). Here the
simulated kubelets are the metrics source (:func:`engine.metrics.source_for`)
and :class:`~engine.api.server.APIServer` hands ``get``/``list`` of these
resources to :func:`get`/:func:`list_` (and refuses other verbs through
:func:`refuse`), so in-process clients (``client.list("pods.metrics.k8s.io")``)
and the REST layer see the same objects.

Semantics kept from metrics-server:

* pods are listed in (namespace, name) order, nodes in name order; pods not in
  phase Running, or with no container readings, are left out (``getPodMetrics``);
* ``get`` of a pod without readings (or of no pod) is
  ``podmetrics.metrics.k8s.io "<ns>/<name>" not found``; of a node,
  ``nodemetrics.metrics.k8s.io "<name>" not found``;
* label selectors select the pods/nodes; field selectors see only
  ``metadata.name`` (and ``metadata.namespace`` for pods), as ``filter.go``'s
  ``AddObjectMetaFieldsSet`` builds them;
* no metrics source (no kubelets): 503 ServiceUnavailable, as the aggregator
  answers for an unavailable APIService.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api import errors, selectors
from engine.api.resources import ResourceInfo

if TYPE_CHECKING:
    from engine.api.admission.base import UserInfo
    from engine.api.server import APIServer

Obj = dict[str, Any]

GROUP = "metrics.k8s.io"
VERSION = "v1beta1"
API_VERSION = f"{GROUP}/{VERSION}"
_READ = ("get", "list")

NODE_METRICS = ResourceInfo(GROUP, VERSION, "NodeMetrics", "nodes", False, verbs=_READ)
POD_METRICS = ResourceInfo(GROUP, VERSION, "PodMetrics", "pods", True, verbs=_READ)
RESOURCES: tuple[ResourceInfo, ...] = (NODE_METRICS, POD_METRICS)
# Groups whose every resource is delegated; the API server checks this set.
GROUPS = frozenset({GROUP})


def _names() -> dict[str, ResourceInfo]:
    """Every name kubectl resolves to these resources (``pods.metrics.k8s.io``,
    ``podmetrics``, ``PodMetrics``, ``pods.v1beta1.metrics.k8s.io``)."""
    out: dict[str, ResourceInfo] = {}
    for r in RESOURCES:
        for name in (f"{r.plural}.{GROUP}", f"{r.plural}.{VERSION}.{GROUP}", r.kind,
                     r.kind.lower(), f"{r.kind.lower()}.{GROUP}"):
            out[name] = r
    return out


_BY_NAME = _names()


def lookup(resource: str | ResourceInfo) -> ResourceInfo | None:
    """The delegated resource ``resource`` names, or None for any other."""
    if isinstance(resource, ResourceInfo):
        return resource if resource.group in GROUPS else None
    return _BY_NAME.get(resource)


def method_not_allowed() -> errors.StatusError:
    """What a REST storage without the verb answers (``installer.go`` registers no
    route, so the request gets 405 from the handler chain)."""
    return errors.StatusError(405, "MethodNotAllowed",
                              "the server does not allow this method on the requested resource")


def refuse(resource: str | ResourceInfo) -> None:
    """Raise 405 if ``resource`` is delegated (any verb but get/list reaches here)."""
    if lookup(resource) is not None:
        raise method_not_allowed()


def _kubelets(api: APIServer) -> Any:
    from engine.metrics.source import source_for

    kubelets = source_for(api).kubelets
    if kubelets is None:
        raise errors.service_unavailable("the server is currently unable to handle the request")
    return kubelets


def _missing(info: ResourceInfo, name: str) -> errors.StatusError:
    kind = info.kind.lower()
    return errors.StatusError(404, "NotFound", f'{kind}.{GROUP} "{name}" not found',
                              {"name": name, "group": GROUP, "kind": kind})


def _pod(kubelets: Any, pod: Obj) -> Obj | None:
    """A running pod's PodMetrics, or None when metrics-server would have none."""
    if (pod.get("status") or {}).get("phase") != "Running":
        return None
    m = pod["metadata"]
    try:
        found = kubelets.pod_metrics(m["namespace"], m["name"])
    except errors.StatusError as err:
        if err.code == 404:
            return None
        raise
    return found if found.get("containers") else None


def _node(kubelets: Any, node: Obj) -> Obj | None:
    name = node["metadata"]["name"]
    try:
        found = kubelets.node_metrics(name)
    except KeyError:  # no kubelet for it: metrics-server has no reading
        return None
    labels = node["metadata"].get("labels")
    if labels:  # metrics-server copies the node's labels (storage/node.go)
        found["metadata"]["labels"] = dict(labels)
    return found


def _field_filter(info: ResourceInfo, field_selector: str | None) -> Any:
    if not field_selector:
        return None
    sel = selectors.parse_field_selector(field_selector)
    return None if sel.empty() else sel


def _meta_fields(info: ResourceInfo, obj: Obj) -> dict[str, str]:
    m = obj["metadata"]
    out = {"metadata.name": m.get("name") or ""}
    if info.namespaced:
        out["metadata.namespace"] = m.get("namespace") or ""
    return out


def get(api: APIServer, info: ResourceInfo, name: str, namespace: str | None = None, *,
        user: UserInfo | None = None) -> Obj:
    """One PodMetrics or NodeMetrics (``rest.Getter``)."""
    ns = (namespace or "default") if info.namespaced else ""
    api._authorize(user, "get", info, ns, name)
    kubelets = _kubelets(api)
    label = f"{ns}/{name}" if info.namespaced else name
    try:
        obj = api.get("pods" if info.namespaced else "nodes", name, ns or None)
    except errors.StatusError as err:
        if err.code != 404:
            raise
        raise _missing(info, label) from None
    found = (_pod if info.namespaced else _node)(kubelets, obj)
    if found is None:
        raise _missing(info, label)
    return found


def list_(api: APIServer, info: ResourceInfo, namespace: str | None = None, *,
          label_selector: str | None = None, field_selector: str | None = None,
          user: UserInfo | None = None, **_ignored: Any) -> Obj:
    """A PodMetricsList or NodeMetricsList (``rest.Lister``); ``limit`` and
    ``continue`` are ignored, as metrics-server ignores them."""
    ns = namespace if info.namespaced else None
    api._authorize(user, "list", info, ns)
    fields = _field_filter(info, field_selector)
    kubelets = _kubelets(api)
    core = "pods" if info.namespaced else "nodes"
    objs = api.list(core, ns, label_selector=label_selector)["items"]
    if fields is not None:
        objs = [o for o in objs if fields.matches(_meta_fields(info, o))]
    read = _pod if info.namespaced else _node
    items = [m for m in (read(kubelets, o) for o in objs) if m is not None]
    return {"kind": info.list_kind, "apiVersion": API_VERSION, "metadata": {}, "items": items}
