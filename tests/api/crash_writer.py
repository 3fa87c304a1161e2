"""Child process for the API crash test: writes ConfigMaps through the API
server with a durable store, printing each acknowledged write."""

from __future__ import annotations

import contextlib
import sys

from engine.api import errors
from engine.api.server import APIServer
from engine.clock import VirtualClock
from engine.store import Store


def main(state_dir: str, start: int, count: int) -> None:
    clock = VirtualClock()
    clock.new_event_loop()
    api = APIServer(Store(state_dir, snapshot_count=500), clock)
    with contextlib.suppress(errors.StatusError):  # it exists after the first run
        api.create("namespaces", {"metadata": {"name": "default"}})
    for i in range(start, start + count):
        obj = api.create("configmaps", {"metadata": {"name": f"cm-{i}"}, "data": {"i": str(i)}},
                         namespace="default")
        print(obj["metadata"]["name"], obj["metadata"]["resourceVersion"], flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
