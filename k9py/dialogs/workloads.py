"""Scale and set-image dialogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input, Label

from k9py.dialogs.base import ActionDialog, dialog_css
from k9py.ops.workloads import parse_replicas
from k9py.widgets.inputs import StillInput


class ScaleDialog(ActionDialog):
    """``s``: a replica count, validated, applied to every selected object."""

    DEFAULT_CSS = dialog_css("ScaleDialog")
    ok_label = "Scale"

    def __init__(self, kind: str, names: list[str], current: int,
                 apply: Callable[[int], str]) -> None:
        super().__init__()
        self.title_text = f"Scale {kind} {', '.join(names[:3])}" + (
            f" (+{len(names) - 3})" if len(names) > 3 else "")
        self.current = current
        self.apply = apply

    def fields(self):  # noqa: ANN201
        yield Label("Replicas:", classes="label")
        yield StillInput(str(self.current), id="replicas", restrict=r"[0-9]*",
                    placeholder="number of replicas")

    def on_mount(self) -> None:
        field = self.query_one("#replicas", Input)
        field.focus()
        field.action_select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def validate(self) -> Any:
        return parse_replicas(self.query_one("#replicas", Input).value)

    def perform(self, args: Any) -> str:
        return self.apply(args)


class ImageDialog(ActionDialog):
    """``i``: one image field per container (init containers too)."""

    DEFAULT_CSS = dialog_css("ImageDialog")
    ok_label = "Set"

    def __init__(self, title: str, containers: list[tuple[str, str]],
                 apply: Callable[[dict[str, str]], str]) -> None:
        super().__init__()
        self.title_text = title
        self.containers = containers
        self.apply = apply

    def fields(self):  # noqa: ANN201
        for i, (name, image) in enumerate(self.containers):
            yield Label(f"{name}:", classes="label")
            yield StillInput(image, id=f"image-{i}")

    def on_mount(self) -> None:
        if self.containers:
            self.query_one("#image-0", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def validate(self) -> Any:
        changed = {}
        for i, (name, image) in enumerate(self.containers):
            value = self.query_one(f"#image-{i}", Input).value.strip()
            if not value:
                raise ValueError(f"the image of {name} cannot be empty")
            if any(c.isspace() for c in value):
                raise ValueError(f"invalid image for {name}: {value!r}")
            if value != image:
                changed[name] = value
        if not changed:
            raise ValueError("no image changed")
        return changed

    def perform(self, args: Any) -> str:
        return self.apply(args)
