"""Fixtures for the apply engine's tests: a cluster on the virtual clock and
ways to look at all of it."""

from __future__ import annotations

import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.api.errors import StatusError
from engine.api.resources import RESOURCES
from engine.cluster import Cluster, ClusterConfig

Obj = dict[str, Any]


@pytest.fixture
def vcluster() -> Iterator[Cluster]:
    """A booted cluster on a capped virtual clock, settled."""
    with Cluster(ClusterConfig(virtual=True)) as c:
        c.advance(1)
        yield c


def dump(client: Any) -> dict[tuple[str, str, str], str]:
    """Every object's resourceVersion: (resource, namespace, name) -> rv."""
    out = {}
    for info in RESOURCES:
        if "list" not in info.verbs:
            continue
        for obj in client.list(info)["items"]:
            m = obj["metadata"]
            out[(info.group_resource, m.get("namespace", ""), m["name"])] = m["resourceVersion"]
    return out


def ensure_default_service_accounts(client: Any, *namespaces: str) -> None:
    """What the service-account controller does for each namespace (until it exists):
    pods are only admitted once their namespace has the ``default`` account."""
    for ns in namespaces or ("default",):
        try:
            client.create("serviceaccounts", {"metadata": {"name": "default"}}, namespace=ns)
        except StatusError as err:
            if err.code != 409:
                raise


@pytest.fixture(scope="session")
def served_kubeconfig() -> Iterator[Path]:
    """``python -m k9py serve`` in a subprocess, for the real kubectl; its kubeconfig."""
    from tests.rest.conftest import _served

    with tempfile.TemporaryDirectory() as tmp:
        served = _served(Path(tmp))
        try:
            yield served.kubeconfig
        finally:
            served.process.send_signal(signal.SIGTERM)
            served.process.wait(20)
