"""Table keys: sorting (shift keys, picker, header click), wide, faults, filters, marks,
mouse, live updates by key and ticking ages."""

from __future__ import annotations

from textual.pilot import Pilot

from engine.cluster import Cluster
from k9py.app import K9pyApp
from k9py.dialogs.picker import PickerDialog
from tests.tui.conftest import drive
from tests.tui.helpers import screen_text, synced, table_keys, wait_for


def pod(name: str, **labels: str) -> dict:
    return {"metadata": {"name": name, "labels": labels},
            "spec": {"containers": [{"name": "c", "image": "busybox"}],
                     "nodeName": "k9py-worker"}}


def test_sorting_by_keys_picker_and_header_click(cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app) and len(app.top.model) == 9)
        names = [c.name for c in app.top.model.columns]
        assert app.top.model.sort_col == names.index("NAME")
        first = table_keys(app)
        await pilot.press("N")  # same column again: reverse
        assert table_keys(app) == list(reversed(first)) and app.top.model.reverse
        await pilot.press("A")
        assert app.top.model.sort_col == names.index("AGE")
        await pilot.press("S")
        assert app.top.model.sort_col == names.index("STATUS")
        await pilot.press("O")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerDialog))
        await pilot.press("down", "down", "enter")  # NAME, READY, STATUS... -> STATUS
        await wait_for(pilot, lambda: not isinstance(app.screen, PickerDialog))
        await pilot.click("ResourceTable", offset=(3, 0))  # header: NAME
        assert app.top.model.sort_col == names.index("NAME")
        assert "NAME↑" in screen_text(app)

    drive(cluster, steps, command="pods kube-system")


def test_wide_faults_and_filters(cluster: Cluster) -> None:
    cluster.client.create("pods", pod("broken", app="x"), namespace="default")

    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app) and "default/broken" in table_keys(app))
        assert "LABELS" not in screen_text(app)
        await pilot.press("ctrl+w")
        await wait_for(pilot, lambda: "LABELS" in screen_text(app))
        await pilot.press("ctrl+w")
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: "default/broken" in table_keys(app)
                       and all(app.top.model.rows[k].status for k in table_keys(app)))
        assert "<faults>" in screen_text(app)
        await pilot.press("ctrl+z")
        await pilot.press("slash", *list("proxy"))
        await wait_for(pilot, lambda: len(table_keys(app)) == 3)
        await pilot.press("enter")
        assert "</proxy>" in screen_text(app)
        await pilot.press("slash")
        app.query_one("#prompt").value = "!proxy"
        await wait_for(pilot, lambda: not any("proxy" in k for k in table_keys(app)))
        app.query_one("#prompt").value = "-f kbsched"
        await wait_for(pilot, lambda: table_keys(app) == [
            "kube-system/kube-scheduler-k9py-control-plane"])
        app.query_one("#prompt").value = "-l app=x"
        await pilot.press("enter")
        await wait_for(pilot, lambda: synced(app) and table_keys(app) == ["default/broken"])
        await pilot.press("escape")  # clears the filter
        await wait_for(pilot, lambda: synced(app) and len(table_keys(app)) >= 10)
        assert app.internal_errors == []

    # wide pod rows (with k9s's CPU/RL and MEM/RL) need 250 columns to reach LABELS
    drive(cluster, steps, command="pods all", size=(250, 45))


def test_live_rows_by_key_marks_mouse_and_ticking_ages(cluster: Cluster) -> None:
    async def steps(pilot: Pilot, app: K9pyApp) -> None:
        await wait_for(pilot, lambda: synced(app))
        cluster.client.create("pods", pod("b"), namespace="default")
        cluster.client.create("pods", pod("a"), namespace="default")
        await wait_for(pilot, lambda: table_keys(app) == ["default/a", "default/b"])
        table = app.top.table
        await pilot.click("ResourceTable", offset=(5, 2))  # second row
        assert table.current_key == "default/b"
        rows_before = dict(app.top.model.rows)
        cluster.client.create("pods", pod("aa"), namespace="default")
        await wait_for(pilot, lambda: len(table_keys(app)) == 3)
        assert table.current_key == "default/b"  # the cursor follows its row
        assert app.top.model.rows["default/a"] is rows_before["default/a"]  # untouched
        await pilot.press("space")
        assert "default/b" in table.marks
        await pilot.press("ctrl+backslash")
        assert not table.marks
        cluster.client.delete("pods", "aa", namespace="default", grace_period_seconds=0)
        await wait_for(pilot, lambda: "default/aa" not in table_keys(app))
        before = screen_text(app)
        cluster.advance(125)
        await wait_for(pilot, lambda: "2m5s" in screen_text(app) or "2m" in
                       screen_text(app), what="ages tick")
        assert before != screen_text(app)

    drive(cluster, steps, command="pods")
