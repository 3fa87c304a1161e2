"""``Cluster``: the store, the API server and the components on one event loop
in a background thread, with a thread-safe client for the UI.

The loop thread is the only one that runs engine code; the UI and tests talk
to it through :class:`engine.client.ThreadClient`. With a virtual clock the
loop's time only moves when a driver calls ``cluster.advance(seconds)`` (or
when nothing caps it), so every run of a scenario is the same.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from engine.api import meta
from engine.api.server import APIServer
from engine.bootstrap import boot_cluster
from engine.bootstrap.nodes import NodeSpec, node_names
from engine.client import LocalClient, ThreadClient
from engine.clock import Clock, RealClock, VirtualClock
from engine.components import default_components
from engine.runtime.gcpolicy import tune_for_engine
from engine.store import Store

log = logging.getLogger(__name__)

# A component is started on the loop with the cluster and stopped with it.
Component = Callable[["Cluster"], Awaitable[None]]  # see engine/components.py


@dataclass
class ClusterConfig:
    """How to build a cluster. Defaults: one tainted control-plane node and
    two workers, in memory, in real time."""

    name: str = "k9py"
    control_planes: int = 1
    workers: int = 2
    state_dir: str | None = None
    virtual: bool = False
    speed: float = 1.0
    seed: int = 0
    fsync: bool = True
    # The collector's profile (engine/runtime/gcpolicy.py): "throughput" for a
    # headless engine, "interactive" when the process also draws the TUI.
    gc_profile: str = "throughput"
    nodes: list[NodeSpec] | None = None
    components: list[Component] = field(default_factory=default_components)

    def node_specs(self) -> list[NodeSpec]:
        return self.nodes or node_names(self.name, self.control_planes, self.workers)

    def make_clock(self) -> Clock:
        # A virtual clock starts capped: time moves only when a driver advances it.
        return VirtualClock(horizon=0.0) if self.virtual else RealClock(self.speed)


class Cluster:
    """A running embedded cluster."""

    def __init__(self, config: ClusterConfig | None = None, *, clock: Clock | None = None) -> None:
        self.config = config or ClusterConfig()
        self.clock = clock or self.config.make_clock()
        self.loop = self.clock.new_event_loop()
        self.store: Store | None = None
        self.api: APIServer | None = None
        self.client: ThreadClient | None = None
        # Set by the kubelet component (engine/kubelet/manager.py): stop/start
        # kubelets, add/remove nodes, logs and usage.
        self.kubelets: Any = None
        # Set by the scheduler component, if it keeps explanation records.
        self.scheduler: Any = None
        self._thread: threading.Thread | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._stopped = threading.Event()

    # -- lifecycle -------------------------------------------------------------
    def start(self, timeout: float = 30.0) -> Cluster:
        """Boot on a background thread; returns once the cluster is up."""
        tune_for_engine(self.config.gc_profile)  # a large long-lived heap: see gcpolicy.py
        self._thread = threading.Thread(target=self._run, name="k9py-engine", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._boot(), self.loop).result(timeout)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            self._stopped.set()

    async def _boot(self) -> None:
        cfg = self.config
        self.store = Store(cfg.state_dir, fsync=cfg.fsync)
        self.api = APIServer(self.store, self.clock, identity=meta.IdentitySource(cfg.seed))
        self.api.start()
        settle = self.clock.settle if isinstance(self.clock, VirtualClock) else None
        self.client = ThreadClient(self.api, self.loop, settle=settle)
        boot_cluster(self.local_client("k9py-bootstrap"), self.clock, cfg.node_specs(),
                     cfg.name)
        for component in cfg.components:
            self._tasks.append(self.loop.create_task(self._supervise(component)))

    async def _supervise(self, component: Component) -> None:
        try:
            await component(self)
        except asyncio.CancelledError:
            raise
        except Exception:  # a component failure must not take the engine down
            log.exception("component %s failed", getattr(component, "__name__", component))

    def local_client(self, field_manager: str) -> LocalClient:
        """A client for a component running on the loop."""
        assert self.api is not None
        return LocalClient(self.api, field_manager=field_manager)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop components, flush and close the store, end the loop thread."""
        if self._thread is None or not self._thread.is_alive():
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop)
        try:
            future.result(timeout)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout)
            self.loop.close()

    async def _shutdown(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.api is not None:
            self.api.close()
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- driving a virtual clock ---------------------------------------------------
    def advance(self, seconds: float, timeout: float | None = 60.0) -> float:
        """Let ``seconds`` of simulated time pass (virtual clock only)."""
        if not isinstance(self.clock, VirtualClock):
            raise RuntimeError("advance() needs a virtual clock")
        return self.clock.advance(seconds, timeout=timeout)

    def settle(self) -> None:
        """Wait until the engine has handled everything due now."""
        if isinstance(self.clock, VirtualClock) and math.isfinite(self.clock.horizon):
            self.clock.settle(timeout=60.0)
        else:
            self.call(lambda: None)

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn`` on the engine thread and return its result."""
        assert self.client is not None
        return self.client.call(fn, *args)

