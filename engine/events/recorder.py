"""The event recorder every component uses to say what it did.

As client-go's ``tools/record`` (``event.go``, ``events_cache.go``): events are
core/v1 Events named ``<object>.<hex nanoseconds>``; a repeat of the same event
patches the existing one (``count`` + 1, new ``lastTimestamp``); after 10
events that differ only in message within 10 minutes, further ones are
combined into one event whose message starts ``(combined from similar
events): ``; and a per-object token bucket (burst 25, one token per 5
minutes) drops spam. Recording never fails the caller: events are best effort.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from engine.api import errors
from engine.client import LocalClient

log = logging.getLogger(__name__)

Obj = dict[str, Any]

NORMAL = "Normal"
WARNING = "Warning"

# events_cache.go defaults.
MAX_LRU_CACHE_ENTRIES = 4096
AGGREGATE_MAX_EVENTS = 10
AGGREGATE_INTERVAL = 600.0
SPAM_BURST = 25
SPAM_QPS = 1.0 / 300.0
COMBINED_PREFIX = "(combined from similar events): "


class _Seen:
    """What the logger remembers of an event it wrote (events_cache.go eventLog)."""

    __slots__ = ("name", "namespace", "count", "first_timestamp")

    def __init__(self, name: str, namespace: str, count: int, first_timestamp: str) -> None:
        self.name = name
        self.namespace = namespace
        self.count = count
        self.first_timestamp = first_timestamp


class _Aggregate:
    __slots__ = ("messages", "last")

    def __init__(self, messages: set[str], last: float) -> None:
        self.messages = messages
        self.last = last


class _Bucket:
    __slots__ = ("tokens", "last")

    def __init__(self, tokens: float, last: float) -> None:
        self.tokens = tokens
        self.last = last


def object_reference(obj: Obj) -> Obj:
    """``ref.GetReference``: the involvedObject of an event about ``obj``
    (its set fields, in this order)."""
    m = obj.get("metadata", {})
    get = m.get
    ref = {"kind": obj.get("kind"), "namespace": get("namespace"), "name": get("name"),
           "uid": get("uid"), "apiVersion": obj.get("apiVersion"),
           "resourceVersion": get("resourceVersion")}
    if all(ref.values()):
        return ref
    return {k: v for k, v in ref.items() if v}


class EventRecorder:
    """Records events for one component (``source.component``) on one host."""

    def __init__(self, client: LocalClient, component: str, host: str = "") -> None:
        self.client = client
        self.component = component
        self.host = host
        self._seen: OrderedDict[tuple, _Seen] = OrderedDict()
        self._aggregates: OrderedDict[tuple, _Aggregate] = OrderedDict()
        self._buckets: OrderedDict[tuple, _Bucket] = OrderedDict()

    @property
    def clock(self):  # noqa: ANN201
        return self.client.clock

    def event(self, obj: Obj, event_type: str, reason: str, message: str,
              *, field_path: str = "") -> Obj | None:
        """Record that ``reason: message`` happened to ``obj``."""
        ref = object_reference(obj)
        if field_path:
            ref["fieldPath"] = field_path
        try:
            return self._record(ref, event_type, reason, message)
        except errors.StatusError as err:  # e.g. the namespace is gone
            log.debug("event %s on %s dropped: %s", reason, ref.get("name"), err)
            return None

    def _record(self, ref: Obj, event_type: str, reason: str, message: str) -> Obj | None:
        now = self.clock.monotonic()
        get = ref.get
        obj_key = ((self.component, self.host), get("kind"), get("namespace"), get("name"),
                   get("uid"), get("apiVersion"))
        if not self._allow(obj_key, now):
            return None
        # Combined events share one key (without the message), so later ones
        # patch the combined event instead of adding more (eventObserve(ckey)).
        message, dedup_key = self._aggregate((*obj_key, event_type, reason), message, now)
        seen = self._seen.get(dedup_key)
        if seen is not None:
            updated = self._bump(seen, message)
            if updated is not None:
                self._remember(dedup_key, seen)
                return updated
        return self._create(dedup_key, ref, event_type, reason, message)

    def _allow(self, key: tuple, now: float) -> bool:
        """The spam filter: a token bucket per source and object, in an LRU
        cache of 4,096 as upstream's (a long session does not keep one per pod
        it ever saw)."""
        buckets = self._buckets
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = _Bucket(float(SPAM_BURST), now)
            _trim(buckets)
        else:
            buckets.move_to_end(key)
        tokens = bucket.tokens + (now - bucket.last) * SPAM_QPS
        if tokens > SPAM_BURST:
            tokens = SPAM_BURST
        bucket.last = now
        if tokens < 1:
            bucket.tokens = tokens
            return False
        bucket.tokens = tokens - 1
        return True

    def _aggregate(self, key: tuple, message: str, now: float) -> tuple[str, tuple]:
        """After 10 distinct messages in 10 minutes, combine similar events."""
        aggregates = self._aggregates
        record = aggregates.get(key)
        if record is None or now - record.last > AGGREGATE_INTERVAL:
            record = aggregates[key] = _Aggregate(set(), now)
            _trim(aggregates)
        record.last = now
        record.messages.add(message)
        if len(record.messages) < AGGREGATE_MAX_EVENTS:
            return message, (*key, message)
        return COMBINED_PREFIX + message, (*key, "combined")

    def _bump(self, seen: _Seen, message: str) -> Obj | None:
        """Patch a repeated event: count + 1 and a new lastTimestamp."""
        seen.count += 1
        patch = {"count": seen.count, "lastTimestamp": self.clock.rfc3339(), "message": message}
        try:
            return self.client.patch("events", seen.name, patch,
                                     "application/merge-patch+json", namespace=seen.namespace)
        except errors.StatusError as err:
            if err.code != 404:
                raise
            return None  # the event expired; write a new one

    def _create(self, key: tuple, ref: Obj, event_type: str, reason: str,
                message: str) -> Obj:
        clock = self.clock
        stamp = clock.rfc3339()
        namespace = ref.get("namespace") or "default"
        nanos = int(clock.now() * 1e9)
        prefix = f"{ref.get('name', '')}."
        while True:
            body = self._body(ref, event_type, reason, message, stamp, namespace)
            body["metadata"]["name"] = f"{prefix}{nanos:x}"
            try:
                # owned: built afresh for each attempt and not used again, so
                # the API server takes it uncopied; ``created`` is only read.
                created = self.client.create("events", body, namespace=namespace, owned=True)
                break
            except errors.StatusError as err:
                if err.reason != "AlreadyExists":
                    raise
                nanos += 1  # two events in the same simulated nanosecond
        self._remember(key, _Seen(created["metadata"]["name"], namespace, 1, stamp))
        return created

    def _body(self, ref: Obj, event_type: str, reason: str, message: str, stamp: str,
              namespace: str) -> Obj:
        """A new Event of fresh values (``ref`` copied: the server may default it)."""
        return {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"namespace": namespace},
            "involvedObject": dict(ref), "reason": reason, "message": message,
            "type": event_type,
            "source": ({"component": self.component, "host": self.host} if self.host
                       else {"component": self.component}),
            "firstTimestamp": stamp, "lastTimestamp": stamp, "count": 1,
            "reportingComponent": self.component, "reportingInstance": self.host,
        }

    def _remember(self, key: tuple, seen: _Seen) -> None:
        cache = self._seen
        cache[key] = seen
        cache.move_to_end(key)
        _trim(cache)


def _trim(cache: OrderedDict) -> None:
    while len(cache) > MAX_LRU_CACHE_ENTRIES:
        cache.popitem(last=False)
