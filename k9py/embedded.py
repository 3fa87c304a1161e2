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
    apply_options: Any = None  # engine.apply.ApplyOptions for -f (-R, --prune, -n...)
    watch: bool = True  # re-apply the -f paths when saved
    stdin: Any = None  # what -f - reads (read before the TUI takes the terminal)
    serve: bool = False
    kubeconfig: str | None = None


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
                           speed=opts.speed, virtual=opts.virtual, gc_profile="interactive")
    cluster = Cluster(config).start()
    if opts.serve:
        from engine.serve import start

        start(cluster, kubeconfig_path=opts.kubeconfig or str(
            Path("~/.kube/k9py.kubeconfig").expanduser()))
    session = session_for(cluster, readonly=opts.readonly)
    if opts.manifests:
        session.manifests = apply_manifests(cluster, opts)
    if opts.virtual:
        start_virtual_driver(cluster, opts.speed)
    return session


def apply_manifests(cluster: Any, opts: EmbeddedOptions) -> Any:
    """``-f``: apply now (kubectl apply semantics), then watch the paths. The
    results wait in the returned :class:`~k9py.manifests.Manifests` until the
    app subscribes (flash line, apply log). The command line's own request, so
    it uses the full client even with ``--readonly`` (which guards the TUI)."""
    from k9py.manifests import Manifests

    manifests = Manifests(cluster.client, opts.manifests or [], opts.apply_options,
                          now=cluster.clock.now, stdin=opts.stdin)
    results = manifests.apply_all()
    log.info("apply: %s", _summary(results))
    if opts.watch:  # stopped with the app (K9pyApp.shutdown_views); daemon threads
        manifests.start_watch()
    return manifests


def _summary(results: list[Any]) -> str:
    from engine.apply import summarize

    return summarize(results)


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


def load_manifests(client: Any, paths: list[str], *, namespace: str | None = None,
                   watch: bool = False) -> list[str]:
    """The ``-f`` hook: ``kubectl apply`` semantics (engine/apply: three-way
    merge, all-or-nothing per file, kubectl's messages); with ``watch``, saved
    files are re-applied while k9py runs. Returns kubectl's output lines;
    errors are logged and printed the way kubectl prints them."""
    import sys

    from engine.apply import ApplySession, summarize
    from engine.apply.options import ApplyOptions
    from engine.apply.results import kubectl_stderr

    session = ApplySession(client, paths, ApplyOptions(namespace=namespace))
    results = session.apply_all()
    errors = kubectl_stderr(results)
    if errors:
        print(errors, file=sys.stderr, end="" if errors.endswith("\n") else "\n")
    log.info("apply: %s", summarize(results))
    if watch:
        session.watch(lambda rows: log.info("re-apply: %s", summarize(rows)))
        _APPLY_SESSIONS.append(session)
    return [r.message for r in results if r.action != "error"]


# Watching apply sessions live as long as the process (stopped at exit).
_APPLY_SESSIONS: list[Any] = []
