"""NodePorts: a host port (ip, protocol, port) may be used once per node.

Upstream: ``pkg/scheduler/framework/plugins/nodeports/node_ports.go``
(PreFilter collects the pod's host ports, Skip when there are none; Filter
with ``HostPortInfo.CheckConflict``: 0.0.0.0 conflicts with every IP).
"""

from __future__ import annotations

from typing import Any

from engine.scheduler.framework.interface import CycleState, FilterPlugin, PreFilterPlugin
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import DEFAULT_BIND_ALL_HOST_IP, PodInfo
from engine.scheduler.framework.types import SKIP, Status, unschedulable
from engine.scheduler.queue import events as ev

ERR_REASON = "node(s) didn't have free ports for the requested pod ports"
STATE_KEY = "PreFilter" + names.NODE_PORTS

Port = tuple[str, str, int]


def conflicts(used: dict[Port, int], port: Port) -> bool:
    """``HostPortInfo.CheckConflict``."""
    ip, protocol, number = port
    if ip == DEFAULT_BIND_ALL_HOST_IP:
        return any(p[1] == protocol and p[2] == number for p in used)
    return (ip, protocol, number) in used or \
        (DEFAULT_BIND_ALL_HOST_IP, protocol, number) in used


def fits_ports(want: list[Port], node: NodeInfo) -> bool:
    used = node.used_ports
    if not used:
        return True
    return not any(conflicts(used, p) for p in want)


class NodePorts(PreFilterPlugin, FilterPlugin):
    name = names.NODE_PORTS

    def pre_filter(self, state: CycleState, pod: PodInfo,
                   nodes: list[NodeInfo]) -> tuple[set[str] | None, Status | None]:
        if not pod.host_ports:
            return None, SKIP
        state.write(STATE_KEY, pod.host_ports)
        return None, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        want = state.read(STATE_KEY) or pod.host_ports
        if fits_ports(want, node):
            return None
        return unschedulable(ERR_REASON)

    def events_to_register(self) -> list[ev.ClusterEventWithHint]:
        return [ev.ClusterEventWithHint(ev.ClusterEvent(ev.POD, ev.DELETE), _ports_freed),
                ev.ClusterEventWithHint(ev.ClusterEvent(ev.NODE, ev.ADD | ev.UPDATE))]


def _ports_freed(pod: PodInfo, old: Any, new: Any) -> bool:
    if not old or not (old.get("spec") or {}).get("nodeName"):
        return ev.QUEUE_SKIP
    freed = dict.fromkeys(PodInfo(old).host_ports, 1)
    return any(conflicts(freed, p) for p in pod.host_ports)
