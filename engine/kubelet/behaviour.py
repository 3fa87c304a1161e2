"""What a simulated container does: a documented, deterministic model.

Every container instance gets a :class:`Behaviour` when it starts. It is
derived, in this order, from:

1. **The command line.** As Docker does: ``command`` replaces the image's
   ENTRYPOINT and ``args`` its CMD; with neither, the image's defaults run
   (see :data:`engine.kubelet.images.PROFILES`).

   * ``sh -c "<script>"`` (any of sh, bash, ash, dash, zsh): the script is
     interpreted on simulated time by :mod:`engine.kubelet.script`
     (``sleep``, ``exit``, ``true``/``false``, ``echo``, ``touch``/``rm``, loops,
     ...). ``sh -c "sleep 5; exit 1"`` runs 5 s and exits with 1.
   * A lone utility (``sleep 3600``, ``echo hi``, ``true``, ``false``,
     ``exit 3``, ``date``, ...) is interpreted the same way.
   * A bare shell (``busybox``, ``alpine``, ``ubuntu`` ... with no command)
     exits 0 at once, as a real ``sh`` with no terminal does - unless
     ``stdin`` or ``tty`` is set, when it waits forever.
   * ``hello-world`` prints its greeting and exits 0. ``postgres`` without
     ``POSTGRES_PASSWORD`` (or ``POSTGRES_HOST_AUTH_METHOD=trust``) and
     ``mysql``/``mariadb`` without a root password option print the image's
     error and exit 1 - so they crash-loop, as they really do.
   * Anything else (nginx, redis, your ``/app/server``) is a server: it runs
     until stopped, listening on the image's known ports (nginx 80, redis
     6379, ...) or, for unknown images, on the ports the container declares
     (every port when it declares none).

2. **Annotations** under ``k9py.dev/`` on the pod. A key applies to every
   regular container (not init containers); a key suffixed with
   ``.<container>`` applies to that container only (init containers too)
   and wins over the pod-wide key. Durations use Go syntax (``30s``,
   ``1m30s``; a bare number is seconds).

   ``k9py.dev/crash-after: "30s"``
       the process exits 30 s after each start (unless it ends sooner), with
       ``k9py.dev/exit-code`` (default 1): reason ``Error``, or ``Completed``
       for 0.
   ``k9py.dev/exit-code: "3"``
       the exit status whenever the process ends by itself.
   ``k9py.dev/oom-after: "45s"``
       the kernel OOM-kills the process 45 s after each start: exit code
       137, reason ``OOMKilled``.
   ``k9py.dev/slow-start: "20s"``
       the process needs 20 s before it answers: every probe fails (HTTP and
       TCP with "connection refused") and its startup log lines appear only
       then.
   ``k9py.dev/fail-readiness: "true"`` (or a duration)
       readiness probes fail always (or from that long after each start):
       HTTP 503, TCP refused, exec exit 1.
   ``k9py.dev/fail-liveness: "true"`` (or a duration)
       the same for liveness probes, so the kubelet restarts the container.
   ``k9py.dev/load: "0.8"``
       the usage model's load (see :mod:`engine.kubelet.usage`).

3. **Signals.** On SIGTERM a server exits within 0.2 s with status 0. A
   shell script or ``sleep`` runs as PID 1 and ignores SIGTERM (PID 1 gets no
   default handlers), so it is SIGKILLed when the grace period ends: exit
   137, reason ``Error`` - the real reason a busybox pod takes 30 s to
   delete. A script that ``trap``s TERM exits at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.kubelet import images
from engine.kubelet.durations import parse_duration
from engine.kubelet.script import SHELLS, Run, Shell

Obj = dict[str, Any]

PREFIX = "k9py.dev/"
SERVER_STOP_SECONDS = 0.2
HELLO = ("", "Hello from Docker!",
         "This message shows that your installation appears to be working correctly.", "")
PG_ERROR = ("Error: Database is uninitialized and superuser password is not specified.",
            '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
            '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".')
MYSQL_ERROR = ("2025-01-01 00:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and "
               "password option is not specified",
               "    You need to specify one of the following as an environment variable:",
               "    - MYSQL_ROOT_PASSWORD", "    - MYSQL_ALLOW_EMPTY_PASSWORD",
               "    - MYSQL_RANDOM_ROOT_PASSWORD")


@dataclass
class Behaviour:
    """One container instance's life, in seconds after it started."""

    family: str
    run: Run
    duration: float | None  # None: until stopped
    exit_code: int
    reason: str  # reason when it ends by itself: Completed, Error, OOMKilled
    ready_after: float = 0.0
    ports: tuple[int, ...] | None = None  # None: any port answers
    http_paths: tuple[str, ...] | None = None
    fail_readiness_after: float | None = None
    fail_liveness_after: float | None = None
    stop_seconds: float | None = SERVER_STOP_SECONDS  # None: ignores SIGTERM
    load: float | None = None

    def listening(self, offset: float) -> bool:
        """Whether the process answers on its ports ``offset`` seconds after start."""
        return self.run.server and offset >= self.ready_after

    def file_exists(self, path: str, offset: float) -> bool:
        exists = False
        for at, name, state in self.run.files:
            if name == path and at <= offset:
                exists = state
        return exists


def annotation(pod: Obj, key: str, container: str) -> str | None:
    """A ``k9py.dev/`` knob for ``container``: its own key first, then the pod-wide one."""
    notes = pod["metadata"].get("annotations") or {}
    own = notes.get(f"{PREFIX}{key}.{container}")
    if own is not None:
        return own
    return None if _is_init(pod, container) else notes.get(PREFIX + key)


