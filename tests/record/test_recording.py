"""``k9py record`` end to end on a small scenario: a valid asciicast v2 that
asciinema reads, that a terminal emulator (pyte) replays to the TUI's last
screen, byte-identical across processes and hash seeds; SVG screenshots; a
failing step names itself and leaves no file behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyte
import pytest

from k9py.record.runner import RecordError, Recording, record
from tests.record.scenarios import web_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = web_scenario("""\
title: record test
terminal: {width: 100, height: 26}
idle_time_limit: 1
cluster: {nodes: 2}
""", """\
  - caption: Deployments
  - press: ":"
  - type: deploy
    speed: 50ms
  - press: enter
  - wait: {screen: "2/2"}
    timeout: 10s
  - screenshot: deploy.svg
  - press: down
    count: 2
  - sleep: 2s
""")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The developer's k9py config (skins, aliases) never reaches a recording."""
    config = tmp_path_factory.mktemp("k9py-config")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("K9PY_CONFIG_DIR", str(config))
        yield {**os.environ, "K9PY_CONFIG_DIR": str(config)}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "demo.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture(scope="module")
def recorded(scenario: Path, tmp_path_factory: pytest.TempPathFactory,
             env: dict[str, str]) -> tuple[Recording, Path, Path]:
    out = tmp_path_factory.mktemp("out")
    rec = record(scenario, out / "demo.cast", svg_dir=out / "svg")
    return rec, out / "demo.cast", out / "svg"


def events(path: Path) -> tuple[dict, list[list]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def test_the_cast_is_asciicast_v2(recorded: tuple[Recording, Path, Path]) -> None:
    rec, cast, _svg = recorded
    header, evs = events(cast)
    assert header == {"version": 2, "width": 100, "height": 26, "title": "record test",
                      "duration": rec.cast.duration, "idle_time_limit": 1.0,
                      "env": {"SHELL": "/bin/bash", "TERM": "xterm-256color"}}
    times = [e[0] for e in evs]
    assert times == sorted(times) and times[0] == 0.0
    assert {e[1] for e in evs} == {"o", "m"}
    assert ["m", "Deployments"] in [e[1:] for e in evs]
    # Hidden setup (the rollout, up to 120 s) takes no cast time: only the shown
    # steps do (keys, typing, the wait for the screen, the 2 s sleep).
    assert 3.5 <= rec.cast.duration < 12
    assert rec.wall_seconds < 30


def test_a_terminal_replaying_the_cast_ends_on_the_tuis_last_screen(
        recorded: tuple[Recording, Path, Path]) -> None:
    rec, cast, _svg = recorded
    header, evs = events(cast)
    screen = pyte.Screen(header["width"], header["height"])
    stream = pyte.Stream(screen)
    for _t, code, data in evs:
        if code == "o":
            stream.feed(data)
    replayed = "\n".join(line.rstrip() for line in screen.display)
    assert replayed == rec.final_text
    assert "deployments(default)[1]" in replayed and "web" in replayed


def test_asciinema_reads_the_cast(recorded: tuple[Recording, Path, Path]) -> None:
    _rec, cast, _svg = recorded
    done = subprocess.run([sys.executable, "-m", "asciinema", "cat", str(cast)],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    _header, evs = events(cast)
    assert done.stdout.decode() == "".join(d for _t, c, d in evs if c == "o")


def test_screenshots_are_svg(recorded: tuple[Recording, Path, Path]) -> None:
    _rec, _cast, svg = recorded
    text = (svg / "deploy.svg").read_text()
    assert text.lstrip().startswith("<svg") and "record&#160;test" in text


def test_another_process_hash_seed_and_terminal_env_write_the_same_bytes(
        recorded: tuple[Recording, Path, Path], scenario: Path, tmp_path: Path,
        env: dict[str, str]) -> None:
    _rec, cast, svg = recorded
    out = tmp_path / "again.cast"
    seed = "12345" if os.environ.get("PYTHONHASHSEED") != "12345" else "54321"
    done = subprocess.run([sys.executable, "-m", "k9py", "record", str(scenario), "-o",
                           str(out), "--svg-dir", str(tmp_path / "svg"), "-q"],
                          cwd=ROOT, env={**env, "PYTHONHASHSEED": seed, "NO_COLOR": "1",
                                         "TEXTUAL_FILTERS": "dim", "COLUMNS": "50",
                                         "LINES": "10", "TERM": "dumb"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == cast.read_bytes()
    assert (tmp_path / "svg" / "deploy.svg").read_bytes() == (svg / "deploy.svg").read_bytes()


def test_a_wait_that_never_holds_names_its_step_and_writes_nothing(
        tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "never.yaml"
    path.write_text("title: never\ncluster: {nodes: 1}\nsteps:\n  - sleep: 1s\n"
                    "  - screenshot: never.svg\n"
                    "  - wait: {screen: \"no such text\"}\n    timeout: 2s\n")
    out = tmp_path / "out" / "never.cast"
    with pytest.raises(RecordError) as info:
        record(path, out, svg_dir=tmp_path / "svg")
    message = str(info.value)
    assert message.startswith(f"{path}:6: step 3 (wait): timed out after 2s"), message
    assert "'no such text'" in message
    assert not out.exists() and not (tmp_path / "svg").exists()
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_quitting_ends_the_recording_and_a_trailing_pause_is_kept(
        tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "quit.yaml"
    path.write_text("cluster: {nodes: 1}\nsteps:\n  - sleep: 1500ms\n  - press: ctrl+q\n")
    rec = record(path, tmp_path / "quit.cast")
    header, evs = events(tmp_path / "quit.cast")
    assert header["duration"] == 1.5 and evs[-1] == [1.5, "o", "\x1b[?25l"]
    assert rec.cast.duration == 1.5
    path.write_text("cluster: {nodes: 1}\nsteps:\n  - press: ctrl+q\n  - sleep: 1s\n")
    with pytest.raises(RecordError, match=r"quit.yaml:3: step 1 \(press\): k9py quit here, "
                       r"and 1 step\(s\) after it cannot run"):
        record(path, tmp_path / "quit2.cast")
    assert not (tmp_path / "quit2.cast").exists()


def test_hidden_steps_take_no_cast_time(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "hidden.yaml"
    path.write_text("cluster: {nodes: 1}\nsteps:\n  - hide\n  - sleep: 5s\n  - show\n"
                    "  - caption: now\n  - sleep: 1s\n  - hide\n  - sleep: 3s\n")
    rec = record(path, tmp_path / "hidden.cast")
    _header, evs = events(tmp_path / "hidden.cast")
    assert evs[0][0] == 0.0 and evs[0][2].startswith("\x1b[?25l")  # the first shown frame
    assert [0.0, "m", "now"] in evs
    assert rec.cast.duration == 1.0
