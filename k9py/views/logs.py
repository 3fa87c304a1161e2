"""``l``: a container's logs, followed live; wrap, timestamps, previous, container pick."""

from __future__ import annotations

from collections import deque
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import RichLog

from k9py.client import error_text
from k9py.logs import MAX_LINES, LogRequest, LogStream, split_timestamp
from k9py.views.base import View


class LogView(View):
    BINDINGS: ClassVar = [
        Binding("s", "follow", "Follow", id="k9py.logs.follow"),
        Binding("w", "wrap", "Wrap", id="k9py.logs.wrap"),
        Binding("t", "timestamps", "Timestamps", id="k9py.logs.timestamps"),
        Binding("p", "previous", "Previous", id="k9py.logs.previous"),
        Binding("c", "container", "Container", id="k9py.logs.container"),
        Binding("C", "clear", "Clear", id="k9py.logs.clear"),
    ]
    crumb = "logs"

    def __init__(self, pod: str, namespace: str, containers: list[str], container: str,
                 previous: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pod, self.namespace = pod, namespace
        self.containers = containers or [container]
        self.container = container
        self.previous = previous
        self.follow = True
        self.wrap = False
        self.timestamps = False
        self.lines: deque[str] = deque(maxlen=MAX_LINES)
        self.stream: LogStream | None = None
        self.log_widget = RichLog(max_lines=MAX_LINES, wrap=False, markup=False, auto_scroll=True)
        self.unavailable = ""

    def main_widget(self) -> Widget | None:
        return self.log_widget

    def on_mount(self) -> None:
        self._open()

    def _title(self) -> None:
        flags = [f"follow:{'on' if self.follow else 'off'}", f"wrap:{'on' if self.wrap else 'off'}",
                 f"timestamps:{'on' if self.timestamps else 'off'}"]
        prev = " (previous)" if self.previous else ""
        self.border_title = (f" logs {self.namespace}/{self.pod}:{self.container}{prev} "
                             f"[{' '.join(flags)}] ")

    def _open(self) -> None:
        self.stop()
        self.lines.clear()
        self.log_widget.clear()
        self._title()
        request = LogRequest(self.pod, self.namespace, self.container, self.previous)
        client, logs = self.k9.client, self.k9.session.logs
        if getattr(client, "logs", None) is not None:
            logs = None  # a client that serves logs itself (e.g. a remote API server)

        def start() -> LogStream:
            return LogStream(client, request, logs)

        self.k9.cluster_call(start, on_result=self._opened, on_error=self._failed)

    def _opened(self, stream: LogStream) -> None:
        self.stream = stream

    def _failed(self, err: Exception) -> None:
        self.unavailable = error_text(err)
        self.log_widget.write(Text(f"Logs: {self.unavailable}", style="bold"))

    def stop(self) -> None:
        if self.stream is not None:
            stream, self.stream = self.stream, None
            stream.stop()  # a cancel handed to the engine's loop: cheap, thread-safe

    def pump(self) -> None:
        if self.stream is None:
            return
        new = self.stream.drain()
        if not new:
            return
        self.lines.extend(new)
        for line in new:
            self.log_widget.write(self._format(line), scroll_end=self.follow)

    def _format(self, line: str) -> Text:
        stamp, text = split_timestamp(line)
        if self.timestamps and stamp:
            return Text.assemble((stamp + " ", "dim"), text)
        return Text(text)

    def _rewrite(self) -> None:
        self.log_widget.clear()
        self.log_widget.wrap = self.wrap
        for line in self.lines:
            self.log_widget.write(self._format(line), scroll_end=self.follow)
        if self.unavailable:
            self.log_widget.write(Text(f"Logs: {self.unavailable}", style="bold"))
        self._title()

    def action_follow(self) -> None:
        self.follow = not self.follow
        self.log_widget.auto_scroll = self.follow
        self._title()

    def action_wrap(self) -> None:
        self.wrap = not self.wrap
        self._rewrite()

    def action_timestamps(self) -> None:
        self.timestamps = not self.timestamps
        self._rewrite()

    def action_previous(self) -> None:
        self.previous = not self.previous
        self._open()

    def action_clear(self) -> None:
        self.lines.clear()
        self.log_widget.clear()

    def action_container(self) -> None:
        from k9py.dialogs.picker import PickerDialog

        def picked(name: str | None) -> None:
            if name and name != self.container:
                self.container = name
                self._open()

        self.app.push_screen(PickerDialog("Container", self.containers), picked)
