"""Request bodies: size limit, content type and decoding.

Upstream: k8s.io/apiserver ``pkg/endpoints/handlers/rest.go``
(``limitedReadBody``: 3 MiB, 413 RequestEntityTooLarge), the negotiated
decoders (JSON, YAML, protobuf; anything else is 415 with the accepted
types) and the JSON serializer's errors (``couldn't get version/kind; json
parse error: ...``, worded as Go's encoding/json).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import yaml
from aiohttp import web

from engine.api import errors
from engine.rest import media, protobuf

MAX_BODY_BYTES = 3 * 1024 * 1024
BODY_TYPES = (media.JSON, media.YAML, media.PROTOBUF)


def unsupported(accepted: tuple[str, ...] = BODY_TYPES) -> errors.StatusError:
    return errors.StatusError(
        415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
        + ", ".join(accepted))


async def read(request: web.Request) -> bytes:
    """The raw body, refusing more than 3 MiB."""
    if request.content_length is not None:
        if request.content_length > MAX_BODY_BYTES:
            raise errors.request_entity_too_large(f"limit is {MAX_BODY_BYTES}")
        return await request.read()  # the usual case: one read of a known length
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(65536):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise errors.request_entity_too_large(f"limit is {MAX_BODY_BYTES}")
        chunks.append(chunk)
    return b"".join(chunks)


def content_type(request: web.Request) -> str:
    """The media type without parameters; no header means JSON (the Python
    client sends none on create)."""
    raw = request.headers.get("Content-Type", "")
    return raw.split(";", 1)[0].strip().lower() or media.JSON


async def decode(request: web.Request) -> Any:
    """A JSON-like object from a JSON, YAML or protobuf body."""
    kind = content_type(request)
    if kind not in BODY_TYPES:
        raise unsupported()
    raw = await read(request)
    if kind == media.PROTOBUF:
        return protobuf.decode(raw)
    if kind == media.YAML:
        return decode_yaml(raw)
    return decode_json(raw)


def decode_json(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise errors.bad_request(
            "couldn't get version/kind; json parse error: " + go_json_error(raw)) from None


def decode_yaml(raw: bytes) -> Any:
    try:
        return yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        line = getattr(getattr(err, "problem_mark", None), "line", 0) + 1
        problem = getattr(err, "problem", None) or str(err)
        raise errors.bad_request(f"error converting YAML to JSON: yaml: line {line}: "
                                 f"{problem}") from None


def go_json_error(raw: bytes) -> str:
    """Go's ``encoding/json`` wording for the first syntax error in ``raw``."""
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        return "unexpected end of JSON input"
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        if err.pos >= len(text.rstrip()):
            return "unexpected end of JSON input"
        char = text[err.pos]
        where = {"Expecting value": "looking for beginning of value",
                 "Expecting property name enclosed in double quotes":
                     "looking for beginning of object key string",
                 "Expecting ':' delimiter": "after object key",
                 "Expecting ',' delimiter": "after object key:value pair",
                 "Extra data": "after top-level value"}.get(err.msg, "looking for beginning of value")
        return f"invalid character {go_char(char)} {where}"
    return "invalid JSON"


def go_char(char: str) -> str:
    """``quoteChar``: ``'x'``, with ``'\\''`` and ``'"'`` escaped as Go prints them."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    return f"'{char}'"
