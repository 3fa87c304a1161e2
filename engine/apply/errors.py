"""Error messages in kubectl's words, with the precise place they come from.

Every failure the apply engine reports is a :class:`ManifestError`: ``message``
is the line kubectl v1.32 prints for that failure (checked against the real
kubectl; see ``tests/apply/test_bad_manifests.py``), and ``source``, ``line``,
``column`` and ``doc`` say where in the input it is, which kubectl does not.

Upstream wording:

* ``error parsing <file>: error converting YAML to JSON: yaml: line N: ...`` —
  k8s.io/cli-runtime ``resource/visitor.go`` (``FileVisitor``) over
  sigs.k8s.io/yaml and go-yaml's scanner/parser messages;
* ``error validating "<file>": error validating data: ...`` —
  k8s.io/kubectl ``pkg/validation`` (``ValidateSchema``);
* ``Error from server (<Reason>): error when creating "<file>": <Status message>`` —
  k8s.io/kubectl ``pkg/cmd/util/helpers.go`` (``StandardErrorMessage``) around
  the ``error when creating`` / ``error when patching`` wrappers of
  ``pkg/cmd/apply/apply.go`` and ``patcher.go``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from engine.api.errors import StatusError

VALIDATE_HINT = "; if you choose to ignore these errors, turn validation off with --validate=false"


@dataclass
class ManifestError(Exception):
    """A failure tied to a place in the input.

    ``message`` is kubectl's text without its ``error: `` prefix; ``line`` and
    ``column`` are 1-based positions in the file (0 when unknown); ``doc`` is
    the 0-based document index in the file (None for file-level errors).
    """

    message: str
    source: str = ""
    line: int = 0
    column: int = 0
    doc: int | None = None
    reason: str = ""
    detail: str = ""  # a longer text, when kubectl prints more than ``message``
    status: dict | None = None  # the API's Status, for API errors

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @property
    def where(self) -> str:
        """``file:line:column (document N)``, as precise as known."""
        out = self.source or "<input>"
        if self.line:
            out += f":{self.line}"
            if self.column:
                out += f":{self.column}"
        if self.doc is not None:
            out += f" (document {self.doc + 1})"
        return out


def parse_error(source: str, detail: str, *, line: int = 0, column: int = 0,
                doc: int | None = None) -> ManifestError:
    """``error parsing <file>: <detail>`` (cli-runtime's FileVisitor)."""
    return ManifestError(f"error parsing {source}: {detail}", source, line, column, doc,
                         "ParseError")


def yaml_error(source: str, detail: str, **where: int | None) -> ManifestError:
    """A YAML-to-JSON failure (sigs.k8s.io/yaml over go-yaml)."""
    return parse_error(source, f"error converting YAML to JSON: {detail}", **where)


def validation_error(source: str, detail: str, *, line: int = 0,
                     doc: int | None = None) -> ManifestError:
    """kubectl's client-side checks: ``error validating "<file>": error validating data: ...``."""
    return ManifestError(f'error validating "{source}": error validating data: {detail}'
                         + VALIDATE_HINT, source, line, 0, doc, "ValidationError")


def status_message(err: StatusError, verb: str, source: str) -> str:
    """``Error from server (<Reason>): error when <verb> "<file>": <message>``."""
    reason = err.reason or "InternalError"
    return f'Error from server ({reason}): error when {verb} "{source}": {err.message}'


def kubectl_text(message: str, detail: str = "", status: dict | None = None, *,
                 alone: bool = False) -> str:
    """What kubectl prints for one error: alone (``cmdutil.CheckErr``) or as one
    of several (``MultipleErrors``), k8s.io/kubectl ``pkg/cmd/util/helpers.go``."""
    details = (status or {}).get("details") or {}
    if alone and status and status.get("reason") == "Invalid" and (
            details.get("kind") or details.get("name")):
        head = f"The {details.get('kind', '')} {json.dumps(details.get('name', ''))} is invalid"
        causes = [f"{c.get('field', '')}: {c.get('message', '')}"
                  for c in details.get("causes") or []]
        if not causes:
            return head
        if len(causes) == 1:
            return f"{head}: {causes[0]}"
        return f"{head}: \n" + "\n".join(f"* {c}" for c in causes)
    text = detail or message
    if alone and not text.startswith(("Error from server", "error: ")):
        text = "error: " + text
    return text


def too_large(source: str, size: int, limit: int, *, line: int = 0,
              doc: int | None = None) -> ManifestError:
    """kube-apiserver's 413 for a body over ``--max-request-body-bytes``
    (apiserver ``handlers/rest.go`` ``limitedReadBody``), raised before sending."""
    del size  # the server's message names only the limit
    return ManifestError(
        f'Error from server (RequestEntityTooLarge): error when creating "{source}": '
        f"Request entity too large: limit is {limit}", source, line, 0, doc,
        "RequestEntityTooLarge")
