"""The engine's garbage-collector thresholds: raised, never lowered."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from engine.runtime import gcpolicy


@pytest.fixture(autouse=True)
def cpython_defaults() -> Iterator[None]:
    """Each test starts from CPython's default thresholds; the process's own
    thresholds are restored afterwards."""
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def test_raises_default_thresholds_and_returns_the_old_ones() -> None:
    assert gcpolicy.tune_for_engine() == (700, 10, 10)
    assert gc.get_threshold() == gcpolicy.THROUGHPUT


def test_keeps_larger_thresholds_a_host_chose() -> None:
    gc.set_threshold(8_000_000, 5, 1000)
    gcpolicy.tune_for_engine()
    assert gc.get_threshold() == (8_000_000, gcpolicy.THROUGHPUT[1], 1000)


def test_interactive_profile_keeps_young_collections_small() -> None:
    """A process drawing the TUI keeps pauses short (``k9py.app.tune_gc``'s values)."""
    gcpolicy.tune_for_engine("interactive")
    assert gc.get_threshold() == gcpolicy.INTERACTIVE
    assert gcpolicy.INTERACTIVE[0] < gcpolicy.THROUGHPUT[0]


def test_unknown_profile_is_refused_and_changes_nothing() -> None:
    with pytest.raises(ValueError, match="interactive, throughput"):
        gcpolicy.tune_for_engine("fast")
    assert gc.get_threshold() == (700, 10, 10)
