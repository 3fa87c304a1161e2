"""Describe and YAML: live text views of one object.

Both watch the object (a field-selector watch on its name), so what you read
is current: YAML re-renders on every change; describe (which lists events
and related objects) re-runs on a worker at most once a second.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from k9py.kinds import Kind
from k9py.model.watcher import ResourceWatcher
from k9py.ops import objects
from k9py.ops.describe import describe
from k9py.views.base import View


class TextView(View):
    """A scrollable text page with a live object behind it."""

    DEFAULT_CSS = """
    TextView > VerticalScroll { background: $k9-bg; }
    TextView Static.body { width: auto; min-width: 100%; padding: 0 1; }
    """

    BINDINGS: ClassVar = [
        Binding("e", "edit", "Edit", id="k9py.text.edit"),
        Binding("r", "refresh_now", "Refresh", id="k9py.text.refresh"),
        Binding("w", "wrap", "Wrap", id="k9py.text.wrap"),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
    ]
    DANGEROUS = frozenset({"edit"})
    label = "text"

    def __init__(self, kind: Kind, name: str, namespace: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind, self.obj_name, self.namespace = kind, name, namespace
        self.crumb = self.label
        self.obj: dict[str, Any] | None = None
        self.gone = False
        self.body = Static("loading…", classes="body", expand=True)
        self.scroller = VerticalScroll(self.body)
        self.watcher: ResourceWatcher | None = None
        self.wrap = False
        self.text = ""

    def main_widget(self) -> Widget | None:
        return self.scroller

    def on_mount(self) -> None:
        where = f"{self.namespace}/{self.obj_name}" if self.namespace else self.obj_name
        self.border_title = f" {self.label}({where}) "
        self.watcher = ResourceWatcher(
            self.k9.client, self.kind.resource, self.namespace if self.kind.namespaced else None,
            field_selector=f"metadata.name={self.obj_name}").start()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def pump(self) -> None:
        if self.watcher is None:
            return
        if self.watcher.error is not None:
            self.body.update(Text(f"cannot read {self.kind.singular()} {self.obj_name}: "
                                  f"{self.watcher.error}"))
            self.watcher = None
            return
        changed = False
        for ev in self.watcher.drain():
            if ev.type in ("ADDED", "MODIFIED"):
                self.obj, self.gone, changed = ev.object, False, True
            elif ev.type == "DELETED" or ev.type == "SYNCED" and self.obj is None:
                self.gone, changed = True, True
        if changed:
            self.on_object()

    def on_object(self) -> None:
        """The object changed (or went away)."""

    def show_text(self, renderable: Any, plain: str) -> None:
        self.text = plain
        if self.gone:
            plain = f"# {self.kind.singular()} {self.obj_name} is gone\n" + plain
        self.body.update(renderable)

    def action_edit(self) -> None:
        self.k9.edit_object(self.kind, self.obj_name, self.namespace)

    def action_refresh_now(self) -> None:
        self.on_object()

    def action_wrap(self) -> None:
        self.wrap = not self.wrap
        self.body.styles.width = "100%" if self.wrap else "auto"
        self.on_object()

    def action_top(self) -> None:
        self.scroller.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.scroller.scroll_end(animate=False)

    def action_scroll(self, delta: int) -> None:
        self.scroller.scroll_relative(y=delta, animate=False)


class YamlView(TextView):
    """The object as YAML, highlighted; Secrets masked until ``x``."""

    BINDINGS: ClassVar = [
        Binding("m", "managed", "Managed fields", id="k9py.yaml.managed"),
        Binding("x", "reveal", "Reveal secrets", id="k9py.yaml.reveal"),
    ]
    label = "yaml"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.managed = False
        self.reveal = False

    def on_object(self) -> None:
        if self.obj is None:
            self.show_text(Text(f"{self.kind.singular()} {self.obj_name} not found"), "")
            return
        shown = objects.clean_for_display(self.obj, managed_fields=self.managed,
                                          reveal=self.reveal, api_version=self.kind.api_version,
                                          kind=self.kind.kind)
        text = objects.to_yaml(shown)
        if self.gone:
            text = f"# deleted: {self.kind.singular()} {self.obj_name} is gone\n" + text
        theme = "ansi_light" if not self.app.current_theme.dark else "ansi_dark"
        syntax = Syntax(text, "yaml", theme=theme, word_wrap=self.wrap,
                        background_color="default")
        self.show_text(syntax, text)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action == "reveal" and self.kind.kind != "Secret":
            return False
        return super().check_action(action, parameters)

    def action_managed(self) -> None:
        self.managed = not self.managed
        self.on_object()

    def action_reveal(self) -> None:
        self.reveal = not self.reveal
        self.k9.flash("secrets revealed" if self.reveal else "secrets masked")
        self.on_object()


class DescribeView(TextView):
    """``kubectl describe`` text, re-run when the object changes (≤ once a second)."""

    label = "describe"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last_run = 0.0
        self._dirty = False

    def on_object(self) -> None:
        self._dirty = True
        self.tick()

    def tick(self) -> None:
        if not self._dirty or time.monotonic() - self._last_run < 1.0:
            return
        self._dirty = False
        self._last_run = time.monotonic()
        if self.obj is None:
            self.show_text(Text(f"{self.kind.singular()} {self.obj_name} not found"), "")
            return
        obj, client, now = self.obj, self.k9.client, self.k9.session.now()
        self.k9.cluster_call(describe, client, obj, now, on_result=self._described,
                             quiet=True)

    def pump(self) -> None:
        super().pump()
        if self._dirty:
            self.tick()

    def _described(self, text: str) -> None:
        if self.gone:
            text = f"({self.kind.singular()} {self.obj_name} has been deleted)\n\n" + text
        self.show_text(Text(text, no_wrap=not self.wrap), text)
