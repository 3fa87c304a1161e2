"""Fixtures for the workload controller tests.

``kcm``: a cluster on a capped virtual clock whose only component is a
controller manager running the workload controllers (no kubelets, no
scheduler); tests play kubelet with :func:`tests.controllers.conftest.mark_ready`.

``full``: a whole cluster (kubelets, controller manager, scheduler, pod GC) -
with a stand-in scheduler from :mod:`.binder` while ``engine.scheduler`` has
none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.cluster import Cluster, ClusterConfig
from engine.components import default_components
from engine.controllers.manager import ControllerManager, default_controllers
from tests.controllers.workloads.binder import scheduler_component

Obj = dict[str, Any]


def workload_controllers() -> dict[str, Any]:
    """The manager's controllers (the workload ones among them)."""
    return default_controllers()


async def workload_manager(cluster: Cluster) -> None:
    """kube-controller-manager with the workload controllers, without node lifecycle."""
    await ControllerManager(cluster, node_lifecycle=False,
                            controllers=workload_controllers()).run()


@pytest.fixture
def kcm() -> Iterator[Cluster]:
    with Cluster(ClusterConfig(virtual=True, components=[workload_manager],
                               fsync=False)) as c:
        c.advance(1)
        yield c


def pod_gc_component() -> list[Any]:
    """The pod garbage collector (pods of vanished nodes), while the controller
    manager does not start it itself."""
    try:
        from engine.controllers.nodelifecycle.podgc import run_pod_gc_controller
    except ImportError:
        return []
    return [run_pod_gc_controller]


@pytest.fixture
def full() -> Iterator[Cluster]:
    """The default components (kubelets, controller manager, scheduler) and the
    pod GC; the stand-in binder only while no scheduler is built."""
    components = [*default_components(), *pod_gc_component()]
    if not any(getattr(c, "__module__", "") == "engine.scheduler.scheduler"
               for c in components):
        components.append(scheduler_component())
    with Cluster(ClusterConfig(virtual=True, components=components, fsync=False)) as c:
        c.advance(2)
        yield c
