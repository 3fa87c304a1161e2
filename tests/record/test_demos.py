"""Every scenario in samples/demos records: in under 30 s of wall time, to the
same bytes in a second process with another hash seed, into a cast that
``asciinema cat`` reads and that a terminal emulator (pyte) replays to the
TUI's last screen; its stills are the ones committed in docs/stills."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyte
import pytest

from k9py.record.runner import record
from k9py.record.scenario import Screenshot, load_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMOS_DIR = ROOT / "samples" / "demos"
STILLS = ROOT / "docs" / "stills"
DEMOS = sorted(DEMOS_DIR.glob("*.yaml"))
WALL_LIMIT = 30.0  # seconds, per recording (the issue's CI budget)
TOPICS = ("rolling-update", "rollback", "scale", "cordon-drain", "taint-noexecute",
          "node-failure", "pending-pod", "statefulset-canary", "hpa")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The developer's k9py config (skins, aliases) never reaches a recording, nor
    NO_COLOR (Textual would record in monochrome): as `make stills` records."""
    config = tmp_path_factory.mktemp("k9py-config")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("K9PY_CONFIG_DIR", str(config))
        mp.delenv("NO_COLOR", raising=False)
        yield dict(os.environ)


def replay(cast: Path) -> str:
    """The screen a terminal shows after playing the whole cast."""
    lines = cast.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    screen = pyte.Screen(header["width"], header["height"])
    stream = pyte.Stream(screen)
    for line in lines[1:]:
        _t, code, data = json.loads(line)
        if code == "o":
            stream.feed(data)
    return "\n".join(row.rstrip() for row in screen.display)


def test_the_demos_cover_the_issue() -> None:
    assert sorted(p.stem for p in DEMOS) == sorted(TOPICS)


def test_the_readme_lists_every_demo() -> None:
    readme = (DEMOS_DIR / "README.md").read_text()
    listed = set(re.findall(r"^\| `([\w-]+)\.yaml` \|", readme, re.M))
    assert listed == {p.stem for p in DEMOS}


def test_every_still_comes_from_a_demo() -> None:
    """docs/stills holds only what some scenario's screenshot step writes."""
    made = {s.name for p in DEMOS for s in load_scenario(p).steps if isinstance(s, Screenshot)}
    assert {p.name for p in STILLS.glob("*.svg")} == made
    readme = (ROOT / "README.md").read_text()
    for name in made:
        assert f"docs/stills/{name}" in readme, f"README.md does not show {name}"


@pytest.mark.parametrize("demo", DEMOS, ids=[p.stem for p in DEMOS])
def test_demo_records_deterministically(demo: Path, tmp_path: Path,
                                        env: dict[str, str]) -> None:
    first, svg = tmp_path / "first.cast", tmp_path / "svg"
    rec = record(demo, first, svg_dir=svg)
    assert rec.wall_seconds < WALL_LIMIT, f"{demo.name}: {rec.wall_seconds:.1f}s"

    assert replay(first) == rec.final_text

    done = subprocess.run([sys.executable, "-m", "asciinema", "cat", str(first)],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()

    again, svg_again = tmp_path / "again.cast", tmp_path / "svg-again"
    seed = "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "2424"
    done = subprocess.run([sys.executable, "-m", "k9py", "record", str(demo), "-o", str(again),
                           "--svg-dir", str(svg_again), "-q"],
                          cwd=ROOT, env={**env, "PYTHONHASHSEED": seed},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == first.read_bytes()

    stills = sorted(p.name for p in svg.glob("*.svg"))
    assert stills, f"{demo.name} takes no screenshot for the README"
    for name in stills:
        assert (svg_again / name).read_bytes() == (svg / name).read_bytes()
        committed = STILLS / name
        assert committed.exists() and committed.read_bytes() == (svg / name).read_bytes(), (
            f"docs/stills/{name} is stale: run `make stills`")
