"""``metadata.managedFields``: who set which field, recorded on every write.

Follows k8s.io/apimachinery/pkg/util/managedfields/internal: entries decode into
sets keyed by a manager identifier (managedfields.go ``BuildManagerIdentifier``),
an update gives its manager the fields it added or changed and takes those from
everyone else (structured-merge-diff merge/update.go ``Updater.Update``), the
object's own bookkeeping fields are never owned (stripmeta.go), at most ten
``Update`` managers are kept (capmanagers.go), and objects that have never had
managedFields do not start tracking on update (skipnonapplied.go).
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from engine.api.memo import LRU
from engine.api.patch._json import go_escape
from engine.api.patch.fieldpath import (
    FieldsError,
    FieldSet,
    Path,
    from_fields_v1,
    known_fields_v1,
    parse_path,
    recursive_difference,
    to_fields_v1,
    written_as,
)
from engine.api.patch.schema_walk import TypeNode, root_node
from engine.api.patch.typed import compare, with_zero_structs

APPLY, UPDATE = "Apply", "Update"
MAX_UPDATE_MANAGERS = 10
ANCIENT_CHANGES = "ancient-changes"

# stripmeta.go: fields every object has and nobody owns.
STRIPPED: FieldSet = frozenset(parse_path(p) for p in (
    "apiVersion", "kind", "metadata", "metadata.name", "metadata.namespace",
    "metadata.creationTimestamp", "metadata.selfLink", "metadata.uid", "metadata.clusterName",
    "metadata.generation", "metadata.managedFields", "metadata.resourceVersion"))

# Reset fields (the strategies' GetResetFields): a write never owns what the
# strategy resets. The main resource resets status; /status resets spec.
DEFAULT_RESET_FIELDS: dict[str, tuple[str, ...]] = {
    "": ("status",), "scale": ("status",), "status": ("spec",),
}


class Entry(NamedTuple):
    """One manager's ``VersionedSet`` plus its timestamp (a named tuple: a write
    builds several, and a frozen dataclass costs four times as much to make)."""

    fields: FieldSet
    api_version: str
    applied: bool
    time: str | None = None


Managed = dict[str, Entry]

# id(set) -> (the set, the fieldsV1 dict of the written object it was read from).
Kept = dict[int, tuple[FieldSet, dict[str, Any]]]


def manager_id(manager: str, operation: str, api_version: str, subresource: str = "") -> str:
    """``BuildManagerIdentifier``: the entry minus fields and time, as JSON (Apply
    entries also drop the apiVersion, so one applier owns across versions)."""
    if (type(manager) is str and type(operation) is str and type(api_version) is str
            and type(subresource) is str):
        return _manager_id(manager, operation, api_version, subresource)
    return _build_manager_id(manager, operation, api_version, subresource)


@functools.lru_cache(maxsize=1024)
def _manager_id(manager: str, operation: str, api_version: str, subresource: str) -> str:
    return _build_manager_id(manager, operation, api_version, subresource)


def _build_manager_id(manager: str, operation: str, api_version: str, subresource: str) -> str:
    ident: dict[str, str] = {}
    if manager:
        ident["manager"] = manager
    ident["operation"] = operation
    if operation != APPLY and api_version:
        ident["apiVersion"] = api_version
    if subresource:
        ident["subresource"] = subresource
    return go_escape(json.dumps(ident, separators=(",", ":"), ensure_ascii=False))


def decode(entries: Any) -> Managed:
    """``DecodeManagedFields``; raises FieldsError with upstream's reasons.

    Memoised by the entries' JSON bytes (every write of an object re-reads the
    same entries); the result is a fresh dict of immutable :class:`Entry` s."""
    return decode_keeping(entries)[0]


def decode_keeping(entries: Any) -> tuple[Managed, Kept | None]:
    """:func:`decode`, plus the ``fieldsV1`` dicts of ``entries`` a write may
    keep (see :func:`kept_fields`) when they were read by their bytes: an
    entry whose bytes were seen before as exactly what :func:`to_fields_v1`
    writes for its set is that set's encoding, whichever copy holds it. None
    when the entries were not read by their bytes (:func:`kept_fields` tells
    which of them are known by identity)."""
    if type(entries) is not list or not entries:
        return _decode(entries), None
    for e in entries:
        if type(e) is dict and known_fields_v1(e.get("fieldsV1")):
            # Entries this module wrote (the object an in-process write stored
            # last): sets known by identity are not read again, and the others
            # are read on their own (and known by identity from then on).
            return _decode(entries), None
    try:
        raw = orjson.dumps(entries)
    except (TypeError, orjson.JSONEncodeError):
        return _decode(entries), None
    held = _DECODED.get(raw)
    if held is None:
        managed = _decode(entries)  # raises for bad entries, which are not cached
        # (Each entry was just read by its bytes, so written_as knows it.)
        held = (managed, tuple(_written_set(e) for e in entries))
        _DECODED.put(raw, held)
    managed, sets = held
    kept: Kept = {}
    for entry, fields in zip(entries, sets, strict=True):
        # (The same bytes may come from a dict subclass: only plain dicts are kept.)
        if fields is not None and type(entry) is dict:
            held_fields = entry["fieldsV1"]
            if type(held_fields) is dict:
                kept[id(fields)] = (fields, held_fields)
    return dict(managed), kept


def _written_set(entry: Any) -> FieldSet | None:
    """The set a just-decoded entry's plain ``fieldsV1`` dict is the exact
    encoding of, else None."""
    if type(entry) is not dict:
        return None
    fields = entry.get("fieldsV1")
    return written_as(fields) if type(fields) is dict else None


# The entries' JSON bytes -> (their decoding, per entry the set its fieldsV1
# is exactly the encoding of, or None).
_DECODED = LRU(2048)


def _decode(entries: Any) -> Managed:
    managed: Managed = {}
    for i, entry in enumerate(entries or ()):
        if not isinstance(entry, dict):
            raise FieldsError(f"managed fields entry {i} is not an object")
        operation = entry.get("operation")
        if operation not in (APPLY, UPDATE):
            raise FieldsError("operation must be `Apply` or `Update`")
        if not entry.get("apiVersion"):
            raise FieldsError("apiVersion must not be empty")
        fields_type = entry.get("fieldsType", "")
        if fields_type != "FieldsV1":
            raise FieldsError(f"missing fieldsType in managed fields entry {i}" if not fields_type
                              else f'invalid fieldsType "{fields_type}" in managed fields '
                                   f"entry {i}")
        ident = manager_id(entry.get("manager", ""), operation, entry["apiVersion"],
                           entry.get("subresource", ""))
        managed[ident] = Entry(from_fields_v1(entry.get("fieldsV1")), entry["apiVersion"],
                               operation == APPLY, entry.get("time"))
    return managed


def encode(managed: Managed, kept: Kept | None = None) -> list[dict[str, Any]] | None:
    """``encodeManagedFields``: entries sorted by operation, time, manager, version.

    ``kept`` (see :func:`kept_fields`): an entry whose set is one read from a
    ``fieldsV1`` of the object being written gets that very dict (read only),
    which is what writing the set again would give."""
    rows = []
    for ident, entry in managed.items():
        time, version = entry.time, entry.api_version
        if type(version) is not str or not (time is None or type(time) is str):
            return _encode_entries(managed, kept)  # (values no decoding gives)
        head, subresource, order = _entry_parts(ident, entry.applied, version, time)
        out = dict(head)
        held = kept.get(id(entry.fields)) if kept else None
        out["fieldsV1"] = held[1] if held is not None and held[0] is entry.fields else \
            to_fields_v1(entry.fields)
        if subresource:
            out["subresource"] = subresource
        rows.append((order, out))
    rows.sort(key=_first)
    return [out for _, out in rows] or None


def _first(row: tuple[Any, Any]) -> Any:
    return row[0]


@functools.lru_cache(maxsize=1024)
def _entry_parts(ident: str, applied: bool, version: str,
                 time: str | None) -> tuple[dict[str, Any], str, tuple[Any, ...]]:
    """What an encoded entry holds before its ``fieldsV1`` (shared: copied before
    use), its subresource, and its place in the order (as :func:`_encode_entries`)."""
    info = _ident_info(ident)
    head: dict[str, Any] = {}
    if info.get("manager"):
        head["manager"] = info["manager"]
    head["operation"] = APPLY if applied else info.get("operation", UPDATE)
    head["apiVersion"] = version
    if time:
        head["time"] = time
    head["fieldsType"] = "FieldsV1"
    subresource = info.get("subresource") or ""
    order = (head["operation"], seconds(head.get("time")), head.get("manager", ""), version,
             subresource)
    return head, subresource, order


def _encode_entries(managed: Managed, kept: Kept | None = None) -> list[dict[str, Any]] | None:
    """:func:`encode` written out entry by entry (what the remembered parts are)."""
    entries = []
    for ident, entry in managed.items():
        info = _ident_info(ident)
        out: dict[str, Any] = {}
        if info.get("manager"):
            out["manager"] = info["manager"]
        out["operation"] = APPLY if entry.applied else info.get("operation", UPDATE)
        out["apiVersion"] = entry.api_version
        if entry.time:
            out["time"] = entry.time
        out["fieldsType"] = "FieldsV1"
        held = kept.get(id(entry.fields)) if kept else None
        out["fieldsV1"] = held[1] if held is not None and held[0] is entry.fields else \
            to_fields_v1(entry.fields)
        if info.get("subresource"):
            out["subresource"] = info["subresource"]
        entries.append(out)
    entries.sort(key=lambda e: (e["operation"], seconds(e.get("time")), e.get("manager", ""),
                                e["apiVersion"], e.get("subresource", "")))
    return entries or None


@functools.lru_cache(maxsize=1024)
def _ident_info(ident: str) -> dict[str, str]:
    """A manager identifier read back (shared: read only)."""
    return json.loads(ident)


def seconds(timestamp: str | None) -> int:
    """Unix seconds of an RFC 3339 time; 0 when absent or unreadable."""
    if type(timestamp) is str:
        return _seconds(timestamp)
    return _parse_seconds(timestamp)


@functools.lru_cache(maxsize=4096)
def _seconds(timestamp: str) -> int:
    return _parse_seconds(timestamp)


def _parse_seconds(timestamp: str | None) -> int:
    if not timestamp:
        return 0
    try:
        return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return 0


def reset_paths(subresource: str, reset_fields: tuple[str, ...] | None) -> tuple[Path, ...]:
    """The paths a write never owns (parsed once per subresource and override)."""
    if reset_fields is not None and type(reset_fields) is not tuple:
        reset_fields = tuple(reset_fields)
    return _reset_paths(subresource, reset_fields)


@functools.lru_cache(maxsize=256)
def _reset_paths(subresource: str, reset_fields: tuple[str, ...] | None) -> tuple[Path, ...]:
    names = DEFAULT_RESET_FIELDS.get(subresource, ()) if reset_fields is None else reset_fields
    return tuple(parse_path(n) for n in names)


def without_managed_fields(obj: dict[str, Any] | None) -> dict[str, Any]:
    """A shallow copy of ``obj`` (and its metadata) without ``managedFields``."""
    if not obj:
        return {}
    out = dict(obj)
    if isinstance(out.get("metadata"), dict) and "managedFields" in out["metadata"]:
        out["metadata"] = {k: v for k, v in out["metadata"].items() if k != "managedFields"}
    return out


def with_managed_fields(obj: dict[str, Any], managed: Managed,
                        kept: Kept | None = None) -> dict[str, Any]:
    """``EncodeObjectManagedFields`` onto a shallow copy of ``obj``."""
    return _with_encoded(obj, encode(managed, kept))


def _with_encoded(obj: dict[str, Any], encoded: list[Any] | None) -> dict[str, Any]:
    """A shallow copy of ``obj`` whose ``metadata.managedFields`` is ``encoded``
    (none when None)."""
    out = dict(obj)
    meta = dict(out.get("metadata") or {})
    if encoded is None:
        meta.pop("managedFields", None)
    else:
        meta["managedFields"] = encoded
    out["metadata"] = meta
    return out


def _with_encoded_last(obj: dict[str, Any], encoded: list[Any] | None) -> dict[str, Any]:
    """``_with_encoded(without_managed_fields(obj), encoded)`` in one copy: the
    entries go last, as on an object that had none."""
    out = dict(obj)
    meta = dict(out.get("metadata") or {})
    meta.pop("managedFields", None)
    if encoded is not None:
        meta["managedFields"] = encoded
    out["metadata"] = meta
    return out


def update_managed_fields(old: dict[str, Any] | None, new: dict[str, Any], manager: str,
                          operation: str, *, definition: str | None, now: str,
                          subresource: str = "",
                          reset_fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Record an ordinary write (create, update, patch) by ``manager``.

    Returns ``new`` with ``metadata.managedFields`` set; ``new`` is not mutated and
    shares unchanged subtrees with the result. Call it after defaulting and the
    strategy's PrepareForCreate/Update, as upstream does, so defaults are owned
    by the writer. ``old`` is None for a create. ``reset_fields`` (dotted paths)
    overrides the per-subresource default of what the write may never own.
    """
    managed, kept = _managed_for_update(old, new, subresource)
    if not managed and old is not None and (old.get("metadata") or {}).get("uid"):
        # skipNonApplied: an untracked object stays untracked
        return without_managed_fields(new)
    version = new.get("apiVersion") or (old or {}).get("apiVersion", "")
    ident = manager_id(manager or "unknown", operation or UPDATE, version, subresource)
    root = root_node(definition)
    reset = reset_paths(subresource, reset_fields)
    if old is None and not managed:
        result = without_managed_fields(new)
        created = _created_fields(result, root, reset)
        if created is not None:
            entries = {ident: Entry(created, version, False, now)} if created else {}
            return with_managed_fields(result, entries)
    # What record_update compares, each side copied once: without
    # managedFields, and without the top-level reset fields it would drop.
    names = _top_level_names(reset)
    managed = _record(_compared(old, names), _compared(new, names), managed, ident, version,
                      root, reset, names, now, True)
    if not kept and old is not None:  # (a create's sets are mostly its own)
        return _with_remembered_encoding(new, managed)
    return _with_encoded_last(new, encode(managed, kept))


