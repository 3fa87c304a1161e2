"""The pod status the kubelet reports, generated from what it knows.

Upstream: ``pkg/kubelet/kubelet_pods.go`` (``generateAPIPodStatus``,
``convertToAPIContainerStatuses``, ``getPhase``) and
``pkg/kubelet/status/generate.go`` (the Initialized, ContainersReady and
Ready conditions with their reasons and messages). Container states come
from the runtime's instances; the reasons the kubelet remembers for
containers it could not start (``ErrImagePull``, ``CrashLoopBackOff``,
``CreateContainerConfigError`` ...) override the default waiting reason
(``ContainerCreating``, or ``PodInitializing`` while a pod has init
containers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.kubelet.lifecycle import PodWorker
    from engine.kubelet.runtime import Container

Obj = dict[str, Any]

KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                      "PodScheduled")


def generate(worker: PodWorker) -> Obj:
    """The full status to write for ``worker``'s pod."""
    pod = worker.pod
    spec = pod["spec"]
    old = pod.get("status") or {}
    if worker.rejected:
        return _rejected(worker, old)
    has_init = bool(spec.get("initContainers"))
    init = [container_status(worker, c, True, has_init) for c in spec.get("initContainers") or ()]
    regular = [container_status(worker, c, False, has_init) for c in spec["containers"]]
    phase = worker.phase_override or get_phase(spec, init, regular, worker.terminal)
    status: Obj = {"phase": phase}
    status["conditions"] = conditions(worker, old, phase, init, regular)
    node_ip = worker.kubelet.spec.internal_ip
    status["hostIP"], status["hostIPs"] = node_ip, [{"ip": node_ip}]
    pod_ip = worker.reported_ip or old.get("podIP")
    if pod_ip:
        status["podIP"], status["podIPs"] = pod_ip, [{"ip": pod_ip}]
    status["startTime"] = worker.clock.rfc3339(worker.start_time)
    if init:
        status["initContainerStatuses"] = init
    status["containerStatuses"] = regular
    if old.get("qosClass"):
        status["qosClass"] = old["qosClass"]
    if worker.pod_reason:
        status["reason"], status["message"] = worker.pod_reason, worker.pod_message
    return status


def _rejected(worker: PodWorker, old: Obj) -> Obj:
    """``rejectPod``: only the phase, reason and message (and what others set)."""
    status: Obj = {"phase": "Failed", "reason": worker.pod_reason, "message": worker.pod_message}
    if old.get("conditions"):
        status["conditions"] = old["conditions"]
    if old.get("qosClass"):
        status["qosClass"] = old["qosClass"]
    return status


# -- containers -------------------------------------------------------------------------
def container_status(worker: PodWorker, spec: Obj, init: bool, has_init: bool) -> Obj:
    name = spec["name"]
    track = worker.tracks[name]
    instances = worker.runtime.instances(worker.uid, name)
    current = instances[-1] if instances else None
    previous = instances[-2] if len(instances) > 1 else None
    status: Obj = {"name": name}
    if track.waiting_reason and (current is None or not current.running):
        waiting = {"reason": track.waiting_reason}
        if track.waiting_message:
            waiting["message"] = track.waiting_message
        status["state"] = {"waiting": waiting}
        status["lastState"] = _terminated(worker, current) if current else {}
    elif current is None:
        default = "PodInitializing" if has_init else "ContainerCreating"
        status["state"] = {"waiting": {"reason": default}}
        status["lastState"] = {}
    else:
        status["state"] = _state(worker, current)
        status["lastState"] = _terminated(worker, previous) if previous else {}
    status["ready"] = _ready(track, current, init, spec)
    status["restartCount"] = current.attempt if current else 0
    status["image"] = current.image.normalized if current else spec.get("image", "")
    status["imageID"] = current.image.image_id if current else ""
    if current is not None:
        status["containerID"] = current.container_id
    status["started"] = bool(current and current.running and track.started)
    mounts = _mounts(spec) if current is not None else None
    if mounts:
        status["volumeMounts"] = mounts
    return status


def _ready(track: Any, current: Container | None, init: bool, spec: Obj) -> bool:
    if current is None:
        return False
    if init and spec.get("restartPolicy") != "Always":
        return current.finished_at is not None and current.exit_code == 0
    return current.running and track.ready


def _state(worker: PodWorker, c: Container) -> Obj:
    if c.running:
        return {"running": {"startedAt": worker.clock.rfc3339(c.started_at)}}
    return _terminated(worker, c)


def _terminated(worker: PodWorker, c: Container | None) -> Obj:
    if c is None or c.finished_at is None:
        return {}
    rfc = worker.clock.rfc3339
    return {"terminated": {
        "exitCode": c.exit_code, "reason": c.reason,
        "startedAt": rfc(c.started_at if c.started_at is not None else c.created_at),
        "finishedAt": rfc(c.finished_at), "containerID": c.container_id}}


def _mounts(spec: Obj) -> list[Obj]:
    """``volumeMounts`` as the runtime reports them (read-only ones with RRO off)."""
    out = []
    for m in spec.get("volumeMounts") or ():
        if not (m.get("name") and m.get("mountPath")):
            continue
        row: Obj = {"name": m["name"], "mountPath": m["mountPath"]}
        if m.get("readOnly"):
            row["readOnly"], row["recursiveReadOnly"] = True, "Disabled"
        out.append(row)
    return out


