"""Reading manifests: paths, documents, YAML as go-yaml reads it, JSON, Lists, order."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from engine.apply.errors import ManifestError
from engine.apply.loader import Document, expand_paths, load_file, parse, split_yaml
from engine.apply.ordering import order_documents, order_files


def objs(text: str | bytes) -> list[dict]:
    data = text.encode() if isinstance(text, str) else text
    return [d.obj for d in parse("f.yaml", data)]


def test_documents_split_at_separator_lines() -> None:
    text = b"---\n# only a comment\n---\na: 1\n--- # a comment\nb: 2\n---\n\n"
    assert list(split_yaml("f", text)) == [(4, b"a: 1\n"), (6, b"b: 2\n")]


def test_empty_documents_are_skipped_and_lines_counted() -> None:
    docs = parse("f.yaml", b"---\napiVersion: v1\nkind: A\n---\n---\n"
                           b"apiVersion: v1\nkind: B\n...\n")
    assert [(d.doc, d.line, d.obj["kind"]) for d in docs] == [(0, 2, "A"), (1, 6, "B")]


def test_yaml_1_1_scalars_as_go_yaml_reads_them() -> None:
    [obj] = objs("apiVersion: v1\nkind: X\na: yes\nb: off\nc: 0x1F\nd: 1_000\n"
                 "e: 2001-12-14\nf: '010'\ng: ~\nh: 1.5\n")
    assert obj | {} == {"apiVersion": "v1", "kind": "X", "a": True, "b": False, "c": 31,
                        "d": 1000, "e": "2001-12-14", "f": "010", "g": None, "h": 1.5}


def test_keys_become_strings() -> None:
    [obj] = objs("apiVersion: v1\nkind: X\n1: a\ntrue: b\n~: c\n")
    assert {k: obj[k] for k in ("1", "true", "null")} == {"1": "a", "true": "b", "null": "c"}


def test_merge_keys_and_aliases_are_copied_apart() -> None:
    [obj] = objs("apiVersion: v1\nkind: X\nbase: &b {app: web, tier: front}\n"
                 "labels:\n  <<: *b\n  tier: back\nsame: *b\n")
    assert obj["labels"] == {"app": "web", "tier": "back"}
    obj["same"]["app"] = "changed"
    assert obj["base"]["app"] == "web"


def test_json_stream_and_list_items() -> None:
    docs = parse("f.json", b'{"apiVersion": "v1", "kind": "A"}\n\n'
                           b'{"apiVersion": "v1", "kind": "List", "items": ['
                           b'{"apiVersion": "v1", "kind": "B"}, {"apiVersion": "v1", "kind": "C"}]}')
    assert [(d.doc, d.line, d.item, d.obj["kind"]) for d in docs] == [
        (0, 1, None, "A"), (1, 3, 0, "B"), (1, 3, 1, "C")]
    assert docs[2].where == "f.json:3 (document 2, item 1)"


def test_typed_lists_are_expanded_too() -> None:
    docs = objs("apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap}\n")
    assert [d["kind"] for d in docs] == ["ConfigMap"]


def test_canonical_json_ignores_layout() -> None:
    a = Document("f", 0, 1, {"kind": "X", "apiVersion": "v1", "data": {"b": 1, "a": 2}})
    b = parse("g", b"apiVersion: v1\ndata: {a: 2, b: 1}\nkind: X  # comment\n")[0]
    assert a.canonical == b.canonical


def test_stdin(tmp_path: Path) -> None:
    docs = load_file("-", io.BytesIO(b"apiVersion: v1\nkind: X\n"))
    assert docs[0].source == "STDIN"


# -- paths ------------------------------------------------------------------------------------
@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("b.yaml", "a.yml", "c.json", "notes.txt", "sub/d.yaml", "sub/deeper/e.yaml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    (tmp_path / "empty").mkdir()
    return tmp_path


def test_directories_read_like_kubectl(tree: Path) -> None:
    names = [Path(p).relative_to(tree).as_posix() for p in expand_paths([str(tree)])]
    assert names == ["a.yml", "b.yaml", "c.json"]
    names = [Path(p).relative_to(tree).as_posix() for p in expand_paths([str(tree)], True)]
    assert names == ["a.yml", "b.yaml", "c.json", "sub/d.yaml", "sub/deeper/e.yaml"]
    assert expand_paths([str(tree / "notes.txt"), "-"]) == [str(tree / "notes.txt"), "-"]


def test_path_errors(tree: Path) -> None:
    with pytest.raises(ManifestError, match=r'^the path ".*nope.yaml" does not exist$'):
        expand_paths([str(tree / "nope.yaml")])
    with pytest.raises(ManifestError, match=r"recognized file extensions are \[.json .yaml .yml\]"):
        expand_paths([str(tree / "empty")])


# -- order ------------------------------------------------------------------------------------
def doc(kind: str, i: int = 0) -> Document:
    return Document("f", i, 1, {"apiVersion": "v1", "kind": kind})


def test_prerequisites_first_otherwise_as_written() -> None:
    docs = [doc("Deployment", 0), doc("ServiceAccount", 1), doc("Service", 2),
            doc("Namespace", 3), doc("ConfigMap", 4)]
    assert [d.obj["kind"] for d in order_documents(docs)] == [
        "Namespace", "ServiceAccount", "Deployment", "Service", "ConfigMap"]
    files = [("a", [doc("Deployment")]), ("b", [doc("Namespace")]), ("c", [doc("Service")])]
    assert [name for name, _ in order_files(files)] == ["b", "a", "c"]
