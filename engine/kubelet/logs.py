"""Container logs: plausible lines per well-known image, read like ``kubectl logs``.

Nothing is stored while containers run: a container instance's log is
derived on demand from its behaviour and its life so far, which keeps a
thousand nodes of pods cheap and makes every read reproducible. A log holds:

* what the process prints: ``echo``/``printf`` output and loops of a shell
  script (:mod:`engine.kubelet.script`; ``$(date)`` prints busybox's
  ``date``), ``hello-world``'s greeting, the database images' refusal to
  start without a password;
* the start-up banner of known servers, when their slow start is over:
  nginx (the ``/docker-entrypoint.sh`` lines and ``[notice]`` lines of
  nginx >= 1.19; 1.14-era images print nothing), redis (``Ready to accept
  connections tcp``), coredns;
* nginx's access log: a line per HTTP probe (``"GET / HTTP/1.1" 200 612 "-"
  "kube-probe/1.32"``) and client requests in proportion to the container's
  load (:mod:`engine.kubelet.usage`);
* what servers print when stopped (nginx's ``signal 15 (SIGTERM) received,
  exiting``, redis's ``Redis is now ready to exit, bye bye...``).

Each instance keeps at most :data:`MAX_LINES` lines (the newest), like the
kubelet's rotated log files; the previous instance's log stays readable with
``previous=True`` after a restart.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from engine.api import errors
from engine.kubelet.script import DATE_MARK

if TYPE_CHECKING:
    from engine.kubelet.runtime import Container

Obj = dict[str, Any]
Line = tuple[float, str]

MAX_LINES = 10_000
FOLLOW_POLL = 1.0
PROBE_AGENT = "kube-probe/1.32"
NGINX_DEFAULT = "1.27.3"
REDIS_DEFAULT = "7.4.1"


# -- reading --------------------------------------------------------------------------------
def read(container: Container, now: float, *, tail_lines: int | None = None,
         since: float | None = None, timestamps: bool = False, limit_bytes: int | None = None,
         extra: dict[str, Any] | None = None) -> str:
    """The log text of one container instance, filtered as PodLogOptions say."""
    lines = entries(container, now, extra or {})
    if since is not None:
        lines = [e for e in lines if e[0] >= since]
    if tail_lines is not None:
        lines = lines[-tail_lines:] if tail_lines > 0 else []
    text = "".join(_format(e, timestamps) for e in lines)
    if limit_bytes is not None and limit_bytes >= 0:
        text = text.encode()[:limit_bytes].decode("utf-8", "ignore")
    return text


async def follow(container: Container, clock: Any, *, tail_lines: int | None = None,
                 since: float | None = None, timestamps: bool = False,
                 extra: dict[str, Any] | None = None) -> AsyncIterator[str]:
    """``kubectl logs -f``: what there is, then new lines until the container ends."""
    lines = entries(container, clock.now(), extra or {})
    if since is not None:
        lines = [e for e in lines if e[0] >= since]
    if tail_lines is not None:
        lines = lines[-tail_lines:] if tail_lines > 0 else []
    seen = len(entries(container, clock.now(), extra or {}))
    if lines:
        yield "".join(_format(e, timestamps) for e in lines)
    while container.finished_at is None:
        await asyncio.sleep(FOLLOW_POLL)
        current = entries(container, clock.now(), extra or {})
        fresh = current[seen:] if len(current) < MAX_LINES else _after(current, lines)
        seen = len(current)
        if fresh:
            lines = fresh
            yield "".join(_format(e, timestamps) for e in fresh)
    tail = entries(container, clock.now(), extra or {})[seen:]
    if tail:
        yield "".join(_format(e, timestamps) for e in tail)


def _after(current: list[Line], last: list[Line]) -> list[Line]:
    stamp = last[-1][0] if last else float("-inf")
    return [e for e in current if e[0] > stamp]


def _format(entry: Line, timestamps: bool) -> str:
    stamp, text = entry
    if DATE_MARK in text:
        text = text.replace(DATE_MARK, busybox_date(stamp))
    return f"{rfc3339_nano(stamp)} {text}\n" if timestamps else f"{text}\n"


def rfc3339_nano(stamp: float) -> str:
    """Go's ``time.RFC3339Nano`` (trailing zeros of the fraction dropped)."""
    whole = int(stamp)
    nanos = round((stamp - whole) * 1e9)
    base = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    frac = f"{nanos:09d}".rstrip("0")
    return f"{base}.{frac}Z" if frac else f"{base}Z"


