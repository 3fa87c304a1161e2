"""A cluster with kubelets only (pods bound by hand), as in tests/kubelet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.cluster import Cluster, ClusterConfig
from engine.kubelet.manager import run_kubelets


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    with Cluster(ClusterConfig(virtual=True, components=[run_kubelets], fsync=False)) as c:
        c.advance(0.5)  # kubelets registered
        yield c
