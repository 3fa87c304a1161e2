"""Drain and taint dialogs: options, validation, live progress and evictions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from rich.markup import escape
from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from k9py.client import error_text
from k9py.dialogs.base import dialog_css
from k9py.ops.nodes import EFFECTS, DrainOptions, DrainStep, Taint, parse_taint
from k9py.widgets.inputs import StillInput


class DrainDialog(ModalScreen[Any]):
    """``r`` on a node: kubectl drain's options, then a live log of the drain."""

    BINDINGS: ClassVar = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = dialog_css("DrainDialog") + """
    DrainDialog #log { height: auto; max-height: 14; }
    DrainDialog Input { width: 12; }
    DrainDialog .row { height: 3; }
    DrainDialog .row Label { padding: 1 1 0 0; width: 24; }
    """

    def __init__(self, node: str, run: Callable[[DrainOptions], Iterator[DrainStep]]) -> None:
        super().__init__()
        self.node = node
        self.run = run
        self.finished = False
        self.steps: list[DrainStep] = []

    def compose(self):  # noqa: ANN201
        with Vertical():
            yield Label(f"Drain node {self.node}", classes="title")
            yield Checkbox("Ignore DaemonSets", value=True, id="ignore-ds")
            yield Checkbox("Delete emptyDir data", id="emptydir")
            yield Checkbox("Force (pods without a controller)", id="force")
            with Horizontal(classes="row"):
                yield Label("Grace period (s, -1 = pod's):")
                yield StillInput("-1", id="grace", restrict=r"-?[0-9]*")
            with Horizontal(classes="row"):
                yield Label("Timeout (s):")
                yield StillInput("30", id="timeout", restrict=r"[0-9.]*")
            yield Static("", classes="error", id="error")
            yield VerticalScroll(Static("", id="log-text"), id="log")
            with Horizontal(classes="buttons"):
                yield Button("Drain", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def options(self) -> DrainOptions:
        try:
            grace = int(self.query_one("#grace", Input).value or "-1")
            timeout = float(self.query_one("#timeout", Input).value or "30")
        except ValueError:
            raise ValueError("grace period and timeout must be numbers") from None
        if grace < -1:
            raise ValueError("grace period must be -1 (the pod's own) or ≥ 0")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        return DrainOptions(
            ignore_daemonsets=self.query_one("#ignore-ds", Checkbox).value,
            delete_emptydir_data=self.query_one("#emptydir", Checkbox).value,
            force=self.query_one("#force", Checkbox).value, grace_period=grace, timeout=timeout)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel" or self.finished:
            self.dismiss(self.summary())
            return
        try:
            opts = self.options()
        except ValueError as err:
            self.query_one("#error", Static).update(str(err))
            return
        self.query_one("#error", Static).update("")
        event.button.disabled = True
        self._drain(opts)

    @work(thread=True, exit_on_error=False, group="drain")
    def _drain(self, opts: DrainOptions) -> None:
        try:
            for step in self.run(opts):
                self.app.call_from_thread(self._step, step)
        except Exception as err:
            self.app.call_from_thread(self._step, DrainStep(f"error: {error_text(err)}",
                                                            done=True, error=True))

    def _step(self, step: DrainStep) -> None:
        self.steps.append(step)
        lines = [f"[red]{escape(s.message)}[/]" if s.error else escape(s.message)
                 for s in self.steps]
        self.query_one("#log-text", Static).update("\n".join(lines))
        self.query_one("#log", VerticalScroll).scroll_end(animate=False)
        if step.done:
            self.finished = True
            ok = self.query_one("#ok", Button)
            ok.label, ok.disabled = "Close", False
            ok.focus()

    def summary(self) -> str | None:
        return self.steps[-1].message if self.steps else None

    def action_close(self) -> None:
        self.dismiss(self.summary())


class TaintDialog(ModalScreen[Any]):
    """``t`` on a node: add ``key=value:Effect``, remove existing taints, and see the
    pods a NoExecute taint evicts (live, from the node's pods).

    ``add`` returns the sentence on what the taint does to the node's pods
    (worked out before the write: by the time the write returns, the taint
    eviction controller has already deleted them)."""

    BINDINGS: ClassVar = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = dialog_css("TaintDialog") + """
    TaintDialog RadioSet { width: 100%; background: $k9-dialog-bg; layout: horizontal; }
    TaintDialog .taint { height: 3; }
    TaintDialog .taint Static { width: 1fr; padding: 1 0 0 0; }
    TaintDialog #evictions { height: auto; max-height: 10; }
    TaintDialog #existing { height: auto; }
    """

    def __init__(self, node: str, taints: list[dict[str, Any]],
                 add: Callable[[Taint], str | None], remove: Callable[[str, str], None],
                 evictions: Callable[[], str],
                 load: Callable[[], list[dict[str, Any]]] | None = None) -> None:
        super().__init__()
        self.node, self.taints, self.load = node, taints, load
        self.add_fn, self.remove_fn, self.evictions = add, remove, evictions
        self.applied: list[str] = []

    def compose(self):  # noqa: ANN201
        with Vertical():
            yield Label(f"Taints of node {self.node}", classes="title")
            with Vertical(id="existing"):
                yield from self._existing_rows()
            yield Label("Add a taint (key=value:Effect, or pick the effect):", classes="label")
            yield StillInput(placeholder="e.g. dedicated=gpu:NoSchedule", id="taint")
            with RadioSet(id="effect"):
                for i, e in enumerate(EFFECTS):
                    yield RadioButton(e, value=i == 0)
            yield Static("", classes="error", id="error")
            yield Static("", classes="result", id="result")
            yield VerticalScroll(Static("", id="evictions-text"), id="evictions")
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="ok")
                yield Button("Close", id="cancel")

    def _existing_rows(self) -> Iterator[Any]:
        if not self.taints:
            yield Static("no taints")
        for i, t in enumerate(self.taints):
            text = str(Taint(t.get("key", ""), t.get("value", ""), t.get("effect", "")))
            yield Horizontal(Static(text), Button("Remove", id=f"remove-{i}"), classes="taint")

    def on_mount(self) -> None:
        self.query_one("#taint", Input).focus()
        self.set_interval(0.5, self._refresh_evictions)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._add()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id or ""
        if bid == "cancel":
            self.action_close()
        elif bid == "ok":
            self._add()
        elif bid.startswith("remove-"):
            t = self.taints[int(bid.split("-", 1)[1])]
            self._run(lambda: self.remove_fn(t.get("key", ""), t.get("effect", "")),
                      f"removed taint {Taint(t.get('key', ''), t.get('value', ''), t.get('effect', ''))}")

    def _effect(self) -> str:
        return EFFECTS[max(0, self.query_one("#effect", RadioSet).pressed_index)]

    def _add(self) -> None:
        text = self.query_one("#taint", Input).value
        explicit = text.rpartition(":")[2] if ":" in text else None
        try:
            taint = parse_taint(text, None if explicit in EFFECTS else self._effect())
        except ValueError as err:
            self.query_one("#error", Static).update(str(err))
            return
        self.query_one("#error", Static).update("")
        self._run(lambda: self.add_fn(taint), f"added taint {taint}")

    @work(thread=True, exit_on_error=False, group="taint")
    def _run(self, fn: Callable[[], Any], message: str) -> None:
        try:
            result = fn()
        except Exception as err:
            self.app.call_from_thread(self.query_one("#error", Static).update, error_text(err))
            return
        self.app.call_from_thread(self._done, message, result)

    def _done(self, message: str, outcome: Any) -> None:
        self.applied.append(message)
        text = f"{message}; {outcome}" if isinstance(outcome, str) and outcome else message
        self.query_one("#result", Static).update(escape(text))
        self.query_one("#taint", Input).value = ""
        if self.load is not None:
            self._reload()

    @work(thread=True, exit_on_error=False, group="taint-reload")
    def _reload(self) -> None:
        try:
            taints = self.load()
        except Exception as err:
            self.app.call_from_thread(self.query_one("#error", Static).update, error_text(err))
            return
        self.app.call_from_thread(self._show_taints, taints)

    async def _show_taints(self, taints: list[dict[str, Any]]) -> None:
        self.taints = taints
        box = self.query_one("#existing", Vertical)
        await box.remove_children()
        await box.mount_all(list(self._existing_rows()))

    def _refresh_evictions(self) -> None:
        self._load_evictions()

    @work(thread=True, exit_on_error=False, group="taint-evictions", exclusive=True)
    def _load_evictions(self) -> None:
        try:
            text = self.evictions()
        except Exception as err:
            text = f"evictions unavailable: {error_text(err)}"
        self.app.call_from_thread(self.query_one("#evictions-text", Static).update, text)

    def action_close(self) -> None:
        self.dismiss("; ".join(self.applied) if self.applied else None)
