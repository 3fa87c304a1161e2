"""Scheduler events, written in a batch at the end of each scheduling turn.

Upstream the scheduler hands events to a broadcaster (``k8s.io/client-go/
tools/events``) whose sink writes them on its own goroutine. Here the engine
has one thread: the scheduling loop queues the events of the pods it
schedules in one turn and writes them before yielding the loop, so no other
component (a kubelet starting the pod) can write about a pod before the
scheduler's event does. :data:`MAX_PENDING` bounds the queue regardless.
"""

from __future__ import annotations

from typing import Any

from engine.events.recorder import EventRecorder

Obj = dict[str, Any]

MAX_PENDING = 1000


class DeferredRecorder:
    """``event()`` like :class:`EventRecorder`; ``flush()`` writes what is queued."""

    def __init__(self, recorder: EventRecorder) -> None:
        self.recorder = recorder
        self.pending: list[tuple[Obj, str, str, str]] = []

    def event(self, obj: Obj, event_type: str, reason: str, message: str) -> None:
        self.pending.append((obj, event_type, reason, message))
        if len(self.pending) >= MAX_PENDING:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        for obj, event_type, reason, message in pending:
            self.recorder.event(obj, event_type, reason, message)
