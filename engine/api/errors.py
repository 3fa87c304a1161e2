"""Kubernetes Status errors, with upstream's reasons, codes and message formats.

Every failure that leaves the API layer is a :class:`StatusError` carrying a
``metav1.Status`` dict, so the TUI, the HTTP server and kubectl all print the
same words a real cluster would.

Upstream: k8s.io/apimachinery/pkg/api/errors/errors.go (constructors and
messages) and k8s.io/apimachinery/pkg/util/validation/field/errors.go (field
errors and their ``ErrorBody`` formatting).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# A marker for field errors that must not print the offending value
# (upstream's ``omitValue``).
OMIT = object()


def _go_quote(value: str) -> str:
    """Format a string the way Go's ``%q`` does (close enough: JSON escaping)."""
    return json.dumps(value, ensure_ascii=False)


def format_value(value: Any) -> str:
    """Format a bad value as ``field.Error.ErrorBody`` does for each Go type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _go_quote(value)
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


@dataclass
class FieldError:
    """One field error: ``<field>: <Type>: <value>: <detail>``.

    ``type`` is upstream's ErrorType string; ``reason`` is the StatusCause type.
    """

    type: str
    reason: str
    field: str
    value: Any = OMIT
    detail: str = ""

    def body(self) -> str:
        """Upstream ``ErrorBody``: the message without the field path."""
        if self.type in ("Required value", "Forbidden", "Too long", "Internal error") or (
            self.value is OMIT
        ):
            text = self.type
        else:
            text = f"{self.type}: {format_value(self.value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


# Constructors named as in field/errors.go.
def required(path: str, detail: str = "") -> FieldError:
    return FieldError("Required value", "FieldValueRequired", path, OMIT, detail)


def invalid(path: str, value: Any, detail: str) -> FieldError:
    return FieldError("Invalid value", "FieldValueInvalid", path, value, detail)


def not_supported(path: str, value: Any, supported: list[str]) -> FieldError:
    detail = ""
    if supported:
        detail = "supported values: " + ", ".join(_go_quote(s) for s in supported)
    return FieldError("Unsupported value", "FieldValueNotSupported", path, value, detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("Duplicate value", "FieldValueDuplicate", path, value)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("Forbidden", "FieldValueForbidden", path, OMIT, detail)


def too_long(path: str, max_length: int) -> FieldError:
    return FieldError(
        "Too long", "FieldValueTooLong", path, OMIT, f"may not be more than {max_length} bytes"
    )


def too_many(path: str, actual: int, max_items: int) -> FieldError:
    return FieldError(
        "Too many", "FieldValueTooMany", path, actual, f"must have at most {max_items} items"
    )


def not_found_field(path: str, value: Any) -> FieldError:
    return FieldError("Not found", "FieldValueNotFound", path, value)


def type_invalid(path: str, value: Any, detail: str) -> FieldError:
    return FieldError("Invalid value", "FieldValueTypeInvalid", path, value, detail)


def aggregate(errors: list[FieldError]) -> str:
    """Upstream ``utilerrors.NewAggregate(...).Error()``: one message, or ``[a, b]``."""
    seen: list[str] = []
    for err in errors:
        msg = str(err)
        if msg not in seen:
            seen.append(msg)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


@dataclass
class StatusError(Exception):
    """An API failure, carrying the ``metav1.Status`` returned to clients."""

    code: int
    reason: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def status(self) -> dict[str, Any]:
        """The ``Status`` object as the API server serialises it."""
        out: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details:
            out["details"] = self.details
        return out


def _details(resource: str, group: str, name: str, **extra: Any) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    if resource:
        details["kind"] = resource
    details.update({k: v for k, v in extra.items() if v})
    return details


def qualified(resource: str, group: str) -> str:
    """``schema.GroupResource.String()``: ``deployments.apps`` or ``pods``."""
    return f"{resource}.{group}" if group else resource


def not_found(resource: str, group: str, name: str) -> StatusError:
    return StatusError(
        404,
        "NotFound",
        f"{qualified(resource, group)} {_go_quote(name)} not found",
        _details(resource, group, name),
    )


def already_exists(resource: str, group: str, name: str) -> StatusError:
    return StatusError(
        409,
        "AlreadyExists",
        f"{qualified(resource, group)} {_go_quote(name)} already exists",
        _details(resource, group, name),
    )


OBJECT_MODIFIED = (
    "the object has been modified; please apply your changes to the latest version and try again"
)


def conflict(resource: str, group: str, name: str, why: str = OBJECT_MODIFIED) -> StatusError:
    return StatusError(
        409,
        "Conflict",
        f"Operation cannot be fulfilled on {qualified(resource, group)} {_go_quote(name)}: {why}",
        _details(resource, group, name),
    )


def invalid_object(kind: str, group: str, name: str, errors: list[FieldError]) -> StatusError:
    """``NewInvalid``: 422 with one cause per field error."""
    qualified_kind = f"{kind}.{group}" if group else kind
    causes = [{"reason": e.reason, "message": e.body(), "field": e.field} for e in errors]
    message = f"{qualified_kind} {_go_quote(name)} is invalid"
    if errors:
        message += f": {aggregate(errors)}"
    details: dict[str, Any] = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    details["kind"] = kind
    details["causes"] = causes
    return StatusError(422, "Invalid", message, details)


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def unauthorized(message: str = "Unauthorized") -> StatusError:
    return StatusError(401, "Unauthorized", message)


def forbidden_error(resource: str, group: str, name: str, why: str) -> StatusError:
    target = qualified(resource, group)
    subject = f"{target} {_go_quote(name)}" if name else target
    return StatusError(
        403, "Forbidden", f"{subject} is forbidden: {why}", _details(resource, group, name)
    )


def method_not_supported(resource: str, group: str, action: str) -> StatusError:
    return StatusError(
        405,
        "MethodNotAllowed",
        f"{action} is not supported on resources of kind {_go_quote(qualified(resource, group))}",
        _details(resource, group, ""),
    )


def gone(message: str) -> StatusError:
    return StatusError(410, "Gone", message)


def resource_expired(message: str) -> StatusError:
    """``NewResourceExpired``: what a watch or list from a compacted revision gets."""
    return StatusError(410, "Expired", message)


def too_old_resource_version(requested: int, oldest: int) -> StatusError:
    """The watch cache's wording (apiserver ``storage/errors``)."""
    return resource_expired(f"too old resource version: {requested} ({oldest})")


def too_many_requests(message: str, retry_after: int = 0) -> StatusError:
    details = {"retryAfterSeconds": retry_after} if retry_after else {}
    return StatusError(429, "TooManyRequests", message, details)


def request_entity_too_large(message: str) -> StatusError:
    return StatusError(413, "RequestEntityTooLarge", f"Request entity too large: {message}")


def unsupported_media_type(content_type: str) -> StatusError:
    return StatusError(
        415, "UnsupportedMediaType", f"the body of the request was in an unknown format: {content_type}"
    )


def internal_error(err: object) -> StatusError:
    return StatusError(
        500, "InternalError", f"Internal error occurred: {err}", {"causes": [{"message": str(err)}]}
    )


def service_unavailable(message: str) -> StatusError:
    return StatusError(503, "ServiceUnavailable", message)


def timeout(message: str, retry_after: int = 0) -> StatusError:
    return StatusError(504, "Timeout", message, {"retryAfterSeconds": retry_after} if retry_after else {})
