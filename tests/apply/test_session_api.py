"""The integration API the TUI and the CLI use: flags, :apply, flash lines, the log."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from engine.apply import ERROR, ApplyOptions, ApplySession, summarize
from engine.apply.cli import add_arguments, from_args, parse_command
from engine.apply.results import ApplyResult
from engine.cluster import Cluster

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n"


def test_command_line_flags() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    paths, options = from_args(parser.parse_args(
        ["-f", "a", "-f", "b/", "-R", "-n", "dev", "--prune", "--server-side",
         "--force-conflicts", "--dry-run=server", "--continue-on-error"]))
    assert paths == ["a", "b/"]
    assert options == ApplyOptions(namespace="dev", recursive=True, prune=True,
                                   server_side=True, force_conflicts=True, dry_run=True,
                                   continue_on_error=True)
    assert from_args(parser.parse_args([])) == ([], ApplyOptions())


def test_apply_command_keeps_the_session_defaults() -> None:
    defaults = ApplyOptions(namespace="dev", prune=True)
    paths, options = parse_command("samples/nginx -R", defaults)
    assert paths == ["samples/nginx"]
    assert options == ApplyOptions(namespace="dev", prune=True, recursive=True)
    assert parse_command("-f x.yaml -n other", defaults)[1].namespace == "other"
    with pytest.raises(ValueError, match="unrecognized arguments: --bogus"):
        parse_command("--bogus")


def test_apply_paths_joins_the_session(vcluster: Cluster, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text(CM.format("a"))
    Path("b.yaml").write_text(CM.format("b"))
    session = ApplySession(vcluster.client, ["a.yaml"])
    assert [r.message for r in session.apply_all()] == ["configmap/a created"]
    assert [r.message for r in session.apply_paths(["b.yaml"])] == ["configmap/b created"]
    assert session.paths == ["a.yaml", "b.yaml"]
    assert [r.message for r in session.apply_all()] == ["configmap/a unchanged",
                                                        "configmap/b unchanged"]
    assert len(session.log) == 4
    # a re-apply of an unchanged file does nothing at all
    assert session.reapply([str(tmp_path / "a.yaml")]) == []
    Path("c.yaml").write_text(CM.format("c"))
    once = session.apply_paths(["c.yaml"], ApplyOptions(dry_run=True))
    assert [r.message for r in once] == ["configmap/c created (server dry run)"]
    assert session.paths == ["a.yaml", "b.yaml"] and session.log[-1] == once[-1]


def test_log_rows_carry_time_file_object_and_action(vcluster: Cluster, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(CM.format("a"))
    [row] = ApplySession(vcluster.client, [str(path)]).apply_all()
    assert (row.file, row.ref, row.namespace, row.action, row.doc, row.line) == (
        str(path), "configmap/a", "default", "created", 0, 1)
    assert row.time == vcluster.clock.now()


def test_summaries_for_flash_lines() -> None:
    def row(action: str, message: str = "x", line: int = 0) -> ApplyResult:
        return ApplyResult(0.0, "f.yaml", action, message, line=line, doc=0 if line else None)

    assert summarize([row("created"), row("created"), row("unchanged")]) == \
        "2 created, 1 unchanged"
    assert summarize([row("created"), row(ERROR, "error: bad\nmore", 3), row(ERROR)]) == \
        "f.yaml:3 (document 1): error: bad (+1 more)"
    assert summarize([]) == "nothing to apply"


def test_no_objects(vcluster: Cluster, tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n---\n")
    [row] = ApplySession(vcluster.client, [str(path)]).apply_all()
    assert (row.action, row.message) == (ERROR, "no objects passed to apply")
