"""Nodes: Name, Status, Roles, Age, Version (+ Internal-IP, External-IP,
OS-Image, Kernel-Version, Container-Runtime); upstream ``printNode`` and
``findNodeRoles``."""

from __future__ import annotations

from typing import Any

from engine.printers.base import register
from engine.printers.common import AGE, NAME, NONE, Column, age, dig, meta, name, wide

COLUMNS = (
    NAME,
    Column("Status", description="The status of the node"),
    Column("Roles", description="The roles of the node"),
    AGE,
    Column("Version", description="Kubelet Version reported by the node."),
    wide("Internal-IP", "List of addresses reachable to the node. Queried from cloud provider, "
                        "if available."),
    wide("External-IP", "List of addresses reachable to the node. Queried from cloud provider, "
                        "if available."),
    wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux "
                     "7 (wheezy))."),
    wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. "
                           "3.16.0-0.bpo.4-amd64)."),
    wide("Container-Runtime", "Container runtime version reported by the node through runtime "
                              "remote API (e.g. containerd://1.4.2)."),
)

ROLE_PREFIX = "node-role.kubernetes.io/"


def node_roles(node: dict[str, Any]) -> list[str]:
    roles = set()
    for key, value in (meta(node).get("labels") or {}).items():
        if key.startswith(ROLE_PREFIX) and key[len(ROLE_PREFIX):]:
            roles.add(key[len(ROLE_PREFIX):])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def node_status(node: dict[str, Any]) -> str:
    status = []
    for cond in dig(node, "status", "conditions", default=[]):
        if cond.get("type") == "Ready":
            status = ["Ready" if cond.get("status") == "True" else "NotReady"]
    if not status:
        status = ["Unknown"]
    if dig(node, "spec", "unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _address(node: dict[str, Any], kind: str) -> str:
    for addr in dig(node, "status", "addresses", default=[]):
        if addr.get("type") == kind:
            return addr.get("address", "")
    return NONE


def _row(node: dict[str, Any], now: float) -> list[Any]:
    info = dig(node, "status", "nodeInfo", default={})
    return [name(node), node_status(node), ",".join(node_roles(node)) or NONE, age(node, now),
            info.get("kubeletVersion", ""), _address(node, "InternalIP"),
            _address(node, "ExternalIP"), info.get("osImage") or "<unknown>",
            info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


register("", "nodes", COLUMNS, _row)
