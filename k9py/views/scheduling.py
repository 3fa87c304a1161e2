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
from k9py.scheduling import Explanation, explain
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
        pod, ex = result
        out = Table.grid(padding=(0, 1))
        out.add_column()
        status = phase_reason(pod)
        head = Text.assemble(("Status: ", "bold"), status)
        if ex.selected:
            head.append(f"   Node: {ex.selected}")
        out.add_row(head)
        if ex.summary:
            out.add_row(Text.assemble(("Scheduler: ", "bold"), ex.summary))
        source = ("from the scheduler's explanation record" if ex.source == "scheduler" else
                  "k9py's estimate from the API objects (the scheduler's explanation record "
                  "arrives with issue 3)")
        out.add_row(Text(source, style="italic"))
        table = Table(box=None, header_style="bold", expand=False)
        for col in ("NODE", "RESULT", "FILTER", "REASON", "SCORE"):
            table.add_column(col)
        for v in ex.verdicts:
            score = str(v.total) if v.total is not None else "n/a"
            if v.scores:
                score += " (" + ", ".join(f"{k}={s}" for k, s in v.scores.items()) + ")"
            result_text = Text("fits", style="green") if v.fits else Text("rejected", style="red")
            table.add_row(v.node, result_text, v.filter, v.reason, score)
        out.add_row(table)
        if ex.events:
            out.add_row(Text("FailedScheduling events:", style="bold"))
            for msg in ex.events[-5:]:
                out.add_row(f"  {msg}")
        self.body.update(out)
