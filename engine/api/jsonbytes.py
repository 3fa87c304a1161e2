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
- the API server forgets every entry when a request ends (:func:`enter` and
  :func:`leave` around it; a write made while it runs, as a watch callback
  or a hook may make, ends inside it), so nothing outlives the request that
  made it, whatever a caller later does with the objects it gets back;
- the table is per thread: a miss is not harmless (code that copies shared
  parts before changing them finds out they are shared here), so another
  thread's request ending must not clear this one's entries.
"""

from __future__ import annotations

import threading
from typing import Any


class _Table(threading.local):
    def __init__(self) -> None:
        self.known: dict[int, tuple[Any, bytes]] = {}
        self.depth = 0


_TABLE = _Table()

# A request remembers a few parts (nested requests a few more); a table this
# full means entries are not being forgotten, and it takes no more.
_LIMIT = 64


def remember(obj: Any, encoded: bytes) -> bool:
    """``obj``'s JSON bytes are ``encoded`` for the rest of this request.

    False when the table is full: then ``obj`` must not be shared, since
    code that copies shared parts before changing them would not know."""
    known = _TABLE.known
    if len(known) >= _LIMIT:
        return False
    known[id(obj)] = (obj, encoded)
    return True


def known(obj: Any) -> bytes | None:
    """``obj``'s remembered JSON bytes, or None."""
    entry = _TABLE.known.get(id(obj))
    if entry is not None and entry[0] is obj:
        return entry[1]
    return None


def enter() -> None:
    """A request starts (perhaps inside another one on this thread)."""
    _TABLE.depth += 1


def leave() -> None:
    """A request ends; the outermost one forgets every entry."""
    table = _TABLE
    table.depth -= 1
    if table.depth <= 0:
        table.depth = 0
        if table.known:
            table.known.clear()


def forget() -> None:
    """Forget every entry now."""
    _TABLE.known.clear()
