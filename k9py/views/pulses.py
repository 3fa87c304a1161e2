"""``:pulses``: the cluster's pulse — counts with faults per kind, sparklines of
pods by phase and events per minute, cluster CPU/MEM when metrics exist.

Pods, events and nodes come from watches (counted incrementally); the
smaller kinds are listed on a worker every few seconds. Samples are taken
every refresh tick, on cluster time. CPU and MEM are k9s's pulses charts:
every node's metrics.k8s.io usage summed, over every node's allocatable
summed, read from the app's metrics poller (no API call here); ``n/a``
when the cluster has no metrics API."""

from __future__ import annotations

from collections import Counter, deque
from typing import Any

from textual.containers import Grid, Vertical
from textual.widget import Widget
from textual.widgets import Label, Sparkline, Static

from k9py.model.metrics import Snapshot, percent
from k9py.model.watcher import ResourceWatcher
from k9py.render import renderer_for
from k9py.render.base import FAULTS, NA, RenderContext, meta
from k9py.render.event import last_seen
from k9py.views.base import View

SAMPLES = 60
MIB = 1024 * 1024
NO_METRICS = f"{NA} (no metrics.k8s.io readings)"
PHASES = ("Running", "Pending", "Failed", "Succeeded")
LISTED = (("deployments.apps", "Deployment"), ("statefulsets.apps", "StatefulSet"),
          ("daemonsets.apps", "DaemonSet"), ("replicasets.apps", "ReplicaSet"),
          ("jobs.batch", "Job"), ("services", "Service"), ("persistentvolumeclaims",
                                                           "PersistentVolumeClaim"))


class Panel(Vertical):
    DEFAULT_CSS = """
    Panel { border: round $k9-border; height: 100%; padding: 0 1; }
    Panel Label { color: $k9-title-fg; text-style: bold; }
    Panel Sparkline { height: 1fr; margin-top: 1; }
    """

    def __init__(self, title: str, spark: bool = True) -> None:
        super().__init__()
        self.title_label = Label(title)
        self.text = Static("")
        self.spark = Sparkline([0]) if spark else None

    def compose(self):  # noqa: ANN201
        yield self.title_label
        yield self.text
        if self.spark is not None:
            yield self.spark


