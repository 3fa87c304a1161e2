"""The frame around the views: header (cluster info, key hints, logo), breadcrumbs
and the flash line. They paint from data the app hands them; none of them
talks to the cluster."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import Static

from k9py.themes import Palette

LOGO = (
    " _    ___              ",
    "| | _/ _ \\ _ __  _   _ ",
    "| |/ / (_) | '_ \\| | | |",
    "|   < \\__, | |_) | |_| |",
    "|_|\\_\\  /_/| .__/ \\__, |",
    "           |_|    |___/ ",
)
HEADER_ROWS = 7


@dataclass
class HeaderInfo:
    """What the header shows on its left (k9s's cluster info)."""

    context: str = "k9py"
    cluster: str = "k9py"
    user: str = "kubernetes-admin"
    k9py_version: str = ""
    k8s_version: str = ""
    nodes: str = "n/a"
    # Cluster use in percent of the nodes' allocatable ("12%", "12%↑" when it rose),
    # from the metrics API (k9s ``MetricsServer.ClusterLoad``); "n/a" without metrics.
    cpu: str = "n/a"
    mem: str = "n/a"
    readonly: bool = False


@dataclass
class Hints:
    """The current view's keys: favourites (``<0> all``) and bindings."""

    numbered: list[tuple[str, str]] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)


class Header(Static):
    """Cluster info, the current view's key hints in columns, the logo."""

    DEFAULT_CSS = "Header { height: 7; padding: 0 1; background: $k9-bg; }"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.info = HeaderInfo()
        self.hints = Hints()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _t: self.redraw())

    def set_info(self, info: HeaderInfo) -> None:
        self.info = info
        self.redraw()

    def set_hints(self, hints: Hints) -> None:
        if hints != self.hints:
            self.hints = hints
            self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        palette = Palette.from_variables(self.app.theme_variables)
        width = max(40, self.size.width - 2)
        self.update(render_header(self.info, self.hints, palette, width))


def _info_rows(info: HeaderInfo) -> list[tuple[str, str]]:
    rows = [("Context", info.context + (" [RO]" if info.readonly else "")),
            ("Cluster", info.cluster), ("User", info.user), ("K9py Rev", info.k9py_version),
            ("K8s Rev", info.k8s_version), ("Nodes", info.nodes),
            ("CPU/MEM", f"{info.cpu} / {info.mem}")]
    return rows[:HEADER_ROWS]


# k9s's default thresholds (``config.Threshold``: cpu and memory warn at 70 %,
# critical at 90 %): the header's CPU/MEM turn the warning or error colour.
WARN_PERCENT = 70
CRITICAL_PERCENT = 90


def _level(value: str) -> str:
    """The status colour for one ``NN%`` reading ("" below the warning level)."""
    try:
        percent = int(value.rstrip("%↑↓"))
    except ValueError:
        return ""
    if percent >= CRITICAL_PERCENT:
        return "error"
    return "pending" if percent >= WARN_PERCENT else ""


def _usage_text(info: HeaderInfo, p: Palette, width: int) -> Text:
    """``12% / 34%``, each part in its threshold colour, padded to ``width``."""
    text = Text()
    if not _level(info.cpu) and not _level(info.mem):  # one run, as every other row
        text.append(f"{info.cpu} / {info.mem}".ljust(width), p.section)
        return text
    for i, value in enumerate((info.cpu, info.mem)):
        if i:
            text.append(" / ", p.section)
        level = _level(value)
        text.append(value, p.status[level] if level else p.section)
    text.append(" " * max(0, width - text.cell_len), p.section)
    return text


def _columns(items: list[tuple[str, str]], rows: int) -> list[list[tuple[str, str]]]:
    return [items[i:i + rows] for i in range(0, len(items), rows)]


def render_header(info: HeaderInfo, hints: Hints, p: Palette, width: int) -> Text:
    """Seven lines: info | numbered keys | key columns ... | logo."""
    info_rows = _info_rows(info)
    info_w = 10 + max(len(v) for _, v in info_rows) + 2
    logo_w = max(len(line) for line in LOGO) + 1
    blocks: list[tuple[list[tuple[str, str]], bool]] = []
    if hints.numbered:
        blocks += [(c, True) for c in _columns(hints.numbered, HEADER_ROWS)]
    blocks += [(c, False) for c in _columns(hints.keys, HEADER_ROWS - 1)]
    room = width - info_w - logo_w
    widths = []
    for col, _ in blocks:
        w = max(len(f"<{k}> {d}") for k, d in col) + 2
        if sum(widths) + w > room:
            break
        widths.append(w)
    lines = []
    for r in range(HEADER_ROWS):
        line = Text(no_wrap=True, overflow="crop")
        key, value = info_rows[r] if r < len(info_rows) else ("", "")
        line.append(f"{key + ':' if key else '':<10}", p.info)
        if key == "CPU/MEM":
            line.append_text(_usage_text(info, p, info_w - 10))
        else:
            line.append(f"{value:<{info_w - 10}}", p.section)
        for (col, numbered), w in zip(blocks, widths, strict=False):
            if r < len(col):
                k, d = col[r]
                line.append(f"<{k}>", p.numkey if numbered else p.key)
                line.append(f" {d}".ljust(w - len(k) - 2), p.section)
            else:
                line.append(" " * w)
        pad = width - line.cell_len - logo_w
        if pad > 0:
            line.append(" " * pad)
        line.append(LOGO[r] if r < len(LOGO) else "", p.logo)
        lines.append(line)
    return Text("\n", no_wrap=True).join(lines)


class Crumbs(Static):
    """Where you are: one chip per view on the stack, the last one highlighted."""

    DEFAULT_CSS = "Crumbs { height: 1; background: $k9-bg; }"

    def set_crumbs(self, crumbs: list[str]) -> None:
        palette = Palette.from_variables(self.app.theme_variables)
        text = Text(no_wrap=True, overflow="crop")
        for i, crumb in enumerate(crumbs):
            last = i == len(crumbs) - 1
            colour = self.app.theme_variables.get(
                "k9-crumb-active" if last else "k9-crumb-bg", "blue")
            fg = self.app.theme_variables.get("k9-crumb-fg", "black")
            text.append(f" <{crumb}> ", f"bold {fg} on {colour}")
            text.append(" ", palette.base)
        self.update(text)


class Flash(Static):
    """The message line: info, warnings and errors; cleared after a while."""

    DEFAULT_CSS = """
    Flash { height: 1; background: $k9-bg; color: $k9-title-filter; padding: 0 1; }
    Flash.-warn { color: $k9-status-pending; }
    Flash.-error { color: $k9-status-error; text-style: bold; }
    """

    def show(self, message: str, level: str = "info", seconds: float = 6.0) -> None:
        message = " ".join(message.split())
        self.set_class(level == "warn", "-warn")
        self.set_class(level == "error", "-error")
        self.update(Text(message, no_wrap=True, overflow="ellipsis"))
        self.message = message
        if getattr(self, "_clear_timer", None) is not None:
            self._clear_timer.stop()
        self._clear_timer = self.set_timer(seconds, self.clear)

    def clear(self) -> None:
        self.message = ""
        self.update("")

    message: str = ""
