"""The recorder's hot path (one pass over the reference, buckets and
aggregates without dataclasses, trims only past the limit) against the plain
algorithm of events_cache.go it replaced: random event streams must give the
same API calls, bodies and results, byte for byte."""

from __future__ import annotations

import json
import random
from collections import OrderedDict
from typing import Any

import pytest

from engine.api import errors
from engine.events import recorder as rec_mod
from engine.events.recorder import EventRecorder

Obj = dict[str, Any]


class _Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def monotonic(self) -> float:
        return self.t

    def now(self) -> float:
        return 1_700_000_000.0 + self.t

    def rfc3339(self) -> str:
        return f"T{int(self.now())}"


class _Client:
    """Records every call; refuses some creates (AlreadyExists) and patches (404)
    by a seeded choice, so both recorders meet the same refusals."""

    def __init__(self, seed: int) -> None:
        self.clock = _Clock()
        self.calls: list[str] = []
        self.rng = random.Random(seed)

    def create(self, resource: str, obj: Obj, **opts: Any) -> Obj:
        self.calls.append(json.dumps(["create", resource, obj, opts]))
        if self.rng.random() < 0.1:
            raise errors.StatusError(409, "AlreadyExists", "taken")
        return obj

    def patch(self, resource: str, name: str, body: Obj, patch_type: str, **opts: Any) -> Obj:
        self.calls.append(json.dumps(["patch", resource, name, body, patch_type, opts]))
        if self.rng.random() < 0.1:
            raise errors.StatusError(404, "NotFound", "gone")
        return {"patched": name, **body}


class _PlainRecorder(EventRecorder):
    """The recorder as it was written first (events_cache.go step by step)."""

    def __init__(self, client: Any, component: str, host: str = "") -> None:
        super().__init__(client, component, host)
        self._plain_buckets: OrderedDict[tuple, list[float]] = OrderedDict()
        self._plain_aggregates: OrderedDict[tuple, list[Any]] = OrderedDict()

    def event(self, obj: Obj, event_type: str, reason: str, message: str,
              *, field_path: str = "") -> Obj | None:
        m = obj.get("metadata", {})
        full = {"kind": obj.get("kind", ""), "namespace": m.get("namespace", ""),
                "name": m.get("name", ""), "uid": m.get("uid", ""),
                "apiVersion": obj.get("apiVersion", ""),
                "resourceVersion": m.get("resourceVersion", "")}
        ref = {k: v for k, v in full.items() if v}
        if field_path:
            ref["fieldPath"] = field_path
        try:
            return self._plain_record(ref, event_type, reason, message)
        except errors.StatusError:
            return None

    def _plain_record(self, ref: Obj, event_type: str, reason: str, message: str) -> Obj | None:
        now = self.clock.monotonic()
        obj_key = ((self.component, self.host), ref.get("kind"), ref.get("namespace"),
                   ref.get("name"), ref.get("uid"), ref.get("apiVersion"))
        bucket = self._plain_buckets.get(obj_key)
        if bucket is None:
            bucket = self._plain_buckets[obj_key] = [float(rec_mod.SPAM_BURST), now]
            while len(self._plain_buckets) > rec_mod.MAX_LRU_CACHE_ENTRIES:
                self._plain_buckets.popitem(last=False)
        else:
            self._plain_buckets.move_to_end(obj_key)
        bucket[0] = min(rec_mod.SPAM_BURST, bucket[0] + (now - bucket[1]) * rec_mod.SPAM_QPS)
        bucket[1] = now
        if bucket[0] < 1:
            return None
        bucket[0] -= 1
        agg_key = (*obj_key, event_type, reason)
        record = self._plain_aggregates.get(agg_key)
        if record is None or now - record[1] > rec_mod.AGGREGATE_INTERVAL:
            record = self._plain_aggregates[agg_key] = [set(), now]
            while len(self._plain_aggregates) > rec_mod.MAX_LRU_CACHE_ENTRIES:
                self._plain_aggregates.popitem(last=False)
        record[1] = now
        record[0].add(message)
        if len(record[0]) < rec_mod.AGGREGATE_MAX_EVENTS:
            dedup_key = (*agg_key, message)
        else:
            message, dedup_key = rec_mod.COMBINED_PREFIX + message, (*agg_key, "combined")
        seen = self._seen.get(dedup_key)
        if seen is not None:
            updated = self._bump(seen, message)
            if updated is not None:
                self._remember(dedup_key, seen)
                return updated
        return self._plain_create(dedup_key, ref, event_type, reason, message)

    def _plain_create(self, key: tuple, ref: Obj, event_type: str, reason: str,
                      message: str) -> Obj:
        stamp = self.clock.rfc3339()
        namespace = ref.get("namespace") or "default"
        nanos = int(self.clock.now() * 1e9)
        while True:
            body = {
                "apiVersion": "v1", "kind": "Event",
                "metadata": {"namespace": namespace},
                "involvedObject": dict(ref), "reason": reason, "message": message,
                "type": event_type,
                "source": {"component": self.component,
                           **({"host": self.host} if self.host else {})},
                "firstTimestamp": stamp, "lastTimestamp": stamp, "count": 1,
                "reportingComponent": self.component, "reportingInstance": self.host,
            }
            body["metadata"]["name"] = f"{ref.get('name', '')}.{nanos:x}"
            try:
                created = self.client.create("events", body, namespace=namespace, owned=True)
                break
            except errors.StatusError as err:
                if err.reason != "AlreadyExists":
                    raise
                nanos += 1
        self._seen[key] = rec_mod._Seen(created["metadata"]["name"], namespace, 1, stamp)
        self._seen.move_to_end(key)
        while len(self._seen) > rec_mod.MAX_LRU_CACHE_ENTRIES:
            self._seen.popitem(last=False)
        return created


