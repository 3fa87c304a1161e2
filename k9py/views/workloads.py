"""Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers,
Jobs and CronJobs: scale, restart, set image, pause/resume, rollout history
and undo, each behind a dialog that validates and shows the result."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from textual.binding import Binding

from k9py.ops import workloads as ops
from k9py.render.base import Row, containers_of, meta, rfc3339, selector_text
from k9py.render.workload_common import desired
from k9py.views.resource import ResourceView, Scope

_RESOURCE = {"Deployment": "deployments.apps", "StatefulSet": "statefulsets.apps",
             "DaemonSet": "daemonsets.apps", "ReplicaSet": "replicasets.apps",
             "ReplicationController": "replicationcontrollers"}


def child_scope(view: ResourceView, row: Row, kind_name: str, *, by_owner: bool = True) -> Scope:
    """The objects a row controls: its selector, narrowed to those it owns."""
    catalog = view.k9.catalog
    kind = catalog.by_kind(kind_name)
    spec = row.obj.get("spec") or {}
    sel = spec.get("selector")
    text = selector_text(sel) if isinstance(sel, dict) and (
        "matchLabels" in sel or "matchExpressions" in sel) else ",".join(
        f"{k}={v}" for k, v in sorted((sel or {}).items()))
    m = meta(row.obj)
    return Scope(kind, m.get("namespace"), label_selector=None if text in ("", "<none>") else text,
                 owner_uid=m.get("uid") if by_owner else None,
                 context=f"{row.obj.get('kind', '').lower()}={m.get('name')}")


class WorkloadView(ResourceView):
    """Common workload keys; each subclass says which ones apply."""

    BINDINGS: ClassVar = [
        Binding("s", "scale", "Scale", id="k9py.scale"),
        Binding("r", "restart", "Restart", id="k9py.restart"),
        Binding("i", "set_image", "Set image", id="k9py.setimage"),
        Binding("u", "undo", "Undo rollout", id="k9py.undo"),
        Binding("h", "history", "History", id="k9py.history"),
        Binding("p", "pause", "Pause/resume", id="k9py.pause"),
    ]
    DANGEROUS = ResourceView.DANGEROUS | {"scale", "restart", "set_image", "undo", "pause"}
    ACTIONS: frozenset[str] = frozenset()
    CHILD = "Pod"

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action in ("scale", "restart", "set_image", "undo", "history", "pause") and (
                action not in self.ACTIONS):
            return False
        return super().check_action(action, parameters)

    @property
    def resource(self) -> str:
        return _RESOURCE[self.kind.kind]

    def drill(self, row: Row) -> None:
        from k9py.views.registry import view_for

        self.k9.push_view(view_for(child_scope(self, row, self.CHILD)))

    # -- scale ----------------------------------------------------------------------------
    def action_scale(self) -> None:
        from k9py.dialogs.workloads import ScaleDialog

        rows = self.selected_rows()
        if not rows:
            return
        names = [self.object_name(r) for r in rows]
        client, resource = self.k9.client, self.resource

        def apply(replicas: int) -> str:
            for name, ns in names:
                ops.scale(client, resource, name, ns, replicas)
            return f"scaled {self.kind.singular()} {', '.join(n for n, _ in names)} " \
                   f"to {replicas} replicas"

        self.app.push_screen(ScaleDialog(self.kind.kind, [n for n, _ in names],
                                         desired(rows[0].obj), apply), self._done)

    def _done(self, message: str | None) -> None:
        if message:
            self.k9.flash(message)
            self.table.action_clear_marks()

    # -- restart / image / pause ----------------------------------------------------------------
    def action_restart(self) -> None:
        from k9py.dialogs.confirm import ConfirmDialog

        rows = self.selected_rows()
        if not rows:
            return
        names = [self.object_name(r) for r in rows]

        def confirmed(ok: bool | None) -> None:
            if not ok:
                return
            now = rfc3339(self.k9.session.now())
            for name, ns in names:
                self.k9.cluster_call(ops.restart, self.k9.client, self.resource, name, ns, now,
                                     ok=f"{self.kind.singular()}.apps/{name} restarted")

        label = ", ".join(n for n, _ in names)
        self.app.push_screen(ConfirmDialog("Restart", f"Restart {self.kind.singular()} "
                                           f"{label}?", "Restart"), confirmed)

    def action_set_image(self) -> None:
        from k9py.dialogs.workloads import ImageDialog

        row = self.current
        if row is None:
            return
        name, ns = self.object_name(row)
        containers = [(c.get("name", ""), c.get("image", "")) for c in containers_of(row.obj)]
        client, resource = self.k9.client, self.resource

        def apply(images: dict[str, str]) -> str:
            ops.set_images(client, resource, name, ns, images)
            return f"{self.kind.singular()}/{name} image updated: " + ", ".join(
                f"{k}={v}" for k, v in images.items())

        self.app.push_screen(ImageDialog(f"Set image of {self.kind.singular()} {name}",
                                         containers, apply), self._done)

    def action_pause(self) -> None:
        row = self.current
        if row is None:
            return
        name, ns = self.object_name(row)
        paused = bool((row.obj.get("spec") or {}).get("paused"))
        self.k9.cluster_call(ops.set_paused, self.k9.client, name, ns, not paused,
                             ok=f"deployment.apps/{name} {'resumed' if paused else 'paused'}")

    # -- rollback ------------------------------------------------------------------------------
    def action_undo(self) -> None:
        """``u``: roll back to the previous revision (after a confirmation)."""
        from k9py.dialogs.confirm import ConfirmDialog

        row = self.current
        if row is None:
            return
        obj = copy.deepcopy(dict(row.obj))
        name = meta(obj).get("name")
        kind = self.kind.kind

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.k9.cluster_call(ops.undo, self.k9.client, kind, obj, 0,
                                     on_result=self.k9.flash)

        self.app.push_screen(ConfirmDialog(
            "Undo rollout", f"Roll {kind.lower()} {name} back to its previous revision?",
            "Undo"), confirmed)

    def action_history(self) -> None:
        from k9py.views.history import HistoryView

        row = self.current
        if row is not None:
            self.k9.push_view(HistoryView(self.kind, copy.deepcopy(dict(row.obj))))


class DeploymentView(WorkloadView):
    BINDINGS: ClassVar = [Binding("z", "replicasets", "ReplicaSets", id="k9py.replicasets")]
    ACTIONS = frozenset({"scale", "restart", "set_image", "undo", "history", "pause"})
    CHILD = "ReplicaSet"

    def action_replicasets(self) -> None:
        row = self.current
        if row is not None:
            self.drill(row)


class StatefulSetView(WorkloadView):
    ACTIONS = frozenset({"scale", "restart", "set_image", "undo", "history"})


class DaemonSetView(WorkloadView):
    ACTIONS = frozenset({"restart", "set_image", "undo", "history"})


class ReplicaSetView(WorkloadView):
    """ReplicaSets: scale, and ctrl-l rolls the owning Deployment back to this one."""

    BINDINGS: ClassVar = [Binding("ctrl+l", "rollback", "Rollback", id="k9py.rsrollback")]
    ACTIONS = frozenset({"scale", "set_image"})
    DANGEROUS = WorkloadView.DANGEROUS | {"rollback"}

    def action_rollback(self) -> None:
        from k9py.dialogs.confirm import ConfirmDialog

        row = self.current
        if row is None:
            return
        owner = next((r for r in meta(row.obj).get("ownerReferences") or []
                      if r.get("controller") and r.get("kind") == "Deployment"), None)
        revision = (meta(row.obj).get("annotations") or {}).get(ops.REVISION)
        if owner is None or revision is None:
            self.k9.flash("this ReplicaSet has no owning Deployment revision", "warn")
            return
        name, ns = self.object_name(row)
        client = self.k9.client

        def rollback() -> str:
            dep = client.get("deployments.apps", owner["name"], ns)
            return ops.undo(client, "Deployment", dep, int(revision))

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.k9.cluster_call(rollback, on_result=self.k9.flash)

        self.app.push_screen(ConfirmDialog(
            "Rollback", f"Roll deployment {owner['name']} back to revision {revision} "
            f"({name})?", "Rollback"), confirmed)


class ReplicationControllerView(WorkloadView):
    ACTIONS = frozenset({"scale"})


class JobView(WorkloadView):
    ACTIONS = frozenset()


class CronJobView(WorkloadView):
    """CronJobs: enter shows their Jobs; t triggers one now; s suspends/resumes."""

    BINDINGS: ClassVar = [
        Binding("t", "trigger", "Trigger", id="k9py.cjtrigger"),
        Binding("s", "suspend", "Suspend/resume", id="k9py.cjsuspend"),
    ]
    ACTIONS = frozenset()
    CHILD = "Job"
    DANGEROUS = WorkloadView.DANGEROUS | {"trigger", "suspend"}

    def drill(self, row: Row) -> None:
        from k9py.views.registry import view_for

        m = meta(row.obj)
        scope = Scope(self.k9.catalog.by_kind("Job"), m.get("namespace"),
                      owner_uid=m.get("uid"), context=f"cronjob={m.get('name')}")
        self.k9.push_view(view_for(scope))

    def action_trigger(self) -> None:
        row = self.current
        if row is None:
            return
        name, ns = self.object_name(row)
        job_spec = copy.deepcopy((row.obj.get("spec") or {}).get("jobTemplate") or {})
        job = {"apiVersion": "batch/v1", "kind": "Job",
               "metadata": {"generateName": f"{name}-manual-", "namespace": ns,
                            "annotations": {"cronjob.kubernetes.io/instantiate": "manual"},
                            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob",
                                                 "name": name, "uid": meta(row.obj)["uid"],
                                                 "controller": True}]},
               "spec": job_spec.get("spec") or {}}
        self.k9.cluster_call(self.k9.client.create, "jobs.batch", job, namespace=ns,
                             ok=f"cronjob {name} triggered")

    def action_suspend(self) -> None:
        from k9py.client import MERGE_PATCH

        row = self.current
        if row is None:
            return
        name, ns = self.object_name(row)
        suspend = not (row.obj.get("spec") or {}).get("suspend")
        self.k9.cluster_call(self.k9.client.patch, "cronjobs.batch", name,
                             {"spec": {"suspend": suspend}}, MERGE_PATCH, namespace=ns,
                             ok=f"cronjob {name} {'suspended' if suspend else 'resumed'}")

