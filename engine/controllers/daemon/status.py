"""A DaemonSet's status: how many nodes run, should run, and are up to date.

Upstream: ``pkg/controller/daemon/daemon_controller.go``
(``updateDaemonSetStatus``, ``storeDaemonSetStatus``). Per node that should
run the pod: desired; with a pod, current; the oldest pod ready, ready (and
available after ``minReadySeconds``); at the current hash, updated. Nodes
that should not run it but do count as misscheduled. The write is skipped
when nothing changed, and retried against a fresh read on conflict.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.controllers.daemon import eligibility, util
from engine.controllers.util.pods import is_pod_available, is_pod_ready

Obj = dict[str, Any]
STATUS_UPDATE_RETRIES = 1
FIELDS = ("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
          "numberReady", "updatedNumberScheduled", "numberAvailable", "numberUnavailable")
_ALWAYS = FIELDS[:4]


def calculate(ds: Obj, nodes: list[Obj], by_node: dict[str, list[Obj]], hash_: str,
              now: float) -> Obj:
    counts = dict.fromkeys(FIELDS, 0)
    spec = eligibility.daemon_pod_spec(ds)
    generation = util.template_generation(ds)
    min_ready = int(ds["spec"].get("minReadySeconds") or 0)
    for node in nodes:
        run = eligibility.should_run(node, ds, spec)[0]
        pods = by_node.get(node["metadata"]["name"]) or []
        if not run:
            counts["numberMisscheduled"] += bool(pods)
            continue
        counts["desiredNumberScheduled"] += 1
        if not pods:
            continue
        counts["currentNumberScheduled"] += 1
        pod = util.by_creation_and_phase(pods)[0]
        if is_pod_ready(pod):
            counts["numberReady"] += 1
            counts["numberAvailable"] += is_pod_available(pod, min_ready, now)
        counts["updatedNumberScheduled"] += util.is_pod_updated(pod, hash_, generation)
    counts["numberUnavailable"] = counts["desiredNumberScheduled"] - counts["numberAvailable"]
    return counts


def store(client: Any, ds: Obj, counts: Obj, observe_generation: bool) -> None:
    """``storeDaemonSetStatus``."""
    status = ds.get("status") or {}
    generation = ds["metadata"].get("generation", 0)
    if (all(status.get(k, 0) == v for k, v in counts.items())
            and status.get("observedGeneration", 0) >= generation):
        return
    body = ds
    for attempt in range(STATUS_UPDATE_RETRIES + 1):
        new_status = dict(body.get("status") or {})
        if observe_generation:
            new_status["observedGeneration"] = generation
        for key, value in counts.items():
            if value or key in _ALWAYS:
                new_status[key] = value
            else:
                new_status.pop(key, None)
        try:
            client.update_status("daemonsets", {**body, "status": new_status})
            return
        except errors.StatusError as err:
            if err.code != 409 or attempt == STATUS_UPDATE_RETRIES:
                raise
        m = ds["metadata"]
        body = client.get("daemonsets", m["name"], m["namespace"])