def _objects(rng: random.Random) -> list[Obj]:
    out = []
    for i in range(12):
        meta = {"name": f"o{i}", "namespace": rng.choice(["default", "kube-system", "", None]),
                "uid": rng.choice([f"u{i}", ""]), "resourceVersion": rng.choice(["7", "", None])}
        obj = {"kind": rng.choice(["Pod", "Node", ""]), "apiVersion": rng.choice(["v1", ""]),
               "metadata": {k: v for k, v in meta.items() if v is not None}}
        out.append(obj)
    return out


def _stream(recorder: EventRecorder, seed: int) -> list[str]:
    rng = random.Random(seed)
    objects = _objects(rng)
    results = []
    for i in range(2000):
        if rng.random() < 0.05:  # bursts at one instant, then time passes
            recorder.client.clock.t += rng.choice([0.5, 30.0, 400.0, 700.0, 3000.0])
        hot = objects[i // 150 % 6 * 2:][:2]  # two objects at a time are busy
        obj = rng.choice(hot if rng.random() < 0.9 else objects)
        message = "same" if rng.random() < 0.2 else f"m{rng.randrange(14)}"
        result = recorder.event(obj, "Normal" if rng.random() < 0.2 else "Warning",
                                "Pulled" if rng.random() < 0.2 else "BackOff", message,
                                field_path=rng.choice(["", "spec.containers{app}"]))
        results.append(json.dumps(result))
    return results


@pytest.mark.parametrize("seed", range(8))
def test_recorder_matches_the_plain_algorithm(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small LRUs, so that trims happen; with 9 the hot objects' aggregates survive
    # long enough to be combined.
    monkeypatch.setattr(rec_mod, "MAX_LRU_CACHE_ENTRIES", 5 if seed < 4 else 9)
    fast_client, plain_client = _Client(seed), _Client(seed)
    fast = EventRecorder(fast_client, "kubelet", host=("n1" if seed % 2 else ""))  # type: ignore[arg-type]
    plain = _PlainRecorder(plain_client, "kubelet", host=("n1" if seed % 2 else ""))
    assert _stream(fast, seed) == _stream(plain, seed)
    assert fast_client.calls == plain_client.calls
    assert len(fast_client.calls) > 100
    if seed >= 4:
        assert any(rec_mod.COMBINED_PREFIX in call for call in fast_client.calls)
