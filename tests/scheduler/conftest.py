"""Clusters with the kubelets and the scheduler, on a capped virtual clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.cluster import Cluster, ClusterConfig
from engine.kubelet.manager import run_kubelets
from engine.scheduler.scheduler import run_scheduler


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """One control-plane node and two workers, kubelets and scheduler only."""
    config = ClusterConfig(virtual=True, components=[run_kubelets, run_scheduler], fsync=False)
    with Cluster(config) as c:
        c.advance(1)  # nodes registered and Ready, scheduler synced
        yield c


@pytest.fixture
def full_cluster() -> Iterator[Cluster]:
    """Every default component (controllers too), for Deployments."""
    with Cluster(ClusterConfig(virtual=True, fsync=False)) as c:
        c.advance(1)
        yield c
