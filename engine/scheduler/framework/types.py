"""Status codes, statuses, the per-node status map and FitError.

Upstream: ``pkg/scheduler/framework/interface.go`` (``Code``, ``Status``,
``NodeToStatus``) and ``pkg/scheduler/framework/types.go`` (``Diagnosis``,
``FitError`` and its message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

MAX_NODE_SCORE = 100
MIN_NODE_SCORE = 0

NO_NODE_AVAILABLE_MSG = "0/{} nodes are available"
ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods"


class Code(IntEnum):
    """``framework.Code``, in upstream's order."""

    SUCCESS = 0
    ERROR = 1
    UNSCHEDULABLE = 2
    UNSCHEDULABLE_AND_UNRESOLVABLE = 3
    WAIT = 4
    SKIP = 5
    PENDING = 6


CODE_NAMES = {
    Code.SUCCESS: "Success", Code.ERROR: "Error", Code.UNSCHEDULABLE: "Unschedulable",
    Code.UNSCHEDULABLE_AND_UNRESOLVABLE: "UnschedulableAndUnresolvable", Code.WAIT: "Wait",
    Code.SKIP: "Skip", Code.PENDING: "Pending",
}


class Status:
    """``framework.Status``: a code, reasons, and the plugin that set it."""

    __slots__ = ("code", "reasons", "plugin", "err")

    def __init__(self, code: Code = Code.SUCCESS, *reasons: str, plugin: str = "",
                 err: BaseException | None = None) -> None:
        self.code = code
        self.reasons = list(reasons)
        self.plugin = plugin
        self.err = err

    @classmethod
    def error(cls, err: BaseException | str, plugin: str = "") -> Status:
        exc = err if isinstance(err, BaseException) else RuntimeError(err)
        return cls(Code.ERROR, str(exc), plugin=plugin, err=exc)

    def is_success(self) -> bool:
        return self.code == Code.SUCCESS

    def is_skip(self) -> bool:
        return self.code == Code.SKIP

    def is_rejected(self) -> bool:
        """Unschedulable, UnschedulableAndUnresolvable or Pending."""
        return self.code in (Code.UNSCHEDULABLE, Code.UNSCHEDULABLE_AND_UNRESOLVABLE, Code.PENDING)

    def message(self) -> str:
        return ", ".join(self.reasons)

    def with_plugin(self, plugin: str) -> Status:
        self.plugin = plugin
        return self

    def __repr__(self) -> str:
        return f"Status({CODE_NAMES[self.code]}, {self.reasons!r}, plugin={self.plugin!r})"


def unschedulable(*reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE, *reasons)


def unresolvable(*reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, *reasons)


SKIP = Status(Code.SKIP)


class NodeToStatus:
    """``framework.NodeToStatus``: statuses of nodes that were rejected, plus
    the status every node not listed is considered to have."""

    def __init__(self, statuses: dict[str, Status] | None = None,
                 absent: Status | None = None) -> None:
        self.statuses: dict[str, Status] = statuses if statuses is not None else {}
        self.absent = absent or Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE)

    def get(self, name: str) -> Status:
        return self.statuses.get(name) or self.absent

    def set(self, name: str, status: Status) -> None:
        self.statuses[name] = status

    def __len__(self) -> int:
        return len(self.statuses)

    def nodes_for_code(self, names: list[str], code: Code) -> list[str]:
        """``NodesForStatusCode`` over ``names`` (all nodes, in snapshot order)."""
        if self.absent.code == code:
            return [n for n in names if self.get(n).code == code]
        return [n for n in names if n in self.statuses and self.statuses[n].code == code]


@dataclass
class Diagnosis:
    """``framework.Diagnosis``."""

    node_to_status: NodeToStatus = field(default_factory=NodeToStatus)
    unschedulable_plugins: set[str] = field(default_factory=set)
    pending_plugins: set[str] = field(default_factory=set)
    pre_filter_msg: str = ""
    post_filter_msg: str = ""

    def add_plugin_status(self, status: Status) -> None:
        if not status.plugin:
            return
        if status.code == Code.PENDING:
            self.pending_plugins.add(status.plugin)
        elif status.is_rejected():
            self.unschedulable_plugins.add(status.plugin)


class FitError(Exception):
    """``framework.FitError``: no node fits the pod."""

    def __init__(self, pod: Any, num_all_nodes: int, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.pod = pod
        self.num_all_nodes = num_all_nodes
        self.diagnosis = diagnosis

    def histogram(self) -> dict[str, int]:
        """How many nodes gave each reason (absent nodes count as the default)."""
        reasons: dict[str, int] = {}
        nts = self.diagnosis.node_to_status
        for status in nts.statuses.values():
            for reason in status.reasons:
                reasons[reason] = reasons.get(reason, 0) + 1
        if len(nts) < self.num_all_nodes:
            missing = self.num_all_nodes - len(nts)
            for reason in nts.absent.reasons:
                reasons[reason] = reasons.get(reason, 0) + missing
        return reasons

    def message(self) -> str:
        """``FitError.Error()``: reasons sorted as strings, then the PostFilter message."""
        msg = NO_NODE_AVAILABLE_MSG.format(self.num_all_nodes) + ":"
        d = self.diagnosis
        if d.pre_filter_msg:
            msg += f" {d.pre_filter_msg}."
        else:
            items = sorted(f"{count} {reason}" for reason, count in self.histogram().items())
            if items:
                msg += f" {', '.join(items)}."
        if d.post_filter_msg:
            msg += f" {d.post_filter_msg}."
        return msg

    def __str__(self) -> str:
        return self.message()
