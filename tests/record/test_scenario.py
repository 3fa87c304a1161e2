"""Scenario files: the agreed format parses, and every mistake is reported with
its file, line and step before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from k9py.record.scenario import (
    DEFAULT_TIMEOUT,
    Apply,
    Caption,
    ClusterAction,
    Hide,
    Press,
    ScenarioError,
    Screenshot,
    Show,
    Sleep,
    Type,
    Vocabulary,
    Wait,
    check_key,
    load_scenario,
    parse_duration,
    parse_scenario,
)

FULL = """\
title: Rolling update
terminal: {width: 100, height: 30}
theme: k9py-dark
idle_time_limit: 1.5
cluster: {nodes: 2}
steps:
  - hide
  - apply: app.yaml
  - wait: deployment nginx-deployment available 3
    timeout: 120s
  - show
  - press: ":"
  - press: down
    count: 3
  - type: deploy
    speed: 80ms
  - sleep: 2s
  - caption: Scale to 4
  - screenshot: scale.svg
  - wait: {screen: "4/4"}
    timeout: 30s
  - cluster: {stop_kubelet: k9py-worker}
"""

MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: demo}
data: {a: b}
"""


def test_the_agreed_format_parses(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(MANIFEST)
    path = tmp_path / "demo.yaml"
    path.write_text(FULL)
    s = load_scenario(path)
    assert (s.title, s.width, s.height, s.theme, s.idle_time_limit, s.nodes) == \
        ("Rolling update", 100, 30, "k9py-dark", 1.5, 2)
    kinds = [type(step) for step in s.steps]
    assert kinds == [Hide, Apply, Wait, Show, Press, Press, Type, Sleep, Caption, Screenshot,
                     Wait, ClusterAction]
    wait, press, typed = s.steps[2], s.steps[5], s.steps[6]
    assert wait.timeout == 120 and wait.line == 9 and wait.index == 3
    assert wait.describe().startswith("deployment nginx-deployment available")
    assert press.keys == ("down",) and press.count == 3
    assert typed.text == "deploy" and typed.speed == pytest.approx(0.08)
    assert s.steps[10].screen == "4/4" and s.steps[10].timeout == 30
    assert s.steps[9].name == "scale.svg"


def test_defaults(tmp_path: Path) -> None:
    s = parse_scenario("steps:\n  - sleep: 1\n  - wait: {screen: x}\n", tmp_path / "tiny.yaml")
    assert (s.title, s.width, s.height, s.theme, s.idle_time_limit, s.nodes) == \
        ("tiny", 120, 32, "k9py-dark", None, 3)
    assert s.steps[0].seconds == 1 and s.steps[1].timeout == DEFAULT_TIMEOUT


@pytest.mark.parametrize(("text", "seconds"), [
    ("80ms", 0.08), ("2s", 2), ("1.5s", 1.5), ("2m", 120), (3, 3), (0.25, 0.25), ("7", 7)])
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["soon", "-1s", "2h", True, "1 s s"])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("key", ["enter", "escape", "down", "ctrl+d", "shift+s", ":", "colon",
                                 "question_mark", "f5", "pagedown", "space", "a", "tab"])
def test_key_names(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize("key", ["entr", "ctrl+nothing", "hyperdrive+a", ""])
def test_bad_key_names(key: str) -> None:
    with pytest.raises(ValueError):
        check_key(key)


ERRORS = [
    # (steps text, line, what the message says)
    ("  - press: a\n  - jump\n", 3, "step 2: unknown step 'jump'"),
    ("  - click: ok\n", 2, "step 1: unknown step 'click'"),
    ("  - press: a\n    timeout: 2s\n", 3, "step 1 (press): unknown modifier 'timeout' "
     "(allowed: count)"),
    ("  - sleep: 1s\n  - sleep: 2s\n    count: 2\n", 4, "step 2 (sleep): unknown modifier "
     "'count' (allowed: none)"),
    ("  - press: entr\n", 2, "step 1 (press): unknown key 'entr'"),
    ("  - press: down\n    count: 0\n", 2, "step 1 (press): count must be"),
    ("  - sleep: soon\n", 2, "step 1 (sleep): not a duration"),
    ("  - wait: {screen: x}\n    timeout: forever\n", 2, "step 1 (wait): not a duration"),
    ("  - press: a\n    type: b\n", 2, "step 1: a step has exactly one of"),
    ("  - screenshot: shot.png\n", 2, "step 1 (screenshot): give a file name ending in .svg"),
    ("  - screenshot: ../x.svg\n", 2, "step 1 (screenshot)"),
    ("  - caption: {a: b}\n", 2, "step 1 (caption): give the text"),
    ("  - show\n  - wait: deploymnt web available 2\n", 3, "step 2 (wait): wait condition"),
    ("  - cluster: {explode: k9py-worker}\n", 2, "step 1 (cluster): cluster: unknown action"),
    ("  - apply: missing.yaml\n", 2, "step 1 (apply): apply: missing.yaml: no such file"),
    ("  - [press, a]\n", 2, "step 1: a step is a word"),
    ("  - screenshot: a.svg\n  - screenshot: a.svg\n", 3,
     "step 2 (screenshot): screenshot 'a.svg' is taken already by step 1"),
]


@pytest.mark.parametrize(("steps", "line", "message"), ERRORS)
def test_errors_name_the_file_line_and_step(tmp_path: Path, steps: str, line: int,
                                            message: str) -> None:
    path = tmp_path / "bad.yaml"
    with pytest.raises(ScenarioError) as info:
        parse_scenario("steps:\n" + steps, path)
    text = str(info.value)
    assert text.startswith(f"{path}:{line}: "), text
    assert message in text, text


@pytest.mark.parametrize(("text", "line", "message"), [
    ("title: x\nsteps:\n  - press: [a\n  - sleep: 1\n", 4, "invalid YAML"),
    ("steps:\n  - press: a\n - sleep: 1\n", 3, "invalid YAML"),
    ("title: x\n", 1, "the scenario has no 'steps'"),
    ("- press: a\n", 1, "a scenario is a mapping"),
    ("titel: x\nsteps: []\n", 1, "unknown key 'titel'"),
    ("steps: {press: a}\n", 1, "'steps' must be a list"),
    ("theme: neon\nsteps: []\n", 1, "unknown theme 'neon'"),
    ("terminal: {width: 10}\nsteps: []\n", 1, "terminal width must be"),
    ("terminal: {cols: 10}\nsteps: []\n", 1, "terminal: give {width: N, height: N}"),
    ("cluster: {nodes: 0}\nsteps: []\n", 1, "cluster: give {nodes: N}"),
    ("steps: []\nidle_time_limit: never\n", 2, "idle_time_limit: not a duration"),
])
def test_file_level_errors(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.yaml"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, path)
    assert str(info.value).startswith(f"{path}:{line}: "), str(info.value)
    assert message in str(info.value)


def test_a_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the scenario"):
        load_scenario(tmp_path / "nope.yaml")


def test_without_conditions_and_actions_the_rest_still_parses(tmp_path: Path) -> None:
    bare = Vocabulary()
    s = parse_scenario("steps:\n  - press: a\n  - wait: {screen: ok}\n", tmp_path / "a.yaml",
                       bare)
    assert len(s.steps) == 2
    with pytest.raises(ScenarioError, match=r"a.yaml:3: step 2 \(wait\): wait conditions are "
                       "not available"):
        parse_scenario("steps:\n  - press: a\n  - wait: deployment x available 1\n",
                       tmp_path / "a.yaml", bare)
