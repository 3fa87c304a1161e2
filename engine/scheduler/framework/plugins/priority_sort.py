"""PrioritySort, the default queue sort.

Upstream: ``pkg/scheduler/framework/plugins/queuesort/priority_sort.go``:
higher ``spec.priority`` first, then the pod that entered the queue first.
The scheduling queue orders activeQ with the same key
(:func:`sort_key`).
"""

from __future__ import annotations

from engine.scheduler.framework.interface import Plugin
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import QueuedPodInfo


def sort_key(qpi: QueuedPodInfo) -> tuple[int, float]:
    return -qpi.pod_info.priority, qpi.timestamp


class PrioritySort(Plugin):
    name = names.PRIORITY_SORT

    @staticmethod
    def less(a: QueuedPodInfo, b: QueuedPodInfo) -> bool:
        """``Less``."""
        return sort_key(a) < sort_key(b)
