"""The write path's per-template memos decide exactly as the uncached checks.

A pod spec that validated clean, or a subtree the decoder found clean, is
remembered by its JSON bytes (the pod spec modulo its token volume's name):
an identical or consistently renamed spec must hit, anything else must miss,
and errors must always be worked out afresh with the caller's path."""

from __future__ import annotations

import copy

import orjson

from engine.api.validation import podspec, structural
from tests.api.validation import builders as b


def _spec(volume: str = "kube-api-access-7j8q8") -> dict:
    spec = copy.deepcopy(b.pod()["spec"])
    spec["volumes"] = [{"name": volume, "emptyDir": {}}]
    spec["containers"][0]["volumeMounts"] = [{"name": volume, "mountPath": "/var/run/x"}]
    return spec


def test_template_key_ignores_only_the_token_volume_name() -> None:
    one = podspec.template_key(orjson.dumps(_spec("kube-api-access-7j8q8")))
    two = podspec.template_key(orjson.dumps(_spec("kube-api-access-bcd22")))
    assert one == two
    other = podspec.template_key(orjson.dumps(_spec("data")))
    assert other != one
    changed = _spec("kube-api-access-bcd22")
    changed["containers"][0]["image"] = "busybox"
    assert podspec.template_key(orjson.dumps(changed)) != one


def test_template_key_of_a_spec_naming_two_token_volumes_differs() -> None:
    spec = _spec("kube-api-access-7j8q8")
    spec["volumes"].append({"name": "kube-api-access-bcd22", "emptyDir": {}})
    dup = _spec("kube-api-access-bcd22")
    dup["volumes"].append({"name": "kube-api-access-bcd22", "emptyDir": {}})
    assert podspec.template_key(orjson.dumps(spec)) != podspec.template_key(orjson.dumps(dup))
    assert podspec.validate_pod_spec(spec, "spec", "p", is_pod=True) == []
    assert podspec.validate_pod_spec(dup, "spec", "p", is_pod=True) != []


def test_clean_spec_memo_hits_and_errors_keep_their_path() -> None:
    podspec._CLEAN_SPECS.clear()
    spec = _spec()
    assert podspec.validate_pod_spec(spec, "spec", "a", is_pod=True) == []
    assert len(podspec._CLEAN_SPECS) == 1
    assert podspec.validate_pod_spec(_spec("kube-api-access-zzzzz"), "spec", "b",
                                     is_pod=True) == []
    assert len(podspec._CLEAN_SPECS) == 1  # a hit
    bad = _spec()
    bad["containers"][0]["volumeMounts"][0]["name"] = "missing"
    want = podspec._validate_pod_spec(bad, "spec.template.spec", "", False)
    got = podspec.validate_pod_spec(bad, "spec.template.spec")
    assert [str(e) for e in got] == [str(e) for e in want] and got
    assert len(podspec._CLEAN_SPECS) == 1  # errors are not remembered


def test_clean_spec_memo_keys_the_pod_name_for_ephemeral_volumes() -> None:
    spec = _spec()
    spec["volumes"].append({"name": "scratch", "ephemeral": {"volumeClaimTemplate": {
        "spec": {"accessModes": ["ReadWriteOnce"],
                 "resources": {"requests": {"storage": "1Gi"}}}}}})
    podspec._CLEAN_SPECS.clear()
    assert podspec.validate_pod_spec(spec, "spec", "short", is_pod=True) == []
    long_name = "p" * 250
    want = podspec._validate_pod_spec(spec, "spec", long_name, True)
    assert want  # the claim name would be too long
    assert podspec.validate_pod_spec(spec, "spec", long_name, is_pod=True) == want


def test_validation_does_not_change_the_spec() -> None:
    spec = _spec()
    before = orjson.dumps(spec)
    podspec.validate_pod_spec(spec, "spec", "a", is_pod=True)
    assert orjson.dumps(spec) == before


def test_clean_subtree_memo_decides_as_the_walk() -> None:
    structural._CLEAN_SUBTREES.clear()
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": _spec()}
    assert structural.validate_schema(pod, "io.k8s.api.core.v1.Pod") == ([], [])
    assert len(structural._CLEAN_SUBTREES) == 1
    assert structural.validate_schema(copy.deepcopy(pod), "io.k8s.api.core.v1.Pod") == ([], [])
    assert len(structural._CLEAN_SUBTREES) == 1
    bad = copy.deepcopy(pod)
    bad["spec"]["terminationGracePeriodSeconds"] = "30"
    errs, _ = structural.validate_schema(bad, "io.k8s.api.core.v1.Pod")
    assert errs and "terminationGracePeriodSeconds" in str(errs[0])
    unknown = copy.deepcopy(pod)
    unknown["spec"]["bogus"] = 1
    assert structural.validate_schema(unknown, "io.k8s.api.core.v1.Pod")[1] == ["spec.bogus"]
    assert len(structural._CLEAN_SUBTREES) == 1


