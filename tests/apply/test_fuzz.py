"""Property: a mutated sample never makes the apply engine raise — every object is
applied, or reported with a clean, kubectl-style error (no Python internals)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.apply import ERROR, ApplySession
from engine.cluster import Cluster, ClusterConfig
from tests.apply.conftest import ensure_default_service_accounts

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FILES = sorted(p for p in SAMPLES.rglob("*.yaml"))
TEXTS = [p.read_text() for p in FILES]
INTERNALS = ("Traceback", "Internal error", "object has no attribute", "TypeError",
             "KeyError", "IndexError", "NoneType", "unhashable")
OK = {"created", "configured", "unchanged", "skipped", "deleted", "rolled back"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with Cluster(ClusterConfig(virtual=True)) as c:
        ensure_default_service_accounts(c.client, "default", "kube-system")
        yield c


# -- mutations ---------------------------------------------------------------------------
JUNK = st.sampled_from(["\t", ":", " ", "-", "#", "&a", "*a", "'", '"', "{", "]", "\x00",
                        "---\n", "\n", "é", "!!binary ", "<<: ", "0x", "~"])


@st.composite
def text_mutation(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete-line", "dup-line", "indent", "dedent", "insert",
                                   "delete-char", "swap"]))
        line = lines[i]
        if op == "delete-line":
            del lines[i]
        elif op == "dup-line":
            lines.insert(i, line)
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + line
        elif op == "dedent":
            lines[i] = line.lstrip()
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], line
        elif line:
            j = draw(st.integers(0, len(line)))
            lines[i] = (line[:j] + draw(JUNK) + line[j:] if op == "insert"
                        else line[:j] + line[j + 1:])
    return "".join(lines)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["2 cores", "100Mi", "Always", "", "-1", "ä"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=6)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*prefix, i))
    return out


@st.composite
def structure_mutation(draw: st.DrawFn) -> str:
    docs = [d for d in yaml.safe_load_all(draw(st.sampled_from(TEXTS))) if d]
    for _ in range(draw(st.integers(1, 3))):
        doc = draw(st.sampled_from(docs))
        path = draw(st.sampled_from(paths(doc)[1:]))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        op = draw(st.sampled_from(["replace", "delete", "rename"]))
        if op == "replace":
            parent[path[-1]] = draw(VALUES)
        elif op == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[str(path[-1])[:-1] + draw(st.sampled_from(["s", "x", ""]))] = parent.pop(
                path[-1])
    return yaml.safe_dump_all(docs, sort_keys=False)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(st.one_of(text_mutation(), structure_mutation()))
def test_mutated_samples_apply_or_fail_cleanly(cluster: Cluster, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutated.yaml"
        path.write_text(text)
        results = ApplySession(cluster.client, [str(path)]).apply_all()
    for r in results:
        assert r.action in OK | {ERROR}, r
        if r.action == ERROR:
            assert r.message and not any(word in r.message for word in INTERNALS), r.message
