"""A plain-text picture of the cluster, in ``kubectl get`` layout, drawn only
through the client interface."""

from __future__ import annotations

from typing import Any


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("   ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def _node_row(node: dict[str, Any]) -> list[str]:
    labels = node["metadata"].get("labels", {})
    roles = sorted(k.split("/", 1)[1] for k in labels if k.startswith("node-role.kubernetes.io/"))
    ready = next((c["status"] for c in node.get("status", {}).get("conditions", [])
                  if c["type"] == "Ready"), "Unknown")
    status = {"True": "Ready", "False": "NotReady"}.get(ready, "Unknown")
    if node.get("spec", {}).get("unschedulable"):
        status += ",SchedulingDisabled"
    version = node.get("status", {}).get("nodeInfo", {}).get("kubeletVersion", "")
    return [node["metadata"]["name"], status, ",".join(roles) or "<none>", version]


def _pod_row(pod: dict[str, Any]) -> list[str]:
    statuses = pod.get("status", {}).get("containerStatuses", [])
    ready = sum(1 for s in statuses if s.get("ready"))
    total = len(pod.get("spec", {}).get("containers", []))
    restarts = sum(s.get("restartCount", 0) for s in statuses)
    return [pod["metadata"]["namespace"], pod["metadata"]["name"], f"{ready}/{total}",
            pod.get("status", {}).get("phase", ""), str(restarts)]


def cluster_summary(client: Any) -> str:
    nodes = client.list("nodes")["items"]
    pods = client.list("pods")["items"]
    node_rows = [["NAME", "STATUS", "ROLES", "VERSION"], *map(_node_row, nodes)]
    pod_rows = [["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS"], *map(_pod_row, pods)]
    return _table(node_rows) + "\n\n" + _table(pod_rows)
