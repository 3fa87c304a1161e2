"""Broken manifests: the exact message kubectl would print, and a cluster left as it was.

Each case of ``cases.py`` is applied to a cluster holding one Deployment; the
errors of the run, rendered as kubectl renders them, must be exactly the
expected text, and every object's resourceVersion must be unchanged — a file
with an error applies none of its documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.apply import ERROR, ApplyOptions, ApplySession
from engine.apply.results import kubectl_stderr
from engine.cluster import Cluster, ClusterConfig
from tests.apply.cases import CASES, EXISTING, Case
from tests.apply.conftest import dump


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One cluster for the table, with the Deployment the patch cases change."""
    path = tmp_path_factory.mktemp("existing") / "existing.yaml"
    path.write_text(EXISTING)
    with Cluster(ClusterConfig(virtual=True)) as cluster:
        results = ApplySession(cluster.client, [str(path)]).apply_all()
        assert [r.action for r in results] == ["created"]
        cluster.advance(5)
        yield cluster


def run_case(cluster: Cluster, case: Case, directory: Path) -> list:
    for name, data in case.files.items():
        (directory / name).write_bytes(data)
    session = ApplySession(cluster.client, sorted(case.files),
                           ApplyOptions(namespace=case.namespace))
    return session.apply_all()


def test_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_manifest(case: Case, seeded: Cluster, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = dump(seeded.client)
    results = run_case(seeded, case, tmp_path)
    assert kubectl_stderr(results) == case.expected
    errors = [r for r in results if r.action == ERROR]
    if case.where is not None:
        assert errors[0].where == case.where
    # Nothing of the broken file was written (other files may apply).
    broken = {r.file for r in errors}
    assert all(r.action in ("error", "skipped") for r in results if r.file in broken)
    seeded.settle()
    after = dump(seeded.client)
    created = {k for k in after if k not in before}
    changed = {k for k in before if after.get(k) != before[k]}
    good = {name for name in case.files if name not in broken}
    if not good:
        assert not created and not changed
    else:  # "two files, one bad": only the good file's objects appear
        assert changed == set()
        assert {name for _, _, name in created} == {"good-a"}


def test_billion_laughs_fails_fast(seeded: Cluster, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.chdir(tmp_path)
    case = next(c for c in CASES if c.id == "billion-laughs")
    big = next(c for c in CASES if c.id == "ten-megabytes")
    for c in (case, big):
        start = time.perf_counter()
        run_case(seeded, c, tmp_path)
        assert time.perf_counter() - start < 1.0
