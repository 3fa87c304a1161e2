"""asciicast v2 files: written deterministically, atomically; read back for ``k9py play``.

Format (asciinema's ``docs/manual/asciicast/v2.md``): line 1 a JSON header
(``version`` 2, ``width``, ``height``, optional ``title``, ``env``,
``idle_time_limit``, ``duration``), then one ``[time, code, data]`` JSON array
per event, time in seconds since the start. No ``timestamp`` field: it would be
the wall clock, and two recordings must be byte-identical.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV = {"SHELL": "/bin/bash", "TERM": "xterm-256color"}


@dataclass
class Cast:
    """A recording in memory: header fields and ``(time, code, data)`` events."""

    width: int
    height: int
    title: str | None = None
    idle_time_limit: float | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(ENV))
    events: list[tuple[float, str, str]] = field(default_factory=list)

    def output(self, time: float, data: str) -> None:
        if data:
            self._add(time, "o", data)

    def marker(self, time: float, label: str) -> None:
        self._add(time, "m", label)

    def _add(self, time: float, code: str, data: str) -> None:
        time = round(time, 6)
        if self.events and time < self.events[-1][0]:
            raise ValueError("asciicast events must not go back in time")
        self.events.append((time, code, data))

    @property
    def duration(self) -> float:
        return self.events[-1][0] if self.events else 0.0

    def header(self) -> dict[str, Any]:
        head: dict[str, Any] = {"version": 2, "width": self.width, "height": self.height}
        if self.title:
            head["title"] = self.title
        head["duration"] = self.duration
        if self.idle_time_limit is not None:
            head["idle_time_limit"] = self.idle_time_limit
        head["env"] = self.env
        return head

    def dumps(self) -> str:
        lines = [json.dumps(self.header(), ensure_ascii=False)]
        lines += [json.dumps([t, code, data], ensure_ascii=False)
                  for t, code, data in self.events]
        return "\n".join(lines) + "\n"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write next to ``path`` and rename: a failed run never leaves a partial file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 is for the temporary name only
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass
class CastFile:
    """A cast read back: the header and its events (unknown codes kept, ignored by play)."""

    header: dict[str, Any]
    events: list[tuple[float, str, str]]


def read_cast(path: Path | str) -> CastFile:
    """Parse an asciicast v2 file; ValueError naming the line on anything malformed."""
    events: list[tuple[float, str, str]] = []
    with open(path, encoding="utf-8") as f:
        first = f.readline()
        try:
            header = json.loads(first)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}:1: not an asciicast header: {err}") from None
        if not isinstance(header, dict) or header.get("version") != 2:
            raise ValueError(f"{path}:1: not an asciicast v2 file (version "
                             f"{header.get('version') if isinstance(header, dict) else '?'})")
        for number, line in enumerate(f, start=2):
            if not line.strip():
                continue
            try:
                t, code, data = json.loads(line)
                events.append((float(t), str(code), str(data)))
            except (ValueError, TypeError) as err:
                raise ValueError(f"{path}:{number}: not an asciicast event: {err}") from None
    return CastFile(header, events)
