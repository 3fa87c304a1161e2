"""One daemon pod per eligible node: ``manage`` and ``syncNodes``.

Upstream: ``pkg/controller/daemon/daemon_controller.go`` (``manage``,
``podsShouldBeOnNode``, ``getUnscheduledPodsWithoutNode``, ``syncNodes``).
For each node: create the pod where it should run and is missing; delete
failed or succeeded pods (with a per-node back-off, and the
``FailedDaemonPod`` / ``SucceededDaemonPod`` events), surplus pods (keeping
the oldest, or an old and a new one while surging), and every pod on a node
it should no longer run on. Pods are created pinned to their node through
required node affinity on ``metadata.name`` and scheduled by the scheduler.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors, meta
from engine.controllers.daemon import eligibility, util
from engine.controllers.util.owners import controller_ref
from engine.controllers.util.pods import is_pod_available, is_pod_ready
from engine.events.recorder import NORMAL, WARNING
from engine.runtime.keys import meta_namespace_key

Obj = dict[str, Any]

BURST_REPLICAS = 250
SLOW_START_INITIAL_BATCH = 1
FAILED_DAEMON_POD = "FailedDaemonPod"
SUCCEEDED_DAEMON_POD = "SucceededDaemonPod"


class ManageMixin:
    """``manage`` for :class:`~engine.controllers.daemon.controller.DaemonSetsController`."""

    client: Any
    clock: Any
    recorder: Any
    pod_control: Any
    failed_backoff: Any
    expectations: Any

    def manage(self, ds: Obj, nodes: list[Obj], hash_: str) -> None:
        by_node = self.node_to_daemon_pods(ds)
        spec = eligibility.daemon_pod_spec(ds)
        create: list[str] = []
        delete: list[str] = []
        for node in nodes:
            need, drop = self.pods_should_be_on_node(node, by_node, ds, hash_, spec)
            create += need
            delete += drop
        names = {n["metadata"]["name"] for n in nodes}
        for node, pods in by_node.items():
            if node not in names:
                delete += [p["metadata"]["name"] for p in pods if not p["spec"].get("nodeName")]
        self.sync_nodes(ds, delete, create, hash_)

    def pods_should_be_on_node(self, node: Obj, by_node: dict[str, list[Obj]], ds: Obj,
                               hash_: str, spec: Obj) -> tuple[list[str], list[str]]:
        """``podsShouldBeOnNode``: (nodes needing a pod, pods to delete)."""
        name = node["metadata"]["name"]
        run, keep = eligibility.should_run(node, ds, spec)
        pods = by_node.get(name)
        if run and not pods:
            return [name], []
        if not keep:
            return [], [p["metadata"]["name"] for p in pods or ()
                        if "deletionTimestamp" not in p["metadata"]]
        running, delete = self._finished_pods(ds, name, pods or [])
        if not util.allows_surge(ds):
            ordered = util.by_creation_and_phase(running)
            return [], delete + [p["metadata"]["name"] for p in ordered[1:]]
        if len(running) <= 1:
            return ([name] if not running and run else []), delete
        return [], delete + self._surge_pods_to_delete(ds, running, hash_)

    def _finished_pods(self, ds: Obj, node: str, pods: list[Obj]) -> tuple[list[Obj], list[str]]:
        """Failed and Succeeded pods go (with back-off); the rest keep running."""
        running, delete = [], []
        for pod in pods:
            if "deletionTimestamp" in pod["metadata"]:
                continue
            phase = (pod.get("status") or {}).get("phase")
            if phase not in ("Failed", "Succeeded"):
                running.append(pod)
                continue
            key = f"{ds['metadata']['uid']}/{node}"
            now = self.clock.monotonic()
            if self.failed_backoff.in_backoff_since_update(key, now):
                self.enqueue_after(ds, self.failed_backoff.get(key))
                continue
            self.failed_backoff.next(key, now)
            pm = pod["metadata"]
            if phase == "Failed":
                self.recorder.event(ds, WARNING, FAILED_DAEMON_POD,
                                    f"Found failed daemon pod {pm['namespace']}/{pm['name']} on "
                                    f"node {node}, will try to kill it")
            else:
                self.recorder.event(ds, NORMAL, SUCCEEDED_DAEMON_POD,
                                    f"Found succeeded daemon pod {pm['namespace']}/{pm['name']} "
                                    f"on node {node}, will try to delete it")
            delete.append(pm["name"])
        return running, delete

    def _surge_pods_to_delete(self, ds: Obj, running: list[Obj], hash_: str) -> list[str]:
        """Keep the oldest new pod, and the oldest old one until the new one is available."""
        newest = oldest = None
        delete = []
        for pod in util.by_creation_and_phase(running):
            is_new = (pod["metadata"].get("labels") or {}).get(util.HASH_LABEL) == hash_
            if is_new and newest is None:
                newest = pod
            elif not is_new and oldest is None:
                oldest = pod
            else:
                delete.append(pod["metadata"]["name"])
        if newest is not None and oldest is not None:
            min_ready = int(ds["spec"].get("minReadySeconds") or 0)
            if not is_pod_ready(oldest) or is_pod_available(newest, min_ready, self.clock.now()):
                delete.append(oldest["metadata"]["name"])
        return delete

    def sync_nodes(self, ds: Obj, delete: list[str], create: list[str], hash_: str) -> None:
        """``syncNodes``: expectations first, creations in slow-start batches, deletions."""
        key = meta_namespace_key(ds)
        create, delete = create[:BURST_REPLICAS], delete[:BURST_REPLICAS]
        self.expectations.set(key, len(create), [f"{ds['metadata']['namespace']}/{n}"
                                                 for n in delete])
        failures: list[Exception] = []
        self._create(ds, key, create, hash_, failures)
        for name in delete:
            try:
                self.pod_control.delete_pod(ds, ds["metadata"]["namespace"], name)
            except errors.StatusError as err:
                self.expectations.deletion_observed(key, f"{ds['metadata']['namespace']}/{name}")
                if err.code != 404:
                    failures.append(err)
        if failures:
            raise failures[0]

    def _create(self, ds: Obj, key: str, nodes: list[str], hash_: str,
                failures: list[Exception]) -> None:
        template = util.create_pod_template(ds, hash_)
        ref = controller_ref(ds, "apps/v1", "DaemonSet")
        pos, batch = 0, min(len(nodes), SLOW_START_INITIAL_BATCH)
        while pos < len(nodes):
            before = len(failures)
            for node in nodes[pos:pos + batch]:
                pod_template = meta.deep_copy(template)
                util.pin_to_node(pod_template["spec"], node)
                self._create_one(ds, key, pod_template, ref, failures)
            skipped = len(nodes) - (pos + batch)
            if len(failures) > before and skipped > 0:
                self.expectations.lower(key, adds=skipped)
                return
            pos, batch = pos + batch, min(2 * batch, len(nodes) - (pos + batch))

    def _create_one(self, ds: Obj, key: str, template: Obj, ref: Obj,
                    failures: list[Exception]) -> None:
        try:
            self.pod_control.create_pod(ds, template, ref)
        except errors.StatusError as err:
            causes = (err.details or {}).get("causes") or ()
            if any(c.get("reason") == "NamespaceTerminating" for c in causes):
                return
            self.expectations.creation_observed(key)
            failures.append(err)
