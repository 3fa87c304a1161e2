"""Admission fast paths decide exactly as the plain code they shortcut.

* DefaultTolerationSeconds looks for both default tolerations in one pass;
* ResourceQuota remembers, per namespace, the quota lister generation at which
  the namespace held no quota, and lists again once any quota is written."""

from __future__ import annotations

import itertools

import pytest

from engine.api import errors
from engine.api.admission import default_toleration_seconds as dts
from engine.api.admission.resource_quota import ResourceQuota
from engine.api.server import APIServer
from tests.helpers import pod

_KEYS = [None, "", dts.NOT_READY, dts.UNREACHABLE, "other", 1, ["x"]]
_EFFECTS = [None, "", "NoExecute", "NoSchedule", 0]


def _tolerations() -> list[object]:
    one = [{"key": k, "effect": e} for k in _KEYS for e in _EFFECTS]
    one += [{"effect": "NoExecute"}, {"key": dts.NOT_READY}, {}, "x", None, 5]
    return one


def test_one_pass_finds_what_two_passes_do() -> None:
    singles = _tolerations()
    lists = [[t] for t in singles] + [list(p) for p in itertools.permutations(singles[:9], 2)]
    lists += [[singles[i], singles[j], singles[k]] for i, j, k in
              itertools.product(range(0, len(singles), 5), repeat=3)]
    lists.append([])
    for tolerations in lists:
        assert dts._tolerated(tolerations) == (
            dts._tolerates(tolerations, dts.NOT_READY),
            dts._tolerates(tolerations, dts.UNREACHABLE)), tolerations


def test_default_tolerations_are_added_as_before() -> None:
    for tolerations in [[], [{"key": dts.NOT_READY, "effect": "NoExecute"}],
                        [{"key": dts.UNREACHABLE, "operator": "Exists"}],
                        [{"operator": "Exists"}], [{"key": "x", "effect": "NoSchedule"}]]:
        obj = {"spec": {"tolerations": list(tolerations)}}
        dts.DefaultTolerationSeconds(None).admit(None, obj)  # type: ignore[arg-type]
        want = list(tolerations) + [
            {"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
            for key in (dts.NOT_READY, dts.UNREACHABLE)
            if not dts._tolerates(tolerations, key)]
        assert obj["spec"]["tolerations"] == want


def _plugin(api: APIServer) -> ResourceQuota:
    return next(p for p in api.admission.plugins if isinstance(p, ResourceQuota))


def test_a_namespace_without_quotas_is_remembered_until_a_quota_is_written(
        api: APIServer) -> None:
    api.create("pods", pod("a"), namespace="default")
    remembered = dict(_plugin(api)._without_quotas)
    assert "default" in remembered
    api.create("pods", pod("b"), namespace="default")
    assert _plugin(api)._without_quotas == remembered  # the same generation: skipped
    api.create("resourcequotas", {"metadata": {"name": "q"}, "spec": {"hard": {"pods": "2"}}},
               namespace="default")
    with pytest.raises(errors.StatusError) as err:
        api.create("pods", pod("c"), namespace="default")
    assert err.value.code == 403
    assert "exceeded quota: q" in str(err.value)
    api.delete("resourcequotas", "q", namespace="default")
    api.create("pods", pod("c"), namespace="default")
    assert _plugin(api)._without_quotas["default"] != remembered["default"]


def test_a_quota_in_another_namespace_is_no_reason_to_skip(api: APIServer) -> None:
    api.create("namespaces", {"metadata": {"name": "other"}})
    api.create("pods", pod("a"), namespace="other")
    api.create("resourcequotas", {"metadata": {"name": "q"}, "spec": {"hard": {"pods": "0"}}},
               namespace="default")
    api.create("pods", pod("b"), namespace="other")
    with pytest.raises(errors.StatusError):
        api.create("pods", pod("c"), namespace="default")


def test_validate_reuses_the_route_admit_worked_out_only_for_the_same_plugins(
        api: APIServer) -> None:
    from engine.api.admission.base import AdmissionPlugin, Attributes

    seen: list[str] = []

    class Refuser(AdmissionPlugin):
        name = "Refuser"

        def validate(self, attrs: Attributes, obj: dict) -> None:
            seen.append(attrs.name)

    chain = api.admission
    attrs = Attributes("CREATE", api.info("configmaps"), "default", "a")
    chain.admit(attrs, {"metadata": {"name": "a"}})
    assert attrs.routed is not None and attrs.routed[0] is chain
    chain.plugins = [*chain.plugins, Refuser(api)]  # replaced between the phases
    chain.validate(attrs, {"metadata": {"name": "a"}})
    assert seen == ["a"]
    plain = Attributes("CREATE", api.info("configmaps"), "default", "b")
    chain.validate(plain, {"metadata": {"name": "b"}})  # never admitted: routed afresh
    assert seen == ["a", "b"]
