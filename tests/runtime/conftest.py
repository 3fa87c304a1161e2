"""Fixtures for the controller runtime: an API server on a virtual clock."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from engine.api.server import APIServer
from engine.client import LocalClient
from engine.clock import VirtualClock
from engine.store import Store


@dataclass
class Env:
    clock: VirtualClock
    loop: Any
    api: APIServer
    client: LocalClient

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run ``coro`` to completion on the engine loop (virtual time jumps)."""
        return self.loop.run_until_complete(coro)


@pytest.fixture
def clock() -> Iterator[VirtualClock]:
    """A bare virtual clock bound to a fresh loop (for tests without an API)."""
    clk = VirtualClock()
    loop = clk.new_event_loop()
    yield clk
    _cancel_pending(loop)
    loop.close()


@pytest.fixture
def env() -> Iterator[Env]:
    """An API server with the ``default`` and ``kube-system`` namespaces."""
    clk = VirtualClock()
    loop = clk.new_event_loop()
    api = APIServer(Store(), clk)
    for ns in ("default", "kube-system"):
        api.create("namespaces", {"metadata": {"name": ns}})
    yield Env(clk, loop, api, LocalClient(api))
    api.close()
    _cancel_pending(loop)
    loop.close()


def _cancel_pending(loop: Any) -> None:
    """Cancel tasks a test left running so the loop closes cleanly."""
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def configmap(
    name: str, namespace: str = "default", labels: dict[str, str] | None = None, **data: str
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if labels:
        meta["labels"] = labels
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    if data:
        obj["data"] = data
    return obj
