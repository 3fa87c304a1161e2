"""Fixtures for the workload controller tests.

``kcm``: a cluster on a capped virtual clock whose only component is a
controller manager running the workload controllers (no kubelets, no
scheduler); tests play kubelet with :func:`tests.controllers.conftest.mark_ready`.

``full``: a whole cluster (kubelets, controller manager, scheduler, pod GC) -
with a stand-in scheduler from :mod:`.binder` while ``engine.scheduler`` has
none.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest

from engine.cluster import Cluster, ClusterConfig
from engine.controllers.manager import ControllerManager, default_controllers
from tests.controllers.workloads.binder import scheduler_component

Obj = dict[str, Any]


WORKLOADS = {
    "statefulset": "engine.controllers.statefulset:StatefulSetController",
    "daemonset": "engine.controllers.daemon:DaemonSetsController",
    "job": "engine.controllers.job:JobController",
    "cronjob": "engine.controllers.cronjob:CronJobController",
    "ttl-after-finished": "engine.controllers.job:TTLAfterFinishedController",
}


def workload_controllers() -> dict[str, Any]:
    """The default controllers plus every workload controller (whether or not
    ``default_controllers`` lists it yet)."""
    found = dict(default_controllers())
    for name, entry in WORKLOADS.items():
        module, _, attr = entry.partition(":")
        try:
            found[name] = getattr(importlib.import_module(module), attr)
        except (ModuleNotFoundError, AttributeError):
            continue
    return found


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
    """Kubelets, the controller manager (with node lifecycle) and a scheduler."""
    from engine.kubelet.manager import run_kubelets

    async def manager(cluster: Cluster) -> None:
        await ControllerManager(cluster, controllers=workload_controllers()).run()

    components = [run_kubelets, manager, scheduler_component(), *pod_gc_component()]
    with Cluster(ClusterConfig(virtual=True, components=components, fsync=False)) as c:
        c.advance(2)
        yield c
