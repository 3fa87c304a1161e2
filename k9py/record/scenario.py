"""Demo scenarios: a YAML file of steps, checked completely before anything runs.

The file is composed (not just loaded) so that every value keeps its line
number: an unknown step, a bad modifier or a condition the vocabulary does not
understand is reported as ``file:line: step N (verb): ...`` before the cluster
boots. Conditions and cluster actions are parsed by ``k9py.record.conditions``
and ``k9py.record.actions``; they are looked up through :class:`Vocabulary`
so a build without them still parses (and reports) the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from k9py.record.optional import optional_module

DEFAULT_WIDTH, DEFAULT_HEIGHT = 120, 32
DEFAULT_THEME = "k9py-dark"
DEFAULT_NODES = 3
DEFAULT_TIMEOUT = 60.0
DEFAULT_SPEED = 0.06
BARE_STEPS = ("hide", "show")
# verb -> the modifiers it accepts (a step is one verb key plus these).
VERBS: dict[str, tuple[str, ...]] = {
    "apply": (), "press": ("count",), "type": ("speed",), "wait": ("timeout",),
    "sleep": (), "caption": (), "screenshot": (), "cluster": (),
}
TOP_KEYS = ("title", "terminal", "theme", "idle_time_limit", "cluster", "steps")
_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m)?\s*$")


class ScenarioError(Exception):
    """A scenario that cannot run: the message names the file, line and step."""


@dataclass(frozen=True)
class Vocabulary:
    """Where wait conditions and cluster/apply actions are parsed (the other half
    of the recorder); tests may hand in their own."""

    parse_condition: Callable[[str], Any] | None = None
    parse_cluster_action: Callable[[Mapping[str, Any]], Any] | None = None
    parse_apply: Callable[[Any, Path], Any] | None = None

    @classmethod
    def default(cls) -> Vocabulary:
        conditions = optional_module("k9py.record.conditions")
        actions = optional_module("k9py.record.actions")
        return cls(parse_condition=getattr(conditions, "parse_condition", None),
                   parse_cluster_action=getattr(actions, "parse_cluster_action", None),
                   parse_apply=getattr(actions, "parse_apply", None))


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step; ``index`` is 1-based, ``line`` the 1-based line it starts on."""

    verb: str
    index: int
    line: int
    path: str = ""

    def where(self) -> str:
        return f"{self.path}:{self.line}: step {self.index} ({self.verb})"


@dataclass(frozen=True, kw_only=True)
class Hide(Step):
    pass


@dataclass(frozen=True, kw_only=True)
class Show(Step):
    pass


@dataclass(frozen=True, kw_only=True)
class Press(Step):
    keys: tuple[str, ...]
    count: int = 1


@dataclass(frozen=True, kw_only=True)
class Type(Step):
    text: str
    speed: float = DEFAULT_SPEED


@dataclass(frozen=True, kw_only=True)
class Wait(Step):
    """Either a cluster ``condition`` (from the vocabulary) or ``screen`` text."""

    condition: Any = None
    screen: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def describe(self) -> str:
        if self.screen is not None:
            return f"screen shows {self.screen!r}"
        return str(self.condition.describe())


@dataclass(frozen=True, kw_only=True)
class Sleep(Step):
    seconds: float


@dataclass(frozen=True, kw_only=True)
class Caption(Step):
    text: str


@dataclass(frozen=True, kw_only=True)
class Screenshot(Step):
    name: str


@dataclass(frozen=True, kw_only=True)
class Apply(Step):
    action: Any


@dataclass(frozen=True, kw_only=True)
class ClusterAction(Step):
    action: Any


@dataclass(frozen=True)
class Scenario:
    path: Path
    title: str
    width: int = DEFAULT_WIDTH
    height: int = DEFAULT_HEIGHT
    theme: str = DEFAULT_THEME
    idle_time_limit: float | None = None
    nodes: int = DEFAULT_NODES
    steps: tuple[Step, ...] = field(default_factory=tuple)