def test_defaulted_spec_memo_copies_and_misses_on_a_changed_template() -> None:
    from engine.api.defaults import core

    core._DEFAULTED_SPECS.clear()
    raw = {"containers": [{"name": "app", "image": "nginx",
                           "resources": {"limits": {"cpu": "1"}}}]}
    want = copy.deepcopy(raw)
    core._default_pod_spec(want)
    first, second = copy.deepcopy(raw), copy.deepcopy(raw)
    core.default_pod({"spec": first})
    spec = second
    core.default_pod({"spec": spec})
    assert spec is second  # defaulted in place
    assert orjson.dumps(first) == orjson.dumps(second) == orjson.dumps(want)
    assert len(core._DEFAULTED_SPECS) == 1
    first["containers"][0]["resources"]["requests"]["cpu"] = "2"  # no shared subtrees
    assert second["containers"][0]["resources"]["requests"]["cpu"] == "1"
    third = {"spec": copy.deepcopy(raw)}
    core.default_pod(third)
    assert third["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "1"}
    changed = copy.deepcopy(raw)
    changed["restartPolicy"] = "Never"
    core.default_pod({"spec": changed})
    assert changed["restartPolicy"] == "Never" and len(core._DEFAULTED_SPECS) == 2
    nan = {"containers": [{"name": "app", "image": "nginx"}], "priority": float("nan")}
    core.default_pod({"spec": nan})
    assert len(core._DEFAULTED_SPECS) == 2  # not keyed: NaN encodes as null


def test_clean_managed_fields_are_remembered_and_bad_ones_still_fail() -> None:
    structural._CLEAN_SUBTREES.clear()
    entry = {"manager": "kubectl", "operation": "Update", "apiVersion": "v1",
             "time": "2025-01-01T00:00:00Z", "fieldsType": "FieldsV1",
             "fieldsV1": {"f:metadata": {"f:labels": {f"f:label-{i}": {} for i in range(20)}}}}
    pod = {"metadata": {"name": "a", "managedFields": [entry]}}
    assert structural.validate_schema(pod, "io.k8s.api.core.v1.Pod") == ([], [])
    assert len(structural._CLEAN_SUBTREES) == 1
    other = {"metadata": {"name": "b", "uid": 7, "managedFields": [dict(entry)]}}
    errs, _ = structural.validate_schema(other, "io.k8s.api.core.v1.Pod")
    assert errs and "uid" in str(errs[0])  # the rest of the metadata is still walked
    bad = {"metadata": {"name": "a", "managedFields": [{**entry, "time": "yesterday"}]}}
    errs, _ = structural.validate_schema(bad, "io.k8s.api.core.v1.Pod")
    assert errs


def test_semantic_equal_fast_path_agrees_with_the_walk() -> None:
    from engine.api.validation.common import _semantic_equal, semantic_equal

    cases = [({"a": 1}, {"a": 1}), ({"a": 1}, {"a": True}), ({"a": 1}, {"a": 1.0}),
             ({"a": [], "b": 2}, {"b": 2}), ([{"x": None}], [{}]),
             ({"a": float("nan")}, {"a": None}), ({"a": float("nan")}, {"a": float("nan")}),
             ({"b": 1, "a": 2}, {"a": 2, "b": 1})]
    for left, right in cases:
        assert semantic_equal(left, right) == _semantic_equal(left, right), (left, right)


def test_label_checks_skip_accepted_strings_and_keep_errors_and_their_paths() -> None:
    """``validate_labels`` tests each key and value against the strings the
    name checks accepted; what it finds is what the plain loop finds."""
    from engine.api.validation import names, objectmeta

    names.is_qualified_name.valid.clear()
    names._is_valid_label_value.valid.clear()
    assert objectmeta.validate_labels({"app": "web-1"}, "metadata.labels") == []
    assert {"app"} <= names.is_qualified_name.valid
    assert {"web-1"} <= names._is_valid_label_value.valid
    bad = {"app": "web", "bad key": "x", "k": "-bad value"}
    first = objectmeta.validate_labels(bad, "metadata.labels")
    second = objectmeta.validate_labels(bad, "spec.template.metadata.labels")
    assert len(first) == 2 and "spec.template.metadata.labels" in str(second[0])
    assert first == objectmeta._validate_labels(bad, "metadata.labels")
    assert objectmeta.validate_labels({"app": {"x": 1}}, "metadata.labels") == \
        objectmeta._validate_labels({"app": {"x": 1}}, "metadata.labels")


def test_small_subtrees_are_walked_not_remembered() -> None:
    """An event's involvedObject is unique and cheaper to walk than to look up."""
    structural._CLEAN_SUBTREES.clear()
    event = {"metadata": {"name": "a.1"}, "involvedObject": {"kind": "Pod", "name": "a"},
             "source": {"component": "kubelet"}, "reason": "Pulled"}
    assert structural.validate_schema(event, "io.k8s.api.core.v1.Event") == ([], [])
    assert len(structural._CLEAN_SUBTREES) == 0
    event["involvedObject"]["name"] = 5
    errs, _ = structural.validate_schema(event, "io.k8s.api.core.v1.Event")
    assert errs and "involvedObject.name" in str(errs[0])


def test_small_subtrees_holding_quantities_are_remembered() -> None:
    """A small pod spec costs a quantity parse per request: it is remembered."""
    structural._CLEAN_SUBTREES.clear()
    spec = {"containers": [{"name": "app", "image": "nginx",
                            "resources": {"requests": {"cpu": "100m"}}}]}
    pod = {"metadata": {"name": "a"}, "spec": spec}
    assert len(orjson.dumps(spec)) < structural._MIN_KEY_BYTES
    assert structural.validate_schema(pod, "io.k8s.api.core.v1.Pod") == ([], [])
    assert len(structural._CLEAN_SUBTREES) == 1
    spec["containers"][0]["resources"]["requests"]["cpu"] = "1x"
    errs, _ = structural.validate_schema(pod, "io.k8s.api.core.v1.Pod")
    assert errs and len(structural._CLEAN_SUBTREES) == 1


def test_huge_subtrees_are_not_remembered() -> None:
    from engine.api.memo import MAX_KEY_BYTES

    structural._CLEAN_SUBTREES.clear()
    podspec._CLEAN_SPECS.clear()
    spec = _spec()
    spec["containers"][0]["args"] = ["x" * (MAX_KEY_BYTES + 1)]
    pod = {"metadata": {"name": "a"}, "spec": spec}
    assert structural.validate_schema(pod, "io.k8s.api.core.v1.Pod") == ([], [])
    assert podspec.validate_pod_spec(spec, "spec", "a", is_pod=True) == []
    assert len(structural._CLEAN_SUBTREES) == 0 and len(podspec._CLEAN_SPECS) == 0


def test_template_key_finds_the_first_token_volume_name_as_a_regex_search() -> None:
    """The key cuts at the leftmost well-formed name, skipping look-alikes."""
    cases = [b"", b'{"a":"kube-api-access-"}', b'"kube-api-access-abcde"',
             b'"kube-api-access-bcd22x" "kube-api-access-zzzzz"',
             b'"kube-api-access-bcd2" "kube-api-access-bcd22" "kube-api-access-bcd22"',
             b'"kube-api-access-"kube-api-access-7j8q8"', orjson.dumps(_spec())]
    for encoded in cases:
        found = podspec._TOKEN_VOLUME.search(encoded)
        want = (encoded,) if found is None else tuple(encoded.split(found.group(1)))
        assert podspec.template_key(encoded) == want


def test_letters_and_digits_label_values_are_accepted_as_the_pattern_accepts_them() -> None:
    """``is_valid_label_value`` accepts short ASCII alphanumerics without its
    regex: the same answer as the pattern for every kind of string."""
    import random
    import string

    from engine.api.validation import names

    plain = names._is_valid_label_value.__wrapped__
    rng = random.Random(3)
    alphabets = [string.ascii_letters + string.digits, string.digits, "aZ9-_.", "é1ß٣²",
                 "a1 \n/", string.printable]
    values = ["", "a", "9", "a" * 63, "a" * 64, "1" * 64, "é", "٣", "²", "a\n", "-a", "a-"]
    for _ in range(3000):
        alphabet = rng.choice(alphabets)
        values.append("".join(rng.choice(alphabet) for _ in range(rng.choice([1, 2, 8, 63, 64]))))
    accepted = 0
    for value in values:
        assert names.is_valid_label_value(value) == plain(value), value
        accepted += not plain(value)
    assert 200 < accepted < len(values) - 200
