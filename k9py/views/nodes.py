"""Nodes: cordon (c), uncordon (u), drain (r), taint (t), and on the embedded
cluster stop/start a kubelet (K), add (a) or remove (x) a node.

The PODS column counts pods per node from a pod watch kept by this view:
each pod event moves one count, never a rescan of every pod per node
(k9s's O(nodes × pods) counting)."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from textual.binding import Binding

from k9py.model.watcher import ResourceWatcher
from k9py.ops import nodes as ops
from k9py.render.base import Row, meta
from k9py.views.resource import ResourceView, Scope


class PodCounter:
    """Pods per node, from a watch of every pod (only names and nodes kept)."""

    def __init__(self) -> None:
        self.node_of: dict[str, str] = {}
        self.counts: Counter[str] = Counter()
        self.synced = False

    def feed(self, events: list[Any]) -> bool:
        changed = False
        for ev in events:
            if ev.type == "SYNCED":
                self.synced, changed = True, True
                continue
            m = ev.object.get("metadata") or {}
            key = f"{m.get('namespace')}/{m.get('name')}"
            node = "" if ev.type == "DELETED" else (ev.object.get("spec") or {}).get(
                "nodeName") or ""
            old = self.node_of.pop(key, "")
            if old:
                self.counts[old] -= 1
            if node:
                self.node_of[key] = node
                self.counts[node] += 1
            changed = changed or old != node
        return changed

    def count(self, node: str) -> int | None:
        return self.counts.get(node, 0) if self.synced else None


class NodeView(ResourceView):
    BINDINGS: ClassVar = [
        Binding("c", "cordon(True)", "Cordon", id="k9py.cordon"),
        Binding("u", "cordon(False)", "Uncordon", id="k9py.uncordon"),
        Binding("r", "drain", "Drain", id="k9py.drain"),
        Binding("t", "taint", "Taint", id="k9py.taint"),
        Binding("K", "kubelet", "Stop/start kubelet", id="k9py.kubelet"),
        Binding("a", "add_node", "Add node", id="k9py.addnode"),
        Binding("x", "remove_node", "Remove node", id="k9py.removenode"),
    ]
    DANGEROUS = ResourceView.DANGEROUS | {"cordon", "drain", "taint", "kubelet", "add_node",
                                          "remove_node"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pods = PodCounter()
        self.pod_watch: ResourceWatcher | None = None
        self.ctx.pods_per_node = self.pods.count
        self.stopped_kubelets: set[str] = set()

    def on_mount(self) -> None:
        super().on_mount()
        self.pod_watch = ResourceWatcher(self.k9.client, "pods").start()

    def stop(self) -> None:
        super().stop()
        if self.pod_watch is not None:
            self.pod_watch.stop()

    def pump(self) -> None:
        if self.pod_watch is not None:
            events = self.pod_watch.drain()
            if events and self.pods.feed(events):
                self.model.rerender()
        super().pump()

    def drill(self, row: Row) -> None:
        from k9py.views.registry import view_for

        name = meta(row.obj).get("name")
        scope = Scope(self.k9.catalog.by_kind("Pod"), None,
                      field_selector=f"spec.nodeName={name}", context=f"node={name}")
        self.k9.push_view(view_for(scope))

    def _selected_nodes(self) -> list[str]:
        return [self.object_name(r)[0] for r in self.selected_rows()]

    def action_cordon(self, on: bool) -> None:
        for node in self._selected_nodes():
            self.k9.cluster_call(ops.cordon, self.k9.client, node, on,
                                 ok=f"node/{node} {'cordoned' if on else 'uncordoned'}")
        self.table.action_clear_marks()

    def action_drain(self) -> None:
        from k9py.dialogs.nodes import DrainDialog

        nodes = self._selected_nodes()
        if not nodes:
            return
        node, client = nodes[0], self.k9.client
        self.app.push_screen(DrainDialog(node, lambda opts: ops.drain(client, node, opts)),
                             lambda msg: msg and self.k9.flash(msg))

    def action_taint(self) -> None:
        """The taint dialog over an :class:`ops.TaintSession` for the current node."""
        from k9py.dialogs.nodes import TaintDialog

        row = self.current
        if row is None:
            return
        session = ops.TaintSession(self.k9.client, self.object_name(row)[0])
        self.app.push_screen(TaintDialog(session.node, ops.taints_of(row.obj), session.add,
                                         session.remove, session.evictions, session.load),
                             lambda msg: msg and self.k9.flash(msg))

    def action_kubelet(self) -> None:
        row = self.current
        if row is None:
            return
        node = self.object_name(row)[0]
        actions = self.k9.session.actions

        def toggle() -> str:
            running = getattr(actions, "is_running", lambda _n: None)(node)
            if running is None:
                running = node not in self.stopped_kubelets
            if running:
                actions.stop_kubelet(node)
                self.stopped_kubelets.add(node)
                return f"kubelet on {node} stopped: the node goes NotReady, then its pods " \
                       "are evicted"
            actions.start_kubelet(node)
            self.stopped_kubelets.discard(node)
            return f"kubelet on {node} started"

        self.k9.cluster_call(toggle, on_result=self.k9.flash)

    def action_add_node(self) -> None:
        self.k9.cluster_call(self.k9.session.actions.add_node, None,
                             on_result=lambda name: self.k9.flash(f"node {name} added"))

    def action_remove_node(self) -> None:
        from k9py.dialogs.confirm import ConfirmDialog

        row = self.current
        if row is None:
            return
        node = self.object_name(row)[0]

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.k9.cluster_call(self.k9.session.actions.remove_node, node,
                                     ok=f"node {node} removed")

        self.app.push_screen(ConfirmDialog("Remove node", f"Remove node {node} from the "
                                           "cluster (its machine goes away)?", "Remove",
                                           default_ok=False),
                             confirmed)
