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

* objects come from informer caches (the kubelets' pod and node informers, as
  metrics-server lists its own), never decoded from the store, and readings
  are kept for the scrape window (15 s) they belong to, as metrics-server
  serves its last scrape: a pod that starts running mid-window has no reading
  until the next one;
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

import weakref
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


class _Readings:
    """metrics-server's storage: the readings of the current scrape, per pod UID and
    per node (``pkg/storage``: it answers from its last scrape, not the kubelets).
    The simulated usage is constant within a scrape window, so a reading computed
    once serves every request until the window ends."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.window_text = f"{interval:g}s"
        self.window = -1
        self.pods: dict[str, Obj | None] = {}
        self.nodes: dict[str, Obj | None] = {}
        # per pod UID: its running containers' (millicores, bytes), shared by the
        # pod readings and the node readings (a node's usage sums its pods')
        self.usage: dict[str, dict[str, tuple[float, float]]] = {}
        self._stamp = ""

    def at(self, window: int) -> _Readings:
        if window != self.window:
            self.window, self.pods, self.nodes, self.usage = window, {}, {}, {}
            self._stamp = ""
        return self

    def timestamp(self, kubelets: Any) -> str:
        """When this window's scrape happened (its start)."""
        if not self._stamp:
            self._stamp = kubelets.clock.rfc3339(self.window * self.interval)
        return self._stamp


_READINGS: weakref.WeakKeyDictionary[Any, _Readings] = weakref.WeakKeyDictionary()


