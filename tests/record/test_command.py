"""``k9py record`` from the command line: exit codes, messages, nothing written on error."""

from __future__ import annotations

from pathlib import Path

import pytest

from k9py.cli import main


@pytest.fixture(autouse=True)
def _config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("K9PY_CONFIG_DIR", str(tmp_path / "k9py-config"))


def test_a_bad_scenario_fails_before_anything_runs(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("steps:\n  - press: enter\n  - fly: away\n")
    out = tmp_path / "bad.cast"
    assert main(["record", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"k9py record: {path}:3: step 2: unknown step 'fly'" in err
    assert not out.exists()


def test_a_failing_step_exits_1_and_writes_nothing(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "never.yaml"
    path.write_text("cluster: {nodes: 1}\nsteps:\n  - wait: {screen: nowhere}\n"
                    "    timeout: 1s\n")
    out = tmp_path / "never.cast"
    assert main(["record", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:3: step 1 (wait): timed out after 1s (simulated)" in err
    assert "nothing written" in err
    assert list(tmp_path.glob("*.cast")) == [] and list(tmp_path.glob(".*tmp")) == []


def test_record_needs_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["record", "x.yaml"])
    assert info.value.code == 2
    assert "-o/--output" in capsys.readouterr().err


def test_a_failing_action_names_its_step(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "act.yaml"
    path.write_text("cluster: {nodes: 1}\nsteps:\n  - sleep: 1s\n"
                    "  - cluster: {stop_kubelet: no-such-node}\n")
    assert main(["record", str(path), "-o", str(tmp_path / "act.cast"), "-q"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:4: step 2 (cluster): stop the kubelet on no-such-node failed:" in err
    assert not (tmp_path / "act.cast").exists()
