"""Manifests in, clear errors out: ``kubectl apply`` for the embedded cluster.

The TUI and the CLI use :class:`ApplySession` (``session.py``) with
:class:`ApplyOptions` (``options.py``, kubectl's flags) and read
:class:`ApplyResult` rows (``results.py``); ``cli.py`` maps command-line flags
to options. Everything goes through the client interface
(``engine.client.ThreadClient`` or anything with get/list/create/patch/delete).

Module map:

* ``loader.py``, ``yamldoc.py`` — paths → files → documents, go-yaml's messages, limits;
* ``objects.py`` — document → target (kind, namespace, name, last-applied);
* ``client_side.py``, ``server_side.py`` — one object's apply, as kubectl sends it;
* ``transaction.py`` — one file, all or nothing (dry run, writes, undo);
* ``ordering.py`` — prerequisites first; ``prune.py`` — ApplySet pruning;
* ``watcher.py`` — watchfiles, debounced; ``session.py`` — all of it together;
* ``errors.py`` — kubectl's error wording, with file/line/column/document.
"""

from engine.apply.errors import ManifestError
from engine.apply.options import ApplyOptions
from engine.apply.results import (
    CONFIGURED,
    CREATED,
    DELETED,
    ERROR,
    ROLLED_BACK,
    SKIPPED,
    UNCHANGED,
    ApplyResult,
)
from engine.apply.session import FILE_REMOVED, ApplySession, summarize

__all__ = [
    "CONFIGURED",
    "CREATED",
    "DELETED",
    "ERROR",
    "FILE_REMOVED",
    "ROLLED_BACK",
    "SKIPPED",
    "UNCHANGED",
    "ApplyOptions",
    "ApplyResult",
    "ApplySession",
    "ManifestError",
    "summarize",
]
