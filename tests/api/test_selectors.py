"""Label and field selectors against upstream's parser behaviour and messages
(k8s.io/apimachinery pkg/labels/selector_test.go, pkg/fields/selector_test.go)."""

from __future__ import annotations

import pytest

from engine.api import errors
from engine.api.selectors import (
    FieldSelector,
    LabelSelector,
    check_field_selector,
    convert_field_selector,
    label_selector_from_dict,
    object_fields,
    parse_field_selector,
    parse_label_selector,
    selector_from_set,
)

QNAME_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("", ""),
        ("x=a", "x=a"),
        ("x==a", "x==a"),
        ("x!=a", "x!=a"),
        ("x!=", "x!="),
        ("x=", "x="),
        ("b=2,a=1", "a=1,b=2"),
        ("x in (b,a)", "x in (a,b)"),
        ("x notin (a)", "x notin (a)"),
        ("x in ()", "x in ()"),
        ("x in (,a)", "x in (,a)"),
        ("!x", "!x"),
        ("x", "x"),
        ("  x ,  !y  ", "x,!y"),
        ("x>1", "x>1"),
        ("x<10", "x<10"),
        ("environment in (production, qa),tier notin (frontend)",
         "environment in (production,qa),tier notin (frontend)"),
        ("example.com/app=web", "example.com/app=web"),
        ("in=notin", "in=notin"),
    ],
)
def test_parse_canonical(text: str, canonical: str) -> None:
    assert str(parse_label_selector(text)) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("x in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("x in a", "unable to parse requirement: found 'a' expected: '('"),
        ("!=a", "found '!=', expected: !, identifier, or 'end of string'"),
        ("x=a,", "found '', expected: identifier after ','"),
        ("x=a y=b", "found 'y', expected: ',' or 'end of string'"),
        ("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"),
        ("x=a=b", "found '=', expected: ',' or 'end of string'"),
        ("x>=1", "unable to parse requirement: found '=', expected: identifier"),
        ("x<-1", f"unable to parse requirement: values[0][x]: Invalid value: \"-1\": {VALUE_MSG}"),
        ("x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": "
                "for 'Gt', 'Lt' operators, the value must be an integer"),
        ("Foo_=1", f"unable to parse requirement: <nil>: Invalid value: \"Foo_\": {QNAME_MSG}"),
        ("x=-a", f"unable to parse requirement: values[0][x]: Invalid value: \"-a\": {VALUE_MSG}"),
        ("x in (a,-b)",
         f"unable to parse requirement: values[0][x]: Invalid value: \"-b\": {VALUE_MSG}"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(errors.StatusError) as exc:
        parse_label_selector(text)
    assert exc.value.code == 400
    assert exc.value.reason == "BadRequest"
    assert exc.value.message == message


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("", {}, True),
        ("x=a", {"x": "a"}, True),
        ("x=a", {"x": "b"}, False),
        ("x=a", {}, False),
        ("x!=a", {}, True),
        ("x!=a", {"x": "a"}, False),
        ("x!=", {"x": ""}, False),
        ("x in (a,b)", {"x": "b"}, True),
        ("x notin (a,b)", {"x": "c"}, True),
        ("x notin (a,b)", {}, True),
        ("x", {"x": ""}, True),
        ("!x", {"x": ""}, False),
        ("x>5", {"x": "6"}, True),
        ("x>5", {"x": "5"}, False),
        ("x<5", {"x": "abc"}, False),
        ("x<5", {}, False),
        ("a=1,b=2", {"a": "1", "b": "2", "c": "3"}, True),
        ("a=1,b=2", {"a": "1"}, False),
    ],
)
def test_matches(text: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_label_selector(text).matches(labels) is expected


def test_label_selector_from_dict_nil_and_empty() -> None:
    nothing = label_selector_from_dict(None)
    assert not nothing.matches({}) and not nothing.empty()
    everything = label_selector_from_dict({})
    assert everything.matches({"a": "b"}) and everything.empty()
    assert label_selector_from_dict({"matchLabels": {}, "matchExpressions": []}).empty()


def test_label_selector_from_dict() -> None:
    sel = label_selector_from_dict({
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["b", "a"]},
            {"key": "canary", "operator": "DoesNotExist"},
        ],
    })
    assert str(sel) == "app=web,!canary,tier in (a,b)"[0:0] + "app=web,!canary,tier in (a,b)"
    assert sel.matches({"app": "web", "tier": "a"})
    assert not sel.matches({"app": "web", "tier": "a", "canary": "1"})
    assert sel == label_selector_from_dict({
        "matchExpressions": [
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "tier", "operator": "In", "values": ["b", "a"]},
        ],
        "matchLabels": {"app": "web"},
    })
    assert hash(sel)


