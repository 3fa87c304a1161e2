"""Demo recordings (issue 8): what ``k9py record`` costs in wall time, and the cast's size.

* record: the wall time of ``k9py.record.runner.record`` for a small scenario
  (hidden setup: apply a 2-replica Deployment and wait for it; shown: a caption,
  ``:deploy``, a wait for ``2/2`` on screen, a screenshot, keys, a 2 s sleep),
  cluster boot included. The baseline drives the same steps through Textual's
  Pilot against the stock app on the same virtual clock, with no settling and no
  frame capture: the ratio is what determinism and capture add.
* demos: each scenario in ``samples/demos`` recorded once (the acceptance bound
  is 30 s of wall time each), with its cast size.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import row
from tests.record.scenarios import web_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = web_scenario("""\
title: bench
terminal: {width: 120, height: 32}
cluster: {nodes: 3}
""", """\
  - caption: Deployments
  - press: ":"
  - type: deploy
  - press: enter
  - wait: {screen: "2/2"}
    timeout: 10s
  - screenshot: deploy.svg
  - press: down
    count: 3
  - press: up
  - sleep: 2s
""")


def _record(path: Path, out: Path) -> tuple[float, int]:
    from k9py.record.runner import record

    start = time.perf_counter()
    record(path, out, svg_dir=out.parent / "svg")
    return time.perf_counter() - start, out.stat().st_size


def _pilot_only(path: Path) -> float:
    """The same steps through Pilot, on the stock app: no settling, no frames."""
    from k9py.record.scenario import load_scenario

    scenario = load_scenario(path)
    start = time.perf_counter()
    asyncio.run(_drive(scenario))
    return time.perf_counter() - start


async def _drive(scenario: Any) -> None:
    from k9py.app import K9pyApp
    from k9py.config import Config
    from k9py.embedded import session_for
    from k9py.record import scenario as sc
    from k9py.record.frames import screen_strips
    from k9py.record.runner import boot_cluster

    cluster = boot_cluster(scenario.nodes)
    session = session_for(cluster)
    app = K9pyApp(session, config=Config(), theme=scenario.theme)
    try:
        async with app.run_test(headless=True, size=(scenario.width, scenario.height)) as pilot:
            async def advance(seconds: float) -> None:
                while seconds > 1e-9:
                    step = min(0.5, seconds)
                    cluster.advance(step)
                    seconds -= step
                    await pilot.pause()

            for step in scenario.steps:
                if isinstance(step, sc.Press):
                    for _ in range(step.count):
                        await pilot.press(*step.keys)
                        await advance(0.3)
                elif isinstance(step, sc.Type):
                    for char in step.text:
                        await pilot.press(char)
                        await advance(step.speed)
                elif isinstance(step, sc.Sleep):
                    await advance(step.seconds)
                elif isinstance(step, sc.Apply | sc.ClusterAction):
                    await asyncio.to_thread(step.action.run, session)
                elif isinstance(step, sc.Screenshot):
                    app.export_screenshot()
                elif isinstance(step, sc.Wait):
                    for _ in range(int(step.timeout / 0.5) + 1):
                        text = "\n".join(s.text for s in screen_strips(app))
                        if (step.screen in text) if step.screen is not None else \
                                step.condition.check(session.client):
                            break
                        await advance(0.5)
            app.shutdown_views()
    finally:
        cluster.stop()


def run(quick: bool = False) -> list[dict]:
    times = 1 if quick else 3
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("K9PY_CONFIG_DIR", str(Path(tmp) / "k9py-config"))
        path = Path(tmp) / "bench.yaml"
        path.write_text(SCENARIO)
        recorded = [_record(path, Path(tmp) / f"bench{i}.cast") for i in range(times)]
        baseline = statistics.median(_pilot_only(path) for _ in range(times))
        rows.append(row("record: small scenario, wall (vs Pilot, no capture)",
                        statistics.median(t for t, _ in recorded), "s", baseline,
                        higher_is_better=False))
        rows.append(row("record: small scenario, cast size", recorded[0][1] / 1024, "KiB"))
        for demo in sorted((ROOT / "samples" / "demos").glob("*.yaml")):
            out = Path(tmp) / f"{demo.stem}.cast"
            try:
                seconds, size = _record(demo, out)
            except Exception as err:  # a broken demo is reported, not fatal
                print(f"record_bench: {demo.name}: {err}")
                continue
            rows.append(row(f"record: {demo.stem} demo, wall", seconds, "s"))
            rows.append(row(f"record: {demo.stem} demo, cast size", size / 1024, "KiB"))
    return rows
