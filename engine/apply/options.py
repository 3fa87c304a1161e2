"""The switches of an apply, named after kubectl's flags."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ApplyOptions:
    """``k9py -f PATH`` flags (and the TUI's ``:apply`` defaults).

    * ``namespace`` — ``-n``: the namespace of documents that name none; a
      document naming another one is an error (kubectl's rule);
    * ``recursive`` — ``-R``: walk subdirectories of directory paths;
    * ``prune`` — ``--prune``: delete objects this session applied earlier that
      no file holds any more (ApplySet membership, see ``prune.py``);
    * ``server_side`` — ``--server-side`` with ``field_manager``, and
      ``force_conflicts`` (``--force-conflicts``);
    * ``dry_run`` — ``--dry-run=server``: every write with ``dryRun=All``;
    * ``continue_on_error`` — apply a file's good documents even when others in
      it fail (kubectl's own behaviour); by default a file is all-or-nothing;
    * ``applyset`` — the name of the ApplySet parent Secret used by ``prune``
      (in ``namespace`` or ``default``);
    * ``debounce_ms`` — how long the watcher waits for a burst of saves to end.
    """

    namespace: str | None = None
    recursive: bool = False
    prune: bool = False
    server_side: bool = False
    force_conflicts: bool = False
    field_manager: str = "k9py"
    dry_run: bool = False
    continue_on_error: bool = False
    applyset: str = "k9py"
    debounce_ms: int = 150

    @property
    def dry_run_suffix(self) -> str:
        return " (server dry run)" if self.dry_run else ""
