"""One file, all or nothing.

kubectl applies every document it can and reports the rest; k9py (issue 6)
applies a file as a unit unless ``continue_on_error``:

1. every document is resolved (kind, namespace, name) — kubectl's client checks;
2. every object is sent as a server dry run (``dryRun=All``): the same GET and
   POST/PATCH the real apply makes, so strict decoding, defaulting, validation,
   admission and immutability are all checked without a write. An object that
   needs one the same file creates first (its namespace, its service account)
   fails its dry run with NotFound or Forbidden, since nothing was created;
   such objects are checked by their real write in step 4;
3. if anything failed, nothing of the file is written: each failure is
   reported and each other object is ``skipped``;
4. otherwise the objects are written in order. If a write still fails (the
   cluster changed since step 2, or a deferred object is invalid), the writes
   this file made in this run are undone in reverse order: objects it created
   are deleted, objects it patched get the reverse patch (a three-way patch
   from the object as written back to the object as it was, against the
   live object, so changes others made meanwhile survive).

Every write is one API request, atomic in the API server, so an object is
never half-written; what step 4 cannot promise is isolation: controllers may
have acted on an object in the moment before it was undone (a Deployment that
existed for a few milliseconds may have created a ReplicaSet, which the
garbage collector then removes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.api import patch as patches
from engine.api.errors import StatusError
from engine.apply import client_side, server_side
from engine.apply.errors import ManifestError
from engine.apply.loader import Document
from engine.apply.objects import Key, Target, resolve
from engine.apply.options import ApplyOptions
from engine.apply.results import (
    CONFIGURED,
    CREATED,
    ERROR,
    ROLLED_BACK,
    SKIPPED,
    ApplyResult,
    Outcome,
    from_error,
    from_outcome,
)

log = logging.getLogger(__name__)
Obj = dict[str, Any]
DEFERRABLE = ("NotFound", "Forbidden")  # lookups of objects an earlier document creates
SYSTEM_FIELDS = ("resourceVersion", "generation", "managedFields", "uid", "creationTimestamp",
                 "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds")


@dataclass
class FileOutcome:
    """What applying one file did."""

    source: str
    results: list[ApplyResult] = field(default_factory=list)
    applied: list[Target] = field(default_factory=list)  # live as the file says
    failed: bool = False

    @property
    def keys(self) -> set[Key]:
        return {t.key for t in self.applied}


class Applier:
    """Applies files through ``client`` (the TUI's client interface)."""

    def __init__(self, client: Any, options: ApplyOptions,
                 now: Callable[[], float], labels: dict[str, str] | None = None) -> None:
        self.client = client
        self.options = options
        self.now = now
        self.labels = labels or {}

    # -- one object ----------------------------------------------------------------
    def write(self, target: Target, *, dry_run: bool) -> Outcome:
        """One object's apply; any failure is a :class:`ManifestError`."""
        try:
            return self._write(target, dry_run=dry_run)
        except ManifestError:
            raise
        except Exception as err:  # an engine bug must not take the caller down
            log.exception("applying %s from %s", target.ref, target.source)
            raise target.fail(f'Error from server (InternalError): error when applying '
                              f'"{target.source}": Internal error occurred: {err!r}',
                              "InternalError") from None

    def _write(self, target: Target, *, dry_run: bool) -> Outcome:
        o = self.options
        if o.server_side:
            outcome = server_side.apply(self.client, target, field_manager=o.field_manager,
                                        force=o.force_conflicts, dry_run=dry_run)
            verb = "serverside-applied"
        else:
            outcome = client_side.apply(self.client, target, dry_run=dry_run)
            verb = outcome.action
        outcome.message = f"{target.ref} {verb}" + (" (server dry run)" if dry_run else "")
        return outcome

    # -- one file --------------------------------------------------------------------
    def apply_file(self, source: str, docs: Sequence[Document]) -> FileOutcome:
        out = FileOutcome(source)
        targets, errors = self._resolve(docs)
        checked, deferred = self._dry_run(targets, errors)
        keep_going = self.options.continue_on_error
        for err in errors.values():
            out.results.append(self._error(err))
        if errors and not keep_going:
            out.failed = True
            out.results.extend(self._skipped(t) for t in targets
                               if _DocKey(t.doc) not in errors)
            return self._sorted(out)
        if self.options.dry_run:
            out.results.extend(from_outcome(self.now(), o, dry_run=True) for o in checked)
            out.results.extend(self._not_validated(t) for t in deferred)
            out.failed = bool(errors)
            return self._sorted(out)
        good = [t for t in targets if _DocKey(t.doc) not in errors]
        out = self._write_all(out, good, keep_going)
        return self._sorted(out) if errors else out

    def _resolve(self, docs: Sequence[Document]) -> tuple[list[Target], dict[Any, ManifestError]]:
        targets: list[Target] = []
        errors: dict[Any, ManifestError] = {}
        for doc in docs:
            try:
                targets.append(resolve(doc, self.options.namespace, self.labels))
            except ManifestError as err:
                errors[_DocKey(doc)] = err
        return targets, errors

    def _dry_run(self, targets: list[Target], errors: dict[Any, ManifestError]
                 ) -> tuple[list[Outcome], list[Target]]:
        """Step 2; failures go into ``errors``. Returns outcomes and deferred targets.

        A lookup failure (NotFound, Forbidden: a missing namespace, service
        account, ...) after the file creates something may be about that very
        object, which a dry run does not create: such targets are deferred to
        their real write.
        """
        checked: list[Outcome] = []
        deferred: list[Target] = []
        for target in targets:
            try:
                checked.append(self.write(target, dry_run=True))
            except ManifestError as err:
                creates = deferred or any(o.action == CREATED for o in checked)
                if creates and err.reason in DEFERRABLE:
                    deferred.append(target)
                else:
                    errors[_DocKey(target.doc)] = err
        return checked, deferred

    def _write_all(self, out: FileOutcome, targets: list[Target], keep_going: bool
                   ) -> FileOutcome:
        done: list[Outcome] = []
        for i, target in enumerate(targets):
            try:
                outcome = self.write(target, dry_run=False)
            except ManifestError as err:
                out.results.append(self._error(err, target))
                out.failed = True
                if keep_going:
                    continue
                out.results.extend(self._rollback(done))
                out.results.extend(self._skipped(t) for t in targets[i + 1:])
                out.applied = []
                return out
            done.append(outcome)
            out.applied.append(target)
            out.results.append(from_outcome(self.now(), outcome, dry_run=False))
        return out

    # -- undo ---------------------------------------------------------------------------
    def _rollback(self, done: list[Outcome]) -> list[ApplyResult]:
        results = []
        for outcome in reversed(done):
            try:
                what = self._undo(outcome)
            except (StatusError, ManifestError) as err:
                results.append(self._row(outcome.target, ERROR,
                                         f"{outcome.target.ref} could not be rolled back: {err}"))
                continue
            if what:
                results.append(self._row(outcome.target, ROLLED_BACK,
                                         f"{outcome.target.ref} rolled back ({what})"))
        # The log reads top-down in apply order.
        return list(reversed(results))

    def _undo(self, outcome: Outcome) -> str:
        t = outcome.target
        if outcome.action == CREATED:
            try:
                self.client.delete(t.info, t.name, namespace=t.namespace or None)
            except StatusError as err:
                if err.code != 404:
                    raise
            return "deleted"
        if outcome.action == CONFIGURED and outcome.before and outcome.after:
            return self._reverse_patch(t, outcome.before, outcome.after)
        return ""

    def _reverse_patch(self, t: Target, before: Obj, after: Obj) -> str:
        live = self.client.get(t.info, t.name, t.namespace or None)
        body = patches.create_three_way_merge_patch(
            spec_of(after), spec_of(before), spec_of(live), t.definition)
        if not body:
            return ""
        kind = patches.STRATEGIC_MERGE_PATCH if t.definition else patches.MERGE_PATCH
        manager = (self.options.field_manager if self.options.server_side
                   else client_side.FIELD_MANAGER)
        self.client.patch(t.info, t.name, body, kind, namespace=t.namespace or None,
                          field_manager=manager)
        return "restored"

    # -- rows ------------------------------------------------------------------------------
    def _row(self, t: Target, action: str, message: str) -> ApplyResult:
        return ApplyResult(self.now(), t.source, action, message, t.ref, t.namespace, t.doc.doc,
                           t.doc.line, 0, self.options.dry_run)

    def _error(self, err: ManifestError, target: Target | None = None) -> ApplyResult:
        return from_error(self.now(), err, ref=target.ref if target else "",
                          namespace=target.namespace if target else "",
                          dry_run=self.options.dry_run)

    def _skipped(self, t: Target) -> ApplyResult:
        return self._row(t, SKIPPED, f"{t.ref} skipped: {t.source} has errors, so none of it "
                                     "is applied")

    def _not_validated(self, t: Target) -> ApplyResult:
        return self._row(t, SKIPPED, f"{t.ref} not validated (server dry run): it needs an "
                                     "object the same file creates")

    @staticmethod
    def _sorted(out: FileOutcome) -> FileOutcome:
        """Rows in document order (errors first within a document)."""
        out.results.sort(key=lambda r: (r.doc if r.doc is not None else -1))
        return out


@dataclass(frozen=True)
class _DocKey:
    """A document as a dict key (documents are mutable dataclasses)."""

    doc: Document

    def __hash__(self) -> int:
        return id(self.doc)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _DocKey) and other.doc is self.doc


def spec_of(obj: Obj) -> Obj:
    """An object without status and server-set metadata: what apply can undo."""
    out = {k: v for k, v in obj.items() if k != "status"}
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k not in SYSTEM_FIELDS}
    out["metadata"] = meta
    return out
