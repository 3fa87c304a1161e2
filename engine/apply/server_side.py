"""Server-side apply: one ``application/apply-patch+yaml`` PATCH per object.

k8s.io/kubectl ``pkg/cmd/apply/apply.go`` (the ``o.ServerSideApply`` branch of
``applyOneObject``): the manifest is the body, ``fieldManager`` names the
applier (k9py's default: ``k9py``), ``force`` is ``--force-conflicts``; the
server creates the object when it does not exist. kubectl prints
``<ref> serverside-applied``; k9py also tells created/configured/unchanged
apart by comparing the object before and after.

Not done (kubectl does it): migrating a client-side-applied object's
``kubectl-client-side-apply`` field ownership to the SSA manager (``csaupgrade``).
"""

from __future__ import annotations

from typing import Any

from engine.api import patch as patches
from engine.api.errors import StatusError
from engine.apply.client_side import STRICT, get_live
from engine.apply.objects import Target
from engine.apply.results import CONFIGURED, CREATED, UNCHANGED, Outcome

FIELD_MANAGER = "k9py"

CONFLICT_HINT = """
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"""


def apply(client: Any, target: Target, *, field_manager: str = FIELD_MANAGER,
          force: bool = False, dry_run: bool = False) -> Outcome:
    """Apply ``target`` server-side."""
    live = get_live(client, target)
    try:
        after = client.patch(target.info, target.name, target.body(), patches.APPLY_PATCH,
                             namespace=target.namespace or None, dry_run=dry_run,
                             field_manager=field_manager, force=force,
                             field_validation=STRICT)
    except StatusError as err:
        raise target.fail(error_message(err), err.reason, err.status()) from None
    return Outcome(target, _action(live, after), live, after)


def _action(live: dict | None, after: dict) -> str:
    if live is None:
        return CREATED
    before_rv = live.get("metadata", {}).get("resourceVersion")
    after_rv = after.get("metadata", {}).get("resourceVersion")
    if before_rv == after_rv and _same_spec(live, after):
        return UNCHANGED
    return CONFIGURED


def _same_spec(live: dict, after: dict) -> bool:
    """A dry run keeps resourceVersion: compare everything but managedFields."""
    def strip(obj: dict) -> dict:
        meta = {k: v for k, v in obj.get("metadata", {}).items() if k != "managedFields"}
        return {**obj, "metadata": meta}
    return strip(live) == strip(after)


def error_message(err: StatusError) -> str:
    """What kubectl prints: conflicts with its advice, others as ``Error from server``."""
    if err.code == 409 and err.reason == "Conflict" and err.message.startswith("Apply failed"):
        return err.message + CONFLICT_HINT
    return f"Error from server ({err.reason}): {err.message}"
