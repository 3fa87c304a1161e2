"""``:xray KIND [NS]``: owner trees (Deployment → ReplicaSet → Pod → container),
also for StatefulSets, DaemonSets, ReplicaSets and Services (→ their pods).

A snapshot is listed on a worker every few seconds; the tree is rebuilt from
it on the UI thread (small: one namespace's workloads)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Tree

from k9py.kinds import Kind
from k9py.render import renderer_for
from k9py.render.base import OK, RenderContext, meta
from k9py.render.container import state_of
from k9py.views.base import PolledView

XRAY_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Service"}
_ICON = {"Deployment": "⚙ ", "ReplicaSet": "▤ ", "StatefulSet": "▥ ", "DaemonSet": "▦ ",
         "Service": "⇄ ", "Pod": "● ", "Container": "▫ "}
STATUS_STYLE = {"pending": "k9-status-pending", "error": "k9-status-error",
                "completed": "k9-status-completed", "kill": "k9-status-kill"}


def _owned(children: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in children:
        for ref in meta(c).get("ownerReferences") or []:
            if ref.get("controller"):
                by_owner[ref.get("uid", "")].append(c)
    return by_owner


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


class XrayView(PolledView):
    BINDINGS: ClassVar = [Binding("ctrl+r", "reload", "Reload", id="k9py.xray.reload")]
    crumb = "xray"
    RELOAD_TICKS = 2

    def __init__(self, kind: Kind, namespace: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind, self.namespace = kind, namespace
        self.xtree: Tree[Any] = Tree(f"{kind.plural}")
        self.xtree.show_root = False

    def main_widget(self) -> Widget | None:
        return self.xtree

    def command_text(self) -> str | None:
        return f"xray {self.kind.plural} {self.namespace or 'all'}"

    def title(self) -> str:
        return f" xray {self.kind.plural}({self.namespace or 'all'}) "

    def reload(self) -> None:
        client, ns, kind = self.k9.client, self.namespace, self.kind

        def snapshot() -> dict[str, list[dict[str, Any]]]:
            out = {"top": client.list(kind.resource, ns)["items"],
                   "pods": client.list("pods", ns)["items"]}
            if kind.kind == "Deployment":
                out["rs"] = client.list("replicasets.apps", ns)["items"]
            return out

        self.k9.cluster_call(snapshot, on_result=self._build, quiet=True)

    def _label(self, kind: str, obj: dict[str, Any], extra: str = "") -> Text:
        status = renderer_for(kind).row("", obj, RenderContext(now=self.k9.session.now))
        style = self.app.theme_variables.get(STATUS_STYLE.get(status.status, ""), "")
        text = Text(_ICON.get(kind, "") + meta(obj).get("name", ""),
                    style=style if status.status != OK else "")
        if extra:
            text.append(f"  {extra}", style="dim")
        return text

    def _build(self, snap: dict[str, list[dict[str, Any]]]) -> None:
        self.xtree.clear()
        pods_by_owner = _owned(snap["pods"])
        rs_by_owner = _owned(snap.get("rs", []))
        for top in sorted(snap["top"], key=lambda o: meta(o).get("name", "")):
            node = self.xtree.root.add(self._label(self.kind.kind, top, self._summary(top)),
                                      expand=True)
            uid = meta(top).get("uid", "")
            if self.kind.kind == "Deployment":
                for rs in rs_by_owner.get(uid, []):
                    child = node.add(self._label("ReplicaSet", rs), expand=True)
                    self._pods(child, pods_by_owner.get(meta(rs).get("uid", ""), []))
            elif self.kind.kind == "Service":
                selector = (top.get("spec") or {}).get("selector") or {}
                self._pods(node, [p for p in snap["pods"]
                                  if _matches(selector, meta(p).get("labels") or {})])
            else:
                self._pods(node, pods_by_owner.get(uid, []))
        if not snap["top"]:
            self.xtree.root.add_leaf(Text(f"no {self.kind.plural} in "
                                         f"{self.namespace or 'any namespace'}"))

    def _summary(self, obj: dict[str, Any]) -> str:
        row = renderer_for(self.kind.kind).row("", obj, RenderContext(now=self.k9.session.now))
        names = [c.name for c in renderer_for(self.kind.kind).columns]
        if "READY" in names:
            return f"ready {row.cells[names.index('READY')]}"
        return ""

    def _pods(self, parent: Any, pods: list[dict[str, Any]]) -> None:
        for pod in sorted(pods, key=lambda p: meta(p).get("name", "")):
            row = renderer_for("Pod").row("", pod, RenderContext())
            node = parent.add(self._label("Pod", pod, f"{row.cells[3]} {row.cells[2]}"),
                              expand=True)
            statuses = {s.get("name"): s for s in (pod.get("status") or {}).get(
                "containerStatuses") or []}
            for c in (pod.get("spec") or {}).get("containers") or []:
                state, _ = state_of(statuses.get(c.get("name")) or {})
                node.add_leaf(Text(f"{_ICON['Container']}{c.get('name')}  {c.get('image')}  "
                                   f"{state}"))
