"""ObjectMeta, labels, annotations and label selectors.

Upstream: k8s.io/apimachinery/pkg/api/validation/objectmeta.go (``ValidateObjectMeta``,
``ValidateObjectMetaUpdate``, ``ValidateAnnotations``, ``ValidateOwnerReferences``,
``ValidateFinalizers``) and k8s.io/apimachinery/pkg/apis/meta/v1/validation
(``ValidateLabels``, ``ValidateLabelSelector``, ``ValidateManagedFields``).
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.memo import LRU
from engine.api.validation import names
from engine.api.validation.common import (
    FIELD_IMMUTABLE_ERROR_MSG,
    IS_NEGATIVE_ERROR_MSG,
    Errs,
    GoValue,
    as_list,
    as_map,
    as_str,
    child,
    dicts,
    go_quote,
    go_string_slice,
    index,
    is_int,
    semantic_equal,
    strings,
)

TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10)  # 256 kB

FINALIZER_ORPHAN_DEPENDENTS = "orphan"
FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion"

# Kinds that may not own anything (upstream ``BannedOwners``).
_BANNED_OWNERS = {("", "v1", "Event")}


def validate_label_name(name: str, path: str) -> Errs:
    """Upstream ``ValidateLabelName``."""
    return [errors.invalid(path, name, msg) for msg in names.is_qualified_name(name)]


# Annotation maps found clean, by their items: annotation checks cost a
# size sum and a lowered key each, and every write of an object sends the same
# map. Errors are never remembered, so they always carry the caller's path.
_CLEAN_ANNOTATIONS = LRU(1024)
# The label keys and values ``names`` has accepted (its memo of clean strings):
# a label whose key and value are in them has nothing to report.
_VALID_LABEL_KEYS: set[str] = names.is_qualified_name.valid  # type: ignore[attr-defined]
_VALID_LABEL_VALUES: set[str] = names._is_valid_label_value.valid  # type: ignore[attr-defined]


def _memo_clean_map(table: LRU, check: Any, value: Any, path: str) -> Errs:
    """``check(value, path)``, skipped for a map whose items passed before.

    Items are compared with ``==``, which takes ``1`` for ``True``; the check
    looks only at keys and string values, so such maps pass or fail alike."""
    if not isinstance(value, dict) or not value:
        return check(value, path)
    try:
        key = tuple(value.items())
        if table.get(key) is not None:
            return []
    except TypeError:  # an unhashable value
        return check(value, path)
    errs = check(value, path)
    if not errs:
        table.put(key, True)
    return errs


def validate_labels(labels: Any, path: str) -> Errs:
    """Upstream ``ValidateLabels``: qualified-name keys, label values.

    Each item's findings depend on it alone; a key or value the name checks
    accepted before is not checked again (a label that changes value, as an
    update's, costs one check of the new value)."""
    errs: Errs = []
    if not isinstance(labels, dict):
        return errs
    keys, values = _VALID_LABEL_KEYS, _VALID_LABEL_VALUES
    for k, v in labels.items():
        if k not in keys:
            errs.extend(validate_label_name(k, path))
        if isinstance(v, str) and v not in values:
            msgs = names.is_valid_label_value(v)
            if msgs:
                errs.extend(errors.invalid(path, v, msg) for msg in msgs)
    return errs


def _validate_labels(labels: Any, path: str) -> Errs:
    """:func:`validate_labels` without its membership tests (the plain code)."""
    errs: Errs = []
    if not isinstance(labels, dict):
        return errs
    for k, v in labels.items():
        errs.extend(validate_label_name(k, path))
        if isinstance(v, str):
            errs.extend(errors.invalid(path, v, msg) for msg in names.is_valid_label_value(v))
    return errs


def annotations_size(annotations: dict[str, Any]) -> int:
    total = 0
    for k, v in annotations.items():
        total += len(k.encode()) + len(as_str(v).encode())
    return total


def validate_annotations(annotations: Any, path: str) -> Errs:
    """Upstream ``ValidateAnnotations``: keys are qualified names (any case), 256 KiB total."""
    return _memo_clean_map(_CLEAN_ANNOTATIONS, _validate_annotations, annotations, path)


def _validate_annotations(annotations: Any, path: str) -> Errs:
    errs: Errs = []
    if not isinstance(annotations, dict):
        return errs
    for k in annotations:
        errs.extend(errors.invalid(path, k, msg) for msg in names.is_qualified_name(k.lower()))
    if annotations_size(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT_B:
        errs.append(errors.too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT_B))
    return errs


def _go_owner_reference(ref: dict[str, Any]) -> str:
    controller = ref.get("controller")
    block = ref.get("blockOwnerDeletion")
    return ("v1.OwnerReference{APIVersion:" + go_quote(as_str(ref.get("apiVersion")))
            + ", Kind:" + go_quote(as_str(ref.get("kind")))
            + ", Name:" + go_quote(as_str(ref.get("name")))
            + ", UID:" + go_quote(as_str(ref.get("uid")))
            + ", Controller:" + ("(*bool)(nil)" if controller is None else "(*bool)(0x1)")
            + ", BlockOwnerDeletion:" + ("(*bool)(nil)" if block is None else "(*bool)(0x1)")
            + "}")


def validate_owner_reference(ref: dict[str, Any], path: str) -> Errs:
    """Upstream ``validateOwnerReference``."""
    errs: Errs = []
    api_version = as_str(ref.get("apiVersion"))
    kind = as_str(ref.get("kind"))
    group, _, version = api_version.rpartition("/")
    if not version:
        errs.append(errors.invalid(child(path, "apiVersion"), api_version,
                                   "version must not be empty"))
    if not kind:
        errs.append(errors.invalid(child(path, "kind"), kind, "must not be empty"))
    if not as_str(ref.get("name")):
        errs.append(errors.invalid(child(path, "name"), as_str(ref.get("name")),
                                   "must not be empty"))
    if not as_str(ref.get("uid")):
        errs.append(errors.invalid(child(path, "uid"), as_str(ref.get("uid")),
                                   "must not be empty"))
    if (group, version, kind) in _BANNED_OWNERS:
        gvk = f"{group}/{version}, Kind={kind}"
        errs.append(errors.invalid(path, GoValue(_go_owner_reference(ref)),
                                   f"{gvk} is disallowed from being an owner"))
    return errs


def validate_owner_references(refs: Any, path: str) -> Errs:
    """Upstream ``ValidateOwnerReferences``: at most one controller.

    Every write of an owned object (a pod's status, twice per pod) sends its
    references again: plain ones are accepted without building paths."""
    if type(refs) is list and _plain_owner_references(refs):
        return []
    return _validate_owner_references(refs, path)


def _plain_owner_references(refs: list[Any]) -> bool:
    """Whether :func:`_validate_owner_references` finds nothing wrong with ``refs``."""
    controllers = 0
    for ref in refs:
        if type(ref) is not dict:
            return False
        api_version, kind, name, uid = (ref.get("apiVersion"), ref.get("kind"), ref.get("name"),
                                        ref.get("uid"))
        if not (isinstance(api_version, str) and isinstance(kind, str) and kind
                and isinstance(name, str) and name and isinstance(uid, str) and uid):
            return False
        group, _, version = api_version.rpartition("/")
        if not version or (group, version, kind) in _BANNED_OWNERS:
            return False
        controllers += ref.get("controller") is True
    return controllers <= 1


def _validate_owner_references(refs: Any, path: str) -> Errs:
    """:func:`validate_owner_references` by its checks (the plain code)."""
    errs: Errs = []
    first_controller = ""
    for _, ref in dicts(refs):
        errs.extend(validate_owner_reference(ref, path))
        if ref.get("controller") is True:
            current = f"{as_str(ref.get('kind'))}/{as_str(ref.get('name'))}"
            if first_controller:
                value = GoValue("[]v1.OwnerReference{" + ", ".join(
                    _go_owner_reference(r) for _, r in dicts(refs)) + "}")
                errs.append(errors.invalid(
                    path, value,
                    'Only one reference can have Controller set to true. Found "true" in '
                    f"references for {first_controller} and {current}"))
            else:
                first_controller = current
    return errs


def validate_finalizer_name(name: str, path: str) -> Errs:
    """Upstream ``ValidateFinalizerName`` (apimachinery): a qualified name."""
    return [errors.invalid(path, name, msg) for msg in names.is_qualified_name(name)]


def validate_finalizers(finalizers: Any, path: str) -> Errs:
    """Upstream ``ValidateFinalizers``."""
    errs: Errs = []
    values = strings(finalizers)
    for name in values:
        errs.extend(validate_finalizer_name(name, path))
    if FINALIZER_ORPHAN_DEPENDENTS in values and FINALIZER_DELETE_DEPENDENTS in values:
        errs.append(errors.invalid(
            path, go_string_slice(values),
            f"finalizer {FINALIZER_ORPHAN_DEPENDENTS} and {FINALIZER_DELETE_DEPENDENTS} "
            "cannot be both set"))
    return errs


def validate_managed_fields(fields: Any, path: str) -> Errs:
    """Upstream ``ValidateManagedFields``."""
    if type(fields) is list and all(map(_valid_managed_entry, fields)):
        return []  # every write sends them: no paths built when all is well
    errs: Errs = []
    for i, entry in dicts(fields):
        p = index(path, i)
        op = as_str(entry.get("operation"))
        if op not in ("Apply", "Update"):
            errs.append(errors.invalid(child(p, "operation"), op, "must be `Apply` or `Update`"))
        fields_type = as_str(entry.get("fieldsType"))
        if fields_type != "FieldsV1":
            errs.append(errors.invalid(child(p, "fieldsType"), fields_type, "must be `FieldsV1`"))
        sub = as_str(entry.get("subresource"))
        if len(sub) > 256:
            errs.append(errors.too_long(child(p, "subresource"), 256))
    return errs


def _valid_managed_entry(entry: Any) -> bool:
    """Whether :func:`validate_managed_fields` finds nothing wrong with ``entry``."""
    return (type(entry) is dict and entry.get("operation") in ("Apply", "Update")
            and entry.get("fieldsType") == "FieldsV1"
            and len(as_str(entry.get("subresource"))) <= 256)


def validate_object_meta(meta: Any, requires_namespace: bool, name_fn: names.NameFunc,
                         path: str = "metadata") -> Errs:
    """Upstream ``ValidateObjectMeta`` (``ValidateObjectMetaAccessor``)."""
    m = as_map(meta)
    errs: Errs = []
    object_meta_fields(m, requires_namespace, name_fn, path, errs)
    _collections(m, path, errs)
    return errs


def object_meta_fields(m: dict[str, Any], requires_namespace: bool, name_fn: names.NameFunc,
                       path: str, errs: Errs) -> None:
    """:func:`validate_object_meta` but for the collections (:func:`collection_errors`)."""
    generate_name = as_str(m.get("generateName"))
    if generate_name:
        errs.extend(errors.invalid(child(path, "generateName"), generate_name, msg)
                    for msg in name_fn(generate_name, True))
    name = as_str(m.get("name"))
    if not name:
        errs.append(errors.required(child(path, "name"), "name or generateName is required"))
    else:
        msgs = name_fn(name, False)
        if msgs:
            errs.extend(errors.invalid(child(path, "name"), name, msg) for msg in msgs)
    namespace = as_str(m.get("namespace"))
    if requires_namespace:
        if not namespace:
            errs.append(errors.required(child(path, "namespace"), ""))
        else:
            msgs = names.validate_namespace_name(namespace, False)
            if msgs:
                errs.extend(errors.invalid(child(path, "namespace"), namespace, msg)
                            for msg in msgs)
    elif namespace:
        errs.append(errors.forbidden(child(path, "namespace"), "not allowed on this type"))
    generation = m.get("generation")
    if is_int(generation) and generation < 0:
        errs.append(errors.invalid(child(path, "generation"), generation, IS_NEGATIVE_ERROR_MSG))


def collection_errors(meta: Any, path: str = "metadata") -> Errs:
    """The labels, annotations, owner references, finalizers and managed
    fields checks that ObjectMeta validation and its update variant share."""
    errs: Errs = []
    _collections(as_map(meta), path, errs)
    return errs


def _collections(m: dict[str, Any], path: str, errs: Errs) -> None:
    """Labels, annotations, owner references, finalizers and managed fields
    (absent ones are skipped: each check finds nothing in null)."""
    paths = _METADATA_PATHS if path == "metadata" else _Paths(path)
    if m.get("labels") is not None:
        errs.extend(validate_labels(m["labels"], paths["labels"]))
    if m.get("annotations") is not None:
        errs.extend(validate_annotations(m["annotations"], paths["annotations"]))
    if m.get("ownerReferences") is not None:
        errs.extend(validate_owner_references(m["ownerReferences"], paths["ownerReferences"]))
    if m.get("finalizers") is not None:
        errs.extend(validate_finalizers(m["finalizers"], paths["finalizers"]))
    if m.get("managedFields") is not None:
        errs.extend(validate_managed_fields(m["managedFields"], paths["managedFields"]))


class _Paths(dict[str, str]):
    """``child(path, name)`` for each collection, built when asked."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def __missing__(self, name: str) -> str:
        return child(self.path, name)


# The paths of a top-level ObjectMeta's collections (every write's), built once.
_METADATA_PATHS = {name: child("metadata", name) for name in (
    "labels", "annotations", "ownerReferences", "finalizers", "managedFields")}


def _go_time(value: Any) -> Any:
    """A timestamp as ``metav1.Time`` prints (``time.Time.String()``)."""
    text = as_str(value)
    if not text:
        return GoValue("0001-01-01 00:00:00 +0000 UTC")
    stamp = text.replace("T", " ").rstrip("Z")
    return GoValue(f"{stamp} +0000 UTC")


def _immutable(new: Any, old: Any, path: str, value: Any = None) -> Errs:
    if semantic_equal(new, old):
        return []
    return [errors.invalid(path, new if value is None else value, FIELD_IMMUTABLE_ERROR_MSG)]


def _same_str(a: Any, b: Any) -> bool:
    """Two plain strings, equal (then ``semantic_equal`` holds: the fast path
    of every write, whose identity and timestamps do not change)."""
    return type(a) is str and type(b) is str and a == b


_IDENTITY_FIELDS = ("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp")


def _plain_identity(new: dict[str, Any], old: dict[str, Any]) -> bool:
    """Whether :func:`object_meta_update_fields` has nothing to report, seen at
    once: identity and timestamps the same plain strings (or both unset), no
    deletion under way or grace period, a generation not decremented. Anything
    else (False) is left to the checks."""
    get, old_get = new.get, old.get
    for field in _IDENTITY_FIELDS:
        now, before = get(field), old_get(field)
        if not ((now is None and before is None)
                or (type(now) is str and type(before) is str and now == before)):
            return False
    if (old_get("deletionTimestamp") or get("deletionGracePeriodSeconds") is not None
            or old_get("deletionGracePeriodSeconds") is not None):
        return False
    new_gen, old_gen = get("generation"), old_get("generation")
    return new_gen is None or old_gen is None or (
        type(new_gen) is int and type(old_gen) is int and new_gen >= old_gen)


# The ObjectMeta fields :func:`quiet_meta_update` looks at: what an update of
# a pod, as created, sends (no finalizers, owner references, managed fields,
# deletion under way).
_USUAL_FIELDS = frozenset({"name", "generateName", "namespace", "uid", "resourceVersion",
                           "creationTimestamp", "generation", "labels", "annotations"})
_KEPT_FIELDS = ("namespace", "uid", "creationTimestamp")
# The namespace names validate_namespace_name (IsDNS1123Label) accepted before.
_VALID_NAMESPACES: set[str] = names.is_dns1123_label.valid  # type: ignore[attr-defined]


def quiet_meta_update(new: Any, old: Any, namespaced: bool, name_fn: names.NameFunc) -> bool:
    """Whether ObjectMeta validation of ``new`` and its update checks against
    ``old`` (:func:`object_meta_update_fields`, :func:`object_meta_fields`,
    :func:`collection_errors`; no finalizers, so no finalizer-name rule) find
    nothing, seen in one pass over the fields an update usually sends (a
    label change's). It asks the same checks (and their memos) the plain code
    asks; new metadata with other fields, or old metadata of an object being
    deleted, answers False, left to the plain code."""
    if type(new) is not dict or type(old) is not dict or not _USUAL_FIELDS.issuperset(new):
        return False
    get, old_get = new.get, old.get
    if old_get("deletionTimestamp") is not None or old_get(
            "deletionGracePeriodSeconds") is not None:
        return False  # identity: new has neither (_plain_identity)
    name, namespace, generate_name = get("name"), get("namespace"), get("generateName")
    if type(name) is not str or not name or name_fn(name, False):
        return False  # upstream ValidateObjectMeta: the name
    if isinstance(generate_name, str) and generate_name and name_fn(generate_name, True):
        return False
    if namespaced:
        if type(namespace) is not str or not namespace or (
                namespace not in _VALID_NAMESPACES
                and names.validate_namespace_name(namespace, False)):
            return False
    elif isinstance(namespace, str) and namespace:
        return False  # "not allowed on this type"
    # _plain_identity's: each the same plain string (the name and namespace
    # are, when namespaced, plain strings already) or unset in both.
    before = old_get("name")
    if type(before) is not str or before != name:
        return False
    for field in _KEPT_FIELDS:
        now, before = get(field), old_get(field)
        if now is None:
            if before is not None:
                return False
        elif type(now) is not str or type(before) is not str or now != before:
            return False
    generation, old_generation = get("generation"), old_get("generation")
    if generation is not None and not (type(generation) is int and generation >= 0 and (
            old_generation is None or (type(old_generation) is int
                                       and generation >= old_generation))):
        return False
    labels, annotations = get("labels"), get("annotations")
    return not ((labels is not None and not _quiet_labels(labels))
                or (annotations is not None
                    and validate_annotations(annotations, _METADATA_PATHS["annotations"])))


def _quiet_labels(labels: Any) -> bool:
    """Whether :func:`validate_labels` finds nothing: each key and each string
    value one the name checks accepted (a new value is checked, as there)."""
    if type(labels) is not dict:
        return not validate_labels(labels, _METADATA_PATHS["labels"])
    keys, values = _VALID_LABEL_KEYS, _VALID_LABEL_VALUES
    for k, v in labels.items():
        if k not in keys:
            return not validate_labels(labels, _METADATA_PATHS["labels"])
        if type(v) is str and len(v) <= _LABEL_VALUE_MAX and v.isascii() and v.isalnum():
            continue  # what is_valid_label_value accepts at once (not in its memo)
        if isinstance(v, str) and v not in values and names.is_valid_label_value(v):
            return False
    return True


_LABEL_VALUE_MAX = names.LABEL_VALUE_MAX_LENGTH


def validate_no_new_finalizers(new: Any, old: Any, path: str) -> Errs:
    """Upstream ``ValidateNoNewFinalizers``."""
    extra = sorted(set(strings(new)) - set(strings(old)))
    if extra:
        return [errors.forbidden(
            path, "no new finalizers can be added if the object is being deleted, found new "
            f"finalizers {go_string_slice(extra)}")]
    return []


def validate_object_meta_update(new_meta: Any, old_meta: Any, path: str = "metadata") -> Errs:
    """Upstream ``ValidateObjectMetaUpdate``: identity and timestamps are immutable.

    (The resourceVersion check is left to the registry, which fills it before
    validation as upstream's store does.)
    """
    new, old = as_map(new_meta), as_map(old_meta)
    errs: Errs = []
    object_meta_update_fields(new, old, path, errs)
    _collections(new, path, errs)
    return errs


def object_meta_update_fields(new: dict[str, Any], old: dict[str, Any], path: str,
                              errs: Errs) -> None:
    """:func:`validate_object_meta_update` but for the collections (:func:`collection_errors`)."""
    if _plain_identity(new, old):
        return  # what the checks below find then: nothing
    if old.get("deletionTimestamp"):
        errs.extend(validate_no_new_finalizers(new.get("finalizers"), old.get("finalizers"),
                                               child(path, "finalizers")))
    new_gen, old_gen = new.get("generation"), old.get("generation")
    if is_int(new_gen) and is_int(old_gen) and new_gen < old_gen:
        errs.append(errors.invalid(child(path, "generation"), new_gen, "must not be decremented"))
    for field in ("name", "namespace", "uid"):
        now, before = as_str(new.get(field)), as_str(old.get(field))
        if not _same_str(now, before):
            errs.extend(_immutable(now, before, child(path, field)))
    for field in ("creationTimestamp", "deletionTimestamp"):
        now, before = new.get(field), old.get(field)
        if (now is None and before is None) or _same_str(now, before):
            continue  # semantic_equal's answer, without its walk
        if not semantic_equal(now, before):
            value = _go_time(new.get(field))
            if field == "deletionTimestamp" and not new.get(field):
                value = GoValue("(*v1.Time)(nil)")
            errs.append(errors.invalid(child(path, field), value, FIELD_IMMUTABLE_ERROR_MSG))
    grace_new, grace_old = new.get("deletionGracePeriodSeconds"), old.get(
        "deletionGracePeriodSeconds")
    if not (grace_new is None and grace_old is None) and not semantic_equal(grace_new, grace_old):
        value = grace_new if grace_new is not None else GoValue("(*int64)(nil)")
        errs.append(errors.invalid(child(path, "deletionGracePeriodSeconds"), value,
                                   FIELD_IMMUTABLE_ERROR_MSG))


# -- label selectors (meta/v1/validation) ----------------------------------------------


def validate_label_selector_requirement(req: dict[str, Any], path: str,
                                        allow_invalid_label_value: bool = False) -> Errs:
    """Upstream ``ValidateLabelSelectorRequirement``."""
    errs: Errs = []
    op = req.get("operator")
    values = as_list(req.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(errors.required(child(path, "values"),
                                        "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(errors.forbidden(
                child(path, "values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    else:
        errs.append(errors.invalid(child(path, "operator"), as_str(op),
                                   "not a valid selector operator"))
    errs.extend(validate_label_name(as_str(req.get("key")), child(path, "key")))
    if not allow_invalid_label_value:
        for i, v in enumerate(strings(values)):
            errs.extend(errors.invalid(index(child(path, "values"), i), v, msg)
                        for msg in names.is_valid_label_value(v))
    return errs


def validate_label_selector(selector: Any, path: str,
                            allow_invalid_label_value: bool = False) -> Errs:
    """Upstream ``ValidateLabelSelector`` (nil is fine)."""
    if not isinstance(selector, dict):
        return []
    errs = validate_labels(selector.get("matchLabels"), child(path, "matchLabels"))
    for i, expr in dicts(selector.get("matchExpressions")):
        errs.extend(validate_label_selector_requirement(
            expr, index(child(path, "matchExpressions"), i), allow_invalid_label_value))
    return errs


def selector_is_empty(selector: Any) -> bool:
    sel = as_map(selector)
    return not sel.get("matchLabels") and not sel.get("matchExpressions")
