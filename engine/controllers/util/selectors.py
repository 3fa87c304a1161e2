"""Label selectors of controllers, parsed once per distinct selector."""

from __future__ import annotations

import functools
from typing import Any

import orjson

from engine.api.selectors import (
    NOTHING,
    LabelSelector,
    SelectorError,
    selector_from_set,
    try_label_selector_from_dict,
)

Obj = dict[str, Any]


@functools.lru_cache(maxsize=4096)
def _parse(kind: str, raw: bytes) -> LabelSelector:
    sel = orjson.loads(raw)
    if kind == "set":
        return selector_from_set(sel)
    try:
        return try_label_selector_from_dict(sel)
    except SelectorError:
        return NOTHING


def label_selector(sel: Obj | None) -> LabelSelector:
    """``metav1.LabelSelectorAsSelector`` of a ``spec.selector`` (bad ones match nothing)."""
    if sel is None:
        return NOTHING
    return _parse("selector", orjson.dumps(sel, option=orjson.OPT_SORT_KEYS))


def set_selector(sel: dict[str, str] | None) -> LabelSelector:
    """``labels.SelectorFromSet`` of a ReplicationController's map selector."""
    return _parse("set", orjson.dumps(sel or {}, option=orjson.OPT_SORT_KEYS))


def labels_of(obj: Obj) -> dict[str, str]:
    return obj["metadata"].get("labels") or {}
