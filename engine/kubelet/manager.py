"""All the simulated kubelets of a cluster, and the API to drive them.

``run_kubelets(cluster)`` is the component (``engine/components.py``): it
starts one :class:`~engine.kubelet.kubelet.Kubelet` per node spec and puts a
:class:`KubeletManager` on ``cluster.kubelets``. Real kubelets are separate
processes that each watch their own pods (a ``spec.nodeName`` field
selector); here they share one pod informer indexed by node name, so a
thousand nodes cost one watch, and each event goes straight to its node's
kubelet.

The manager is also how the rest of k9py reaches node-level things:
stopping and starting a node's kubelet, adding and removing nodes.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.api.admission.base import UserInfo
from engine.bootstrap.nodes import NodeSpec
from engine.client import LocalClient
from engine.kubelet import logs as container_logs
from engine.kubelet.backoff import Backoff
from engine.kubelet.kubelet import Kubelet
from engine.kubelet.runtime import NodeRuntime
from engine.kubelet.status_manager import StatusManager
from engine.kubelet.usage import NODE_DAEMONS, UsageModel, cpu_string, memory_string
from engine.runtime import SharedInformerFactory, tombstone_object

if TYPE_CHECKING:
    from engine.cluster import Cluster

Obj = dict[str, Any]
log = logging.getLogger(__name__)

NODE_NAME_INDEX = "nodeName"
FIELD_MANAGER = "kubelet"
# What pods reference, watched as the kubelet's ConfigMap/Secret managers do.
LOOKUP_RESOURCES = {"configmap": "configmaps", "secret": "secrets",
                    "persistentvolumeclaim": "persistentvolumeclaims"}


def node_name_index(pod: Obj) -> list[str]:
    node = (pod.get("spec") or {}).get("nodeName")
    return [node] if node else []


class KubeletManager:
    """The kubelets of every node, their runtimes, and the shared informers."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.clock = cluster.clock
        self.client = cluster.local_client(FIELD_MANAGER)
        self.factory = SharedInformerFactory(self.client)
        self.pod_informer = self.factory.informer_for(
            "pods", indexers={NODE_NAME_INDEX: node_name_index})
        self.node_informer = self.factory.informer_for("nodes")
        self.object_informers = {kind: self.factory.informer_for(resource) for kind, resource in
                                 LOOKUP_RESOURCES.items()}
        self.statuses = StatusManager(self.clock)
        self.crash_backoff = Backoff()
        self.image_backoff = Backoff()
        self.usage = UsageModel()
        self.kubelets: dict[str, Kubelet] = {}
        self.runtimes: dict[str, NodeRuntime] = {}
        self.specs: dict[str, NodeSpec] = {}
        self.pods_synced = False
        self.pod_informer.add_event_handler(
            on_add=self._pod_added, on_update=self._pod_updated, on_delete=self._pod_deleted)

    # -- wiring ---------------------------------------------------------------------
    def client_for(self, node: str) -> LocalClient:
        """The API as ``system:node:<name>``, field manager ``kubelet``."""
        assert self.cluster.api is not None
        user = UserInfo(name=f"system:node:{node}", groups=("system:nodes", "system:authenticated"))
        return LocalClient(self.cluster.api, user=user, field_manager=FIELD_MANAGER)

    def stagger(self, node: str) -> float:
        """A stable offset in (0, 10] s so a thousand nodes do not heartbeat in one tick."""
        digest = hashlib.sha256(node.encode()).digest()
        return 0.01 + int.from_bytes(digest[:4], "big") % 999 / 100

    async def run(self) -> None:
        for spec in self.cluster.config.node_specs():
            self._add(spec)
        self.factory.start()
        await self.factory.wait_for_cache_sync()
        self.pods_synced = True
        for kubelet in self.kubelets.values():
            if kubelet.running:
                kubelet.pods.adopt(self.pods_on(kubelet.name))
        try:
            await asyncio.Event().wait()
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        for kubelet in self.kubelets.values():
            kubelet.stop()
        self.factory.stop()

    # -- pods from the informer --------------------------------------------------------------
    def pods_on(self, node: str) -> list[Obj]:
        return self.pod_informer.indexer.by_index(NODE_NAME_INDEX, node)

    def node_cache(self, name: str) -> Obj | None:
        return self.node_informer.indexer.get_by_key(name)

    def lookup(self, kind: str, namespace: str, name: str) -> Obj | None:
        """A ConfigMap, Secret or PVC from the kubelets' caches."""
        return self.object_informers[kind].indexer.get_by_key(f"{namespace}/{name}")

    def _pod_added(self, pod: Obj) -> None:
        kubelet = self.kubelets.get(pod["spec"].get("nodeName") or "")
        if kubelet is not None:
            kubelet.pod_changed(pod)

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        before, after = old["spec"].get("nodeName"), new["spec"].get("nodeName")
        if before and before != after and before in self.kubelets:
            self.kubelets[before].pod_removed(old)
        self._pod_added(new)

    def _pod_deleted(self, obj: Any) -> None:
        pod = tombstone_object(obj)
        kubelet = self.kubelets.get(pod["spec"].get("nodeName") or "")
        if kubelet is not None:
            kubelet.pod_removed(pod)

    # -- the API on cluster.kubelets ----------------------------------------------------------
    def nodes(self) -> list[str]:
        return list(self.kubelets)

    def is_running(self, node: str) -> bool:
        return self._kubelet(node).running

    def stop(self, node: str) -> None:
        """Stop ``node``'s kubelet: no heartbeats, no status; containers keep running."""
        self._kubelet(node).stop()

    def start(self, node: str) -> None:
        """Start ``node``'s kubelet again: it re-registers and resumes its pods."""
        self._kubelet(node).start()

    def add_node(self, spec: NodeSpec | None = None) -> str:
        """Add a worker node (kind naming, next free index) and start its kubelet."""
        if spec is None:
            spec = self._next_worker()
        if spec.name in self.kubelets:
            raise ValueError(f"node {spec.name} already exists")
        self._add(spec)
        return spec.name

    def remove_node(self, name: str) -> None:
        """Stop the node's kubelet, discard its machine, and delete the Node object
        (as ``kubectl delete node`` after the machine is gone)."""
        kubelet = self._kubelet(name)
        kubelet.stop()
        runtime = self.runtimes.pop(name)
        for uid in list(runtime.containers):
            runtime.forget_pod(uid)
        del self.kubelets[name]
        self.specs.pop(name, None)
        try:
            self.client.delete("nodes", name)
        except errors.StatusError as err:
            if err.code != 404:
                raise

    # -- logs and usage -------------------------------------------------------------------
    def logs(self, namespace: str, pod: str, container: str | None = None, *,
             previous: bool = False, tail_lines: int | None = None,
             since_seconds: float | None = None, since_time: float | None = None,
             timestamps: bool = False, limit_bytes: int | None = None,
             follow: bool = False) -> Any:
        """``GET pods/log``: the text, or with ``follow`` an async iterator of chunks.

        Errors are the API's: 404 for a missing pod, 400 BadRequest with
        upstream's wording for an unknown or not yet started container or a
        missing previous instance. ``since_time`` is Unix seconds."""
        obj, instance, extra = self._log_target(namespace, pod, container, previous)
        since = since_time
        if since_seconds is not None:
            since = max(since or 0.0, self.clock.now() - since_seconds)
        if follow:
            return container_logs.follow(instance, self.clock, tail_lines=tail_lines,
                                         since=since, timestamps=timestamps, extra=extra)
        return container_logs.read(instance, self.clock.now(), tail_lines=tail_lines,
                                   since=since, timestamps=timestamps, limit_bytes=limit_bytes,
                                   extra=extra)

    def _log_target(self, namespace: str, name: str, container: str | None,
                    previous: bool) -> tuple[Obj, Any, dict[str, Any]]:
        pod = self.pod_informer.indexer.get_by_key(f"{namespace}/{name}")
        if pod is None:
            raise errors.not_found("pods", "", name)
        cname, cid = container_logs.pick_container_id(pod, container, previous)
        runtime = self.runtimes.get(pod["spec"].get("nodeName") or "")
        instance = None
        if runtime is not None:
            instance = next((c for c in runtime.instances(pod["metadata"]["uid"], cname)
                             if c.container_id == cid), None)
        if instance is None:
            raise errors.bad_request(
                f'container "{cname}" in pod "{name}" is waiting to start: ContainerCreating')
        spec = _container_spec(pod, cname)
        gateway = runtime.pool.gateway if runtime is not None else "10.244.0.1"
        probes = [{**h, **{k: p.get(k) for k in ("periodSeconds", "initialDelaySeconds")}}
                  for p in (spec.get("readinessProbe"), spec.get("livenessProbe"),
                            spec.get("startupProbe")) if p and (h := p.get("httpGet"))]
        extra = {"gateway": gateway, "http_probes": probes,
                 "load": self.usage.load_for(pod, instance)}
        return pod, instance, extra

    def set_load(self, namespace: str, selector: str | None, value: float | None) -> None:
        """The load knob for the pods of ``namespace`` matching a label ``selector``
        (None: all of them); ``value=None`` removes the rule."""
        self.usage.set_load(namespace, selector, value)

    def usage_of(self, namespace: str, name: str) -> dict[str, tuple[float, float]]:
        """Per running container: (millicores, bytes) at the last scrape."""
        pod = self.pod_informer.indexer.get_by_key(f"{namespace}/{name}")
        if pod is None:
            raise errors.not_found("pods", "", name)
        runtime = self.runtimes.get(pod["spec"].get("nodeName") or "")
        out: dict[str, tuple[float, float]] = {}
        if runtime is None:
            return out
        now = self.clock.now()
        for spec in pod["spec"].get("containers") or ():
            instance = runtime.latest(pod["metadata"]["uid"], spec["name"])
            if instance is not None and instance.running:
                out[spec["name"]] = self.usage.container(pod, spec, instance, now)
        return out

    def pod_metrics(self, namespace: str, name: str) -> Obj:
        """``metrics.k8s.io/v1beta1`` PodMetrics, as metrics-server reports them."""
        pod = self.pod_informer.indexer.get_by_key(f"{namespace}/{name}")
        usage = self.usage_of(namespace, name)
        return {"kind": "PodMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
                "metadata": {"name": name, "namespace": namespace,
                             "labels": dict((pod or {}).get("metadata", {}).get("labels") or {}),
                             "creationTimestamp": self.clock.rfc3339()},
                "timestamp": self._scrape_time(), "window": "15s",
                "containers": [{"name": c, "usage": {"cpu": cpu_string(cpu),
                                                     "memory": memory_string(mem)}}
                               for c, (cpu, mem) in usage.items()]}

    def node_metrics(self, name: str) -> Obj:
        """``metrics.k8s.io/v1beta1`` NodeMetrics: the node's pods plus its own daemons."""
        self._kubelet(name)
        cpu, mem = NODE_DAEMONS
        for pod in self.pods_on(name):
            for c_cpu, c_mem in self.usage_of(pod["metadata"]["namespace"],
                                              pod["metadata"]["name"]).values():
                cpu, mem = cpu + c_cpu, mem + c_mem
        return {"kind": "NodeMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
                "metadata": {"name": name, "creationTimestamp": self.clock.rfc3339()},
                "timestamp": self._scrape_time(), "window": "15s",
                "usage": {"cpu": cpu_string(cpu), "memory": memory_string(mem)}}

    def _scrape_time(self) -> str:
        from engine.kubelet.usage import SCRAPE_INTERVAL

        now = self.clock.now()
        return self.clock.rfc3339(now - now % SCRAPE_INTERVAL)

    def _add(self, spec: NodeSpec) -> Kubelet:
        self.specs[spec.name] = spec
        runtime = self.runtimes.setdefault(spec.name, NodeRuntime(self.clock, spec))
        kubelet = self.kubelets[spec.name] = Kubelet(self, spec, runtime)
        kubelet.start()
        return kubelet

    def _kubelet(self, node: str) -> Kubelet:
        try:
            return self.kubelets[node]
        except KeyError:
            raise KeyError(f"no such node: {node}") from None

    def _next_worker(self) -> NodeSpec:
        used = {s.index for s in self.specs.values()}
        index = max(used, default=-1) + 1
        prefix = f"{self.cluster.config.name}-worker"
        names = set(self.specs)
        n = 1
        while (prefix if n == 1 else f"{prefix}{n}") in names:
            n += 1
        return NodeSpec(prefix if n == 1 else f"{prefix}{n}", index)


def _container_spec(pod: Obj, name: str) -> Obj:
    for key in ("containers", "initContainers"):
        for spec in pod["spec"].get(key) or ():
            if spec.get("name") == name:
                return spec
    return {}


async def run_kubelets(cluster: Cluster) -> None:
    """The component: every node's kubelet, until the cluster stops."""
    manager = KubeletManager(cluster)
    cluster.kubelets = manager  # type: ignore[attr-defined]
    await manager.run()
