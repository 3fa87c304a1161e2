"""Shared fixtures: an API server on a virtual clock, and a whole cluster."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.cluster import Cluster, ClusterConfig
from engine.store import Store


@pytest.fixture
def api() -> Iterator[APIServer]:
    """An API server with the ``default`` namespace, driven from the test thread."""
    clock = VirtualClock()
    loop = clock.new_event_loop()
    server = APIServer(Store(), clock)
    server.create("namespaces", {"metadata": {"name": "default"}})
    yield server
    server.close()
    loop.close()


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A booted cluster on a capped virtual clock (time moves with advance())."""
    with Cluster(ClusterConfig(virtual=True)) as c:
        yield c