def busybox_date(stamp: float) -> str:
    moment = datetime.fromtimestamp(stamp, UTC)
    return moment.strftime("%a %b ") + f"{moment.day:2d}" + moment.strftime(" %H:%M:%S UTC %Y")


# -- what a container printed ------------------------------------------------------------------
def entries(c: Container, now: float, extra: dict[str, Any]) -> list[Line]:
    """Every line the instance has printed by ``now`` (newest :data:`MAX_LINES`)."""
    if c.started_at is None:
        return []
    start = c.started_at
    end = min(now, c.finished_at) if c.finished_at is not None else now
    b = c.behaviour
    out: list[Line] = [(start + off, text) for off, text in b.run.lines if start + off <= end]
    if b.run.loop is not None:
        out += _periodic(start + b.run.loop.start, b.run.loop.period, b.run.loop.lines, end)
    family = b.family
    ready = start + b.ready_after
    if ready <= end:
        out += [(ready + i * 0.001, line) for i, line in
                enumerate(banner(family, c.image.tag, ready))]
        if family in ("nginx", "httpd"):
            out += _access_log(c, ready, end, extra)
    if c.finished_at is not None and c.finished_at <= now and c.signalled_at is not None:
        out += [(c.finished_at - 0.001 * (3 - i), line) for i, line in
                enumerate(shutdown(family, c.finished_at))]
    out.sort(key=lambda e: e[0])
    return out[-MAX_LINES:]


