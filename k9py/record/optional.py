"""Parts of k9py the recorder uses when this build has them."""

from __future__ import annotations

import importlib
from typing import Any


def optional_module(name: str) -> Any:
    """The module, or None when it is not in this build (a bug inside it still raises)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:
            raise
        return None
