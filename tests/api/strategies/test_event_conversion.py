"""core/v1 <-> events.k8s.io/v1 Event conversion (pkg/apis/events/v1/conversion.go)."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from engine.api.conversion import from_events_v1, to_events_v1

CORE = {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {"name": "web.17f", "namespace": "default"},
    "involvedObject": {
        "apiVersion": "v1",
        "kind": "Pod",
        "name": "web",
        "namespace": "default",
        "uid": "u1",
    },
    "reason": "Pulled",
    "message": "Container image already present",
    "source": {"component": "kubelet", "host": "node-1"},
    "firstTimestamp": "2025-01-01T00:00:00Z",
    "lastTimestamp": "2025-01-01T00:01:00Z",
    "count": 3,
    "type": "Normal",
    "eventTime": None,
    "series": {"count": 2, "lastObservedTime": "2025-01-01T00:01:00.000000Z"},
    "action": "Pulling",
    "related": {"kind": "Node", "name": "node-1"},
    "reportingComponent": "kubelet",
    "reportingInstance": "node-1",
}

EVENTS_V1 = {
    "apiVersion": "events.k8s.io/v1",
    "kind": "Event",
    "metadata": {"name": "web.17f", "namespace": "default"},
    "eventTime": None,
    "series": {"count": 2, "lastObservedTime": "2025-01-01T00:01:00.000000Z"},
    "reportingController": "kubelet",
    "reportingInstance": "node-1",
    "action": "Pulling",
    "reason": "Pulled",
    "regarding": {
        "apiVersion": "v1",
        "kind": "Pod",
        "name": "web",
        "namespace": "default",
        "uid": "u1",
    },
    "related": {"kind": "Node", "name": "node-1"},
    "note": "Container image already present",
    "type": "Normal",
    "deprecatedSource": {"component": "kubelet", "host": "node-1"},
    "deprecatedFirstTimestamp": "2025-01-01T00:00:00Z",
    "deprecatedLastTimestamp": "2025-01-01T00:01:00Z",
    "deprecatedCount": 3,
}


def test_core_to_events_v1_field_mapping() -> None:
    assert to_events_v1(CORE) == EVENTS_V1


def test_events_v1_to_core_field_mapping() -> None:
    assert from_events_v1(EVENTS_V1) == CORE


def test_round_trips() -> None:
    assert from_events_v1(to_events_v1(CORE)) == CORE
    assert to_events_v1(from_events_v1(EVENTS_V1)) == EVENTS_V1


def test_inputs_are_not_modified() -> None:
    core = copy.deepcopy(CORE)
    to_events_v1(core)["metadata"]["name"] = "changed"
    assert core == CORE


def test_new_style_event_seen_as_core_has_go_zero_values() -> None:
    ev = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"name": "e"},
        "eventTime": "2025-01-01T00:00:00.000000Z",
        "reportingController": "default-scheduler",
        "reportingInstance": "default-scheduler-cp",
        "action": "Scheduling",
        "reason": "Scheduled",
        "note": "Successfully assigned default/web to node-1",
        "type": "Normal",
        "regarding": {"kind": "Pod", "name": "web"},
    }
    core = from_events_v1(ev)
    assert core["source"] == {}
    assert core["firstTimestamp"] is None and core["lastTimestamp"] is None
    assert core["reportingComponent"] == "default-scheduler"
    assert core["message"] == "Successfully assigned default/web to node-1"
    assert "count" not in core


def test_old_style_event_seen_as_events_v1() -> None:
    core = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": "e"},
        "involvedObject": {"kind": "Pod", "name": "web"},
        "reason": "Killing",
        "message": "Stopping container app",
        "source": {"component": "kubelet"},
        "type": "Normal",
    }
    ev = to_events_v1(core)
    assert ev["eventTime"] is None
    assert ev["deprecatedSource"] == {"component": "kubelet"}
    assert "reportingController" not in ev
    assert ev["regarding"] == {"kind": "Pod", "name": "web"}


texts = st.text(min_size=1, max_size=10)


@given(
    reason=texts,
    message=texts,
    component=texts,
    count=st.integers(1, 1000),
    instance=texts,
    action=texts,
)
def test_round_trip_property(
    reason: str, message: str, component: str, count: int, instance: str, action: str
) -> None:
    core = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": "e"},
        "involvedObject": {"kind": "Pod", "name": "p"},
        "reason": reason,
        "message": message,
        "source": {"component": component},
        "firstTimestamp": None,
        "lastTimestamp": None,
        "count": count,
        "eventTime": None,
        "action": action,
        "reportingComponent": component,
        "reportingInstance": instance,
    }
    assert from_events_v1(to_events_v1(core)) == core