# -- values ------------------------------------------------------------------------------------
def parse_duration(value: Any) -> float:
    """``120s``, ``80ms``, ``2m`` or a number of seconds; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if match is None:
            raise ValueError(f"not a duration: {value!r} (use e.g. 500ms, 2s, 1m)")
        number, unit = float(match.group(1)), match.group(2) or "s"
        seconds = number * {"ms": 0.001, "s": 1.0, "m": 60.0}[unit]
    if seconds < 0:
        raise ValueError(f"not a duration: {value!r}")
    return seconds


def check_key(key: str) -> str:
    """A Textual key name (``enter``, ``ctrl+d``, ``shift+s``) or one character."""
    from textual.keys import Keys, key_to_character

    if not isinstance(key, str) or not key:
        raise ValueError(f"not a key: {key!r}")
    if len(key) == 1:
        return key
    *mods, base = key.split("+")
    if any(m not in _MODIFIERS for m in mods):
        raise ValueError(f"unknown modifier in key {key!r}")
    names = {k.value.rsplit("+", 1)[-1] for k in Keys}
    names |= {"enter", "tab", "space", "backspace", "escape"} | {f"f{i}" for i in range(1, 25)}
    if len(base) == 1 or base in names or key_to_character(base) is not None:
        return key
    raise ValueError(f"unknown key {key!r} (Textual key names: enter, escape, down, "
                     "ctrl+d, shift+s, colon, ...)")


def theme_names() -> set[str]:
    """k9py's skins (bundled and the user's) and Textual's built-in themes."""
    from textual.theme import BUILTIN_THEMES

    from k9py.themes import load_themes

    return set(load_themes().themes) | set(BUILTIN_THEMES)