def _compared(obj: dict[str, Any] | None, names: frozenset[str] | None) -> dict[str, Any]:
    """``_without_keys(without_managed_fields(obj), names)`` (names None: none),
    in one copy."""
    if not obj:
        return {}
    out = dict(obj)
    for name in names or ():
        out.pop(name, None)  # (the others keep their order)
    meta = out.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        meta = out["metadata"] = dict(meta)
        del meta["managedFields"]
    return out


# The entries of an update whose old object has no entry known by identity (a
# copy from storage: the API server's writes that are not in-process) by what
# they encode: (manager id, set, apiVersion, applied, time) per entry -> the
# JSON of ``encode``'s list. The sets are the decoded entries' (the same
# objects from write to write), so a kubelet's status write that leaves every
# set as it was and lands in the same second as the one before is one lookup
# and one ``orjson.loads`` instead of building every ``fieldsV1`` again.
_ENCODINGS = LRU(1024)


def _with_remembered_encoding(obj: dict[str, Any], managed: Managed) -> dict[str, Any]:
    """``with_managed_fields(without_managed_fields(obj), managed)``, its
    encoding remembered."""
    key = tuple((ident, e.fields, e.api_version, e.applied, e.time)
                for ident, e in managed.items())
    raw = _ENCODINGS.get(key)
    if raw is None:
        encoded = encode(managed)
        _ENCODINGS.put(key, orjson.dumps(encoded))
    else:
        encoded = orjson.loads(raw)
    return _with_encoded_last(obj, encoded)


