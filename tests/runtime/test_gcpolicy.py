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
        gc.set_threshold(100_000, 5, 1000)
        gcpolicy.tune_for_engine()
        assert gc.get_threshold() == (100_000, gcpolicy.GEN1, 1000)
    finally:
        gc.set_threshold(*saved)
