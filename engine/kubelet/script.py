"""A tiny shell that runs container commands on simulated time.

It gives :mod:`engine.kubelet.behaviour` what a ``sh -c`` script or a plain
command line *does*: when it prints what, which files it creates and removes
(for ``exec`` probes such as ``cat /tmp/healthy``), when it ends and with
which exit status. Nothing is executed; time only passes in ``sleep``.

Understood: ``;`` ``&&`` ``||`` ``|`` and newlines; ``sleep N`` (``s``/``m``/``h``/``d``
suffixes, ``infinity``); ``exit N``; ``true``, ``false``, ``:``; ``echo`` and
``printf``; ``touch``, ``rm``, ``cat``, ``test``/``[ ]`` with ``-f``/``-e``/``-d``,
string and integer comparisons; ``VAR=value``, ``$VAR``, ``${VAR}``,
``$((arithmetic))``, ``$(hostname)``, ``$(date)``; ``while``/``until``/``for``/``if``;
``trap ... TERM`` (the script then exits at once on SIGTERM); ``exec``.
Common one-shot utilities (``date``, ``env``, ``ls``, ``nslookup``, ``wget``, ...)
succeed at once; anything else is taken for a server that runs until stopped.
A loop whose iteration leaves the state unchanged repeats forever with the
iteration's duration as its period.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from engine.kubelet.durations import parse_duration

DATE_MARK = "\x00date\x00"
MAX_STEPS = 20_000
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh"})
# One-shot commands that succeed without output worth modelling.
QUIET_UTILITIES = frozenset({
    "cd", "mkdir", "cp", "mv", "ln", "chmod", "chown", "sync", "wait", "export", "set",
    "nslookup", "dig", "wget", "curl", "nc", "ping6", "apk", "apt-get", "pip", "sed", "awk",
    "grep", "wc", "head", "tr", "cut", "sort", "uniq", "xargs", "kill", "mount", "umount",
    "source", ".", "unset", "shift", "ulimit", "umask", "stat", "find", "du", "df", "ps",
    "id", "whoami", "uname", "pwd", "ls", "env", "printenv", "tee", "dd", "base64", "md5sum",
    "sha256sum", "break", "continue", "clear", "reset", "stty", "local", "declare", "readonly",
})


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class _Forever(Exception):
    """The program blocks until it is stopped (a server, ``sleep infinity``)."""


class _Break(Exception):
    pass


@dataclass
class Loop:
    """Output that repeats every ``period`` seconds from ``start`` on."""

    start: float
    period: float
    lines: list[tuple[float, str]]


@dataclass
class Run:
    """What running a command line does."""

    duration: float | None = None  # None: runs until stopped
    exit_code: int = 0
    lines: list[tuple[float, str]] = field(default_factory=list)
    loop: Loop | None = None
    files: list[tuple[float, str, bool]] = field(default_factory=list)
    traps_term: bool = False
    server: bool = False  # ended in something that serves (unknown command)


class Shell:
    """Interprets one script with an environment."""

    def __init__(self, env: dict[str, str], hostname: str) -> None:
        self.env = dict(env)
        self.env.setdefault("HOSTNAME", hostname)
        self.hostname = hostname
        self.now = 0.0
        self.status = 0
        self.files: dict[str, bool] = {}
        self.run = Run()
        self.steps = 0

    # -- entry points ------------------------------------------------------------
    def execute_script(self, script: str) -> Run:
        return self._finish(lambda: self._block(_parse(script)))

    def execute_argv(self, argv: list[str]) -> Run:
        return self._finish(lambda: self._simple(list(argv), expand=False))

    def _finish(self, body) -> Run:  # noqa: ANN001
        try:
            body()
            self.run.exit_code = self.status
            self.run.duration = self.now
        except _Exit as done:
            self.run.exit_code = done.code
            self.run.duration = self.now
        except _Forever:
            self.run.duration = None
        return self.run

    # -- statements ---------------------------------------------------------------
    def _block(self, nodes: list) -> None:
        for node in nodes:
            self._node(node)

    def _node(self, node) -> None:  # noqa: ANN001
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Forever
        kind = node[0]
        if kind == "and":
            self._node(node[1])
            if self.status == 0:
                self._node(node[2])
        elif kind == "or":
            self._node(node[1])
            if self.status != 0:
                self._node(node[2])
        elif kind == "pipe":
            for part in node[1]:
                self._node(part)
        elif kind == "while":
            self._while(node[1], node[2], until=node[3])
        elif kind == "for":
            self._for(node[1], node[2], node[3])
        elif kind == "if":
            self._if(node[1])
        elif kind == "cmd":
            self._simple(node[1])

    def _if(self, branches: list) -> None:
        for cond, body in branches:
            if cond is None:
                self._block(body)
                return
            self._block(cond)
            if self.status == 0:
                self._block(body)
                return
        self.status = 0

    def _for(self, var: str, words: list[str], body: list) -> None:
        values = [w for word in words for w in self._expand(word).split()]
        try:
            for value in values:
                self.env[var] = value
                self._block(body)
        except _Break:
            pass

    def _while(self, cond: list, body: list, until: bool) -> None:
        try:
            while True:
                before = self._state()
                start, mark = self.now, len(self.run.lines)
                self._block(cond)
                if (self.status == 0) == until:
                    self.status = 0
                    return
                self._block(body)
                if self._state() == before:
                    self._repeat_forever(start, mark)
        except _Break:
            self.status = 0

    def _repeat_forever(self, start: float, mark: int) -> None:
        period = max(self.now - start, 0.01)
        lines = [(t - start, text) for t, text in self.run.lines[mark:]]
        del self.run.lines[mark:]
        self.run.loop = Loop(start, period, lines)
        raise _Forever

    def _state(self) -> tuple:
        return (tuple(sorted(self.env.items())), tuple(sorted(self.files.items())))

    # -- simple commands -------------------------------------------------------------
    def _simple(self, words: list[str], expand: bool = True) -> None:
        if expand:
            words = [self._expand(w) for w in words]
        while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
            name, _, value = words.pop(0).partition("=")
            self.env[name] = value
            self.status = 0
        if not words:
            return
        name = words[0].rsplit("/", 1)[-1]
        handler = getattr(self, "_cmd_" + name.replace("-", "_"), None)
        if name in ("[", "test", "[["):
            self.status = 0 if self._test(words[1:]) else 1
        elif handler is not None:
            handler(words[1:])
        elif name in QUIET_UTILITIES:
            self.status = 0
        elif name in SHELLS and "-c" in words:
            rest = words[words.index("-c") + 1:]
            self._block(_parse(rest[0] if rest else ""))
        else:
            self.run.server = True
            raise _Forever

    def _cmd_sleep(self, args: list[str]) -> None:
        total = 0.0
        for arg in args:
            if arg in ("infinity", "inf"):
                raise _Forever
            seconds = parse_duration(arg)
            if seconds is None:
                self.status = 1
                self._print(f"sleep: invalid number '{arg}'")
                return
            total += seconds
        self.now += total
        self.status = 0

    def _cmd_exit(self, args: list[str]) -> None:
        raise _Exit(_int(args[0], 2) % 256 if args else self.status)

    def _cmd_true(self, _args: list[str]) -> None:
        self.status = 0

    _cmd_ = _cmd_true  # ":"

    def _cmd_false(self, _args: list[str]) -> None:
        self.status = 1

    def _cmd_echo(self, args: list[str]) -> None:
        while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
            args = args[1:]
        self._print(" ".join(args))
        self.status = 0

    def _cmd_printf(self, args: list[str]) -> None:
        if args:
            values = iter(args[1:])
            text = re.sub(r"%[sd]", lambda _m: next(values, ""), args[0]).replace("\\n", "\n")
            for line in text.rstrip("\n").split("\n"):
                self._print(line)
        self.status = 0

    def _cmd_touch(self, args: list[str]) -> None:
        for path in args:
            self._file(path, True)
        self.status = 0

    def _cmd_rm(self, args: list[str]) -> None:
        for path in (a for a in args if not a.startswith("-")):
            self._file(path, False)
        self.status = 0

    def _cmd_cat(self, args: list[str]) -> None:
        self.status = 0
        for path in (a for a in args if not a.startswith("-")):
            if not self.files.get(path, False):
                self._print(f"cat: can't open '{path}': No such file or directory")
                self.status = 1

    def _cmd_date(self, _args: list[str]) -> None:
        self._print(DATE_MARK)
        self.status = 0

    def _cmd_hostname(self, _args: list[str]) -> None:
        self._print(self.hostname)
        self.status = 0

    def _cmd_tail(self, args: list[str]) -> None:
        if "-f" in args or "-F" in args:
            raise _Forever
        self.status = 0

    def _cmd_ping(self, args: list[str]) -> None:
        if "-c" not in args:
            raise _Forever
        self.now += _int(args[args.index("-c") + 1] if args[-1] != "-c" else "1", 1) - 1
        self.status = 0

    def _cmd_trap(self, args: list[str]) -> None:
        if any(s in ("TERM", "SIGTERM", "15", "INT", "EXIT") for s in args[1:]):
            self.run.traps_term = True
        self.status = 0

    def _cmd_exec(self, args: list[str]) -> None:
        self._simple(args, expand=False)

    def _cmd_break(self, _args: list[str]) -> None:
        raise _Break

    # -- helpers --------------------------------------------------------------------------
    def _print(self, text: str) -> None:
        self.run.lines.append((self.now, text))

    def _file(self, path: str, exists: bool) -> None:
        self.files[path] = exists
        self.run.files.append((self.now, path, exists))

    def _test(self, args: list[str]) -> bool:
        args = [a for a in args if a not in ("]", "]]")]
        if args[:1] == ["!"]:
            return not self._test(args[1:])
        if len(args) == 2 and args[0] in ("-f", "-e", "-d", "-s", "-r"):
            return self.files.get(args[1], False)
        if len(args) == 2 and args[0] in ("-z", "-n"):
            return (args[1] == "") == (args[0] == "-z")
        if len(args) == 3:
            return _compare(args[0], args[1], args[2])
        return bool(args and args[0])

    def _names(self, expr: str) -> str:
        """Arithmetic reads bare variable names as their values."""
        expr = self._expand(expr)
        return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: self.env.get(m.group(0), "0"), expr)

    def _expand(self, word: str) -> str:
        word = re.sub(r"\$\(\((.*?)\)\)", lambda m: str(_arith(self._names(m.group(1)))), word)
        word = re.sub(r"\$\(\s*hostname\s*\)|`hostname`", self.hostname, word)
        word = re.sub(r"\$\(\s*date[^)]*\)|`date[^`]*`", DATE_MARK, word)
        word = re.sub(r"\$\(([^)]*)\)", "", word)
        return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: self.env.get(m.group(1), ""),
                      word)


def _compare(left: str, op: str, right: str) -> bool:
    if op in ("=", "=="):
        return left == right
    if op == "!=":
        return left != right
    ops = {"-eq": int.__eq__, "-ne": int.__ne__, "-lt": int.__lt__, "-le": int.__le__,
           "-gt": int.__gt__, "-ge": int.__ge__}
    if op in ops:
        return ops[op](_int(left, 0), _int(right, 0))
    return True


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _arith(expr: str) -> int:
    """``$(( ))`` over integers: + - * / % and parentheses, nothing else."""
    if not re.fullmatch(r"[\d\s+\-*/%()]*", expr):
        return 0
    try:
        return int(eval(expr.replace("/", "//"), {"__builtins__": {}}, {}))  # noqa: S307
    except Exception:  # noqa: BLE001 - a malformed expression is 0, as in dash
        return 0


# -- parsing -------------------------------------------------------------------------------
def _tokens(script: str) -> list[str]:
    lexer = shlex.shlex(script.replace("\n", " ; "), posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: treat the rest as words
        return script.split()


def _parse(script: str) -> list:
    tokens = _tokens(script)
    nodes, _ = _parse_list(tokens, 0, ())
    return nodes


def _parse_list(tokens: list[str], i: int, stops: tuple[str, ...]) -> tuple[list, int]:
    """Statements up to a stop word; returns (nodes, index of the stop word)."""
    nodes: list = []
    while i < len(tokens) and tokens[i] not in stops:
        if tokens[i] in (";", "&"):
            i += 1
            continue
        node, i = _parse_and_or(tokens, i, stops)
        if node is not None:
            nodes.append(node)
    return nodes, i


def _parse_and_or(tokens: list[str], i: int, stops: tuple[str, ...]) -> tuple:
    node, i = _parse_pipeline(tokens, i, stops)
    while i < len(tokens) and tokens[i] in ("&&", "||"):
        op = "and" if tokens[i] == "&&" else "or"
        right, i = _parse_pipeline(tokens, i + 1, stops)
        node = (op, node, right)
    return node, i


def _parse_pipeline(tokens: list[str], i: int, stops: tuple[str, ...]) -> tuple:
    parts = []
    node, i = _parse_command(tokens, i, stops)
    parts.append(node)
    while i < len(tokens) and tokens[i] == "|":
        node, i = _parse_command(tokens, i + 1, stops)
        parts.append(node)
    return (parts[0] if len(parts) == 1 else ("pipe", parts)), i


def _parse_command(tokens: list[str], i: int, stops: tuple[str, ...]) -> tuple:
    word = tokens[i] if i < len(tokens) else ""
    if word in ("while", "until"):
        cond, i = _parse_list(tokens, i + 1, ("do",))
        body, i = _parse_list(tokens, i + 1, ("done",))
        return ("while", cond, body, word == "until"), i + 1
    if word == "for":
        var = tokens[i + 1] if i + 1 < len(tokens) else "_"
        j = i + 2
        words: list[str] = []
        if j < len(tokens) and tokens[j] == "in":
            j += 1
            while j < len(tokens) and tokens[j] not in (";", "do"):
                words.append(tokens[j])
                j += 1
        while j < len(tokens) and tokens[j] != "do":
            j += 1
        body, j = _parse_list(tokens, j + 1, ("done",))
        return ("for", var, words, body), j + 1
    if word == "if":
        return _parse_if(tokens, i + 1)
    words = []
    while i < len(tokens) and tokens[i] not in (";", "&", "&&", "||", "|", *stops):
        words.append(tokens[i])
        i += 1
    return ("cmd", words), i


def _parse_if(tokens: list[str], i: int) -> tuple:
    branches = []
    while True:
        cond, i = _parse_list(tokens, i, ("then",))
        body, i = _parse_list(tokens, i + 1, ("elif", "else", "fi"))
        branches.append((cond, body))
        word = tokens[i] if i < len(tokens) else "fi"
        if word == "elif":
            i += 1
            continue
        if word == "else":
            body, i = _parse_list(tokens, i + 1, ("fi",))
            branches.append((None, body))
        return ("if", branches), i + 1