# A create by a manager with no managed fields sent gains every field of the
# object (record_update against nothing). Which fields those are depends on the
# object's shape alone - its keys, which values are non-empty objects, which are
# null - and on the schema and reset fields, as long as no list is involved (an
# associative list's items are named by their values). So the set is remembered
# by shape: every Event a component records has one of a handful of shapes.
_CREATED: LRU = LRU(1024)
# Kinds whose creates met a list (pods, deployments): not worth a shape walk.
_LISTY: set[TypeNode] = set()


def _created_fields(obj: dict[str, Any], root: TypeNode,
                    reset: tuple[Path, ...]) -> FieldSet | None:
    """The fields a create of ``obj`` gains (remembered by shape); None when a
    list makes them depend on values, for the caller to work out."""
    if root in _LISTY:
        return None
    shape = _shape(obj)
    if shape is None:
        _LISTY.add(root)
        return None
    key = (root, reset, shape)
    fields = _CREATED.get(key)
    if fields is None:
        managed = record_update({}, obj, {}, "", "", root, reset, "")
        fields = managed[""].fields if managed else frozenset()
        _CREATED.put(key, fields)
    return fields


_NULL, _SCALAR = 0, 1


def _shape(value: Any) -> Any:
    """What the fields a value sets depend on: a dict's keys with their values'
    shapes, null apart from other scalars; None when a list appears anywhere."""
    if type(value) is dict:
        out = []
        for key, child in value.items():
            if type(child) is dict:
                sub = _shape(child) if child else ()
                if sub is None:
                    return None
                out.append((key, sub))
            elif child is None:
                out.append((key, _NULL))
            elif isinstance(child, list | dict):
                return None  # a list (or a dict subclass): values matter
            else:
                out.append((key, _SCALAR))
        return tuple(out)
    return None


