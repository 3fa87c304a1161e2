"""kube-apiserver validation: decode-time schema checks and per-kind field validation.

- :func:`validate_schema` / :func:`prune_unknown_fields`: what the JSON decoder
  decides (wrong types, unknown fields), module ``structural``;
- :func:`validate_object`, :func:`validate_object_update`,
  :func:`validate_status_update`: upstream's ``Validate<Kind>``,
  ``Validate<Kind>Update`` and ``Validate<Kind>StatusUpdate``, one module per API
  group (``core``, ``apps``, ``batch``, ...), dispatched by ``registry``;
- reusable pieces: ``names`` (format checks), ``objectmeta``, ``quantity``.
"""

from engine.api.validation.registry import (
    validate_object,
    validate_object_update,
    validate_status_update,
)
from engine.api.validation.structural import (
    DecodeError,
    prune_unknown_fields,
    schema_field_errors,
    validate_schema,
)

__all__ = [
    "DecodeError",
    "prune_unknown_fields",
    "schema_field_errors",
    "validate_object",
    "validate_object_update",
    "validate_schema",
    "validate_status_update",
]
