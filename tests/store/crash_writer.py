"""Child process for the crash tests: write until killed, acknowledging each write.

Usage: ``python crash_writer.py STATE_DIR TRIAL SNAPSHOT_COUNT``

Prints ``ready <revision>`` once the store is open, then, from two threads,
``K <key> <revision>`` after each acknowledged create of a numbered key and
``C <value> <revision>`` after each acknowledged compare-and-swap increment of
a shared counter. A line is printed only after the store call returned, so
every printed line is a write the store promised to keep.
"""

from __future__ import annotations

import sys
import threading

from engine.store import Store

MAX_WRITES = 200_000  # a runaway guard if the parent never kills us

_out = threading.Lock()


def ack(line: str) -> None:
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def create_keys(store: Store, trial: int) -> None:
    for i in range(MAX_WRITES):
        key = f"/crash/{trial:04d}/{i:06d}"
        kv = store.create(key, b"payload-%d-" % i + b"x" * (i % 200))
        ack(f"K {key} {kv.mod_revision}")


def bump_counter(store: Store) -> None:
    for _ in range(MAX_WRITES):
        kv = store.get("/crash/counter")
        if kv is None:
            new = store.create("/crash/counter", b"1")
        else:
            new = store.update("/crash/counter", b"%d" % (int(kv.value) + 1), kv.mod_revision)
        if new is not None:
            ack(f"C {int(new.value)} {new.mod_revision}")


def main() -> None:
    state_dir, trial, snapshot_count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store(state_dir, snapshot_count=snapshot_count)
    ack(f"ready {store.revision}")
    threads = [
        threading.Thread(target=create_keys, args=(store, trial)),
        threading.Thread(target=bump_counter, args=(store,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