def kept_fields(*objs: dict[str, Any] | None) -> Kept:
    """The ``fieldsV1`` dicts of ``objs``' entries known to be exactly the encoding
    of the set they were read as, by that set. The result of a write may share
    them with its old object: the API server's objects are read only once
    written, and an entry a write leaves alone is the bulk of a pod's
    (the ReplicaSet controller's, through every kubelet status write)."""
    kept: Kept = {}
    for obj in objs:
        entries = ((obj or {}).get("metadata") or {}).get("managedFields")
        if type(entries) is not list:
            continue
        for entry in entries:
            fields = entry.get("fieldsV1") if type(entry) is dict else None
            if fields is not None:
                found = written_as(fields)
                if found is not None:
                    kept[id(found)] = (found, fields)
    return kept


def _managed_for_update(old: dict[str, Any] | None, new: dict[str, Any],
                        subresource: str) -> tuple[Managed, Kept]:
    """``decodeLiveOrNew``: the request's managedFields win unless unreadable or empty;
    ``[]`` (or one empty entry) resets them; subresources always keep the live ones.
    Also the ``fieldsV1`` dicts of old (and, but for a subresource, new) a
    write may keep (:func:`kept_fields`, and those :func:`decode_keeping` finds)."""
    live = ((old or {}).get("metadata") or {}).get("managedFields")
    if subresource:
        try:
            managed, kept = decode_keeping(live)
        except FieldsError:
            return {}, kept_fields(old)
        # (Entries read by their bytes are not known by identity: kept_fields
        # would find none of them, or, having just been read, the same.)
        return managed, kept_fields(old) if kept is None else kept
    sent = (new.get("metadata") or {}).get("managedFields")
    if sent is not None and (sent == [] or sent == [{}]):
        return {}, kept_fields(old, new)
    try:
        managed, found = decode_keeping(sent)
    except FieldsError:
        managed, found = {}, None
    if not managed:
        try:
            managed, found = decode_keeping(live)
        except FieldsError:
            managed, found = {}, None
    kept = kept_fields(old, new)
    if found:
        kept.update(found)
    return managed, kept


