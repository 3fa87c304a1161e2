"""Finding a Service's pods and a pod's Services without scanning every pod.

Upstream lists ``podLister.Pods(ns).List(selector)`` per sync and
``GetPodServiceMemberships`` per pod event
(``pkg/controller/util/endpoint/controller_utils.go``); here pods are
indexed by namespace and each label pair, so a sync looks at the pods
carrying the rarest label of the selector only.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

POD_LABEL_INDEX = "namespace-label"


def pod_label_index(pod: Obj) -> list[str]:
    """File a pod under ``<ns>/`` and ``<ns>/<key>=<value>`` for each label."""
    m = pod.get("metadata") or {}
    ns = m.get("namespace") or ""
    return [f"{ns}/"] + [f"{ns}/{k}={v}" for k, v in (m.get("labels") or {}).items()]


def selector_matches(selector: Obj, labels: Obj) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def pods_for_selector(indexer: Any, namespace: str, selector: Obj) -> list[Obj]:
    """Pods in ``namespace`` whose labels match a Service's map selector."""
    if not selector:
        return indexer.by_index(POD_LABEL_INDEX, f"{namespace}/")
    keys = [f"{namespace}/{k}={v}" for k, v in selector.items()]
    if len(keys) == 1:
        return indexer.by_index(POD_LABEL_INDEX, keys[0])
    rarest = min(keys, key=lambda key: len(indexer.index_keys(POD_LABEL_INDEX, key)))
    return [p for p in indexer.by_index(POD_LABEL_INDEX, rarest)
            if selector_matches(selector, p["metadata"].get("labels") or {})]


def services_for_pod(service_lister: Any, pod: Obj) -> list[Obj]:
    """``GetPodServiceMemberships``: the Services in the pod's namespace selecting it."""
    m = pod.get("metadata") or {}
    labels = m.get("labels") or {}
    return [s for s in service_lister.list(m.get("namespace") or "")
            if (s.get("spec") or {}).get("selector") is not None
            and selector_matches(s["spec"]["selector"], labels)]


def may_select_pods_in(service_lister: Any, namespace: str) -> bool:
    """Whether any Service in ``namespace`` has a selector. When none has, no
    pod update there can trigger a sync, so handlers return before comparing
    what changed (the same outcome as ``GetServicesToUpdateOnPodChange``,
    which would find no memberships)."""
    return any((s.get("spec") or {}).get("selector") is not None
               for s in service_lister.list(namespace))


def should_be_in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """``ShouldPodBeInEndpoints``: has an IP, not finished, not terminating
    (unless asked to keep terminating pods)."""
    status = pod.get("status") or {}
    if not status.get("podIP"):
        return False
    if not include_terminating and pod["metadata"].get("deletionTimestamp"):
        return False
    policy = (pod.get("spec") or {}).get("restartPolicy", "Always")
    phase = status.get("phase")
    if policy == "Never":
        return phase not in ("Failed", "Succeeded")
    if policy == "OnFailure":
        return phase != "Succeeded"
    return True


def find_port(pod: Obj, service_port: Obj) -> int | None:
    """``podutil.FindPort``: a numeric targetPort, or the named container port."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    protocol = service_port.get("protocol", "TCP")
    for container in (pod.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == target and port.get("protocol", "TCP") == protocol:
                return port.get("containerPort")
    return None


def pod_relevant(pod: Obj) -> tuple[Any, ...]:
    """What of a pod the endpoint controllers look at (``podEndpointsChanged``).

    The Endpoints and EndpointSlice controllers ask it of the same two
    (immutable) informer objects, one after the other, for every pod update:
    the last two answers are kept, by object identity. The ready condition is
    found with a plain loop (no generator per call)."""
    last = _LAST
    if last[2] is pod:
        return last[3]
    if last[0] is pod:
        return last[1]
    answer = _pod_relevant(pod)
    last[0], last[1], last[2], last[3] = last[2], last[3], pod, answer
    return answer


# [older object, its answer, newer object, its answer]
_LAST: list[Any] = [None, None, None, None]


def _pod_relevant(pod: Obj) -> tuple[Any, ...]:
    m, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    ready = None
    for cond in status.get("conditions") or ():
        if cond.get("type") == "Ready":
            ready = cond.get("status")
            break
    return (status.get("podIP"), ready, m.get("deletionTimestamp"), spec.get("hostname"),
            spec.get("subdomain"), spec.get("nodeName"), status.get("phase"),
            tuple(sorted((m.get("labels") or {}).items())))
