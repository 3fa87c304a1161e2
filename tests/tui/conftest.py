"""Fixtures for driving k9py headless: one embedded cluster per test module on a
virtual clock, a fresh app per test, and helpers to wait for the UI."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.cluster import Cluster, ClusterConfig
from k9py.app import K9pyApp
from k9py.config import Config
from k9py.embedded import session_for


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    with Cluster(ClusterConfig(virtual=True)) as c:
        yield c


@pytest.fixture
def bare_cluster() -> Iterator[Cluster]:
    """API server only (no kubelets, scheduler or controllers): exact object sets."""
    with Cluster(ClusterConfig(virtual=True, components=[])) as c:
        yield c


@pytest.fixture(autouse=True)
def _config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the developer's own k9py config."""
    monkeypatch.setenv("K9PY_CONFIG_DIR", str(tmp_path / "k9py-config"))


def make_app(cluster: Cluster, *, readonly: bool = False, command: str = "pods",
             theme: str = "k9py-dark", config: Config | None = None) -> K9pyApp:
    return K9pyApp(session_for(cluster, readonly=readonly), config=config or Config(),
                   command=command, theme=theme, readonly=readonly)


def run(coro) -> None:  # noqa: ANN001
    """Tests are plain functions; each drives the app in its own event loop."""
    asyncio.run(coro)
