"""Reading manifests: paths to files, files to documents, documents to objects.

As kubectl's resource builder reads ``-f`` (k8s.io/cli-runtime
``pkg/resource/visitor.go`` and ``builder.go``):

* a path is a file, a directory (its ``.json``/``.yaml``/``.yml`` files in
  lexical order; with ``recursive`` its subdirectories too) or ``-`` (stdin,
  named ``STDIN`` in messages); a missing path is ``the path "x" does not exist``;
* a file is a stream of JSON objects when it starts with ``{``, else YAML
  documents split at ``---`` lines (apimachinery ``yaml.YAMLReader``; anything
  but a comment after ``---`` is ``invalid Yaml document separator``);
* empty documents are skipped; a document with an ``items`` list (``kind: List``)
  stands for its items.

Safety limits kubectl leaves to the server: a document over kube-apiserver's
3 MiB request limit fails before it is parsed, a file over 64 MiB is not read.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import orjson

from engine.apply.errors import ManifestError, parse_error, too_large, validation_error
from engine.apply.yamldoc import load_documents

MAX_REQUEST_BYTES = 3 * 1024 * 1024  # kube-apiserver --max-request-body-bytes default
MAX_FILE_BYTES = 64 * 1024 * 1024
EXTENSIONS = (".json", ".yaml", ".yml")
STDIN = "STDIN"

Obj = dict[str, Any]


@dataclass
class Document:
    """One object of a file: where it is and what it says.

    ``doc`` is the 0-based document index in the file, ``item`` the index in a
    ``List`` document (None otherwise), ``line`` the file line it starts on.
    """

    source: str
    doc: int
    line: int
    obj: Obj
    item: int | None = None
    canonical: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        if not self.canonical:
            self.canonical = canonical_json(self.obj)

    @property
    def where(self) -> str:
        out = f"{self.source}:{self.line} (document {self.doc + 1}"
        return out + (f", item {self.item}" if self.item is not None else "") + ")"


def canonical_json(obj: Any) -> bytes:
    """Compact JSON with sorted keys: equal documents give equal bytes."""
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)


# -- paths ------------------------------------------------------------------------
def expand_paths(paths: Iterable[str], recursive: bool = False) -> list[str]:
    """Every file ``paths`` name, in kubectl's order (``-`` stays as is)."""
    out: list[str] = []
    for path in paths:
        if path == "-":
            out.append(path)
        elif os.path.isdir(path):
            found = list(_walk(path, recursive))
            if not found:
                raise ManifestError(f"error reading [{path}]: recognized file extensions are "
                                    "[.json .yaml .yml]", path)
            out.extend(found)
        elif os.path.exists(path):
            out.append(path)
        else:
            raise ManifestError(f'the path "{path}" does not exist', path)
    return out


def _walk(root: str, recursive: bool) -> Iterator[str]:
    """``filepath.Walk`` order: lexical, files and directories interleaved."""
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if os.path.isdir(path):
            if recursive:
                yield from _walk(path, recursive)
        elif name.endswith(EXTENSIONS):
            yield path


def is_manifest_file(path: str) -> bool:
    """Whether a directory entry is one kubectl would read."""
    return path.endswith(EXTENSIONS)


def read_source(path: str, stdin: BinaryIO | None = None) -> tuple[str, bytes]:
    """The name messages use for ``path`` and its bytes (at most 64 MiB)."""
    if path == "-":
        stream = stdin or sys.stdin.buffer
        data = stream.read(MAX_FILE_BYTES + 1)
        name = STDIN
    else:
        name = path
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as err:
            raise ManifestError(f"error reading {path}: {err.strerror}", path) from None
    if len(data) > MAX_FILE_BYTES:
        raise parse_error(name, f"file is larger than {MAX_FILE_BYTES} bytes")
    return name, data


# -- documents ----------------------------------------------------------------------
def load_file(path: str, stdin: BinaryIO | None = None) -> list[Document]:
    """Every object in one file; the first problem raises :class:`ManifestError`."""
    source, data = read_source(path, stdin)
    return parse(source, data)


def parse(source: str, data: bytes) -> list[Document]:
    """The objects in ``data`` (a file's bytes), checked as kubectl checks them."""
    if data.lstrip()[:1] == b"{":
        raw = _json_documents(source, data)
    else:
        raw = _yaml_documents(source, data)
    docs: list[Document] = []
    for index, line, value in raw:
        docs.extend(_objects(source, index, line, value))
    return docs


def _yaml_documents(source: str, data: bytes) -> Iterator[tuple[int, int, Any]]:
    index = 0
    for first_line, chunk in split_yaml(source, data):
        if len(chunk) > MAX_REQUEST_BYTES:
            raise too_large(source, len(chunk), MAX_REQUEST_BYTES, line=first_line, doc=index)
        for value in load_documents(chunk, source, index, first_line):
            if value is not None:
                yield index, first_line, value
            index += 1


