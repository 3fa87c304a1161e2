"""List requests: selectors, ``limit``/``continue`` paging and the List envelope.

Upstream: k8s.io/apiserver ``pkg/storage/etcd3/store.go`` (GetList: keep reading
until ``limit`` matching items, continue tokens) and ``pkg/storage/continue.go``
(the token is base64 JSON ``{"v":"meta.k8s.io/v1","rv":N,"start":"key"}``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

import orjson

from engine.api import errors, selectors
from engine.api.resources import ResourceInfo

Obj = dict[str, Any]
Matcher = Callable[[Obj], bool]

CONTINUE_VERSION = "meta.k8s.io/v1"


def make_matcher(info: ResourceInfo, label_selector: str | None,
                 field_selector: str | None) -> Matcher | None:
    """A predicate for objects matching both selectors, or None for 'all'."""
    labels = selectors.parse_label_selector(label_selector) if label_selector else None
    fields = selectors.parse_field_selector(field_selector) if field_selector else None
    if labels is not None and labels.empty():
        labels = None
    if fields is not None:
        if fields.empty():
            fields = None
        else:
            selectors.check_field_selector(info.plural, fields)
    if labels is None and fields is None:
        return None
    plural = info.plural

    def matches(obj: Obj) -> bool:
        if labels is not None and not labels.matches(obj.get("metadata", {}).get("labels")):
            return False
        return fields is None or fields.matches(selectors.object_fields(plural, obj))

    return matches


def encode_continue(revision: int, last_key: str, prefix: str) -> str:
    start = last_key[len(prefix):] + "\x00"
    raw = orjson.dumps({"v": CONTINUE_VERSION, "rv": revision, "start": start})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_continue(token: str, prefix: str) -> tuple[int, str]:
    """The revision and the key after which the next page starts."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded))
        if data.get("v") != CONTINUE_VERSION:
            raise ValueError
        revision, start = int(data["rv"]), str(data["start"])
    except (ValueError, KeyError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise errors.bad_request("continue key is not valid: incorrect encoded start resourceVersion "
                                 "(version meta.k8s.io/v1)") from None
    return revision, prefix + start.rstrip("\x00")


def list_envelope(info: ResourceInfo, items: list[Obj], revision: int,
                  continue_token: str = "", remaining: int | None = None) -> Obj:
    meta: Obj = {"resourceVersion": str(revision)}
    if continue_token:
        meta["continue"] = continue_token
        if remaining is not None:
            meta["remainingItemCount"] = remaining
    return {"kind": info.list_kind, "apiVersion": info.api_version, "metadata": meta,
            "items": items}
