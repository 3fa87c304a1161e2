"""Acceptance: a scenario spanning one simulated hour runs on the virtual clock
and two runs (separate processes, different hash seeds) log identical events."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(hash_seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "tests.virtual_hour"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600, check=True)
    return out.stdout


def test_one_simulated_hour_is_identical_twice() -> None:
    first, second = _run("1"), _run("2")
    lines = first.splitlines()
    assert len(lines) > 10
    assert any(" ADDED configmaps default/settings " in line for line in lines)
    assert first == second
