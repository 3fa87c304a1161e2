"""Defaulting never raises, whatever partial (or malformed) object it is given,
and applying it twice changes nothing more."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api import defaults
from engine.api.resources import RESOURCES

KEYS = [
    "spec",
    "status",
    "metadata",
    "template",
    "containers",
    "initContainers",
    "volumes",
    "ports",
    "resources",
    "limits",
    "requests",
    "cpu",
    "memory",
    "image",
    "selector",
    "strategy",
    "rollingUpdate",
    "updateStrategy",
    "type",
    "labels",
    "name",
    "behavior",
    "scaleUp",
    "policies",
    "jobTemplate",
    "livenessProbe",
    "httpGet",
    "env",
    "valueFrom",
    "fieldRef",
    "secret",
    "projected",
    "sources",
    "stringData",
    "data",
    "subsets",
    "items",
    "capacity",
    "hard",
    "hostNetwork",
    "podIP",
    "podIPs",
    "sessionAffinity",
    "parameters",
    "egress",
    "subjects",
    "roleRef",
    "volumeClaimTemplates",
    "overhead",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.text(max_size=8),
    st.sampled_from(
        [
            "1",
            "0.5",
            "100Mi",
            "latest",
            "nginx",
            "ClientIP",
            "LoadBalancer",
            "RollingUpdate",
            "Container",
            "None",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=30,
)
objects = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(RESOURCES), objects)
def test_defaulting_random_objects_never_raises(info, obj) -> None:  # noqa: ANN001
    once = defaults.default(info, copy.deepcopy(obj))
    twice = defaults.default(info, copy.deepcopy(once))
    assert twice == once