# -- phase ------------------------------------------------------------------------------------
def get_phase(spec: Obj, init: list[Obj], regular: list[Obj], terminal: bool) -> str:
    """``getPhase`` (v1.32), including restartable (sidecar) init containers."""
    policy = spec.get("restartPolicy", "Always")
    pending_init = failed_init = pending_sidecars = 0
    running = waiting = stopped = succeeded = 0
    for c, s in zip(spec.get("initContainers") or (), init, strict=False):
        state, last = s["state"], s.get("lastState") or {}
        if c.get("restartPolicy") == "Always":
            if "running" in state:
                running += 1
                pending_sidecars += 0 if s.get("started") else 1
            elif "waiting" in state and "terminated" not in last:
                pending_sidecars += 1
                waiting += 1
            continue
        if "terminated" in state:
            failed_init += state["terminated"]["exitCode"] != 0
        elif "waiting" in state and "terminated" in last:
            failed_init += last["terminated"]["exitCode"] != 0
        else:
            pending_init += 1
    for s in regular:
        state, last = s["state"], s.get("lastState") or {}
        if "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            succeeded += state["terminated"]["exitCode"] == 0
        elif "terminated" in last:
            stopped += 1
        else:
            waiting += 1
    if failed_init and policy == "Never":
        return "Failed"
    if pending_init or (pending_sidecars and policy != "Never"):
        return "Pending"
    if waiting:
        return "Pending"
    if running:
        return "Running"
    if stopped:
        if terminal:
            return "Succeeded" if stopped == succeeded else "Failed"
        if policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        return "Failed" if policy == "Never" else "Running"
    return "Pending"


# -- conditions ------------------------------------------------------------------------------
def conditions(worker: PodWorker, old: Obj, phase: str, init: list[Obj],
               regular: list[Obj]) -> list[Obj]:
    spec = worker.pod["spec"]
    ready_to_start = worker.reported_ip is not None and worker.sandbox_ready
    rows = [("PodReadyToStartContainers", ready_to_start, "", ""),
            ("Initialized", *_initialized(spec, init, regular, phase))]
    containers_ready = _containers_ready(spec, init, regular, phase)
    ready = _ready_condition(worker, old, containers_ready)
    rows += [("Ready", *ready), ("ContainersReady", *containers_ready)]
    previous = {c.get("type"): c for c in old.get("conditions") or ()}
    out = [_condition(worker, previous.get(t), t, ok, reason, msg) for t, ok, reason, msg in rows]
    scheduled = previous.get("PodScheduled")
    out.append(scheduled if scheduled else _condition(worker, None, "PodScheduled", True, "", ""))
    out += [c for t, c in previous.items() if t not in KUBELET_CONDITIONS]
    return out


def _condition(worker: PodWorker, before: Obj | None, kind: str, ok: bool, reason: str,
               message: str) -> Obj:
    status = "True" if ok else "False"
    if before is not None and before.get("status") == status:
        since = before.get("lastTransitionTime")
    else:
        since = worker.clock.rfc3339()
    cond: Obj = {"type": kind, "status": status, "lastProbeTime": None,
                 "lastTransitionTime": since}
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    return cond


def _names(items: list[str]) -> str:
    """Go's ``%s`` of a []string: ``[a b]``."""
    return "[" + " ".join(items) + "]"


def _initialized(spec: Obj, init: list[Obj], regular: list[Obj],
                 phase: str) -> tuple[bool, str, str]:
    if not init:
        return True, "", ""
    if phase == "Succeeded":
        return True, "PodCompleted", ""
    if any("running" in s["state"] or "terminated" in s["state"] or s.get("lastState")
           for s in regular):
        return True, "", ""
    incomplete = []
    for c, s in zip(spec.get("initContainers") or (), init, strict=False):
        if c.get("restartPolicy") == "Always":
            if not s.get("started"):
                incomplete.append(c["name"])
        elif s["state"].get("terminated", {}).get("exitCode", 1) != 0 or \
                "terminated" not in s["state"]:
            incomplete.append(c["name"])
    if incomplete:
        return False, "ContainersNotInitialized", \
            f"containers with incomplete status: {_names(incomplete)}"
    return True, "", ""


def _containers_ready(spec: Obj, init: list[Obj], regular: list[Obj],
                      phase: str) -> tuple[bool, str, str]:
    unready = [s["name"] for c, s in zip(spec.get("initContainers") or (), init, strict=False)
               if c.get("restartPolicy") == "Always" and not s["ready"]]
    unready += [s["name"] for s in regular if not s["ready"]]
    if phase == "Succeeded":
        return False, "PodCompleted", ""
    if unready:
        return False, "ContainersNotReady", f"containers with unready status: {_names(unready)}"
    return True, "", ""


def _ready_condition(worker: PodWorker, old: Obj, containers_ready: tuple[bool, str, str]
                     ) -> tuple[bool, str, str]:
    if not containers_ready[0]:
        return containers_ready
    gates = worker.pod["spec"].get("readinessGates")
    if not gates:
        return True, "", ""
    present = {c.get("type"): c for c in old.get("conditions") or ()}
    problems = []
    for gate in gates:
        kind = gate.get("conditionType", "")
        cond = present.get(kind)
        if cond is None:
            problems.append(f'corresponding condition of pod readiness gate "{kind}" does not '
                            "exist.")
        elif cond.get("status") != "True":
            problems.append(f'the status of pod readiness gate "{kind}" is not "True", but '
                            f"{cond.get('status')}")
    if problems:
        return False, "ReadinessGatesNotReady", ", ".join(problems)
    return True, "", ""
