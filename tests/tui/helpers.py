"""Waiting for the UI: watches deliver on other threads, so tests poll."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def wait_for(pilot: Pilot, predicate: Callable[[], Any], timeout: float = 5.0,
                   what: str = "condition") -> Any:
    """Pause until ``predicate()`` is truthy (workers finished, ticks pumped)."""
    deadline = time.monotonic() + timeout
    while True:
        await settle(pilot)
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")


async def settle(pilot: Pilot) -> None:
    """Wait for the app's finite workers (not the theme-file watcher), then a frame."""
    app = pilot.app
    workers = [w for w in app.workers if w.group != "theme-files" and not w.is_finished]
    if workers:
        with contextlib.suppress(TimeoutError, WorkerCancelled):
            await asyncio.wait_for(app.workers.wait_for_complete(workers), 10)
    await pilot.pause(0.05)


def synced(app: Any) -> bool:
    """The top view has a table model that has listed its objects."""
    return getattr(app.top, "model", None) is not None and app.top.model.synced


async def open_on(pilot: Pilot, app: Any, key: str) -> None:
    """Wait for the row ``key`` to be listed, then put the cursor on it."""
    await wait_for(pilot, lambda: synced(app) and key in table_keys(app), what=key)
    app.top.table.select_key(key)
    await pilot.pause(0.05)


def screen_text(app: Any) -> str:
    """What is on screen (the active screen, modal included), as plain text lines."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001 - test helper
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


def table_keys(app: Any) -> list[str]:
    view = app.top
    return [view.model.key_at(i) for i in range(len(view.model))]


def flash(app: Any) -> str:
    return app.query_one("#flash").message


async def command(pilot: Pilot, text: str) -> None:
    await pilot.press("colon", *list(text), "enter")
    await pilot.pause(0.05)


def deployment(name: str, replicas: int = 2, image: str = "nginx:1.14.2") -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "nginx", "image": image}]}}},
    }


def owned_replicaset(dep: dict, revision: int, image: str) -> dict:
    """A ReplicaSet as the deployment controller would create it for a revision."""
    import copy

    template = copy.deepcopy(dep["spec"]["template"])
    template["metadata"]["labels"]["pod-template-hash"] = f"h{revision}"
    template["spec"]["containers"][0]["image"] = image
    name = dep["metadata"]["name"]
    labels = dict(template["metadata"]["labels"])
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": f"{name}-h{revision}", "labels": labels,
                     "annotations": {"deployment.kubernetes.io/revision": str(revision),
                                     "kubernetes.io/change-cause": f"image {image}"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                                          "name": name, "uid": dep["metadata"]["uid"],
                                          "controller": True, "blockOwnerDeletion": True}]},
        "spec": {"replicas": 0, "selector": {"matchLabels": labels}, "template": template},
    }


def owned(client: Any, resource: str, owner: dict, namespace: str = "default") -> list[dict]:
    uid = owner["metadata"]["uid"]
    return [o for o in client.list(resource, namespace)["items"]
            if any(r.get("uid") == uid for r in o["metadata"].get("ownerReferences") or [])]


def deployment_with_pods(cluster: Any, name: str = "web") -> tuple[dict, dict, dict]:
    """A Deployment with one ReplicaSet and one pod: made by the controllers when
    they run, by hand (as they would) otherwise."""
    c = cluster.client
    dep = c.create("deployments", deployment(name, replicas=1), namespace="default")
    cluster.settle()
    rss = owned(c, "replicasets", dep)
    rs = rss[0] if rss else c.create("replicasets", owned_replicaset(dep, 1, "nginx:1.14.2"),
                                     namespace="default")
    cluster.settle()
    pods = owned(c, "pods", rs)
    if not pods:
        labels = rs["spec"]["selector"]["matchLabels"]
        pods = [c.create("pods", {"metadata": {
            "name": f"{rs['metadata']['name']}-abcde", "labels": labels, "ownerReferences": [{
                "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs["metadata"]["name"],
                "uid": rs["metadata"]["uid"], "controller": True}]},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]}},
            namespace="default")]
    return dep, rs, pods[0]