def record_update(old: dict[str, Any], new: dict[str, Any], managed: Managed, ident: str,
                  version: str, root: TypeNode, reset: tuple[Path, ...], now: str, *,
                  go_zero: bool = True) -> Managed:
    """``Updater.Update`` wrapped as the field manager wraps it: the writer gains what
    it added or changed (minus stripped and reset fields) at time ``now``; every
    other manager loses those fields and the ones removed. ``go_zero`` compares
    against ``old`` as a Go object would hold it (see ``with_zero_structs``)."""
    names = _top_level_names(reset)
    if names:
        # Reset fields are top-level fields here (spec, status): neither side's
        # is looked at, which is what dropping their changes afterwards gives.
        old, new = _without_keys(old, names), _without_keys(new, names)
    return _record(old, new, managed, ident, version, root, reset, names, now, go_zero)


def _record(old: dict[str, Any], new: dict[str, Any], managed: Managed, ident: str,
            version: str, root: TypeNode, reset: tuple[Path, ...],
            names: frozenset[str] | None, now: str, go_zero: bool) -> Managed:
    """:func:`record_update` of sides without the top-level reset fields ``names``."""
    if go_zero:
        old = with_zero_structs(old, new, root)
    diff = compare(old, new, root)
    if not names:
        diff = diff.without(reset)
    changed = frozenset(diff.modified | diff.added)
    dropped = changed | diff.removed
    # (Nothing under a top-level reset field was compared: nothing to take out.)
    gained = (changed if names else recursive_difference(changed, reset)) - STRIPPED
    out = drop_fields(managed, dropped, keep=ident)
    mine = out.get(ident)
    if mine is not None and not mine.fields.isdisjoint(dropped):
        fields = mine.fields
        lost = fields & dropped
        if not (lost <= gained and len(lost) < len(fields)):
            # (Else it gains back all it loses, and keeps its place: what it
            # had (the same object) plus what it gains.)
            fields = fields - dropped
            if fields:
                out[ident] = mine = Entry(fields, mine.api_version, mine.applied, mine.time)
            else:
                del out[ident]
                mine = None
    if gained:
        if mine is None:
            fields = gained
        elif gained <= mine.fields:
            fields = mine.fields  # the same set, kept as the same object
        else:
            fields = gained | mine.fields
        out[ident] = Entry(fields, version, False, now)
    return cap_update_managers(out)