# -- the file ----------------------------------------------------------------------------------
class _Reader:
    """Turns composed YAML nodes into steps, raising ScenarioError with positions."""

    def __init__(self, path: Path, vocab: Vocabulary) -> None:
        self.path = path
        self.name = str(path)
        self.vocab = vocab
        self._constructor = yaml.SafeLoader("")

    def value(self, node: yaml.Node) -> Any:
        return self._constructor.construct_object(node, deep=True)

    def fail(self, node: yaml.Node | None, message: str) -> ScenarioError:
        line = node.start_mark.line + 1 if node is not None else 1
        return ScenarioError(f"{self.name}:{line}: {message}")

    def scenario(self, root: yaml.Node | None) -> Scenario:
        if not isinstance(root, yaml.MappingNode):
            raise self.fail(root, "a scenario is a mapping with 'steps' (and optionally "
                            + ", ".join(k for k in TOP_KEYS if k != "steps") + ")")
        top: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in root.value:
            key = self.value(key_node)
            if key not in TOP_KEYS:
                raise self.fail(key_node, f"unknown key {key!r} (known: {', '.join(TOP_KEYS)})")
            top[key] = (key_node, value_node)
        if "steps" not in top:
            raise self.fail(root, "the scenario has no 'steps'")
        settings = self._settings(top)
        steps = self._steps(top["steps"][1])
        return Scenario(path=self.path, steps=steps, **settings)

    def _settings(self, top: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.path.stem}
        if "title" in top:
            out["title"] = str(self.value(top["title"][1]))
        if "theme" in top:
            out["theme"] = str(self.value(top["theme"][1]))
            known = theme_names()
            if out["theme"] not in known:
                raise self.fail(top["theme"][1], f"unknown theme {out['theme']!r} "
                                f"(themes: {', '.join(sorted(known))})")
        if "terminal" in top:
            node = top["terminal"][1]
            term = self.value(node)
            if not isinstance(term, dict) or set(term) - {"width", "height"}:
                raise self.fail(node, "terminal: give {width: N, height: N}")
            for key, lo in (("width", 40), ("height", 10)):
                value = term.get(key, out.get(key, DEFAULT_WIDTH if key == "width"
                                                else DEFAULT_HEIGHT))
                if not isinstance(value, int) or isinstance(value, bool) or not \
                        lo <= value <= 500:
                    raise self.fail(node, f"terminal {key} must be a whole number "
                                    f"from {lo} to 500, not {value!r}")
                out[key] = value
        if "idle_time_limit" in top:
            node = top["idle_time_limit"][1]
            try:
                out["idle_time_limit"] = parse_duration(self.value(node))
            except ValueError as err:
                raise self.fail(node, f"idle_time_limit: {err}") from None
        if "cluster" in top:
            node = top["cluster"][1]
            spec = self.value(node)
            nodes = spec.get("nodes") if isinstance(spec, dict) and set(spec) <= {"nodes"} \
                else None
            if not isinstance(nodes, int) or isinstance(nodes, bool) or not 1 <= nodes <= 50:
                raise self.fail(node, "cluster: give {nodes: N} with N from 1 to 50")
            out["nodes"] = nodes
        return out

    def _steps(self, node: yaml.Node) -> tuple[Step, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "'steps' must be a list")
        steps = tuple(self.step(i, item) for i, item in enumerate(node.value, start=1))
        shots: dict[str, Step] = {}
        for step in steps:
            if isinstance(step, Screenshot):
                if step.name in shots:
                    raise ScenarioError(f"{step.where()}: screenshot {step.name!r} is taken "
                                        f"already by step {shots[step.name].index}")
                shots[step.name] = step
        return steps

    def step(self, index: int, node: yaml.Node) -> Step:
        at = {"index": index, "line": node.start_mark.line + 1, "path": self.name}
        if isinstance(node, yaml.ScalarNode):
            word = self.value(node)
            if word in BARE_STEPS:
                return (Hide if word == "hide" else Show)(verb=word, **at)
            raise self.fail(node, f"step {index}: unknown step {word!r} (bare steps: "
                            f"hide, show; others: {', '.join(VERBS)})")
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"step {index}: a step is a word (hide, show) or a mapping")
        items = [(self.value(k), k, v) for k, v in node.value]
        verbs = [(key, k, v) for key, k, v in items if key in VERBS]
        if len(verbs) != 1:
            unknown = [key for key, _k, _v in items if key not in VERBS
                       and not any(key in mods for mods in VERBS.values())]
            what = f"unknown step {unknown[0]!r}" if unknown else \
                "a step has exactly one of " + ", ".join(VERBS)
            raise self.fail(node, f"step {index}: {what} (steps: hide, show, "
                            f"{', '.join(VERBS)})")
        verb, _key_node, value_node = verbs[0]
        mods: dict[str, tuple[Any, yaml.Node]] = {}
        for key, key_node, value in items:
            if key == verb:
                continue
            if key not in VERBS[verb]:
                allowed = ", ".join(VERBS[verb]) or "none"
                raise self.fail(key_node, f"step {index} ({verb}): unknown modifier {key!r} "
                                f"(allowed: {allowed})")
            mods[key] = (self.value(value), value)
        at["line"] = node.start_mark.line + 1
        try:
            return self._build(verb, value_node, mods, at)
        except ValueError as err:
            raise self.fail(value_node, f"step {index} ({verb}): {err}") from None

    def _build(self, verb: str, node: yaml.Node, mods: dict[str, tuple[Any, yaml.Node]],
               at: dict[str, Any]) -> Step:
        value = self.value(node)
        if verb == "press":
            keys = value if isinstance(value, list) else [value]
            keys = [check_key(str(k) if isinstance(k, int) else k) for k in keys]
            count = mods.get("count", (1, node))[0]
            if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 1000:
                raise ValueError(f"count must be a whole number from 1 to 1000, not {count!r}")
            return Press(verb=verb, keys=tuple(keys), count=count, **at)
        if verb == "type":
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise ValueError("give the text to type")
            speed = parse_duration(mods["speed"][0]) if "speed" in mods else DEFAULT_SPEED
            return Type(verb=verb, text=str(value), speed=speed, **at)
        if verb == "wait":
            timeout = parse_duration(mods["timeout"][0]) if "timeout" in mods \
                else DEFAULT_TIMEOUT
            if isinstance(value, dict):
                if set(value) != {"screen"} or not isinstance(value["screen"], str | int):
                    raise ValueError("give a condition or {screen: \"text\"}")
                return Wait(verb=verb, screen=str(value["screen"]), timeout=timeout, **at)
            if not isinstance(value, str):
                raise ValueError("give a condition (e.g. 'deployment web available 3') "
                                 "or {screen: \"text\"}")
            parse = self._need("parse_condition", "wait conditions")
            return Wait(verb=verb, condition=parse(value), timeout=timeout, **at)
        if verb == "sleep":
            return Sleep(verb=verb, seconds=parse_duration(value), **at)
        if verb == "caption":
            if value is None or isinstance(value, dict | list):
                raise ValueError("give the text to show")
            return Caption(verb=verb, text=str(value), **at)
        if verb == "screenshot":
            name = str(value) if isinstance(value, str) else ""
            if not name.endswith(".svg") or Path(name).name != name:
                raise ValueError(f"give a file name ending in .svg, not {value!r}")
            return Screenshot(verb=verb, name=name, **at)
        if verb == "apply":
            parse = self._need("parse_apply", "apply")
            return Apply(verb=verb, action=parse(value, self.path.parent), **at)
        if not isinstance(value, dict):
            raise ValueError("give a mapping, e.g. {stop_kubelet: k9py-worker}")
        parse = self._need("parse_cluster_action", "cluster actions")
        return ClusterAction(verb=verb, action=parse(value), **at)

    def _need(self, name: str, what: str) -> Callable[..., Any]:
        fn = getattr(self.vocab, name)
        if fn is None:
            raise ValueError(f"{what} are not available in this build "
                             "(k9py.record.conditions / k9py.record.actions missing)")
        return fn


def parse_scenario(text: str, path: Path | str = "<scenario>",
                   vocab: Vocabulary | None = None) -> Scenario:
    """Parse and validate a scenario; ScenarioError (with file:line) on any problem."""
    path = Path(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(err, "problem", None) or str(err)
        raise ScenarioError(f"{path}:{line}: invalid YAML: {problem}") from None
    return _Reader(path, vocab or Vocabulary.default()).scenario(root)


def load_scenario(path: Path | str, vocab: Vocabulary | None = None) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ScenarioError(f"{path}: cannot read the scenario: {err.strerror or err}") \
            from None
    return parse_scenario(text, path, vocab)
