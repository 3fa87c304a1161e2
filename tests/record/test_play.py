"""``k9py play`` and the cast file format: pauses capped by the idle-time limit and
scaled by speed, markers skipped, malformed files named by line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from k9py.record.asciicast import Cast, read_cast, write_atomic
from k9py.record.command import play_main
from k9py.record.play import RESTORE, play


def cast_file(tmp_path: Path, idle: float | None = 0.5) -> Path:
    cast = Cast(20, 5, title="t", idle_time_limit=idle)
    cast.output(0.0, "a")
    cast.output(0.25, "b")
    cast.marker(0.25, "here")
    cast.output(5.25, "c")
    path = tmp_path / "t.cast"
    write_atomic(path, cast.dumps())
    return path


def test_pauses_are_capped_by_the_headers_idle_limit_and_scaled(tmp_path: Path) -> None:
    path = cast_file(tmp_path)
    slept: list[float] = []
    out = io.StringIO()
    play(path, out=out, sleep=slept.append)
    assert slept == [0.25, 0.5]
    assert out.getvalue() == "abc" + RESTORE + "\x1b[5;1H\n"
    slept.clear()
    play(path, out=io.StringIO(), sleep=slept.append, speed=2, idle_time_limit=4)
    assert slept == [0.125, 2.0]


def test_without_a_limit_pauses_are_kept(tmp_path: Path) -> None:
    slept: list[float] = []
    play(cast_file(tmp_path, idle=None), out=io.StringIO(), sleep=slept.append)
    assert slept == [0.25, 5.0]


def test_the_file_is_deterministic_json_lines(tmp_path: Path) -> None:
    path = cast_file(tmp_path)
    lines = path.read_text().splitlines()
    assert json.loads(lines[0]) == {"version": 2, "width": 20, "height": 5, "title": "t",
                                    "duration": 5.25, "idle_time_limit": 0.5,
                                    "env": {"SHELL": "/bin/bash", "TERM": "xterm-256color"}}
    assert lines[1:] == ['[0.0, "o", "a"]', '[0.25, "o", "b"]', '[0.25, "m", "here"]',
                         '[5.25, "o", "c"]']
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert read_cast(path).events[2] == (0.25, "m", "here")


def test_events_never_go_back_in_time() -> None:
    cast = Cast(10, 5)
    cast.output(1.0, "x")
    with pytest.raises(ValueError):
        cast.output(0.5, "y")


@pytest.mark.parametrize(("text", "message"), [
    ('{"version": 1, "width": 2, "height": 2}\n', ":1: not an asciicast v2 file"),
    ("nope\n", ":1: not an asciicast header"),
    ('{"version": 2, "width": 2, "height": 2}\n[0, "o", "a"]\n[1, "o"]\n', ":3: not an "),
])
def test_malformed_casts_are_named_by_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.cast"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_cast(path)


def test_play_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert play_main([str(cast_file(tmp_path)), "--speed", "1000"]) == 0
    assert capsys.readouterr().out.startswith("abc")
    assert play_main([str(tmp_path / "missing.cast")]) == 2
    assert "missing.cast" in capsys.readouterr().err
    assert play_main([str(cast_file(tmp_path)), "--speed", "0"]) == 2