@pytest.mark.parametrize(
    ("sel", "message"),
    [
        ({"matchExpressions": [{"key": "a", "operator": "Equals"}]},
         '"Equals" is not a valid label selector operator'),
        ({"matchExpressions": [{"key": "a", "operator": "In"}]},
         "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't "
         "be empty"),
        ({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]},
         'values: Invalid value: []string{"x"}: values set must be empty for exists and does '
         "not exist"),
        ({"matchLabels": {"a": "-"}}, f'values[0][a]: Invalid value: "-": {VALUE_MSG}'),
    ],
)
def test_label_selector_from_dict_errors(sel: dict, message: str) -> None:
    with pytest.raises(errors.StatusError) as exc:
        label_selector_from_dict(sel)
    assert exc.value.code == 400
    assert exc.value.message == message


def test_selector_from_set() -> None:
    sel = selector_from_set({"b": "2", "a": "1"})
    assert str(sel) == "a=1,b=2"
    assert isinstance(sel, LabelSelector)
    assert selector_from_set(None).empty()


@pytest.mark.parametrize(
    ("text", "canonical", "reqs"),
    [
        ("", "", ()),
        ("a=b", "a=b", (("a", "=", "b"),)),
        ("a==b", "a=b", (("a", "=", "b"),)),
        ("b!=x,a=y", "a=y,b!=x", (("a", "=", "y"), ("b", "!=", "x"))),
        ("a=b\\,c", "a=b\\,c", (("a", "=", "b,c"),)),
        ("a=", "a=", (("a", "=", ""),)),
        ("spec.nodeName=n1,status.phase!=Failed", "spec.nodeName=n1,status.phase!=Failed",
         (("spec.nodeName", "=", "n1"), ("status.phase", "!=", "Failed"))),
    ],
)
def test_parse_field_selector(text: str, canonical: str, reqs: tuple) -> None:
    sel = parse_field_selector(text)
    assert str(sel) == canonical
    assert sel.requirements == reqs
    assert sel.empty() is (not reqs)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a", "invalid selector: 'a'; can't understand 'a'"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),
        ("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
        ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
    ],
)
def test_field_selector_errors(text: str, message: str) -> None:
    with pytest.raises(errors.StatusError) as exc:
        parse_field_selector(text)
    assert (exc.value.code, exc.value.reason, exc.value.message) == (400, "BadRequest", message)


def test_field_selector_matches() -> None:
    fields = {"metadata.name": "a", "spec.nodeName": ""}
    assert parse_field_selector("metadata.name=a").matches(fields)
    assert parse_field_selector("spec.nodeName=").matches(fields)
    assert parse_field_selector("spec.nodeName!=n1").matches(fields)
    assert not parse_field_selector("metadata.name!=a").matches(fields)
    assert FieldSelector().matches({})
    assert parse_field_selector("metadata.name=a").requires_exact_match("metadata.name") == "a"