class PulsesView(View):
    DEFAULT_CSS = """
    PulsesView Grid { grid-size: 3 2; grid-gutter: 0 1; height: 1fr; }
    """
    crumb = "pulses"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.panels = {name: Panel(title, spark) for name, title, spark in (
            ("pods", "Pods by phase", True), ("events", "Events / minute", True),
            ("nodes", "Nodes", True), ("workloads", "Workloads", False),
            ("cpu", "Node CPU", True), ("mem", "Node MEM", True))}
        self.grid = Grid(*self.panels.values())
        self.pod_phase: dict[str, str] = {}
        self.pod_fault: dict[str, bool] = {}
        self.event_times: deque[float] = deque(maxlen=20000)
        self.warnings = 0
        self.nodes: dict[str, bool] = {}
        self.history: dict[str, deque[float]] = {k: deque([0.0], maxlen=SAMPLES) for k in (
            "Running", "Pending", "Failed", "events", "nodes")}
        # CPU/MEM start empty: a chart that starts at a 0 nobody measured would show a rise
        self.history.update(cpu=deque(maxlen=SAMPLES), mem=deque(maxlen=SAMPLES))
        self.watchers: dict[str, ResourceWatcher] = {}
        self.listed: dict[str, tuple[int, int]] = {}
        self.usage_now: tuple[tuple[int, int], tuple[int, int]] | None = None
        self.since = 0

    def main_widget(self) -> Widget | None:
        return self.grid

    def command_text(self) -> str | None:
        return "pulses"

    def on_mount(self) -> None:
        self.border_title = " pulses "
        client = self.k9.client
        for name in ("pods", "events", "nodes"):
            self.watchers[name] = ResourceWatcher(client, name).start()
        self._list()
        self._sample()

    def stop(self) -> None:
        for w in self.watchers.values():
            w.stop()

    def pump(self) -> None:
        if not self.watchers:  # not mounted yet
            return
        for ev in self.watchers["pods"].drain():
            self._pod(ev)
        for ev in self.watchers["events"].drain():
            if ev.type == "ADDED":
                self.event_times.append(last_seen(ev.object))
                self.warnings += ev.object.get("type") == "Warning"
        for ev in self.watchers["nodes"].drain():
            if ev.type in ("ADDED", "MODIFIED"):
                row = renderer_for("Node").row("", ev.object, RenderContext())
                self.nodes[meta(ev.object)["name"]] = row.status in FAULTS or \
                    not row.cells[1].startswith("Ready")
            elif ev.type == "DELETED":
                self.nodes.pop(meta(ev.object)["name"], None)

    def _pod(self, ev: Any) -> None:
        if ev.type == "SYNCED":
            return
        key = f"{meta(ev.object).get('namespace')}/{meta(ev.object).get('name')}"
        if ev.type == "DELETED":
            self.pod_phase.pop(key, None)
            self.pod_fault.pop(key, None)
            return
        self.pod_phase[key] = (ev.object.get("status") or {}).get("phase", "Pending")
        self.pod_fault[key] = renderer_for("Pod").row("", ev.object, RenderContext()).status \
            in FAULTS

    def tick(self) -> None:
        self._sample()
        self.since += 1
        if self.since >= 5:
            self.since = 0
            self._list()

    def _list(self) -> None:
        client = self.k9.client

        def count() -> dict[str, tuple[int, int]]:
            out = {}
            for resource, kind in LISTED:
                items = client.list(resource)["items"]
                r = renderer_for(kind)
                faults = sum(1 for o in items if r.row("", o, RenderContext()).status in FAULTS)
                out[kind] = (len(items), faults)
            return out

        self.k9.cluster_call(count, on_result=self._listed, quiet=True)

    def _listed(self, counts: dict[str, tuple[int, int]]) -> None:
        self.listed = counts
        self._show()

    def _sample(self) -> None:
        now = self.k9.session.now()
        phases = Counter(self.pod_phase.values())
        for phase in ("Running", "Pending", "Failed"):
            self.history[phase].append(float(phases.get(phase, 0)))
        self.history["events"].append(float(sum(1 for t in self.event_times if now - t <= 60)))
        self.history["nodes"].append(float(sum(1 for bad in self.nodes.values() if not bad)))
        self._sample_usage(self.k9.usage.snapshot)
        self._show()

    def _sample_usage(self, snapshot: Snapshot) -> None:
        """Cluster CPU (millicores) and MEM (MiB) in use now; no sample without the
        metrics API, so the chart never draws a drop to 0 that did not happen."""
        totals = snapshot.cluster_usage()
        self.usage_now = totals
        if totals is not None:
            (cpu, mem), _ = totals
            self.history["cpu"].append(float(cpu))
            self.history["mem"].append(float(mem // MIB))

    def _show(self) -> None:
        phases = Counter(self.pod_phase.values())
        faults = sum(self.pod_fault.values())
        p = self.panels
        p["pods"].text.update(" ".join(f"{ph}:{phases.get(ph, 0)}" for ph in PHASES)
                              + f"  faults:{faults}")
        p["pods"].spark.data = list(self.history["Running"])
        p["events"].text.update(f"last minute: {int(self.history['events'][-1])}  "
                                f"warnings: {self.warnings}")
        p["events"].spark.data = list(self.history["events"])
        ready = sum(1 for bad in self.nodes.values() if not bad)
        p["nodes"].text.update(f"{len(self.nodes)} nodes, {ready} ready")
        p["nodes"].spark.data = list(self.history["nodes"])
        p["workloads"].text.update("\n".join(
            f"{kind:<22} {n:>5}  faults {f}" for kind, (n, f) in self.listed.items())
            or "counting…")
        for key, text in zip(("cpu", "mem"), usage_texts(self.usage_now), strict=True):
            p[key].text.update(text)
            p[key].spark.data = list(self.history[key]) or [0.0]


def usage_texts(totals: tuple[tuple[int, int], tuple[int, int]] | None) -> tuple[str, str]:
    """The CPU and MEM legends as k9s's pulses (``12% (1,234m/8,000m)``,
    ``45% (1,234Mi/8,000Mi)``), or ``n/a`` without the metrics API."""
    if totals is None:
        return (NO_METRICS, NO_METRICS)
    (cpu, mem), (a_cpu, a_mem) = totals
    return (f"{_perc(cpu, a_cpu)} ({cpu:,}m/{a_cpu:,}m)",
            f"{_perc(mem, a_mem)} ({mem // MIB:,}Mi/{a_mem // MIB:,}Mi)")


def _perc(value: int, total: int) -> str:
    found = percent(value, total)
    return NA if found is None else f"{found}%"
