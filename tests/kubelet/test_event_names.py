"""Kubelet events at the same simulated nanosecond get the next free names,
as the recorder's AlreadyExists retries would give them."""

from __future__ import annotations

from engine.api.server import APIServer
from engine.client import LocalClient
from engine.kubelet.events import kubelet_recorder
from tests.helpers import pod


def test_same_nanosecond_events_take_the_next_names(api: APIServer) -> None:
    target = api.create("pods", pod("web"), namespace="default")
    rec = kubelet_recorder(LocalClient(api), "n1")
    nanos = int(api.clock.now() * 1e9)
    names = [rec.event(target, "Normal", reason, "x")["metadata"]["name"]
             for reason in ("Pulled", "Created", "Started")]
    assert names == [f"web.{nanos + i:x}" for i in range(3)]


def test_a_name_taken_elsewhere_is_skipped(api: APIServer) -> None:
    target = api.create("pods", pod("web"), namespace="default")
    nanos = int(api.clock.now() * 1e9)
    rec = kubelet_recorder(LocalClient(api), "n1")
    rec.event(target, "Normal", "Pulled", "x")
    api.create("events", {"metadata": {"name": f"web.{nanos + 1:x}", "namespace": "default"},
                          "involvedObject": {"kind": "Pod", "name": "web",
                                             "namespace": "default"},
                          "reason": "Other", "message": "y", "type": "Normal"},
               namespace="default")
    created = rec.event(target, "Normal", "Created", "x")
    assert created["metadata"]["name"] == f"web.{nanos + 2:x}"
