"""Helpers for the defaulting tests."""

from __future__ import annotations

import copy
from typing import Any

from engine.api import defaults
from engine.api.resources import resolve


def defaulted(resource: str, obj: dict[str, Any]) -> dict[str, Any]:
    """A defaulted copy of ``obj``."""
    return defaults.default(resolve(resource), copy.deepcopy(obj))


def dig(obj: Any, path: str) -> Any:
    """``a.b.0.c`` -> obj["a"]["b"][0]["c"]; KeyError when absent."""
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


def pod_with(**container: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.25", **container}]},
    }
