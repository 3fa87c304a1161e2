"""Crash test through the API: a writer process is killed with SIGKILL at
random moments; after every restart each acknowledged write is there,
revisions only grow, and the store opens without repair."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(state: Path, start: int, count: int, delay: float) -> list[tuple[str, int]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(WRITER), str(state), str(start), str(count)],
                            stdout=subprocess.PIPE, text=True, env=env)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    acked = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:  # a line cut by the kill was never acknowledged
            acked.append((parts[0], int(parts[1])))
    return acked


def _trials(tmp_path: Path, trials: int, per_trial: int) -> None:
    rng = random.Random(1234)
    acknowledged: dict[str, int] = {}
    last_revision = 0
    for trial in range(trials):
        acked = _run_and_kill(tmp_path, trial * per_trial, per_trial, rng.uniform(0.3, 1.2))
        acknowledged.update(acked)
        clock = VirtualClock()
        clock.new_event_loop()
        store = Store(tmp_path)
        api = APIServer(store, clock)
        try:
            items = api.list("configmaps", "default")["items"]
            present = {o["metadata"]["name"]: int(o["metadata"]["resourceVersion"])
                       for o in items}
            missing = [name for name in acknowledged if name not in present]
            assert not missing, f"trial {trial}: acknowledged writes lost: {missing[:5]}"
            assert store.revision >= last_revision, "revision went backwards"
            for name, rv in acknowledged.items():
                assert present[name] == rv
            last_revision = store.revision
        finally:
            api.close()
            store.close()
    assert len(acknowledged) > trials  # the writers did get work done


def test_api_writes_survive_sigkill(tmp_path: Path) -> None:
    _trials(tmp_path, trials=20, per_trial=500)


@pytest.mark.slow
def test_api_writes_survive_sigkill_10k(tmp_path: Path) -> None:
    _trials(tmp_path, trials=40, per_trial=10_000 // 20)
