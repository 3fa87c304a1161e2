"""An Input whose cursor does not blink: steadier on slow terminals (and in SVG
snapshots, which would otherwise catch the cursor on or off)."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input


class StillInput(Input):
    cursor_blink = reactive(False, init=False)
