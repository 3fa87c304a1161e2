"""A whole cluster on the virtual clock with the network component running."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest

from engine.cluster import Cluster, ClusterConfig
from engine.components import default_components
from engine.network import run_network


@pytest.fixture
def net() -> Iterator[Cluster]:
    """Default components plus ``run_network`` with a two-address LB pool."""
    pool = ["172.18.255.200", "172.18.255.201"]
    components = [c for c in default_components() if c is not run_network]
    components.append(partial(run_network, pool=pool))
    with Cluster(ClusterConfig(virtual=True, components=components)) as c:
        c.advance(2)
        yield c
