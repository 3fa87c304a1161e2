"""Scheduler events, written off the scheduling path.

Upstream the scheduler hands events to a broadcaster (``k8s.io/client-go/
tools/events``) whose sink writes them on its own goroutine, so a burst of
scheduling never waits for event writes. Here the engine has one thread:
events are queued and written when the scheduler's active queue is empty, or
once :data:`MAX_PENDING` are waiting (the broadcaster's queue length), so a
long burst still writes them steadily. Nothing is dropped.
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
