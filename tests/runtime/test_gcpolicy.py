"""The engine's garbage-collector thresholds: raised, never lowered."""

from __future__ import annotations

import gc

from engine.runtime import gcpolicy


def test_raises_default_thresholds_and_returns_the_old_ones() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert gcpolicy.tune_for_engine() == (700, 10, 10)
        assert gc.get_threshold() == (gcpolicy.GEN0, gcpolicy.GEN1, gcpolicy.GEN2)
    finally:
        gc.set_threshold(*saved)


def test_keeps_larger_thresholds_a_host_chose() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(8_000_000, 5, 1000)
        gcpolicy.tune_for_engine()
        assert gc.get_threshold() == (8_000_000, gcpolicy.GEN1, 1000)
    finally:
        gc.set_threshold(*saved)


def test_interactive_profile_keeps_young_collections_small() -> None:
    """A process drawing the TUI keeps pauses short (``k9py.app.tune_gc``'s values)."""
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        gcpolicy.tune_for_engine("interactive")
        assert gc.get_threshold() == gcpolicy.INTERACTIVE
        assert gcpolicy.INTERACTIVE[0] < gcpolicy.THROUGHPUT[0]
    finally:
        gc.set_threshold(*saved)


def test_unknown_profile_is_refused_and_changes_nothing() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        try:
            gcpolicy.tune_for_engine("fast")
        except ValueError as err:
            assert "interactive, throughput" in str(err)
        else:
            raise AssertionError("an unknown profile was accepted")
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*saved)