def _is_init(pod: Obj, name: str) -> bool:
    return any(c.get("name") == name for c in pod["spec"].get("initContainers") or ())


def argv_for(container: Obj, profile: images.ImageProfile) -> list[str]:
    """Docker's ENTRYPOINT/CMD rules."""
    command, args = container.get("command"), container.get("args")
    if command:
        return [*command, *(args or [])]
    if args:
        return [*profile.entrypoint, *args]
    return [*profile.entrypoint, *profile.cmd]


def behaviour_for(pod: Obj, container: Obj, env: dict[str, str]) -> Behaviour:
    """The behaviour of a new instance of ``container`` in ``pod``."""
    try:
        profile = images.profile(images.parse(container.get("image") or ""))
    except images.InvalidImageName:
        profile = images.ImageProfile("server")
    run, family = _run(pod, container, profile, env)
    b = Behaviour(family, run, run.duration, run.exit_code, _reason(run.exit_code),
                  http_paths=profile.http_paths, ports=_ports(container, profile))
    b.stop_seconds = SERVER_STOP_SECONDS if run.server or run.traps_term else None
    _apply_annotations(b, pod, container["name"])
    return b


def _run(pod: Obj, container: Obj, profile: images.ImageProfile,
         env: dict[str, str]) -> tuple[Run, str]:
    argv = argv_for(container, profile)
    shell = Shell(env, pod["metadata"]["name"])
    base = argv[0].rsplit("/", 1)[-1] if argv else ""
    entry = tuple(argv[: len(profile.entrypoint)]) == profile.entrypoint and profile.entrypoint
    if profile.family == "hello" and entry:
        return Run(0.0, 0, [(0.0, line) for line in HELLO]), "hello"
    if profile.family == "pause" and entry:
        return Run(None, server=True), "pause"
    if profile.family in ("postgres", "mysql") and entry and _missing_password(profile, env):
        lines = PG_ERROR if profile.family == "postgres" else MYSQL_ERROR
        return Run(0.1, 1, [(0.1, line) for line in lines]), profile.family
    if base in SHELLS and "-c" not in argv[1:]:
        interactive = container.get("stdin") or container.get("tty")
        if len(argv) > 1 and not argv[1].startswith("-"):
            return Run(None, server=True), "server"  # sh /path/to/script.sh
        return (Run(None) if interactive else Run(0.0, 0)), "shell"
    if entry or not argv:
        return Run(None, server=True), profile.family
    run = shell.execute_argv(argv)
    return run, (profile.family if run.server else "shell")


def _missing_password(profile: images.ImageProfile, env: dict[str, str]) -> bool:
    if profile.family == "postgres":
        return not env.get("POSTGRES_PASSWORD") and env.get("POSTGRES_HOST_AUTH_METHOD") != "trust"
    keys = ("MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD",
            "MARIADB_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD",
            "MARIADB_RANDOM_ROOT_PASSWORD")
    return not any(env.get(k) for k in keys)


def _ports(container: Obj, profile: images.ImageProfile) -> tuple[int, ...] | None:
    if profile.ports:
        return profile.ports
    declared = tuple(p["containerPort"] for p in container.get("ports") or ()
                     if isinstance(p.get("containerPort"), int))
    return declared or None


def _reason(exit_code: int) -> str:
    return "Completed" if exit_code == 0 else "Error"


def _apply_annotations(b: Behaviour, pod: Obj, name: str) -> None:
    """The ``k9py.dev/`` knobs of ``pod`` for container ``name``."""
    notes = pod["metadata"].get("annotations")
    if not notes or not any(key.startswith(PREFIX) for key in notes):
        # No knob set (most pods): what each lookup below would give.
        b.ready_after, b.fail_readiness_after, b.fail_liveness_after, b.load = 0.0, None, None, None
        return
    _apply_knobs(b, pod, name)


def _apply_knobs(b: Behaviour, pod: Obj, name: str) -> None:
    code = annotation(pod, "exit-code", name)
    if code is not None and code.strip().lstrip("-").isdigit():
        b.exit_code = int(code) % 256
        b.reason = _reason(b.exit_code)
    crash = parse_duration(annotation(pod, "crash-after", name))
    if crash is not None and (b.duration is None or crash < b.duration):
        b.duration = crash
        b.exit_code = int(code) % 256 if code and code.strip().isdigit() else 1
        b.reason = _reason(b.exit_code)
    oom = parse_duration(annotation(pod, "oom-after", name))
    if oom is not None and (b.duration is None or oom < b.duration):
        b.duration, b.exit_code, b.reason = oom, 137, "OOMKilled"
    b.ready_after = parse_duration(annotation(pod, "slow-start", name)) or 0.0
    b.fail_readiness_after = _failure_start(annotation(pod, "fail-readiness", name))
    b.fail_liveness_after = _failure_start(annotation(pod, "fail-liveness", name))
    load = annotation(pod, "load", name)
    try:
        b.load = float(load) if load is not None else None
    except ValueError:
        b.load = None


def _failure_start(value: str | None) -> float | None:
    """``"true"`` fails from the start; a duration from then on; anything else never."""
    if value is None:
        return None
    if value.strip().lower() in ("true", "yes", "always", "1"):
        return 0.0
    return parse_duration(value)
