"""What an apply reports: one :class:`ApplyResult` per object (or per failure).

``message`` is the line kubectl prints for it (``deployment.apps/nginx created``,
``configmap/x unchanged (server dry run)``, or the error); the other fields let
the TUI show a log row (time, file, object, action) and jump to the place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.apply.errors import ManifestError, kubectl_text

# Actions. kubectl prints the first four (and "pruned" for deleted); the
# others are k9py's all-or-nothing bookkeeping.
CREATED = "created"
CONFIGURED = "configured"
UNCHANGED = "unchanged"
DELETED = "deleted"
ERROR = "error"
SKIPPED = "skipped"  # not applied: another document of its file failed
ROLLED_BACK = "rolled back"  # undone: a later document of its file failed

Obj = dict[str, Any]


@dataclass
class Outcome:
    """One write (or its dry run): the object before and after it."""

    target: Any  # objects.Target
    action: str
    before: Obj | None
    after: Obj | None
    message: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ApplyResult:
    """One row of the apply log."""

    time: float
    file: str
    action: str
    message: str
    ref: str = ""  # deployment.apps/nginx
    namespace: str = ""
    doc: int | None = None  # 0-based document index in the file
    line: int = 0
    column: int = 0
    dry_run: bool = False
    warnings: tuple[str, ...] = ()
    detail: str = ""  # longer text (kubectl's full patch error), when there is one
    status: dict | None = field(default=None, compare=False)  # the API's Status, if any

    @property
    def ok(self) -> bool:
        return self.action != ERROR

    @property
    def where(self) -> str:
        """``file:line:column (document N)``."""
        out = self.file
        if self.line:
            out += f":{self.line}" + (f":{self.column}" if self.column else "")
        if self.doc is not None:
            out += f" (document {self.doc + 1})"
        return out

    def __str__(self) -> str:
        return self.message


def from_outcome(now: float, outcome: Outcome, *, dry_run: bool) -> ApplyResult:
    t = outcome.target
    return ApplyResult(now, t.source, outcome.action, outcome.message, t.ref, t.namespace,
                       t.doc.doc, t.doc.line, 0, dry_run, tuple(outcome.warnings))


def from_error(now: float, err: ManifestError, *, ref: str = "", namespace: str = "",
               dry_run: bool = False) -> ApplyResult:
    return ApplyResult(now, err.source, ERROR, err.message, ref, namespace, err.doc, err.line,
                       err.column, dry_run, (), err.detail, err.status)


def kubectl_stderr(results: list[ApplyResult]) -> str:
    """The errors of a run as kubectl prints them at its end (one alone, or a list)."""
    errors = [r for r in results if r.action == ERROR]
    alone = len(errors) == 1
    return "".join(kubectl_text(r.message, r.detail, r.status, alone=alone).rstrip("\n") + "\n"
                   for r in errors)