def _readings(kubelets: Any) -> _Readings:
    from engine.kubelet.usage import SCRAPE_INTERVAL

    found = _READINGS.get(kubelets)
    if found is None:
        found = _READINGS[kubelets] = _Readings(SCRAPE_INTERVAL)
    return found.at(int(kubelets.clock.now() // SCRAPE_INTERVAL))


def _pod_reading(kubelets: Any, readings: _Readings, pod: Obj) -> Obj | None:
    """A running pod's PodMetrics from its running containers' usage
    (``kubelets.usage_of``), or None when metrics-server would have none (not
    Running, no running container). Same shape as ``KubeletManager.pod_metrics``,
    with the window's timestamp worked out once, not per pod."""
    if (pod.get("status") or {}).get("phase") != "Running":
        return None
    from engine.kubelet.usage import cpu_string, memory_string

    m = pod["metadata"]
    usage = _usage(kubelets, readings, pod)
    if not usage:
        return None
    meta: Obj = {"name": m["name"], "namespace": m["namespace"]}
    if m.get("labels"):
        meta["labels"] = m["labels"]  # _fresh copies it for each caller
    return {"kind": "PodMetrics", "apiVersion": API_VERSION, "metadata": meta,
            "timestamp": readings.timestamp(kubelets), "window": readings.window_text,
            "containers": [{"name": c, "usage": {"cpu": cpu_string(cpu),
                                                 "memory": memory_string(mem)}}
                           for c, (cpu, mem) in usage.items()]}


def _usage(kubelets: Any, readings: _Readings, pod: Obj) -> dict[str, tuple[float, float]]:
    """A pod's running containers' usage in this window ({} when none run)."""
    m = pod["metadata"]
    key = m.get("uid") or f"{m.get('namespace')}/{m['name']}"
    found = readings.usage.get(key)
    if found is None:
        try:
            found = kubelets.usage_of(m["namespace"], m["name"])
        except errors.StatusError as err:
            if err.code != 404:
                raise
            found = {}
        readings.usage[key] = found
    return found


def _node_reading(kubelets: Any, readings: _Readings, node: Obj) -> Obj | None:
    """A node's NodeMetrics: its pods' usage plus its own daemons, as
    ``KubeletManager.node_metrics`` computes it, from the window's shared
    per-pod usage; None for a node without a kubelet (no reading)."""
    from engine.kubelet.usage import NODE_DAEMONS, cpu_string, memory_string

    m = node["metadata"]
    if m["name"] not in kubelets.kubelets:
        return None
    cpu, mem = NODE_DAEMONS
    for pod in kubelets.pods_on(m["name"]):
        for c_cpu, c_mem in _usage(kubelets, readings, pod).values():
            cpu, mem = cpu + c_cpu, mem + c_mem
    meta: Obj = {"name": m["name"]}
    if m.get("labels"):  # metrics-server copies the node's labels (storage/node.go)
        meta["labels"] = m["labels"]  # _fresh copies it for each caller
    return {"kind": "NodeMetrics", "apiVersion": API_VERSION, "metadata": meta,
            "timestamp": readings.timestamp(kubelets), "window": readings.window_text,
            "usage": {"cpu": cpu_string(cpu), "memory": memory_string(mem)}}


def _fresh(reading: Obj, created: str) -> Obj:
    """A caller's own copy of a cached reading; ``creationTimestamp`` is the time of
    the request, as metrics-server sets it (``metav1.NewTime(time.Now())``)."""
    m = reading["metadata"]
    meta: Obj = {"name": m["name"]}
    if "namespace" in m:
        meta["namespace"] = m["namespace"]
    if m.get("labels"):
        meta["labels"] = dict(m["labels"])
    meta["creationTimestamp"] = created
    out = {"kind": reading["kind"], "apiVersion": reading["apiVersion"], "metadata": meta,
           "timestamp": reading["timestamp"], "window": reading["window"]}
    if "containers" in reading:
        out["containers"] = [{"name": c["name"], "usage": dict(c["usage"])}
                             for c in reading["containers"]]
    else:
        out["usage"] = dict(reading["usage"])
    return out


def _read(kubelets: Any, readings: _Readings, info: ResourceInfo, obj: Obj) -> Obj | None:
    """The cached reading of one pod (by UID) or node (by name), computed on a miss."""
    m = obj["metadata"]
    if info.namespaced:
        cache, key = readings.pods, m.get("uid") or f"{m.get('namespace')}/{m['name']}"
        if key not in cache:
            cache[key] = _pod_reading(kubelets, readings, obj)
    else:
        cache, key = readings.nodes, m["name"]
        if key not in cache:
            cache[key] = _node_reading(kubelets, readings, obj)
    return cache[key]


def _informer(kubelets: Any, info: ResourceInfo) -> Any:
    """metrics-server lists pods and nodes from its informers; the kubelets' are
    the same caches."""
    return (kubelets.pod_informer if info.namespaced else kubelets.node_informer).indexer


def _field_filter(field_selector: str | None) -> Any:
    if not field_selector:
        return None
    sel = selectors.parse_field_selector(field_selector)
    return None if sel.empty() else sel


def _label_filter(label_selector: str | None) -> Any:
    if not label_selector:
        return None
    sel = selectors.parse_label_selector(label_selector)
    return None if sel.empty() else sel


def _meta_fields(info: ResourceInfo, obj: Obj) -> dict[str, str]:
    """``generic.AddObjectMetaFieldsSet``: the only fields metrics-server filters on."""
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
    obj = _informer(kubelets, info).get_by_key(label)
    found = _read(kubelets, _readings(kubelets), info, obj) if obj is not None else None
    if found is None:
        raise _missing(info, label)
    return _fresh(found, kubelets.clock.rfc3339())


def list_(api: APIServer, info: ResourceInfo, namespace: str | None = None, *,
          label_selector: str | None = None, field_selector: str | None = None,
          user: UserInfo | None = None, **_ignored: Any) -> Obj:
    """A PodMetricsList or NodeMetricsList (``rest.Lister``); ``limit`` and
    ``continue`` are ignored, as metrics-server ignores them."""
    ns = namespace if info.namespaced else None
    api._authorize(user, "list", info, ns)
    labels, fields = _label_filter(label_selector), _field_filter(field_selector)
    kubelets = _kubelets(api)
    objs = _informer(kubelets, info).list()
    if ns:
        objs = [o for o in objs if o["metadata"].get("namespace") == ns]
    if labels is not None:
        objs = [o for o in objs if labels.matches(o["metadata"].get("labels"))]
    if fields is not None:
        objs = [o for o in objs if fields.matches(_meta_fields(info, o))]
    # the Kube API's order: (namespace, name) for pods, name for nodes
    objs.sort(key=lambda o: (o["metadata"].get("namespace") or "", o["metadata"]["name"]))
    readings, created = _readings(kubelets), kubelets.clock.rfc3339()
    items = []
    for obj in objs:
        found = _read(kubelets, readings, info, obj)
        if found is not None:
            items.append(_fresh(found, created))
    return {"kind": info.list_kind, "apiVersion": API_VERSION, "metadata": {}, "items": items}
