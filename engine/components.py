"""The control-plane components a cluster runs by default.

Each entry is ``module:function``; the function is ``async def f(cluster)``
and runs on the engine loop until cancelled. Entries whose module is not
present are skipped, so a cluster can be built from whatever subsystems
exist (and tests can pass their own list in ``ClusterConfig.components``).
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

Component = Callable[[Any], Awaitable[None]]

# In start order: kubelets register nodes, then the scheduler and the
# controller manager (as kubeadm brings them up).
DEFAULT = (
    "engine.kubelet.manager:run_kubelets",
    "engine.controllers.manager:run_controller_manager",
    "engine.scheduler.scheduler:run_scheduler",
    "engine.network:run_network",
)


def default_components() -> list[Component]:
    found: list[Component] = []
    for entry in DEFAULT:
        module_name, _, attr = entry.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name and module_name.startswith(err.name):
                continue  # that subsystem is not built yet
            raise
        found.append(getattr(module, attr))
    return found
