"""``kubectl describe``, laid out as kubectl prints it, with the object's Events.

Pods, Deployments, ReplicaSets, Nodes and Services get kubectl's sections;
every other kind gets the common header and its remaining fields as YAML
(close to kubectl's generic describer).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import yaml

from k9py.client import ClusterClient
from k9py.render.base import age, created, meta, parse_time, rfc3339, selector_text
from k9py.render.event import last_seen
from k9py.render.node import node_status, roles
from k9py.render.pod import phase_reason

Obj = Mapping[str, Any]
Lines = list[str]
W = 14


def _kv(lines: Lines, key: str, value: Any, indent: int = 0, width: int = W) -> None:
    label = f"{key}:".ljust(max(width, len(key) + 2))
    lines.append(f"{' ' * indent}{label}{'' if value is None else value}".rstrip())


def _map(lines: Lines, key: str, values: Mapping[str, Any] | None, indent: int = 0,
         sep: str = "=", width: int = W) -> None:
    items = sorted((values or {}).items())
    if not items:
        _kv(lines, key, "<none>", indent, width)
        return
    for i, (k, v) in enumerate(items):
        text = f"{k}{sep}{v}"
        if i == 0:
            _kv(lines, key, text, indent, width)
        else:
            lines.append(" " * (indent + width) + text)


def _header(lines: Lines, obj: Obj, now: float) -> None:
    m = meta(obj)
    _kv(lines, "Name", m.get("name", ""))
    if m.get("namespace"):
        _kv(lines, "Namespace", m["namespace"])
    _kv(lines, "Labels", None)
    lines.pop()
    _map(lines, "Labels", m.get("labels"))
    annotations = {k: v for k, v in (m.get("annotations") or {}).items()
                   if k != "kubectl.kubernetes.io/last-applied-configuration"}
    _map(lines, "Annotations", {k: (v if len(str(v)) < 100 else str(v)[:97] + "...")
                                for k, v in annotations.items()}, sep=": ")
    ts = m.get("creationTimestamp")
    if ts:
        _kv(lines, "CreationTimestamp", f"{ts} ({age(created(obj), now)} ago)", width=19)
    if "deletionTimestamp" in m:
        _kv(lines, "Terminating", f"since {m['deletionTimestamp']}", width=19)
    owner = next((r for r in m.get("ownerReferences") or [] if r.get("controller")), None)
    if owner:
        _kv(lines, "Controlled By", f"{owner.get('kind')}/{owner.get('name')}")


def _resources(lines: Lines, c: Obj, indent: int) -> None:
    res = c.get("resources") or {}
    for key, title in (("limits", "Limits"), ("requests", "Requests")):
        if res.get(key):
            lines.append(f"{' ' * indent}{title}:")
            for k, v in sorted(res[key].items()):
                _kv(lines, k, v, indent + 2, 10)


def _container(lines: Lines, c: Obj, status: Obj | None, indent: int = 2) -> None:
    lines.append(f"{' ' * indent}{c.get('name')}:")
    pad = indent + 2
    if status is not None:
        _kv(lines, "Container ID", status.get("containerID", ""), pad, 16)
    _kv(lines, "Image", c.get("image", ""), pad, 16)
    if status is not None:
        _kv(lines, "Image ID", status.get("imageID", ""), pad, 16)
    ports = ", ".join(f"{p.get('containerPort')}/{p.get('protocol', 'TCP')}"
                      for p in c.get("ports") or [])
    _kv(lines, "Port", ports or "<none>", pad, 16)
    if c.get("command"):
        _kv(lines, "Command", " ".join(c["command"]), pad, 16)
    if c.get("args"):
        _kv(lines, "Args", " ".join(c["args"]), pad, 16)
    if status is not None:
        state = status.get("state") or {}
        name = next(iter(state), "waiting")
        detail = state.get(name) or {}
        _kv(lines, "State", name.title(), pad, 16)
        for k in ("reason", "exitCode", "startedAt", "finishedAt"):
            if k in detail:
                _kv(lines, k[0].upper() + k[1:], detail[k], pad + 2, 14)
        _kv(lines, "Ready", str(bool(status.get("ready"))), pad, 16)
        _kv(lines, "Restart Count", status.get("restartCount", 0), pad, 16)
    _resources(lines, c, pad)
    env = c.get("env") or []
    _kv(lines, "Environment", "<none>" if not env else "", pad, 16)
    for e in env:
        value = e.get("value", "<set to the key of a ref>" if "valueFrom" in e else "")
        lines.append(f"{' ' * (pad + 2)}{e.get('name')}:  {value}")
    mounts = c.get("volumeMounts") or []
    _kv(lines, "Mounts", "<none>" if not mounts else "", pad, 16)
    for mnt in mounts:
        lines.append(f"{' ' * (pad + 2)}{mnt.get('mountPath')} from {mnt.get('name')}")


def _conditions(lines: Lines, obj: Obj, extra: tuple[str, ...] = ()) -> None:
    conds = (obj.get("status") or {}).get("conditions") or []
    if not conds:
        return
    lines.append("Conditions:")
    cols = ("Type", "Status", *extra)
    rows = [[c.get("type", ""), c.get("status", ""), *(str(c.get(e[0].lower() + e[1:], ""))
                                                       for e in extra)] for c in conds]
    _table(lines, cols, rows, 2)


def _table(lines: Lines, cols: tuple[str, ...], rows: list[list[str]], indent: int) -> None:
    widths = [max(len(cols[i]), *(len(r[i]) for r in rows)) if rows else len(cols[i])
              for i in range(len(cols))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines.append(" " * indent + fmt.format(*cols).rstrip())
    lines.append(" " * indent + fmt.format(*("-" * len(c) for c in cols)).rstrip())
    for r in rows:
        lines.append(" " * indent + fmt.format(*r).rstrip())


def _tolerations(pod: Obj) -> list[str]:
    out = []
    for t in (pod.get("spec") or {}).get("tolerations") or []:
        text = t.get("key", "")
        if t.get("operator") == "Exists" and not text:
            text = "op=Exists"
        elif t.get("value"):
            text += f"={t['value']}"
        elif t.get("operator") == "Exists":
            text += " op=Exists"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        out.append(text)
    return out


def describe_pod(pod: Obj, now: float, lines: Lines) -> None:
    spec, st = pod.get("spec") or {}, pod.get("status") or {}
    _kv(lines, "Priority", spec.get("priority", 0))
    if spec.get("priorityClassName"):
        _kv(lines, "Priority Class Name", spec["priorityClassName"], width=21)
    _kv(lines, "Service Account", spec.get("serviceAccountName", "default"), width=17)
    node = spec.get("nodeName")
    _kv(lines, "Node", f"{node}/{st.get('hostIP', '')}" if node else "<none>")
    if st.get("startTime"):
        _kv(lines, "Start Time", st["startTime"])
    _kv(lines, "Status", phase_reason(pod))
    if st.get("reason"):
        _kv(lines, "Reason", st["reason"])
    if st.get("message"):
        _kv(lines, "Message", st["message"])
    _kv(lines, "IP", st.get("podIP", ""))
    by_name = {s.get("name"): s for s in st.get("containerStatuses") or []}
    init_by_name = {s.get("name"): s for s in st.get("initContainerStatuses") or []}
    if spec.get("initContainers"):
        lines.append("Init Containers:")
        for c in spec["initContainers"]:
            _container(lines, c, init_by_name.get(c.get("name"), {}))
    lines.append("Containers:")
    for c in spec.get("containers") or []:
        _container(lines, c, by_name.get(c.get("name"), {}))
    _conditions(lines, pod)
    _kv(lines, "QoS Class", st.get("qosClass", ""), width=17)
    _map(lines, "Node-Selectors", spec.get("nodeSelector"), width=17)
    tols = _tolerations(pod)
    _kv(lines, "Tolerations", tols[0] if tols else "<none>", width=17)
    for t in tols[1:]:
        lines.append(" " * 17 + t)


def _template(lines: Lines, template: Obj) -> None:
    lines.append("Pod Template:")
    _map(lines, "Labels", (template.get("metadata") or {}).get("labels"), 2, width=12)
    annotations = (template.get("metadata") or {}).get("annotations")
    if annotations:
        _map(lines, "Annotations", annotations, 2, sep=": ", width=14)
    lines.append("  Containers:")
    for c in (template.get("spec") or {}).get("containers") or []:
        _container(lines, c, None, 3)


def describe_deployment(dep: Obj, now: float, lines: Lines, related: Callable[[], list]) -> None:
    spec, st = dep.get("spec") or {}, dep.get("status") or {}
    _kv(lines, "Selector", selector_text(spec.get("selector")), width=24)
    want = spec.get("replicas", 1)
    _kv(lines, "Replicas", f"{want} desired | {st.get('updatedReplicas', 0)} updated | "
        f"{st.get('replicas', 0)} total | {st.get('availableReplicas', 0)} available | "
        f"{st.get('unavailableReplicas', 0)} unavailable", width=24)
    strategy = spec.get("strategy") or {}
    _kv(lines, "StrategyType", strategy.get("type", "RollingUpdate"), width=24)
    _kv(lines, "MinReadySeconds", spec.get("minReadySeconds", 0), width=24)
    ru = strategy.get("rollingUpdate") or {}
    if strategy.get("type", "RollingUpdate") == "RollingUpdate":
        _kv(lines, "RollingUpdateStrategy", f"{ru.get('maxUnavailable', '25%')} max unavailable, "
            f"{ru.get('maxSurge', '25%')} max surge", width=24)
    if spec.get("paused"):
        _kv(lines, "Paused", "true", width=24)
    _template(lines, spec.get("template") or {})
    _conditions(lines, dep, ("Reason",))
    rss = related()
    revision = (meta(dep).get("annotations") or {}).get("deployment.kubernetes.io/revision")
    new = [r for r in rss if (meta(r).get("annotations") or {}).get(
        "deployment.kubernetes.io/revision") == revision]
    old = [r for r in rss if r not in new and (r.get("spec") or {}).get("replicas")]

    def fmt(rs: Obj) -> str:
        s = rs.get("status") or {}
        return f"{meta(rs)['name']} ({s.get('replicas', 0)}/{(rs.get('spec') or {}).get('replicas', 0)} replicas created)"

    _kv(lines, "OldReplicaSets", ", ".join(map(fmt, old)) or "<none>", width=16)
    _kv(lines, "NewReplicaSet", ", ".join(map(fmt, new)) or "<none>", width=16)


def describe_replicaset(rs: Obj, now: float, lines: Lines) -> None:
    spec, st = rs.get("spec") or {}, rs.get("status") or {}
    _kv(lines, "Selector", selector_text(spec.get("selector")))
    _kv(lines, "Replicas", f"{st.get('replicas', 0)} current / {spec.get('replicas', 1)} desired")
    _kv(lines, "Pods Status", f"{st.get('readyReplicas', 0)} Ready")
    _template(lines, spec.get("template") or {})
    _conditions(lines, rs, ("Reason",))


def describe_node(node: Obj, now: float, lines: Lines, pods: Callable[[], list]) -> None:
    spec, st = node.get("spec") or {}, node.get("status") or {}
    _kv(lines, "Roles", roles(node))
    taints = [f"{t['key']}={t['value']}:{t['effect']}" if t.get("value")
              else f"{t['key']}:{t['effect']}" for t in spec.get("taints") or []]
    _kv(lines, "Taints", taints[0] if taints else "<none>")
    for t in taints[1:]:
        lines.append(" " * W + t)
    _kv(lines, "Unschedulable", str(bool(spec.get("unschedulable"))).lower())
    _kv(lines, "Status", node_status(node))
    _conditions(lines, node, ("Reason", "Message"))
    lines.append("Addresses:")
    for a in st.get("addresses") or []:
        _kv(lines, a.get("type", ""), a.get("address", ""), 2, 13)
    for key in ("capacity", "allocatable"):
        lines.append(key.title() + ":")
        for k, v in sorted((st.get(key) or {}).items()):
            _kv(lines, k, v, 2, 19)
    lines.append("System Info:")
    for k, v in (st.get("nodeInfo") or {}).items():
        _kv(lines, k[0].upper() + k[1:], v, 2, 27)
    _kv(lines, "PodCIDR", spec.get("podCIDR", ""))
    running = [p for p in pods() if (p.get("status") or {}).get("phase") not in (
        "Succeeded", "Failed")]
    lines.append(f"Non-terminated Pods:          ({len(running)} in total)")
    rows = []
    for p in running:
        req: dict[str, str] = {}
        for c in (p.get("spec") or {}).get("containers") or []:
            req.update((c.get("resources") or {}).get("requests") or {})
        rows.append([meta(p).get("namespace", ""), meta(p).get("name", ""),
                     req.get("cpu", "0"), req.get("memory", "0"), age(created(p), now)])
    _table(lines, ("Namespace", "Name", "CPU Requests", "Memory Requests", "Age"), rows, 2)


def describe_service(svc: Obj, now: float, lines: Lines) -> None:
    spec = svc.get("spec") or {}
    _map(lines, "Selector", spec.get("selector"), width=19)
    _kv(lines, "Type", spec.get("type", "ClusterIP"), width=19)
    _kv(lines, "IP", spec.get("clusterIP", ""), width=19)
    for p in spec.get("ports") or []:
        _kv(lines, "Port", f"{p.get('name', '<unset>')}  {p.get('port')}/"
            f"{p.get('protocol', 'TCP')}", width=19)
        _kv(lines, "TargetPort", f"{p.get('targetPort', p.get('port'))}/"
            f"{p.get('protocol', 'TCP')}", width=19)
    _kv(lines, "Session Affinity", spec.get("sessionAffinity", "None"), width=19)


def _rest(lines: Lines, obj: Obj) -> None:
    rest = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    if rest:
        text = yaml.safe_dump(rest, sort_keys=False, default_flow_style=False, width=100)
        lines.extend(text.rstrip("\n").splitlines())


def events_for(client: ClusterClient, obj: Obj) -> list[Obj]:
    m = meta(obj)
    kind = obj.get("kind", "")
    selector = f"involvedObject.name={m.get('name')}"
    if kind:
        selector += f",involvedObject.kind={kind}"
    ns = m.get("namespace") or None
    items = client.list("events", ns, field_selector=selector)["items"]
    uid = m.get("uid")
    return [e for e in items
            if (e.get("involvedObject") or {}).get("uid") in (None, "", uid, m.get("name"))]


def _events(lines: Lines, events: list[Obj], now: float) -> None:
    if not events:
        lines.append("Events:            <none>")
        return
    lines.append("Events:")
    rows = []
    for e in sorted(events, key=last_seen):
        count = e.get("count") or 1
        first = parse_time(e.get("firstTimestamp"))
        when = age(last_seen(e), now)
        if count > 1 and first == first:
            when += f" (x{count} over {age(first, now)})"
        src = (e.get("source") or {}).get("component") or e.get("reportingComponent", "")
        rows.append([e.get("type", ""), e.get("reason", ""), when, src,
                     (e.get("message") or "").replace("\n", " ")])
    _table(lines, ("Type", "Reason", "Age", "From", "Message"), rows, 2)


def describe(client: ClusterClient, obj: Obj, now: float) -> str:
    """The describe text for any object (lists related objects through the client)."""
    kind = obj.get("kind", "")
    lines: Lines = []
    _header(lines, obj, now)
    ns = meta(obj).get("namespace")
    if kind == "Pod":
        describe_pod(obj, now, lines)
    elif kind == "Deployment":
        sel = selector_text((obj.get("spec") or {}).get("selector"))
        describe_deployment(obj, now, lines, lambda: _owned(client, "replicasets.apps", ns, sel,
                                                            obj))
    elif kind == "ReplicaSet":
        describe_replicaset(obj, now, lines)
    elif kind == "Node":
        name = meta(obj).get("name")
        describe_node(obj, now, lines, lambda: client.list(
            "pods", None, field_selector=f"spec.nodeName={name}")["items"])
    elif kind == "Service":
        describe_service(obj, now, lines)
    else:
        _rest(lines, obj)
    try:
        _events(lines, events_for(client, obj), now)
    except Exception as err:  # events are a courtesy: describe still shows the object
        lines.append(f"Events:            <unavailable: {err}>")
    return "\n".join(lines) + "\n"


def _owned(client: ClusterClient, resource: str, ns: str | None, selector: str,
           owner: Obj) -> list[Obj]:
    uid = meta(owner).get("uid")
    sel = None if selector == "<none>" else selector
    return [o for o in client.list(resource, ns, label_selector=sel)["items"]
            if any(r.get("uid") == uid for r in meta(o).get("ownerReferences") or [])]


__all__ = ["describe", "events_for", "rfc3339"]
