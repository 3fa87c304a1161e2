"""Writing objects and Status errors as kube-apiserver does.

Upstream: k8s.io/apiserver ``pkg/endpoints/handlers/responsewriters``
(``WriteObjectNegotiated``, ``ErrorNegotiated``: a ``metav1.Status`` body
with the error's code) and ``pkg/endpoints/handlers/rest.go`` (``Warning:
299 - "..."`` headers for fieldValidation=Warn).
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from engine.api import errors

JSON_TYPE = "application/json"


def _warning_header(message: str) -> str:
    escaped = message.replace("\\", "\\\\").replace('"', '\\"')
    return f'299 - "{escaped}"'


def json_body(obj: Any, status: int = 200, warnings: list[str] | None = None,
              content_type: str = JSON_TYPE) -> web.Response:
    response = web.Response(body=orjson.dumps(obj), status=status, content_type=content_type)
    for message in warnings or ():
        response.headers.add("Warning", _warning_header(message))
    return response


def status_error(err: errors.StatusError) -> web.Response:
    return json_body(err.status(), status=err.code)


def success(details: dict[str, Any] | None = None, code: int = 200) -> dict[str, Any]:
    """A ``Status`` with ``status: Success`` (deletions, evictions)."""
    out: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {},
                           "status": "Success"}
    if details is not None:
        out["details"] = details
    if code != 200:
        out["code"] = code
    return out
