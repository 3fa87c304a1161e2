"""Metrics for the views: the app's one :class:`~k9py.model.metrics.MetricsPoller`,
the newest snapshot, and how it reaches the pod and node tables and the header.

Each resource view's :class:`~k9py.render.base.RenderContext` reads the newest
snapshot (``pod_metrics`` / ``node_metrics``); when a poll brings new
readings, only the rows whose readings changed are rendered again (all of
them when the metrics API appears or goes away, or the pod scope changes).
The pod readings asked for follow the view on top: its namespace when it
shows pods, none otherwise (as k9s fetches pod metrics with the pod list);
a container view asks for its one pod's readings per container.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k9py.model.metrics import NO_PODS, MetricsPoller, Snapshot
from k9py.render.base import NA

# k9s internal/ui/indicator.go: PlusSign / MinusSign after a value that rose / fell.
PLUS_SIGN = "↑"
MINUS_SIGN = "↓"


class UsageFeed:
    """The poller and its snapshot, as the app's views and header use them."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()
        self._previous = Snapshot()  # the snapshot before, for the header's arrows
        self.poller: MetricsPoller | None = None
        self._top: Any = None

    def start(self, client: Any, interval: float,
              call_from_thread: Callable[..., Any], on_header: Callable[[], None]) -> None:
        """Poll ``client`` every ``interval`` s; updates land on the UI thread."""
        self.stop()
        self._on_header = on_header

        def update(snapshot: Snapshot, pods: set[str], nodes: set[str]) -> None:
            call_from_thread(self._apply, snapshot, pods, nodes)

        self.poller = MetricsPoller(client, interval, update)
        self.poller.set_pod_scope(_pod_scope(self._top))
        self.poller.set_container_scope(_container_scope(self._top))
        self.poller.start()

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
            self.poller = None

    def attach(self, view: Any) -> None:
        """Point a view's render context at the newest readings."""
        ctx = getattr(view, "ctx", None)
        if ctx is not None:
            ctx.pod_metrics = lambda ns, name: self.snapshot.pod(ns, name)
            ctx.node_metrics = lambda name: self.snapshot.node(name)
            ctx.container_metrics = lambda ns, pod, name: self.snapshot.container(ns, pod, name)

    def focus(self, view: Any) -> None:
        """The view on top changed: read the pods it shows, if any."""
        self._top = view
        if self.poller is not None:
            self.poller.set_pod_scope(_pod_scope(view))
            self.poller.set_container_scope(_container_scope(view))

    def header(self) -> tuple[str, str]:
        """The header's CPU and MEM: cluster use in percent with k9s's arrow when it
        rose or fell since the previous reading (``ui.AsPercDelta``), or ``n/a``."""
        now = self.snapshot.cluster_load()
        before = self._previous.cluster_load()
        return _perc_delta(before[0], now[0]), _perc_delta(before[1], now[1])

    def _apply(self, snapshot: Snapshot, pods: set[str], nodes: set[str]) -> None:
        old, self.snapshot = self.snapshot, snapshot
        self._previous = old
        everything = (old.available != snapshot.available
                      or old.pod_scope != snapshot.pod_scope)
        model = getattr(self._top, "model", None)
        kind = getattr(getattr(self._top, "kind", None), "kind", "")
        if model is not None and kind == "Container":
            if everything or _containers_changed(old, snapshot):
                model.rerender()  # a handful of rows: all of them
        elif model is not None and kind in ("Pod", "Node"):
            if everything:
                model.rerender()
            else:
                model.rerender_keys(pods if kind == "Pod" else nodes)
        self._on_header()


def _perc_delta(before: int | None, now: int | None) -> str:
    if now is None:
        return NA
    if before is None or before == now:
        return f"{now}%"
    return f"{now}%{PLUS_SIGN if now > before else MINUS_SIGN}"


def _containers_changed(old: Snapshot, new: Snapshot) -> bool:
    return (old.container_scope != new.container_scope
            or old.containers != new.containers)


def _container_scope(view: Any) -> tuple[str, str] | None:
    """The (namespace, pod) a container view shows; None for other views."""
    if getattr(getattr(view, "kind", None), "kind", "") != "Container":
        return None
    pod, namespace = getattr(view, "pod", ""), view.scope.namespace
    return (namespace, pod) if pod and namespace else None


def _pod_scope(view: Any) -> Any:
    """The namespace (None: all) a pod view shows; NO_PODS for other views."""
    kind = getattr(view, "kind", None)
    if getattr(kind, "kind", "") != "Pod" or getattr(view, "model", None) is None:
        return NO_PODS
    if getattr(view.model, "explode", None) is not None:  # a pod's containers
        return NO_PODS
    return view.scope.namespace
