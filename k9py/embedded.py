"""Boot the embedded cluster and wrap it as a :class:`~k9py.client.Session`.

This is the only module that touches ``engine.cluster``; everything else in
k9py sees the session's client (and its optional embedded-only actions).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from k9py.client import EmbeddedActions, ReadOnlyClient, Session

log = logging.getLogger(__name__)


@dataclass
class EmbeddedOptions:
    nodes: int = 3
    state_dir: str | None = None
    speed: float = 1.0
    virtual: bool = False
    readonly: bool = False
    manifests: list[str] | None = None


def session_for(cluster: Any, *, readonly: bool = False) -> Session:
    """A session over a running ``engine.cluster.Cluster``."""
    client = ReadOnlyClient(cluster.client) if readonly else cluster.client
    advance = getattr(cluster, "advance", None) if cluster.config.virtual else None
    from k9py.logs import EmbeddedLogs

    return Session(client=client, cluster_name=cluster.config.name,
                   context=cluster.config.name, actions=EmbeddedActions(cluster),
                   now=cluster.clock.now, advance=advance, close=cluster.stop,
                   readonly=readonly, logs=EmbeddedLogs(cluster))


def boot(opts: EmbeddedOptions) -> Session:
    """Start a cluster (seconds at most) and, with ``manifests``, create their objects."""
    from engine.cluster import Cluster, ClusterConfig

    config = ClusterConfig(workers=max(0, opts.nodes - 1), state_dir=opts.state_dir,
                           speed=opts.speed, virtual=opts.virtual)
    cluster = Cluster(config).start()
    if opts.manifests:
        load_manifests(cluster.client, opts.manifests)
    session = session_for(cluster, readonly=opts.readonly)
    if opts.virtual:
        start_virtual_driver(cluster, opts.speed)
    return session


def start_virtual_driver(cluster: Any, speed: float) -> None:
    """With ``--virtual`` the cluster's time moves in fixed steps, one per real
    tenth of a second (times ``--speed``): runs stay deterministic in order."""
    stop = threading.Event()

    def drive() -> None:
        while not stop.wait(0.1):
            try:
                cluster.advance(0.1 * speed, timeout=10)
            except Exception:  # the cluster stopped
                return

    threading.Thread(target=drive, name="k9py-virtual-clock", daemon=True).start()
    original = cluster.stop

    def stop_all(*args: Any, **kwargs: Any) -> None:
        stop.set()
        original(*args, **kwargs)

    cluster.stop = stop_all


def load_manifests(client: Any, paths: list[str]) -> list[str]:
    """The ``-f`` hook: create every object in the YAML files (issue 6 brings
    ``kubectl apply`` semantics; this creates, skipping ones that exist)."""
    import yaml

    from k9py.kinds import engine_catalog

    catalog = engine_catalog()
    created = []
    for path in paths:
        for doc in yaml.safe_load_all(Path(path).read_text()):
            if not isinstance(doc, dict) or "kind" not in doc:
                continue
            kind = next((k for k in catalog.kinds if k.kind == doc["kind"]
                         and k.api_version == doc.get("apiVersion")), None)
            if kind is None:
                raise ValueError(f"{path}: unknown kind {doc.get('apiVersion')}/{doc['kind']}")
            ns = (doc.get("metadata") or {}).get("namespace") or (
                "default" if kind.namespaced else None)
            try:
                client.create(kind.resource, doc, namespace=ns)
            except Exception as err:
                if getattr(err, "code", None) != 409:
                    raise
            created.append(f"{kind.plural}/{doc['metadata']['name']}")
    return created
