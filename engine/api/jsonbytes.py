"""JSON bytes an update already worked out, looked up by object identity.

An update whose spec (or status) is byte for byte the stored one shares the
stored object's part (see ``decoding.decode_request``); the bytes that proved
it are remembered here, so defaulting and validation, which key their memos
on a spec's bytes, do not encode the same spec again.

Sound because of how entries live:
- only parts nobody mutates are remembered (a part shared between an update's
  object and the stored object it replaces is read only for the whole
  request: changing it would change the old object validation compares with);
- an entry holds its object, so its id cannot be reused while it is here, and
  a lookup checks identity;
- the API server forgets every entry when a request ends (:func:`forget`), so
  nothing outlives the request that made it, whatever a caller later does
  with the objects it gets back. A lookup that misses (another thread's
  request ended and cleared the table) only means encoding again.
"""

from __future__ import annotations

from typing import Any

_KNOWN: dict[int, tuple[Any, bytes]] = {}

# A request remembers a few parts; more than this means something forgot to
# call forget(), and the table starts over rather than grow.
_LIMIT = 64


def remember(obj: Any, encoded: bytes) -> None:
    """``obj``'s JSON bytes are ``encoded`` for the rest of this request."""
    if len(_KNOWN) >= _LIMIT:
        _KNOWN.clear()
    _KNOWN[id(obj)] = (obj, encoded)


def known(obj: Any) -> bytes | None:
    """``obj``'s remembered JSON bytes, or None."""
    entry = _KNOWN.get(id(obj))
    if entry is not None and entry[0] is obj:
        return entry[1]
    return None


def forget() -> None:
    """Forget every entry (the end of a request)."""
    if _KNOWN:
        _KNOWN.clear()
