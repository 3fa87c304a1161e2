"""Crash safety: SIGKILL a writing process at random moments, reopen, check.

The acceptance criterion: every write acknowledged before the kill is there
after reopening, revisions stay monotonic, and the directory opens without
repair, trial after trial on the same directory.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from engine.store import Store

HELPER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT_COUNT = 100  # small, so kills also land in snapshot rotation and pruning


@dataclass
class Acks:
    """What the children acknowledged, over all trials so far."""

    keys: dict[str, int] = field(default_factory=dict)
    counter: int = 0
    max_revision: int = 1
    writes: int = 0


def _reader(proc: subprocess.Popen, lines: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.endswith("\n"):  # a line cut by the kill was never acknowledged
            lines.append(line.rstrip("\n"))


def _run_child(state_dir: Path, trial: int, kill_after: int, rng: random.Random) -> list[str]:
    """Start a writer, SIGKILL it after about ``kill_after`` acks, return its lines."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, str(HELPER), str(state_dir), str(trial), str(SNAPSHOT_COUNT)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    reader = threading.Thread(target=_reader, args=(proc, lines))
    reader.start()
    deadline = time.monotonic() + 20
    while len(lines) < kill_after + 1 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(rng.uniform(0, 0.004))  # land anywhere in a write, fsync or snapshot
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join()
    assert proc.returncode == -signal.SIGKILL, "the writer died before it was killed"
    return lines


def _tear_tail(state_dir: Path, rng: random.Random) -> None:
    """Append a partial record, as a power cut in the middle of a write would.

    (A SIGKILL cannot tear a ``write`` to a regular file, so the kills alone
    never produce this.) Those bytes were never acknowledged."""
    newest = sorted(state_dir.glob("wal-*.log"))[-1]
    with open(newest, "ab") as f:
        f.write(rng.randbytes(rng.randint(1, 64)))


def _record(lines: list[str], acks: Acks) -> None:
    """Check the trial's own acks are monotonic, then add them to ``acks``."""
    kind, ready_revision = lines[0].split()
    assert kind == "ready"
    assert int(ready_revision) >= acks.max_revision, "reopening lost acknowledged revisions"
    first = True
    for line in lines[1:]:
        kind, what, rev = line.split()
        revision = int(rev)
        if first:
            assert revision > acks.max_revision, "a new write reused an old revision"
            first = False
        if kind == "K":
            acks.keys[what] = revision
        else:
            acks.counter = max(acks.counter, int(what))
        acks.max_revision = max(acks.max_revision, revision)
        acks.writes += 1


def _verify(state_dir: Path, acks: Acks) -> None:
    """Reopen in-process: every acknowledged write is there; revisions move on."""
    with Store(state_dir, snapshot_count=SNAPSHOT_COUNT) as store:
        assert store.revision >= acks.max_revision
        for key, revision in acks.keys.items():
            kv = store.get(key)
            assert kv is not None, f"acknowledged key {key} (revision {revision}) lost"
            assert kv.mod_revision >= revision
        if acks.counter:
            assert int(store.get("/crash/counter").value) >= acks.counter
        probe = store.put("/crash/probe", b"x")
        assert probe.mod_revision > acks.max_revision
        acks.max_revision = probe.mod_revision


def _crash_trials(state_dir: Path, trials: int, target_writes: int, seed: int) -> Acks:
    rng = random.Random(seed)
    acks = Acks()
    for trial in range(trials):
        left = trials - trial
        quota = max(1, -(-(target_writes - acks.writes) // left))
        kill_after = quota if left == 1 else rng.randint(max(1, quota // 2), quota * 3 // 2)
        lines = _run_child(state_dir, trial, kill_after, rng)
        if rng.random() < 0.3:
            _tear_tail(state_dir, rng)
        _record(lines, acks)
        _verify(state_dir, acks)
    return acks


def test_sigkill_during_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    seed = int(os.environ.get("STORE_CRASH_SEED", random.randrange(1 << 30)))
    print(f"STORE_CRASH_SEED={seed}")
    acks = _crash_trials(tmp_path / "state", trials=20, target_writes=10_000, seed=seed)
    assert acks.writes >= 10_000, f"seed {seed}"


@pytest.mark.slow
def test_sigkill_many_trials(tmp_path: Path) -> None:
    seed = int(os.environ.get("STORE_CRASH_SEED", random.randrange(1 << 30)))
    print(f"STORE_CRASH_SEED={seed}")
    acks = _crash_trials(tmp_path / "state", trials=200, target_writes=100_000, seed=seed)
    assert acks.writes >= 100_000, f"seed {seed}"
