"""Model-based test: random operations, restarts included, against a plain model.

The model is the obvious dict-of-versions implementation of the etcd rules;
Hypothesis drives both and compares what a user can observe: live ranges,
revisions, reads at past revisions and watch replays, across reopenings of
the state directory (with tiny snapshot intervals so rotation and pruning run).
"""

from __future__ import annotations

import shutil
import tempfile

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from engine.store import Compare, KeyValue, Op, Store

from .conftest import Recorder

KEYS = st.sampled_from(["/a", "/b", "/c/x", "/c/y", "/cz"])
VALUES = st.binary(max_size=8)


class StoreModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.mkdtemp(prefix="store-model-")
        self.store = Store(self.dir, snapshot_count=4, fsync=False)
        self.kvs: dict[str, KeyValue] = {}
        self.revision = 1
        self.states: dict[int, dict[str, KeyValue]] = {1: {}}
        self.events: list[tuple[str, str, bytes, int]] = []

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- model ----------------------------------------------------------------

    def _write(self, changes: list[tuple[str, bytes | None]]) -> None:
        """Apply one revision's (key, value or None for delete) to the model."""
        self.revision += 1
        rev = self.revision
        for key, value in changes:
            prev = self.kvs.get(key)
            if value is None:
                del self.kvs[key]
                self.events.append(("DELETE", key, b"", rev))
            else:
                create = prev.create_revision if prev else rev
                version = prev.version + 1 if prev else 1
                self.kvs[key] = KeyValue(key, value, create, rev, version)
                self.events.append(("PUT", key, value, rev))
        self.states[rev] = dict(self.kvs)

    # -- rules ----------------------------------------------------------------

    @rule(key=KEYS, value=VALUES)
    def put(self, key: str, value: bytes) -> None:
        kv = self.store.put(key, value)
        self._write([(key, value)])
        assert kv == self.kvs[key]

    @rule(key=KEYS, value=VALUES)
    def create(self, key: str, value: bytes) -> None:
        kv = self.store.create(key, value)
        if key in self.kvs:
            assert kv is None
        else:
            self._write([(key, value)])
            assert kv == self.kvs[key]

    @rule(key=KEYS, value=VALUES, stale=st.booleans())
    def update(self, key: str, value: bytes, stale: bool) -> None:
        cur = self.kvs.get(key)
        expected = None if cur is None else cur.mod_revision - int(stale)
        kv = self.store.update(key, value, expected)
        if cur is None or stale:
            assert kv is None
        else:
            self._write([(key, value)])
            assert kv == self.kvs[key]

    @rule(key=KEYS)
    def delete(self, key: str) -> None:
        prev = self.store.delete(key)
        assert prev == self.kvs.get(key)
        if prev is not None:
            self._write([(key, None)])

    @rule(guard=KEYS, a=KEYS, b=KEYS, value=VALUES)
    def txn(self, guard: str, a: str, b: str, value: bytes) -> None:
        if a == b:
            return
        ok, rev, _ = self.store.txn(
            [Compare(guard, "version", ">", 0)], [Op.put(a, value), Op.delete(b)], [Op.get(a)]
        )
        assert ok == (guard in self.kvs)
        if ok:
            self._write([(a, value)] + ([(b, None)] if b in self.kvs else []))
        assert rev == self.revision

    @rule(data=st.data())
    def compact(self, data: st.DataObject) -> None:
        low = self.store.compact_revision + 1
        if low > self.revision:
            return
        self.store.compact(data.draw(st.integers(low, self.revision)))

    @rule()
    def reopen(self) -> None:
        compact = self.store.compact_revision
        self.store.close()
        self.store = Store(self.dir, snapshot_count=4, fsync=False)
        assert compact <= self.store.compact_revision <= self.revision

    @rule()
    def snapshot(self) -> None:
        self.store.snapshot()

    @precondition(lambda self: self.store.compact_revision < self.revision)
    @rule(data=st.data())
    def watch_replay(self, data: st.DataObject) -> None:
        start = data.draw(st.integers(self.store.compact_revision + 1, self.revision + 1))
        prefix = data.draw(st.sampled_from(["", "/c", "/c/"]))
        r = Recorder()
        w = self.store.watch(prefix, r, start_revision=start)
        w.cancel()
        expected = [e for e in self.events if e[3] >= start and e[1].startswith(prefix)]
        assert r.summary() == expected

    @rule(data=st.data())
    def read_at(self, data: st.DataObject) -> None:
        rev = data.draw(st.integers(self.store.compact_revision or 1, self.revision))
        kvs, at, _ = self.store.range("", revision=rev)
        assert at == rev
        assert kvs == [self.states[rev][k] for k in sorted(self.states[rev])]

    # -- invariants -------------------------------------------------------------

    @invariant()
    def same_live_state(self) -> None:
        kvs, rev, more = self.store.range("")
        assert rev == self.store.revision == self.revision
        assert not more
        assert kvs == [self.kvs[k] for k in sorted(self.kvs)]
        page, _, more = self.store.range("/c", start_after="/c/x", limit=1)
        tail = [k for k in sorted(self.kvs) if k.startswith("/c") and k > "/c/x"]
        assert [kv.key for kv in page] == tail[:1]
        assert more == (len(tail) > 1)


StoreModel.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_store_model = StoreModel.TestCase
