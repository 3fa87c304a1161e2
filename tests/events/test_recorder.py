"""The event recorder: upstream names, dedup counts, aggregation, spam filter, TTL."""

from __future__ import annotations

from engine.api.server import APIServer
from engine.client import LocalClient
from engine.events.recorder import WARNING, EventRecorder
from tests.helpers import pod


def _recorder(api: APIServer) -> tuple[EventRecorder, dict]:
    target = api.create("pods", pod("web"), namespace="default")
    return EventRecorder(LocalClient(api), "kubelet", "k9py-worker"), target


def test_event_names_object_and_source(api: APIServer) -> None:
    rec, target = _recorder(api)
    ev = rec.event(target, "Normal", "Pulling", 'Pulling image "nginx:1.14.2"')
    assert ev["metadata"]["name"] == f"web.{int(api.clock.now() * 1e9):x}"
    assert ev["involvedObject"]["kind"] == "Pod"
    assert ev["involvedObject"]["uid"] == target["metadata"]["uid"]
    assert ev["source"] == {"component": "kubelet", "host": "k9py-worker"}
    assert ev["count"] == 1 and ev["firstTimestamp"] == ev["lastTimestamp"]


def test_repeated_event_bumps_count(api: APIServer) -> None:
    rec, target = _recorder(api)
    for _ in range(3):
        rec.event(target, WARNING, "BackOff", "Back-off restarting failed container")
    events = api.list("events", "default")["items"]
    assert len(events) == 1
    assert events[0]["count"] == 3


def test_similar_events_are_combined_after_ten(api: APIServer) -> None:
    rec, target = _recorder(api)
    for i in range(12):
        rec.event(target, WARNING, "FailedMount", f"volume {i} not found")
    messages = [e["message"] for e in api.list("events", "default")["items"]]
    combined = [m for m in messages if m.startswith("(combined from similar events): ")]
    assert len(messages) == 10
    assert combined and combined[-1].endswith("volume 11 not found")


def test_spam_filter_drops_after_burst(api: APIServer) -> None:
    rec, target = _recorder(api)
    written = [rec.event(target, "Normal", f"Reason{i}", "x") for i in range(30)]
    assert sum(e is not None for e in written) == 25


def test_events_expire_after_an_hour(api: APIServer) -> None:
    rec, target = _recorder(api)
    rec.event(target, "Normal", "Scheduled", "Successfully assigned default/web to n1")
    api.start()
    loop = api.clock.loop
    loop.run_until_complete(api.clock.sleep(3000))
    assert len(api.list("events", "default")["items"]) == 1
    loop.run_until_complete(api.clock.sleep(700))
    assert api.list("events", "default")["items"] == []


def test_spam_filter_keeps_an_lru_of_4096_objects(api: APIServer) -> None:
    from engine.events import recorder

    rec, target = _recorder(api)
    rec.event(target, "Normal", "Pulling", "x")  # the oldest object in the cache
    for i in range(recorder.MAX_LRU_CACHE_ENTRIES):
        key = ("kubelet", "k9py-worker"), "Pod", "default", f"p{i}", f"u{i}", "v1"
        assert rec._allow(key, api.clock.monotonic())
    assert len(rec._buckets) == recorder.MAX_LRU_CACHE_ENTRIES
    assert all(k[3] != "web" for k in rec._buckets)  # evicted: it was used least recently
