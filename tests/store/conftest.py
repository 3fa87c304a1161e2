"""Shared fixtures for the store tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.store import Event, Store


@pytest.fixture
def store() -> Iterator[Store]:
    """A purely in-memory store."""
    s = Store()
    yield s
    s.close()


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


class Recorder:
    """A watch callback that keeps every batch it is given."""

    def __init__(self) -> None:
        self.batches: list[list[Event]] = []

    def __call__(self, events: list[Event]) -> None:
        self.batches.append(list(events))

    @property
    def events(self) -> list[Event]:
        return [e for batch in self.batches for e in batch]

    def summary(self) -> list[tuple[str, str, bytes, int]]:
        """(type, key, value, revision) per event: what a watcher acts on."""
        return [(e.type, e.kv.key, e.kv.value, e.kv.mod_revision) for e in self.events]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()
