"""Strategic merge patch failures, worded as k8s.io/apimachinery/pkg/util/mergepatch.

Upstream's patch handler (``interpretStrategicMergePatchError``) turns a few
sentinel errors into 400/422 and lets every other one through as a 500 with the
raw Go message. Here every malformed patch is a 400 BadRequest (422 where
upstream says so), keeping upstream's wording and prefixing the path of the
offending field, so a client learns what to fix instead of seeing a 500.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.patch._json import go_v, json_type

BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
BAD_SET_ORDER = "invalid patch format of setElementOrder list"
NO_LIST_OF_LISTS = "lists of lists are not supported"
# interpretStrategicMergePatchError: these two are 422, the rest 400.
_UNPROCESSABLE = {NO_LIST_OF_LISTS, "patch content doesn't match retainKeys list"}


class SmpError(Exception):
    """A patch that cannot be applied; ``path`` grows as the error unwinds."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str | int] = []

    def at(self, part: str | int) -> SmpError:
        """Record one more (outer) path element and return self for re-raising."""
        self.path.append(part)
        return self

    def field_path(self) -> str:
        out = ""
        for part in reversed(self.path):
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out

    def status(self) -> errors.StatusError:
        path = self.field_path()
        message = f"{path}: {self.message}" if path else self.message
        if self.message in _UNPROCESSABLE:
            return errors.StatusError(422, "Invalid", message)
        return errors.bad_request(message)


def go_type_name(value: Any) -> str:
    """``reflect.TypeOf(v)`` of a decoded JSON value, as ErrBadArgType prints it."""
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return "string" if isinstance(value, str) else "<nil>"


def bad_arg_type(expected: str, actual: Any) -> SmpError:
    """``mergepatch.ErrBadArgType``."""
    return SmpError(f"expected a {expected}, but received a {go_type_name(actual)}")


def no_merge_key(item: dict[str, Any], key: str) -> SmpError:
    """``mergepatch.ErrNoMergeKey``."""
    return SmpError(f"map: {go_v(item)} does not contain declared merge key: {key}")


def bad_patch_type(directive: Any, item: dict[str, Any]) -> SmpError:
    """``mergepatch.ErrBadPatchType``: an unknown ``$patch`` value."""
    return SmpError(f"unknown patch type: {go_v(directive)} in map: {go_v(item)}")


def wrong_type(expected: str, value: Any) -> SmpError:
    """A patch value whose JSON type contradicts the schema (a list where a map belongs)."""
    return SmpError(f"expected {expected}, got {json_type(value)}")
