"""Fixtures for driving k9py headless: one embedded cluster per test module on a
virtual clock, a fresh app per test, and helpers to wait for the UI."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from engine.cluster import Cluster, ClusterConfig
from k9py.app import K9pyApp
from k9py.config import Config
from k9py.embedded import session_for
from tests.tui.helpers import open_on

Steps = Callable[[Pilot, K9pyApp], Awaitable[None]]


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


def drive(cluster: Cluster, steps: Steps, *, select: str | None = None,
          size: tuple[int, int] = (160, 45), **app_options: Any) -> None:
    """Run ``steps(pilot, app)`` on a fresh headless app (``app_options`` go to
    ``make_app``); with ``select``, first wait for that row and put the cursor
    on it. One place for the scaffolding every UI test needs, so a test body
    holds only its keys and assertions."""

    async def scenario() -> None:
        app = make_app(cluster, **app_options)
        async with app.run_test(size=size) as pilot:
            if select is not None:
                await open_on(pilot, app, select)
            await steps(pilot, app)

    run(scenario())
