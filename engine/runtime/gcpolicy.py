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
them and make full collections rare. They are the values the TUI already uses
for its own process (``k9py.app.tune_gc``), so a headless engine (``--serve``,
tests, benchmarks) runs with the same policy. Cycles are still collected: by
the young generations as before, and by full collections, only less often.
"""

from __future__ import annotations

import gc

# Allocations between young collections; young collections per middle one;
# middle collections per full one (CPython also waits until a quarter of the
# heap is new since the last full collection).
GEN0 = 50_000
GEN1 = 20
GEN2 = 100


def tune_for_engine() -> tuple[int, int, int]:
    """Raise the collector's thresholds to at least the engine's (never lower
    them: a host that chose larger ones keeps them); returns the previous ones."""
    before = gc.get_threshold()
    gen0, gen1, gen2 = before
    gc.set_threshold(max(gen0, GEN0), max(gen1, GEN1), max(gen2, GEN2))
    return before
