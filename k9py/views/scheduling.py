"""``w`` on a pod: the scheduling view (why Pending: per-node verdicts)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from k9py.ops.describe import events_for
from k9py.render.pod import phase_reason
from k9py.scheduling import Explanation, NodeVerdict, explain
from k9py.views.base import PolledView


class SchedulingView(PolledView):
    BINDINGS: ClassVar = [Binding("ctrl+r", "reload", "Reload", id="k9py.sched.reload")]
    crumb = "scheduling"
    RELOAD_TICKS = 3

    def __init__(self, pod: str, namespace: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pod, self.namespace = pod, namespace
        self.body = Static("loading…")
        self.scroller = VerticalScroll(self.body)

    def main_widget(self) -> Widget | None:
        return self.scroller

    def title(self) -> str:
        return f" scheduling {self.namespace}/{self.pod} "

    def reload(self) -> None:
        client, pod, ns = self.k9.client, self.pod, self.namespace

        def load() -> tuple[dict[str, Any], Explanation]:
            obj = client.get("pods", pod, ns)
            nodes = client.list("nodes")["items"]
            pods = client.list("pods")["items"]
            return obj, explain(obj, nodes, pods, events_for(client, obj))

        self.k9.cluster_call(load, on_result=self._show, quiet=True)

    def _show(self, result: tuple[dict[str, Any], Explanation]) -> None:
        """Redraw from the latest read: every reload replaces the whole body, so a
        new attempt's record (or the binding) shows within a reload period."""
        pod, ex = result
        out = Table.grid(padding=(0, 1))
        out.add_column()
        for row in (self._head(pod, ex), self._verdict(ex), self._source(ex),
                    verdict_table(ex)):
            if row is not None:
                out.add_row(row)
        if ex.events:
            title = "Earlier FailedScheduling events:" if ex.bound else \
                "FailedScheduling events:"
            out.add_row(Text(title, style="bold"))
            for msg in ex.events[-5:]:
                out.add_row(f"  {msg}")
        self.body.update(out)

    @staticmethod
    def _head(pod: dict[str, Any], ex: Explanation) -> Text:
        head = Text.assemble(("Status: ", "bold"), phase_reason(pod))
        if ex.bound or ex.selected:
            head.append(f"   Node: {ex.bound or ex.selected}")
        return head

    @staticmethod
    def _verdict(ex: Explanation) -> Text | None:
        """Scheduled (green, with when) or the scheduler's latest message."""
        if ex.bound:
            text = Text(ex.summary, style="bold green")
            if ex.scheduled_at:
                text.append(f"   PodScheduled=True since {ex.scheduled_at}", style="green")
            return text
        if ex.summary:
            return Text.assemble(("Scheduler: ", "bold"), ex.summary)
        return None

    @staticmethod
    def _source(ex: Explanation) -> Text:
        if ex.source != "scheduler":
            return Text("k9py's estimate from the API objects (the pod has no explanation "
                        "record from the scheduler)", style="italic")
        text = "from the scheduler's explanation record"
        if ex.attempt is not None:
            text += f" of attempt {ex.attempt}"
            if ex.result:
                text += f" ({ex.result}"
                text += f", {ex.time})" if ex.time else ")"
        return Text(text, style="italic")


def verdict_table(ex: Explanation) -> Table:
    """One row per node, the node the pod is bound to first and marked."""
    table = Table(box=None, header_style="bold", expand=False)
    for col in ("NODE", "RESULT", "FILTER", "REASON", "SCORE"):
        table.add_column(col)
    for v in sorted(ex.verdicts, key=lambda v: not v.selected):
        score = str(v.total) if v.total is not None else "n/a"
        if v.scores:
            score += " (" + ", ".join(f"{k}={s}" for k, s in v.scores.items()) + ")"
        table.add_row(v.node, _result_cell(v), v.filter, v.reason, score,
                      style="bold" if v.selected else None)
    return table


def _result_cell(v: NodeVerdict) -> Text:
    if v.selected:
        return Text("scheduled", style="bold green")
    return Text("fits", style="green") if v.fits else Text("rejected", style="red")
