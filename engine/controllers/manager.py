"""kube-controller-manager: leader election, then every controller on one
shared informer factory.

Upstream: ``cmd/kube-controller-manager/app/controllermanager.go`` (``Run``:
``leaderelection.RunOrDie`` on the Lease ``kube-system/kube-controller-manager``
with identity ``<hostname>_<uuid>``, lease 15 s, renew deadline 10 s, retry
2 s; ``StartControllers`` with one ``SharedInformerFactory``). Only the
leader runs controllers. Upstream exits when it loses the lease (and is
restarted by the kubelet); here the manager stops its controllers and
contends again.

The identity's uuid comes from the cluster's seed, so virtual-clock runs are
reproducible.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from engine.runtime import (
    Controller,
    LeaderCallbacks,
    LeaderElectionConfig,
    LeaderElector,
    LeaseLock,
    SharedInformerFactory,
)

log = logging.getLogger(__name__)

LEASE_NAME = "kube-controller-manager"
LEASE_NAMESPACE = "kube-system"
FIELD_MANAGER = "kube-controller-manager"
LEASE_DURATION = 15.0
RENEW_DEADLINE = 10.0
RETRY_PERIOD = 2.0

ControllerFactory = Callable[[Any, SharedInformerFactory], Controller]


def default_controllers() -> dict[str, ControllerFactory]:
    """The controllers this manager starts, by upstream's controller names."""
    from engine.controllers.cronjob import CronJobController
    from engine.controllers.daemon import DaemonSetsController
    from engine.controllers.deployment import DeploymentController
    from engine.controllers.endpoint import EndpointController
    from engine.controllers.endpointslice import EndpointSliceController
    from engine.controllers.garbagecollector import GarbageCollector
    from engine.controllers.job import JobController, TTLAfterFinishedController
    from engine.controllers.namespace import NamespaceController
    from engine.controllers.replicaset import ReplicaSetController
    from engine.controllers.replication import ReplicationManager
    from engine.controllers.statefulset import StatefulSetController
    from engine.controllers.storage_and_access import storage_and_access_controllers

    return {
        "deployment": DeploymentController,
        "replicaset": ReplicaSetController,
        "replicationcontroller": ReplicationManager,
        "garbage-collector": GarbageCollector,
        "namespace": NamespaceController,
        "statefulset": StatefulSetController,
        "daemonset": DaemonSetsController,
        "job": JobController,
        "cronjob": CronJobController,
        "ttl-after-finished": TTLAfterFinishedController,
        "endpoint": EndpointController,
        "endpointslice": EndpointSliceController,
        **storage_and_access_controllers(),
    }


def default_identity(cluster: Any) -> str:
    """``<hostname>_<uuid>``: the control-plane node's name, a seeded uuid."""
    specs = cluster.config.node_specs()
    host = next((s.name for s in specs if s.control_plane), cluster.config.name)
    rng = random.Random(f"kube-controller-manager/{cluster.config.seed}")
    return f"{host}_{uuid.UUID(int=rng.getrandbits(128), version=4)}"


class ControllerManager:
    """One kube-controller-manager process."""

    def __init__(self, cluster: Any, *, identity: str | None = None,
                 controllers: dict[str, ControllerFactory] | None = None,
                 node_lifecycle: bool = True) -> None:
        self.cluster = cluster
        self.client = cluster.local_client(FIELD_MANAGER)
        self.identity = identity or default_identity(cluster)
        self.factories = controllers if controllers is not None else default_controllers()
        self.node_lifecycle = node_lifecycle
        self.controllers: dict[str, Controller] = {}
        self.factory: SharedInformerFactory | None = None  # while leading
        self.leading = False
        self.elector: LeaderElector | None = None
        self._stopped = False

    async def run(self) -> None:
        """Contend for the lease; lead until it is lost; contend again."""
        try:
            while not self._stopped:
                self.elector = LeaderElector(self._config())
                await self.elector.run()
                await asyncio.sleep(0)
        finally:
            if self.elector is not None:
                self.elector.stop()

    def stop(self) -> None:
        """Stop leading and contending (the process exits; the lease is not released)."""
        self._stopped = True
        if self.elector is not None:
            self.elector.stop()

    def _config(self) -> LeaderElectionConfig:
        lock = LeaseLock(self.client, LEASE_NAME, self.identity, namespace=LEASE_NAMESPACE)
        callbacks = LeaderCallbacks(on_started_leading=self._lead,
                                    on_new_leader=self._new_leader)
        return LeaderElectionConfig(lock, LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD,
                                    callbacks, name=LEASE_NAME)

    def _new_leader(self, identity: str) -> None:
        if identity != self.identity:
            log.info("new leader elected: %s", identity)

    async def _lead(self) -> None:
        """``StartControllers``: build every controller on one factory, run them."""
        factory = self.factory = SharedInformerFactory(self.client)
        self.controllers = {name: make(self.client, factory)
                            for name, make in self.factories.items()}
        factory.start()
        loop = asyncio.get_running_loop()
        tasks = [loop.create_task(c.run(), name=f"kcm-{n}") for n, c in self.controllers.items()]
        for name, extra in self._node_controllers(factory):
            tasks.append(loop.create_task(extra, name=f"kcm-{name}"))
        self.leading = True
        try:
            await asyncio.gather(*tasks)
        finally:
            self.leading = False
            for ctrl in self.controllers.values():
                ctrl.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            factory.stop()

    def _node_controllers(self, factory: SharedInformerFactory
                          ) -> list[tuple[str, Awaitable[None]]]:
        """The node lifecycle and pod GC controllers (engine/controllers/nodelifecycle),
        on the manager's factory as upstream's: one pod, node and lease cache for all."""
        if not self.node_lifecycle:
            return []
        from engine.controllers.nodelifecycle import run_node_lifecycle_controller
        from engine.controllers.nodelifecycle.podgc import run_pod_gc_controller

        return [("nodelifecycle", run_node_lifecycle_controller(self.cluster, factory)),
                ("podgc", run_pod_gc_controller(self.cluster, factory))]


async def run_controller_manager(cluster: Any) -> None:
    """The cluster component (see ``engine/components.py``)."""
    await ControllerManager(cluster).run()
