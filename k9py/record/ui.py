"""Driving Textual for the recorder: keys in, messages drained, without Pilot's sleeps.

Pilot.press and Pilot.pause wait for "idle" by sleeping 20 ms or more at a
time and only look at the top screen. The recorder decides when the UI is
still by rendering until two renders agree, so it needs only these two
primitives: send a key, and wait until every node of every visible screen has
handled the messages queued so far.
"""

from __future__ import annotations

import asyncio
from typing import Any


class UIStuck(Exception):
    """The UI did not handle its messages within the timeout."""


async def drain_messages(app: Any, timeout: float = 30.0) -> None:
    """Wait until the app and every widget of every visible screen has handled
    the messages queued before this call (Pilot._wait_for_screen, for all screens)."""
    nodes = [app]
    for screen in [*app._background_screens, app.screen]:  # noqa: SLF001
        nodes.extend(screen.walk_children(with_self=True))
    pending = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal pending
        pending -= 1
        if pending == 0:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            pending += 1
    if pending:
        try:
            await asyncio.wait_for(done.wait(), timeout)
        except TimeoutError:
            raise UIStuck("the UI did not handle its messages in time") from None


def press_key(app: Any, key: str) -> None:
    """Send one key as Pilot.press does, without its idle waits (the recorder
    settles afterwards anyway)."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(
            _get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)  # noqa: SLF001 - as App._press_keys
