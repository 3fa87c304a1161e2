"""The admission chain decides once per kind of request which plugins a phase
calls, and still asks plugins whose answer depends on more."""

from __future__ import annotations

from engine.api.admission.base import AdmissionChain, AdmissionPlugin, Attributes
from engine.api.resources import resolve


class _Recorder(AdmissionPlugin):
    def __init__(self, name: str, calls: list[str], *, static: bool, only: str = "") -> None:
        super().__init__(None)  # type: ignore[arg-type]
        self.name, self.calls, self.only = name, calls, only
        self.handles_by_request_kind = static

    def handles(self, attrs: Attributes) -> bool:
        self.calls.append(f"{self.name}.handles")
        return not self.only or attrs.name == self.only

    def admit(self, attrs: Attributes, obj: dict) -> None:
        self.calls.append(f"{self.name}.admit")


class _ValidateOnly(AdmissionPlugin):
    handles_by_request_kind = True

    def __init__(self, calls: list[str]) -> None:
        super().__init__(None)  # type: ignore[arg-type]
        self.calls = calls

    def validate(self, attrs: Attributes, obj: dict) -> None:
        self.calls.append("v.validate")


def test_static_plugins_are_decided_once_and_dynamic_ones_every_time() -> None:
    calls: list[str] = []
    chain = AdmissionChain([_Recorder("a", calls, static=True),
                            _Recorder("b", calls, static=False, only="x"),
                            _ValidateOnly(calls)])
    pods = resolve("pods")
    for name in ("x", "y"):
        attrs = Attributes("CREATE", pods, "default", name)
        chain.admit(attrs, {})
        chain.validate(attrs, {})
    assert calls == ["a.handles", "a.admit", "b.handles", "b.admit", "v.validate",
                     "a.admit", "b.handles", "v.validate"]


def test_a_replaced_plugin_list_is_routed_afresh() -> None:
    calls: list[str] = []
    chain = AdmissionChain([_Recorder("a", calls, static=True)])
    attrs = Attributes("CREATE", resolve("pods"), "default", "p")
    chain.admit(attrs, {})
    chain.plugins = [_Recorder("c", calls, static=True)]
    chain.admit(attrs, {})
    assert calls == ["a.handles", "a.admit", "c.handles", "c.admit"]


def test_a_phase_patched_on_the_instance_is_called() -> None:
    calls: list[str] = []
    plugin = _ValidateOnly(calls)
    plugin.admit = lambda attrs, obj: calls.append("patched.admit")  # type: ignore[method-assign]
    chain = AdmissionChain([plugin])
    chain.admit(Attributes("CREATE", resolve("pods"), "default", "p"), {})
    assert calls == ["patched.admit"]
