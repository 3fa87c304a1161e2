"""SVG snapshots of the main screens in two skins (pytest-textual-snapshot).

The cluster runs on a capped virtual clock, so names, ages and counts are the
same on every run. Update with ``pytest tests/tui/test_snapshots.py --snapshot-update``."""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_textual_snapshot")

from collections.abc import Iterator  # noqa: E402

from engine.cluster import Cluster, ClusterConfig  # noqa: E402
from tests.tui.conftest import make_app  # noqa: E402
from tests.tui.helpers import settle, synced, table_keys, wait_for  # noqa: E402
from tests.tui.scenery import populate  # noqa: E402


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """The API server alone with a fixed scenery (see tests/tui/scenery.py)."""
    with Cluster(ClusterConfig(virtual=True, components=[])) as c:
        populate(c.client)
        yield c

THEMES = ("k9py-dark", "k9py-light")
SIZE = (140, 40)


@pytest.mark.parametrize("theme", THEMES)
def test_pods_view(snap_compare, cluster: Cluster, theme: str) -> None:  # noqa: ANN001
    app = make_app(cluster, command="pods default", theme=theme)

    async def ready(pilot) -> None:  # noqa: ANN001
        await wait_for(pilot, lambda: synced(app) and len(table_keys(app)) == 7)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("theme", THEMES)
def test_nodes_view_with_cordoned_node(snap_compare, cluster: Cluster,  # noqa: ANN001
                                       theme: str) -> None:
    from k9py.ops.nodes import add_taint, cordon, parse_taint

    cordon(cluster.client, "k9py-worker")
    add_taint(cluster.client, "k9py-worker2", parse_taint("dedicated=gpu:NoSchedule"))
    app = make_app(cluster, command="nodes", theme=theme)

    async def ready(pilot) -> None:  # noqa: ANN001
        await wait_for(pilot, lambda: synced(app) and len(table_keys(app)) == 3)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("theme", THEMES)
def test_scale_dialog(snap_compare, cluster: Cluster, theme: str) -> None:  # noqa: ANN001
    app = make_app(cluster, command="deploy", theme=theme)

    async def ready(pilot) -> None:  # noqa: ANN001
        await wait_for(pilot, lambda: synced(app) and table_keys(app))
        app.top.table.select_key("default/nginx-deployment")
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("theme", THEMES)
def test_describe_node(snap_compare, cluster: Cluster, theme: str) -> None:  # noqa: ANN001
    app = make_app(cluster, command="nodes", theme=theme)

    async def ready(pilot) -> None:  # noqa: ANN001
        await wait_for(pilot, lambda: synced(app) and "k9py-worker" in table_keys(app))
        app.top.table.select_key("k9py-worker")
        await pilot.press("d")
        await wait_for(pilot, lambda: getattr(app.top, "text", ""))

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("theme", THEMES)
def test_help(snap_compare, cluster: Cluster, theme: str) -> None:  # noqa: ANN001
    app = make_app(cluster, command="deploy", theme=theme)

    async def ready(pilot) -> None:  # noqa: ANN001
        await wait_for(pilot, lambda: synced(app))
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
