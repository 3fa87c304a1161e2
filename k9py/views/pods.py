"""Pods and a pod's containers: logs, kill, set image, jump to node/owner, and
the scheduling view that explains why a pod is Pending."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding

from k9py.render import Renderer, renderer_for
from k9py.render.base import Row, meta
from k9py.render.container import explode
from k9py.views.resource import ResourceView, Scope


class PodView(ResourceView):
    """k9s's pod view: enter = containers; l/p logs; o node; J owner; w why Pending."""

    BINDINGS: ClassVar = [
        Binding("l", "logs", "Logs", id="k9py.logs"),
        Binding("p", "logs(True)", "Logs previous", id="k9py.logsprevious"),
        Binding("s", "shell", "Shell", id="k9py.shell"),
        Binding("o", "show_node", "Show node", id="k9py.shownode"),
        Binding("J", "owner", "Jump to owner", id="k9py.owner"),
        Binding("i", "set_image", "Set image", id="k9py.podimage"),
        Binding("w", "why", "Why pending", id="k9py.why"),
    ]
    DANGEROUS = ResourceView.DANGEROUS | {"shell", "set_image"}

    def drill(self, row: Row) -> None:
        m = meta(row.obj)
        kind = self.k9.catalog.by_kind("Pod")
        scope = Scope(kind, m.get("namespace"), field_selector=f"metadata.name={m.get('name')}",
                      context=f"{m.get('namespace')}/{m.get('name')}")
        self.k9.push_view(ContainerView(scope, pod=m.get("name", "")))

    def action_logs(self, previous: bool = False) -> None:
        from k9py.views.logs import LogView

        row = self.current
        if row is None:
            return
        containers = [c.get("name", "") for c in (row.obj.get("spec") or {}).get(
            "containers") or []]
        default = (meta(row.obj).get("annotations") or {}).get(
            "kubectl.kubernetes.io/default-container") or (containers[0] if containers else "")
        name, ns = self.object_name(row)
        self.k9.push_view(LogView(name, ns or "", containers, default, previous=previous))

    def action_shell(self) -> None:
        self.k9.flash("shell: not available on this cluster (no container runtime to exec in)",
                      "warn")

    def action_show_node(self) -> None:
        row = self.current
        node = (row.obj.get("spec") or {}).get("nodeName") if row else None
        if not node:
            self.k9.flash("this pod is not scheduled on a node", "warn")
            return
        self.k9.run_command(f"nodes /{node}")

    def action_owner(self) -> None:
        from k9py.views.registry import view_for

        row = self.current
        if row is None:
            return
        ref = next((r for r in meta(row.obj).get("ownerReferences") or []
                    if r.get("controller")), None)
        kind = self.k9.catalog.by_kind(ref.get("kind", "")) if ref else None
        if ref is None or kind is None:
            self.k9.flash("this pod has no owner", "warn")
            return
        ns = meta(row.obj).get("namespace") if kind.namespaced else None
        view = view_for(Scope(kind, ns), f"^{ref.get('name')}$")
        self.k9.push_view(view)

    def action_set_image(self) -> None:
        from k9py.dialogs.workloads import ImageDialog
        from k9py.ops.workloads import set_images

        row = self.current
        if row is None:
            return
        name, ns = self.object_name(row)
        spec = row.obj.get("spec") or {}
        containers = [(c.get("name", ""), c.get("image", ""))
                      for c in [*(spec.get("initContainers") or []),
                                *(spec.get("containers") or [])]]
        client = self.k9.client

        def apply(images: dict[str, str]) -> str:
            set_images(client, "pods", name, ns, images)
            return f"pod/{name} image updated"

        self.app.push_screen(ImageDialog(f"Set image of pod {name}", containers, apply),
                             lambda msg: msg and self.k9.flash(msg))

    def action_why(self) -> None:
        from k9py.views.scheduling import SchedulingView

        row = self.current
        if row is not None:
            name, ns = self.object_name(row)
            self.k9.push_view(SchedulingView(name, ns or ""))


class ContainerView(ResourceView):
    """One pod's containers (init and regular); enter or l shows a container's logs."""

    BINDINGS: ClassVar = [
        Binding("l", "logs", "Logs", id="k9py.containerlogs"),
        Binding("p", "logs(True)", "Logs previous", id="k9py.containerlogsprevious"),
    ]

    def __init__(self, scope: Scope, filter_text: str = "", pod: str = "", **kw: Any) -> None:
        from k9py.kinds import Kind

        container_kind = Kind("containers", "", "v1", "Container", True, (), ("get", "list"))
        self.pod_kind = scope.kind
        self.pod = pod
        super().__init__(scope, filter_text, **kw)
        self.kind = container_kind
        self.crumb = "containers"

    def explode(self) -> Any:
        return explode

    def make_renderer(self) -> Renderer:
        return renderer_for("Container")

    def start_watch(self) -> None:
        from k9py.model.watcher import ResourceWatcher

        if self.watcher is not None:
            self.watcher.stop()
        self.watcher = ResourceWatcher(self.k9.client, self.pod_kind.resource,
                                       self.scope.namespace,
                                       field_selector=self.scope.field_selector).start()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action in ("edit", "delete", "kill", "namespace", "yaml", "describe"):
            return False
        return super().check_action(action, parameters)

    def object_name(self, row: Row) -> tuple[str, str | None]:
        return self.pod, self.scope.namespace

    def drill(self, row: Row) -> None:
        self.action_logs()

    def action_logs(self, previous: bool = False) -> None:
        from k9py.views.logs import LogView

        row = self.current
        if row is None:
            return
        pod = row.obj.get("pod") or {}
        containers = [c.get("name", "") for c in (pod.get("spec") or {}).get("containers") or []]
        container = row.obj["container"].get("name", "")
        self.k9.push_view(LogView(self.pod, self.scope.namespace or "", containers, container,
                                  previous=previous))