def _periodic(first: float, period: float, lines: list[Line], end: float) -> list[Line]:
    if first > end or period <= 0:
        return []
    count = int((end - first) / period) + 1
    skip = max(0, count - (MAX_LINES // max(len(lines), 1)) - 1)
    out = []
    for k in range(skip, count):
        base = first + k * period
        out += [(base + off, text) for off, text in lines if base + off <= end]
    return out


def _access_log(c: Container, ready: float, end: float, extra: dict[str, Any]) -> list[Line]:
    gateway = extra.get("gateway", "10.244.0.1")
    out: list[Line] = []
    for probe in extra.get("http_probes") or ():
        path = probe.get("path") or "/"
        status, size = (200, 612) if path in (c.behaviour.http_paths or (path,)) else (404, 153)
        period = float(probe.get("periodSeconds") or 10)
        first = max(c.started_at + float(probe.get("initialDelaySeconds") or 0), ready)
        for t, _ in _periodic(first, period, [(0.0, "")], end):
            out.append((t, _nginx_access(gateway, t, path, status, size, PROBE_AGENT)))
    load = float(extra.get("load") or 0.0)
    if load > 0:
        rate = 5.0 * load  # requests per second at full load
        for t, _ in _periodic(ready + 1.0, 1.0 / rate, [(0.0, "")], end):
            client = f"10.244.{int(t) % 3}.{2 + int(t * 7) % 200}"
            out.append((t, _nginx_access(client, t, "/", 200, 612, "curl/8.5.0")))
    return out


def _nginx_access(client: str, t: float, path: str, status: int, size: int, agent: str) -> str:
    stamp = datetime.fromtimestamp(t, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")
    return f'{client} - - [{stamp}] "GET {path} HTTP/1.1" {status} {size} "-" "{agent}" "-"'


def banner(family: str, tag: str, at: float) -> list[str]:
    """What a server prints as it starts."""
    if family == "nginx":
        return _nginx_banner(tag, at)
    if family == "redis":
        version = tag if re.fullmatch(r"\d+\.\d+\.\d+", tag) else REDIS_DEFAULT
        c, m = _redis_stamp(at, "C"), _redis_stamp(at, "M")
        return [f"{c} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                f"{c} * Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, "
                "just started",
                f"{c} # Warning: no config file specified, using the default config. In order to "
                "specify a config file use redis-server /path/to/redis.conf",
                f"{m} * monotonic clock: POSIX clock_gettime",
                f"{m} * Running mode=standalone, port=6379.",
                f"{m} * Server initialized", f"{m} * Ready to accept connections tcp"]
    if family == "coredns":
        return [".:53", "[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490"
                "481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f5259"
                "4972691cd6ff41be96639138a43908", "CoreDNS-1.11.3",
                "linux/amd64, go1.21.11, a6338e9"]
    return []


def _nginx_banner(tag: str, at: float) -> list[str]:
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", tag)
    if match and (int(match.group(1)), int(match.group(2))) < (1, 19):
        return []  # images before 1.19 had no entrypoint scripts and log nothing at start
    version = match.group(0) if match and match.group(3) else NGINX_DEFAULT
    stamp = datetime.fromtimestamp(at, UTC).strftime("%Y/%m/%d %H:%M:%S")
    entry = "/docker-entrypoint.sh"
    return [
        f"{entry}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        f"{entry}: Looking for shell scripts in /docker-entrypoint.d/",
        f"{entry}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of "
        "/etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in "
        "/etc/nginx/conf.d/default.conf",
        f"{entry}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
        f"{entry}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        f"{entry}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        f"{entry}: Configuration complete; ready for start up",
        f'{stamp} [notice] 1#1: using the "epoll" event method',
        f"{stamp} [notice] 1#1: nginx/{version}",
        f"{stamp} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
        f"{stamp} [notice] 1#1: OS: Linux 6.1.0-28-amd64",
        f"{stamp} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        f"{stamp} [notice] 1#1: start worker processes",
        f"{stamp} [notice] 1#1: start worker process 29",
    ]


def shutdown(family: str, at: float) -> list[str]:
    """What a server prints when SIGTERM stops it."""
    if family == "nginx":
        stamp = datetime.fromtimestamp(at, UTC).strftime("%Y/%m/%d %H:%M:%S")
        return [f"{stamp} [notice] 1#1: signal 15 (SIGTERM) received, exiting",
                f"{stamp} [notice] 29#29: exiting", f"{stamp} [notice] 1#1: exit"]
    if family == "redis":
        m = _redis_stamp(at, "M")
        return [f"1:signal-handler ({int(at)}) Received SIGTERM scheduling shutdown...",
                f"{m} * User requested shutdown...",
                f"{m} # Redis is now ready to exit, bye bye..."]
    return []


def _redis_stamp(at: float, role: str) -> str:
    moment = datetime.fromtimestamp(at, UTC)
    return f"1:{role} {moment.strftime('%d %b %Y %H:%M:%S')}.{int(at * 1000) % 1000:03d}"


# -- which instance: kubectl logs' rules ---------------------------------------------------------
def pick_container_id(pod: Obj, name: str | None, previous: bool) -> tuple[str, str]:
    """(container name, container ID) whose log to read, or the API's 400/404 error."""
    spec = pod["spec"]
    regular = [c["name"] for c in spec.get("containers") or ()]
    init = [c["name"] for c in spec.get("initContainers") or ()]
    pod_name = pod["metadata"]["name"]
    if not name:
        if len(regular) != 1:
            message = (f"a container name must be specified for pod {pod_name}, choose one of: "
                       f"[{' '.join(regular)}]")
            if init:
                message += f" or one of the init containers: [{' '.join(init)}]"
            raise errors.bad_request(message)
        name = regular[0]
    if name not in regular and name not in init:
        raise errors.bad_request(f"container {name} is not valid for pod {pod_name}")
    status = pod.get("status") or {}
    statuses = (status.get("containerStatuses") or []) + (status.get("initContainerStatuses")
                                                            or [])
    found = next((s for s in statuses if s.get("name") == name), None)
    if found is None:
        raise errors.bad_request(
            f'container "{name}" in pod "{pod_name}" is waiting to start: ContainerCreating')
    return name, _container_id(found, name, pod_name, previous)


def _container_id(cs: Obj, name: str, pod: str, previous: bool) -> str:
    """``validateContainerLogStatus`` (pkg/kubelet/kubelet_pods.go)."""
    state, last = cs.get("state") or {}, (cs.get("lastState") or {}).get("terminated")
    if previous:
        if not last or not last.get("containerID"):
            raise errors.bad_request(
                f'previous terminated container "{name}" in pod "{pod}" not found')
        return last["containerID"]
    for key in ("running", "terminated"):
        if state.get(key) and state[key].get("containerID"):
            return state[key]["containerID"]
    if cs.get("containerID") and "running" in state:
        return cs["containerID"]
    if last and last.get("containerID"):
        return last["containerID"]
    if "terminated" in state or last:
        raise errors.bad_request(f'container "{name}" in pod "{pod}" is terminated')
    reason = (state.get("waiting") or {}).get("reason", "ContainerCreating")
    why = {"ErrImagePull": "image can't be pulled",
           "ImagePullBackOff": "trying and failing to pull image"}.get(reason, reason)
    raise errors.bad_request(f'container "{name}" in pod "{pod}" is waiting to start: {why}')