@functools.lru_cache(maxsize=64)
def _top_level_names(reset: tuple[Path, ...]) -> frozenset[str] | None:
    """The field names of ``reset`` when every path is one top-level field, else None."""
    if not reset or any(len(p) != 1 or not p[0].startswith("f:") for p in reset):
        return None
    return frozenset(p[0][2:] for p in reset)


def _without_keys(obj: Any, names: frozenset[str]) -> Any:
    """``obj`` without its top-level ``names`` (as is when it has none of them)."""
    if type(obj) is not dict or names.isdisjoint(obj):
        return obj
    return {k: v for k, v in obj.items() if k not in names}


def drop_fields(managed: Managed, fields: FieldSet, *, keep: str = "") -> Managed:
    """Every manager but ``keep`` loses ``fields``; managers left with nothing go.
    Entries that lose nothing are kept as they are (the same objects)."""
    out: Managed = {}
    for ident, entry in managed.items():
        if ident != keep and fields and not entry.fields.isdisjoint(fields):
            entry = Entry(entry.fields - fields, entry.api_version, entry.applied, entry.time)
        if entry.fields:
            out[ident] = entry
    return out


def cap_update_managers(managed: Managed) -> Managed:
    """``capUpdateManagers``: fold the oldest Update managers into ``ancient-changes``."""
    updaters = [m for m, e in managed.items() if not e.applied]
    if len(updaters) <= MAX_UPDATE_MANAGERS:
        return managed
    out = dict(managed)
    updaters.sort(key=lambda m: (seconds(out[m].time), m))
    first: dict[str, str] = {}
    length = len(updaters)
    for ident in updaters:
        if length <= MAX_UPDATE_MANAGERS:
            break
        entry = out[ident]
        bucket = manager_id(ANCIENT_CHANGES, UPDATE, entry.api_version)
        if entry.api_version not in first:
            first[entry.api_version] = ident
            continue
        if bucket not in out:
            out[bucket] = out.pop(first[entry.api_version])
        out[bucket] = Entry(entry.fields | out[bucket].fields, entry.api_version, entry.applied,
                            entry.time)
        out.pop(ident, None)
        length -= 1
    return out
