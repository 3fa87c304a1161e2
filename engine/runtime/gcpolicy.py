"""Garbage-collector thresholds for a process that runs the engine.

The engine keeps a large, long-lived heap of decoded API objects (every
informer cache, the watch cache, the scheduler's cache) and allocates many
short-lived ones: each watch event decodes the object once, each write builds
its request and managed fields. With CPython's default thresholds (700, 10,
10) the young generation is collected every 700 allocations, and a full
collection - a walk over the whole heap, a second or more at 10,000 pods -
runs whenever a quarter of the heap's size has been promoted since the last
one, which churning pod versions do again and again. Most of those objects
are acyclic JSON and die by reference counting anyway.

Larger thresholds let short-lived objects die before a collection ever sees
them and make full collections rare. Cycles are still collected: by the young
generations as before, and by full collections, only less often.

Two profiles, because a young collection's pause grows with its threshold:

* ``THROUGHPUT`` (headless engines: ``k9py serve``, tests, benchmarks). A
  young collection every four million net allocations. What a young
  collection finds here is almost all live: the pods, nodes and events the
  informers and caches hold (cycles are rare: asyncio's tasks and exceptions),
  so each one walks objects only to promote them. Measured on the
  10,000-replica Deployment on 1,000 nodes: at 50,000, 5.5 s in the collector;
  at one million, 11 collections and 0.7 s; at four million the run needs
  none (20.3 s -> 19.6 s). The price is a longer pause when one does come
  (about 0.3 s at that heap) and cyclic garbage kept that much longer.
* ``INTERACTIVE`` (a process that also draws the TUI). Pauses of a tenth of a
  second would show as keypress-to-frame latency, so collections stay small
  and frequent; these are the values ``k9py.app.tune_gc`` sets.
"""

from __future__ import annotations

import gc

Thresholds = tuple[int, int, int]

# Allocations between young collections; young collections per middle one;
# middle collections per full one (CPython also waits until a quarter of the
# heap is new since the last full collection).
THROUGHPUT: Thresholds = (4_000_000, 20, 100)
INTERACTIVE: Thresholds = (50_000, 20, 100)
PROFILES: dict[str, Thresholds] = {"throughput": THROUGHPUT, "interactive": INTERACTIVE}


def tune_for_engine(profile: str = "throughput") -> Thresholds:
    """Raise the collector's thresholds to at least ``profile``'s (never lower
    them: a host that chose larger ones keeps them); returns the previous ones."""
    if profile not in PROFILES:
        raise ValueError(
            f"unknown garbage-collector profile {profile!r}: one of {', '.join(sorted(PROFILES))}"
        )
    before = gc.get_threshold()
    gc.set_threshold(
        *(max(have, want) for have, want in zip(before, PROFILES[profile], strict=True))
    )
    return before