def split_yaml(source: str, data: bytes) -> Iterator[tuple[int, bytes]]:
    """apimachinery ``YAMLReader``: documents separated by ``---`` lines.

    Yields each non-blank chunk with its 1-based first line.
    """
    start, lines = 1, []
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        if line.startswith(b"---"):
            rest = line[3:].strip()
            if rest and not rest.startswith(b"#"):
                text = rest.decode("utf-8", "replace")
                raise parse_error(source, f"invalid Yaml document separator: {text}",
                                  line=number)
            if _has_content(lines):
                yield start, b"".join(lines)
            start, lines = number + 1, []
            continue
        lines.append(line)
    if _has_content(lines):
        yield start, b"".join(lines)


def _has_content(lines: list[bytes]) -> bool:
    return any(line.strip() and not line.lstrip().startswith(b"#") for line in lines)


def _json_documents(source: str, data: bytes) -> Iterator[tuple[int, int, Any]]:
    """A stream of JSON values (apimachinery ``YAMLOrJSONDecoder`` on JSON input)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise parse_error(source, f"json: invalid UTF-8 at offset {err.start}") from None
    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates)
    pos, index = 0, 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        line = text.count("\n", 0, pos) + 1
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise _json_error(source, text, err, index) from None
        except RecursionError:
            raise parse_error(source, "json: exceeded max depth", line=line, doc=index) from None
        except _DuplicateKey as dup:
            raise parse_error(source, f'json: duplicate field "{dup.key}"', line=line,
                              doc=index) from None
        if end - pos > MAX_REQUEST_BYTES:
            raise too_large(source, end - pos, MAX_REQUEST_BYTES, line=line, doc=index)
        yield index, line, value
        pos, index = end, index + 1


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


_JSON_WORDS = {
    "Expecting property name enclosed in double quotes": "looking for beginning of object key "
                                                         "string",
    "Expecting value": "looking for beginning of value",
    "Expecting ',' delimiter": "after object key:value pair",
    "Expecting ':' delimiter": "after object key",
}


def _json_error(source: str, text: str, err: json.JSONDecodeError, index: int) -> ManifestError:
    """Go's ``encoding/json`` syntax error, as kubectl prints it (``json: offset N: ...``)."""
    if err.pos >= len(text) or err.msg.startswith("Unterminated"):
        detail = "unexpected EOF"
    else:
        words = _JSON_WORDS.get(err.msg, "looking for beginning of value")
        char = text[err.pos]
        detail = f"invalid character {_go_char(char)} {words}"
    offset = len(text[: err.pos + 1].encode("utf-8"))
    return parse_error(source, f"json: offset {offset}: {detail}", line=err.lineno,
                       column=err.colno, doc=index)


def _go_char(char: str) -> str:
    """Go's ``quoteChar``."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    return "'" + json.dumps(char)[1:-1] + "'"


# -- objects ------------------------------------------------------------------------
def _objects(source: str, index: int, line: int, value: Any) -> list[Document]:
    """The objects of one document: itself, or the items of a List.

    Values an alias shares are copied apart here, so changing one place of an
    object never changes another.
    """
    _check_object(source, index, line, value)
    value = orjson.loads(orjson.dumps(value))
    items = value.get("items")
    if isinstance(items, list) and str(value.get("kind", "")).endswith("List"):
        out = []
        for number, item in enumerate(items):
            _check_object(source, index, line, item)
            out.append(Document(source, index, line, item, number))
        return out
    return [Document(source, index, line, value)]


def _check_object(source: str, index: int, line: int, value: Any) -> None:
    """kubectl's checks before any request: a map with apiVersion and kind
    (k8s.io/kubectl ``pkg/validation``; ``schema.go`` ``ValidateBytes``)."""
    if not isinstance(value, dict):
        raise validation_error(source, "invalid object to validate", line=line, doc=index)
    missing = [f"{key} not set" for key in ("apiVersion", "kind") if not value.get(key)]
    if len(missing) == 1:
        raise validation_error(source, missing[0], line=line, doc=index)
    if missing:
        raise validation_error(source, "[" + ", ".join(missing) + "]", line=line, doc=index)
    try:
        size = len(canonical_json(value))
    except (TypeError, orjson.JSONEncodeError):  # orjson stops at 255 levels of nesting
        raise parse_error(source, "error converting YAML to JSON: json: exceeded max depth",
                          line=line, doc=index) from None
    if size > MAX_REQUEST_BYTES:
        raise too_large(source, size, MAX_REQUEST_BYTES, line=line, doc=index)