@pytest.mark.parametrize(
    ("resource", "text", "message"),
    [
        ("pods", "spec.foo=x", "field label not supported: spec.foo"),
        ("nodes", "metadata.namespace=x", "field label not supported: metadata.namespace"),
        ("deployments.apps", "spec.replicas=1",
         '"spec.replicas" is not a known field selector: only "metadata.name", '
         '"metadata.namespace"'),
        ("configmaps", "data=x",
         '"data" is not a known field selector: only "metadata.name", "metadata.namespace"'),
        ("jobs.batch", "status.succeeded=1",
         'field label "status.succeeded" not supported for batchv1.Job'),
        ("events", "regarding.name=x", "field label not supported: regarding.name"),
        ("events.events.k8s.io", "involvedObject.name=x",
         "field label not supported: involvedObject.name"),
    ],
)
def test_check_field_selector_unsupported(resource: str, text: str, message: str) -> None:
    with pytest.raises(errors.StatusError) as exc:
        check_field_selector(resource, parse_field_selector(text))
    assert (exc.value.code, exc.value.message) == (400, message)


@pytest.mark.parametrize(
    ("resource", "text"),
    [
        ("pods", "spec.nodeName=n,status.phase!=Failed,spec.hostNetwork=true"),
        ("pods", "metadata.name=a,metadata.namespace=b,status.podIP=1.2.3.4"),
        ("nodes", "spec.unschedulable=false,metadata.name=n"),
        ("events", "involvedObject.uid=u,reason=Started,type=Normal,source=kubelet"),
        ("secrets", "type=Opaque"),
        ("namespaces", "status.phase=Active"),
        ("replicationcontrollers", "status.replicas=1"),
        ("jobs.batch", "status.successful=1"),
        ("services", "spec.type=ClusterIP"),
        ("deployments.apps", "metadata.name=x"),
    ],
)
def test_check_field_selector_supported(resource: str, text: str) -> None:
    check_field_selector(resource, parse_field_selector(text))


def test_convert_renames() -> None:
    sel = convert_field_selector("pods", parse_field_selector("spec.host=n1"))
    assert str(sel) == "spec.nodeName=n1"
    sel = convert_field_selector("events.events.k8s.io",
                                 parse_field_selector("regarding.name=p,reportingController=k"))
    assert str(sel) == "involvedObject.name=p,reportingComponent=k"


def test_object_fields() -> None:
    pod = {
        "metadata": {"name": "p", "namespace": "ns"},
        "spec": {"nodeName": "n1", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "serviceAccountName": "default", "hostNetwork": True},
        "status": {"phase": "Running", "podIPs": [{"ip": "10.0.0.1"}],
                   "nominatedNodeName": ""},
    }
    assert object_fields("pods", pod) == {
        "metadata.name": "p", "metadata.namespace": "ns", "spec.nodeName": "n1",
        "spec.restartPolicy": "Always", "spec.schedulerName": "default-scheduler",
        "spec.serviceAccountName": "default", "spec.hostNetwork": "true",
        "status.phase": "Running", "status.podIP": "10.0.0.1", "status.nominatedNodeName": "",
    }
    assert object_fields("nodes", {"metadata": {"name": "n"}, "spec": {"unschedulable": True}}) \
        == {"metadata.name": "n", "spec.unschedulable": "true"}
    ev = {"metadata": {"name": "e", "namespace": "d"}, "involvedObject": {"kind": "Pod"},
          "reason": "Started", "type": "Normal", "source": {"component": "kubelet"}}
    fields = object_fields("events", ev)
    assert fields["involvedObject.kind"] == "Pod" and fields["source"] == "kubelet"
    assert object_fields("replicasets.apps", {"metadata": {}, "status": {"replicas": 3}})[
        "status.replicas"] == "3"
    assert object_fields("jobs.batch", {"metadata": {}})["status.successful"] == "0"
    assert object_fields("secrets", {"metadata": {}, "type": "Opaque"})["type"] == "Opaque"
    assert object_fields("clusterroles.rbac.authorization.k8s.io", {"metadata": {"name": "r"}}) \
        == {"metadata.name": "r"}
