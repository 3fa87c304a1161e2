"""ControllerRevision helpers: Go's JSON encoding, FNV-1 hashing, names, order."""

from __future__ import annotations

from engine.controllers.history import (
    controller_revision_name,
    go_json,
    hash_controller_revision,
    next_revision,
    sort_revisions,
    template_patch,
)
from engine.controllers.history.revision import fnv32


def test_fnv1_vectors() -> None:
    assert fnv32(b"") == 0x811C9DC5
    assert fnv32(b"a") == 0x050C5D7E  # FNV-1 (FNV-1a would give 0xe40c292c)
    assert fnv32(b"foobar") == 0x31F0B262


def test_go_json_sorts_keys_and_escapes_html() -> None:
    assert go_json({"b": "<a&b>", "a": [1, None, True]}) == \
        b'{"a":[1,null,true],"b":"\\u003ca\\u0026b\\u003e"}'
    assert go_json({"é": "ü"}) == '{"é":"ü"}'.encode()


def test_template_patch_and_hash() -> None:
    sts = {"spec": {"template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"containers": [{"name": "n", "image": "nginx"}]}}}}
    patch = template_patch(sts)
    assert go_json(patch) == (b'{"spec":{"template":{"$patch":"replace","metadata":'
                              b'{"creationTimestamp":null,"labels":{"app":"web"}},"spec":'
                              b'{"containers":[{"image":"nginx","name":"n"}]}}}}')
    first = hash_controller_revision(patch, 0)
    assert first == hash_controller_revision(patch, 0)
    assert first != hash_controller_revision(patch, 1)
    assert set(first) <= set("bcdfghjklmnpqrstvwxz2456789")
    assert controller_revision_name("x" * 300, first) == "x" * 223 + "-" + first


def test_revision_order() -> None:
    revs = [{"metadata": {"name": "b", "creationTimestamp": "2025"}, "revision": 2},
            {"metadata": {"name": "a", "creationTimestamp": "2025"}, "revision": 2},
            {"metadata": {"name": "c", "creationTimestamp": "2024"}, "revision": 1}]
    assert [r["metadata"]["name"] for r in sort_revisions(revs)] == ["c", "a", "b"]
    assert next_revision(sort_revisions(revs)) == 3
    assert next_revision([]) == 1
