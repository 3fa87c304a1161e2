"""What k9py needs from a cluster, as protocols a remote API server can implement.

k9py talks to the cluster only through :class:`ClusterClient` (the verbs of
``engine.client.ThreadClient``); the embedded cluster's extra powers (stop a
kubelet, add a node) sit behind the optional :class:`ClusterActions`. Both are
thread-safe and may block, so the UI calls them from worker threads only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from engine.api.errors import StatusError

Obj = dict[str, Any]

# The patch content types (the same strings as ``engine.api.patch``'s, which a test
# checks; not imported from there so that the UI starts without loading the engine).
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"


class WatchHandle(Protocol):
    def stop(self) -> None: ...


@runtime_checkable
class ClusterClient(Protocol):
    """The API verbs, as ``engine.client.ThreadClient`` offers them."""

    def get(self, resource: str, name: str, namespace: str | None = None) -> Obj: ...

    def list(self, resource: str, namespace: str | None = None, **opts: Any) -> Obj: ...

    def create(self, resource: str, obj: Obj, **opts: Any) -> Obj: ...

    def update(self, resource: str, obj: Obj, **opts: Any) -> Obj: ...

    def update_status(self, resource: str, obj: Obj, **opts: Any) -> Obj: ...

    def patch(self, resource: str, name: str, body: Any, patch_type: str, **opts: Any) -> Obj: ...

    def delete(self, resource: str, name: str, **opts: Any) -> Obj: ...

    def delete_collection(self, resource: str, namespace: str | None = None,
                          **opts: Any) -> Obj: ...

    def watch(self, resource: str, namespace: str | None = None, *,
              callback: Callable[[list[Any]], None] | None = None,
              **opts: Any) -> WatchHandle: ...


class NotAvailable(Exception):
    """An action this cluster cannot do (e.g. stop a kubelet on a remote cluster)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: not available on this cluster")


class ClusterActions(Protocol):
    """Powers only an embedded cluster has: break and grow it to watch it heal."""

    def stop_kubelet(self, node: str) -> None: ...

    def start_kubelet(self, node: str) -> None: ...

    def add_node(self, name: str | None = None) -> str: ...

    def remove_node(self, node: str) -> None: ...

    def set_load(self, namespace: str, selector: str | None, value: float | None) -> None: ...


class NoActions:
    """The default: every embedded-only action says it is not available."""

    def stop_kubelet(self, node: str) -> None:
        raise NotAvailable("stop kubelet")

    def start_kubelet(self, node: str) -> None:
        raise NotAvailable("start kubelet")

    def add_node(self, name: str | None = None) -> str:
        raise NotAvailable("add node")

    def remove_node(self, node: str) -> None:
        raise NotAvailable("remove node")

    def set_load(self, namespace: str, selector: str | None, value: float | None) -> None:
        raise NotAvailable("set load")


class EmbeddedActions(NoActions):
    """The embedded cluster's kubelets (``cluster.kubelets``: stop/start, add/remove
    nodes), called on the engine's loop; "not available" while it has none."""

    def __init__(self, cluster: Any) -> None:
        self._cluster = cluster

    def _call(self, name: str, what: str, *args: Any) -> Any:
        kubelets = getattr(self._cluster, "kubelets", None)
        fn = getattr(kubelets, name, None)
        if fn is None:
            raise NotAvailable(what)
        return self._cluster.call(fn, *args)

    def is_running(self, node: str) -> bool | None:
        try:
            return bool(self._call("is_running", "kubelet state", node))
        except Exception:
            return None

    def stop_kubelet(self, node: str) -> None:
        self._call("stop", "stop kubelet", node)

    def start_kubelet(self, node: str) -> None:
        self._call("start", "start kubelet", node)

    def add_node(self, name: str | None = None) -> str:
        return self._call("add_node", "add node")

    def remove_node(self, node: str) -> None:
        self._call("remove_node", "remove node", node)

    def set_load(self, namespace: str, selector: str | None, value: float | None) -> None:
        """The simulated load of the running pods a label selector picks, read at
        every usage scrape (engine/kubelet/usage.py), so it changes without a
        rollout, as a load generator would; ``value=None`` clears it."""
        self._call("set_load", "set load", namespace, selector, value)


_WRITES = ("create", "update", "update_status", "patch", "delete", "delete_collection")


def read_only_error(verb: str, resource: str) -> StatusError:
    return StatusError(403, "Forbidden",
                       f"k9py is in read-only mode: {verb} {resource} refused")


class ReadOnlyClient:
    """Reads pass through; every write is refused with 403 before reaching the cluster."""

    def __init__(self, inner: ClusterClient) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name in _WRITES:
            def refuse(resource: str, *args: Any, **kwargs: Any) -> Any:
                raise read_only_error(name, str(resource))
            return refuse
        return attr


@dataclass
class Session:
    """A connected cluster as the app sees it."""

    client: Any
    cluster_name: str = "k9py"
    context: str = "k9py"
    user: str = "kubernetes-admin"
    k8s_version: str = "v1.32.0"
    actions: Any = field(default_factory=NoActions)
    now: Callable[[], float] = time.time
    advance: Callable[[float], Any] | None = None
    close: Callable[[], None] = lambda: None
    readonly: bool = False
    logs: Callable[..., Any] | None = None  # see k9py.logs
    # k9py.manifests.Manifests: -f, :apply and the watch; made on first use when None
    manifests: Any = None


def error_text(err: BaseException) -> str:
    """What the flash line says for a failure: the API's own message when it has one."""
    if isinstance(err, StatusError):
        return str(err)
    if isinstance(err, NotAvailable):
        return str(err)
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
