"""What every renderer shares: columns, rows, statuses and kubectl's formatting.

As k9s's ``internal/render`` a renderer is a header (the columns) and a row
function. Rows hold plain strings, except time columns, which hold the epoch
seconds so the table can format ages at draw time: ages tick without
re-rendering a single row.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Obj = Mapping[str, Any]

# Row statuses, mapped to the theme's status colours (k9s frame.status.*).
OK = ""
PENDING = "pending"
ERROR = "error"
COMPLETED = "completed"
KILL = "kill"
CORDONED = "cordoned"
WARNING = "warning"
FAULTS = frozenset({PENDING, ERROR, KILL, WARNING})

NA = "n/a"
NONE = "<none>"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: ``time`` cells hold epoch seconds formatted as ages;
    ``num`` cells sort numerically; ``wide`` columns show with ctrl-w."""

    name: str
    wide: bool = False
    num: bool = False
    time: bool = False
    right: bool = False
    max_width: int = 0
    namespace: bool = False  # hidden when one namespace is shown


@dataclass(slots=True)
class Row:
    """A rendered object: the key is ``ns/name`` (or ``name``)."""

    key: str
    cells: tuple[Any, ...]
    status: str = OK
    obj: Obj = field(default_factory=dict)
    _text: str | None = None

    @property
    def text(self) -> str:
        """The row as one lower-case string, what ``/`` filters search."""
        if self._text is None:
            self._text = " ".join(str(c) for c in self.cells if not isinstance(c, float)).lower()
        return self._text


@dataclass
class RenderContext:
    """What a row function may need beyond its object."""

    now: Callable[[], float] = lambda: 0.0
    pods_per_node: Callable[[str], int | None] = lambda _name: None
    pod_metrics: Callable[[str, str], tuple[int, int] | None] = lambda _ns, _n: None
    node_metrics: Callable[[str], tuple[int, int] | None] = lambda _n: None
    # (namespace, pod, container) -> usage, for the container view
    container_metrics: Callable[[str, str, str], tuple[int, int] | None] = \
        lambda _ns, _pod, _c: None


class Renderer:
    """Columns plus a row function for one kind."""

    kind: str = ""
    columns: tuple[Column, ...] = (Column("NAME"), Column("AGE", time=True))

    def cells(self, obj: Obj, ctx: RenderContext) -> tuple[Any, ...]:
        return (name_of(obj), created(obj))

    def status(self, obj: Obj, cells: tuple[Any, ...]) -> str:
        return OK

    def row(self, key: str, obj: Obj, ctx: RenderContext) -> Row:
        cells = self.cells(obj, ctx)
        return Row(key, cells, self.status(obj, cells), self.keep(obj))

    def keep(self, obj: Obj) -> Obj:
        """What a row keeps of its object (kinds with many objects keep less)."""
        return obj


def with_namespace(*columns: Column) -> tuple[Column, ...]:
    """The NAMESPACE column k9s shows first when all namespaces are listed."""
    return (Column("NAMESPACE", namespace=True), *columns)


# -- metadata helpers -----------------------------------------------------------
def meta(obj: Obj) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def name_of(obj: Obj) -> str:
    return meta(obj).get("name", "")


def namespace_of(obj: Obj) -> str:
    return meta(obj).get("namespace", "")


def key_of(obj: Obj) -> str:
    m = meta(obj)
    ns = m.get("namespace")
    return f"{ns}/{m.get('name', '')}" if ns else m.get("name", "")


def labels_of(obj: Obj) -> Mapping[str, str]:
    return meta(obj).get("labels") or {}


def labels_text(obj: Obj) -> str:
    labels = labels_of(obj)
    return ",".join(f"{k}={v}" for k, v in labels.items()) or NONE


_TS_CACHE: dict[str, float] = {}


def parse_time(value: str | None) -> float:
    """RFC 3339 to epoch seconds (cached: the same stamps recur on every event)."""
    if not value:
        return math.nan
    hit = _TS_CACHE.get(value)
    if hit is not None:
        return hit
    try:
        ts = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        ts = math.nan
    if len(_TS_CACHE) > 200_000:
        _TS_CACHE.clear()
    _TS_CACHE[value] = ts
    return ts


def created(obj: Obj) -> float:
    return parse_time(meta(obj).get("creationTimestamp"))


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_duration(seconds: float) -> str:
    """kubectl's ``duration.HumanDuration``: 45s, 3m20s, 42m, 5h3m, 20h, 3d4h, 45d, 2y30d."""
    if math.isnan(seconds):
        return "<unknown>"
    s = int(seconds)
    if s < 0:
        s = 0
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    years = days // 365
    if years < 8:
        return f"{years}y{days % 365}d" if days % 365 else f"{years}y"
    return f"{years}y"


def age(ts: float, now: float) -> str:
    return human_duration(now - ts) if not math.isnan(ts) else "<unknown>"


def join(values: Any, empty: str = NONE) -> str:
    text = ",".join(str(v) for v in values if v not in (None, ""))
    return text or empty


def containers_of(obj: Obj) -> list[Mapping[str, Any]]:
    """The containers of a pod or of a workload's pod template."""
    spec = obj.get("spec") or {}
    if "template" in spec:
        spec = (spec.get("template") or {}).get("spec") or {}
    elif "jobTemplate" in spec:
        spec = (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {})
        spec = spec.get("spec") or {}
    return list(spec.get("containers") or [])


def container_names(obj: Obj) -> str:
    return join(c.get("name") for c in containers_of(obj))


def images(obj: Obj) -> str:
    return join(c.get("image") for c in containers_of(obj))


def selector_text(selector: Mapping[str, Any] | None) -> str:
    """A LabelSelector as kubectl prints it (``metav1.FormatLabelSelector``)."""
    if not selector:
        return NONE
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        op = expr.get("operator", "")
        values = ",".join(expr.get("values") or [])
        key = expr.get("key", "")
        if op == "In":
            parts.append(f"{key} in ({values})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({values})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts) or NONE


def map_selector_text(selector: Mapping[str, str] | None) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted((selector or {}).items())) or NONE


def int_or(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) else default


def condition(obj: Obj, kind: str) -> Mapping[str, Any] | None:
    for c in (obj.get("status") or {}).get("conditions") or []:
        if c.get("type") == kind:
            return c
    return None


def deleting(obj: Obj) -> bool:
    return "deletionTimestamp" in meta(obj)


def ratio_status(ready: int, desired: int) -> str:
    """A workload is pending while fewer replicas are ready than desired."""
    return PENDING if ready < desired else OK


def milli_cpu(m: int | None) -> str:
    return NA if m is None else f"{m}m"


def mebibytes(b: int | None) -> str:
    return NA if b is None else f"{b // (1024 * 1024)}Mi"
