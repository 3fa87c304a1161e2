"""Broken manifests: what each one is and what kubectl (and k9py) says about it.

``expected`` is the whole of kubectl v1.32's stderr for ``kubectl apply -f
<files>`` (``engine.apply.results.kubectl_stderr``). ``kubectl`` tells whether
the real kubectl prints exactly that against k9py's API server (checked by
``test_bad_manifests_kubectl.py`` when kubectl is installed); where it does
not, the reason is given: k9py deliberately differs (duplicate keys, invalid
UTF-8 and over-size documents are errors before anything is sent) or k9py's
server lacks an API a real cluster has (CRDs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml


@dataclass
class Case:
    id: str
    files: dict[str, bytes]
    expected: str
    kubectl: bool | str = True
    namespace: str | None = None
    where: str | None = None  # file:line[:column] (document N) of the first error
    extra: dict[str, str] = field(default_factory=dict)


DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
"""

# An object that exists before every case (patch errors need one).
EXISTING = DEPLOY.format(name="apply-test-pd")


def deploy(name: str, old: str = "", new: str = "") -> bytes:
    text = DEPLOY.format(name=name)
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def obj(doc: dict) -> bytes:
    return yaml.safe_dump(doc, sort_keys=False).encode()


CM = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  a: b\n"


def cm(name: str) -> bytes:
    return CM.replace(b"{name}", name.encode())


def billion_laughs() -> bytes:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: lol", "data:",
             '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return ("\n".join(lines) + "\n").encode()


def ten_megabytes() -> bytes:
    return cm("big") + b"  x: " + b"a" * (10 * 1024 * 1024) + b"\n"


P = "error parsing f.yaml: error converting YAML to JSON: yaml: "
HINT = "; if you choose to ignore these errors, turn validation off with --validate=false"
REGEX_NAME = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
              "characters, '-' or '.', and must start and end with an alphanumeric character "
              "(e.g. 'example.com', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
QUANTITY = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"


def _cases() -> list[Case]:
    f = "f.yaml"
    return [
        # -- YAML and JSON syntax -------------------------------------------------------
        Case("tab-indent", {f: cm("tab").replace(b"  a: b", b"\ta: b")},
             f"error: {P}line 6: found character that cannot start any token\n",
             where="f.yaml:6:1 (document 1)"),
        Case("duplicate-key", {f: cm("dup").replace(b"  name: dup\n", b"  name: dup\n  name: x\n")},
             'error: error parsing f.yaml: error converting YAML to JSON: yaml: '
             'unmarshal errors:\n'
             '  line 5: mapping key "name" already defined at line 4\n',
             kubectl="kubectl's go-yaml v2 keeps the last key silently",
             where="f.yaml:5 (document 1)"),
        Case("bad-indent", {f: cm("ind").replace(b"data:", b" data:")},
             f"error: {P}line 4: did not find expected key\n", where="f.yaml:5:2 (document 1)"),
        Case("unclosed-flow", {f: b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\ndata:\n"
                                  b"  a: b\n"},
             f"error: {P}line 3: did not find expected ',' or '}}'\n"),
        Case("mapping-in-scalar", {f: cm("x: y")},
             f"error: {P}line 4: mapping values are not allowed in this context\n"),
        Case("undefined-alias", {f: cm("*foo")},
             f"error: {P}unknown anchor 'foo' referenced\n"),
        Case("unterminated-quote", {f: b'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "x\n'},
             f"error: {P}line 5: found unexpected end of stream\n"),
        Case("bad-separator", {f: cm("a") + b"--- foo\n" + cm("b")},
             "error: error parsing f.yaml: invalid Yaml document separator: foo\n"),
        Case("binary-garbage", {f: bytes(range(256)) * 64},
             f"error: {P}control characters are not allowed\n"),
        Case("invalid-utf8", {f: cm("x").replace(b"a: b", b"a: \xff\xfe")},
             f"error: {P}invalid leading UTF-8 octet\n",
             kubectl="go-yaml passes invalid UTF-8 through; k9py rejects it"),
        Case("billion-laughs", {f: billion_laughs()},
             f"error: {P}document contains excessive aliasing\n"),
        Case("self-alias", {f: b"apiVersion: v1\nkind: List\nitems: &a [*a]\n"},
             f"error: {P}anchor 'a' value contains itself\n"),
        Case("ten-megabytes", {f: ten_megabytes()},
             'Error from server (RequestEntityTooLarge): error when creating '
             '"f.yaml": Request entity too large: limit is 3145728\n',
             kubectl="k9py refuses it before sending; kubectl sends 10 MB first"),
        Case("deep-nesting", {f: cm("deep") + b"  x: " + b"[" * 300 + b"]" * 300 + b"\n"},
             "error: error parsing f.yaml: error converting YAML to JSON: json: exceeded max "
             "depth\n", kubectl="k9py stops at 255 levels (orjson); Go's JSON at 10,000"),
        Case("infinity", {f: cm("inf").replace(b"a: b", b"a: .inf")},
             "error: error parsing f.yaml: error converting YAML to JSON: json: unsupported "
             "value: +Inf\n"),
        Case("json-trailing-comma", {"f.json": b'{"apiVersion": "v1", "kind": "ConfigMap", '
                                               b'"metadata": {"name": "j",}}'},
             "error: error parsing f.json: json: offset 68: invalid character '}' "
             'looking for beginning of object key string\n',
             where="f.json:1:68 (document 1)"),
        Case("json-duplicate-field", {"f.json": b'{"apiVersion": "v1", "kind": "ConfigMap", '
                                                b'"kind": "Secret", "metadata": {"name": "j"}}'},
             'error: error parsing f.json: json: duplicate field "kind"\n',
             kubectl="Go's JSON decoder keeps the last key silently"),
        Case("error-in-second-document", {f: cm("first") + b"---\n" + cm("second").replace(
            b"  a: b", b"\ta: b")},
             f"error: {P}line 6: found character that cannot start any token\n",
             where="f.yaml:13:1 (document 2)"),
        Case("seed-secret-env-indentation", {f: b"""\
apiVersion: v1
kind: Pod
metadata:
  name: pod-secret-env
spec:
  containers:
  - name: pod-secret-env
    image: busybox
    args:
      - /bin/sh
env:
      - name: SECRET_USERNAME
        valueFrom:
          secretKeyRef:
            name: mysecret
            key: username
"""},
             # Valid YAML: `env` became a top-level field, which strict decoding rejects.
             'Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" '
             'cannot be handled as a Pod: strict decoding error: unknown field "env"\n'),
        # -- what kubectl checks before sending -------------------------------------------
        Case("kind-missing", {f: b"apiVersion: v1\nmetadata:\n  name: x\n"},
             f'error: error validating "f.yaml": error validating data: kind not set{HINT}\n'),
        Case("apiversion-and-kind-missing", {f: b"metadata:\n  name: x\n"},
             'error: error validating "f.yaml": error validating data: [apiVersion not set, '
             f"kind not set]{HINT}\n"),
        Case("top-level-list", {f: b"- a\n- b\n"},
             'error: error validating "f.yaml": error validating data: invalid object to '
             f"validate{HINT}\n"),
        Case("top-level-scalar", {f: b"just a string\n"},
             'error: error validating "f.yaml": error validating data: invalid object to '
             f"validate{HINT}\n"),
        Case("list-item-without-apiversion", {f: b"apiVersion: v1\nkind: List\nitems:\n"
                                                 b"- apiVersion: v1\n  kind: ConfigMap\n"
                                                 b"  metadata: {name: l1}\n- kind: ConfigMap\n"
                                                 b"  metadata: {name: l2}\n"},
             'error: error validating "f.yaml": error validating data: apiVersion not set'
             f"{HINT}\n"),
        Case("unknown-kind", {f: b"apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n"},
             'error: resource mapping not found for name: "x" namespace: "" from '
             '"f.yaml": no matches for kind "Foo" in version "v1"\n'
             'ensure CRDs are installed first\n',
             kubectl="k9py's server has no CRD API, so kubectl fails earlier (failed to check "
                     "CRD)"),
        Case("wrong-apiversion", {f: deploy("wrongapi", "apps/v1", "apps/v1beta1")},
             'error: resource mapping not found for name: "wrongapi" namespace: "" '
             'from "f.yaml": no matches for kind "Deployment" in version '
             '"apps/v1beta1"\n'
             'ensure CRDs are installed first\n'),
        Case("seed-ingress-extensions-v1beta1", {f: b"""\
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: ingress-myapp
  namespace: default
  annotations:
    kubernetes.io/ingress.class: "nginx"
spec:
  rules:
  - host: myapp.magedu.com
    http:
      paths:
      - path:
        backend:
          serviceName: myapp
          servicePort: 80
"""},
             'error: resource mapping not found for name: "ingress-myapp" namespace: '
             '"default" from "f.yaml": no matches for kind "Ingress" in version '
             '"extensions/v1beta1"\n'
             'ensure CRDs are installed first\n'),
        Case("name-missing", {f: b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n"},
             'error: error when retrieving current configuration of:\n'
             'Resource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, '
             'Kind=ConfigMap"\n'
             'Name: "", Namespace: "default"\n'
             'from server for: "f.yaml": resource name may not be empty\n'),
        Case("generate-name", {f: b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                  b"  generateName: gen-\n"},
             "error: from gen-: cannot use generate name with apply\n"),
        Case("metadata-not-a-map", {f: b"apiVersion: v1\nkind: ConfigMap\nmetadata: 5\n"},
             'error: unable to decode "f.yaml": json: cannot unmarshal number into Go '
             'struct field metadataOnlyObject.metadata of type v1.ObjectMeta\n'),
        Case("annotations-number", {f: cm("ann").replace(b"  name: ann\n",
                                                          b"  name: ann\n  annotations: {a: 1}\n")},
             'error: unable to decode "f.yaml": json: cannot unmarshal number into Go '
             'struct field ObjectMeta.metadata.annotations of type string\n'),
        Case("namespace-mismatch", {f: cm("nsm").replace(b"  name: nsm\n",
                                                          b"  name: nsm\n  namespace: foo\n")},
             'error: the namespace from the provided object "foo" does not match the namespace '
             "\"bar\". You must pass '--namespace=foo' to perform this operation.\n",
             namespace="bar"),
    ]


def _server_cases() -> list[Case]:
    """Failures the API server finds (strict decoding, validation, admission)."""
    f = "f.yaml"
    return [
        Case("misspelt-field", {f: deploy("typo", "  replicas: 2", "  replica: 2")},
             'Error from server (BadRequest): error when creating "f.yaml": '
             'Deployment in version "v1" cannot be handled as a Deployment: strict '
             'decoding error: unknown field "spec.replica"\n'),
        Case("unknown-nested-field", {f: deploy("nested", "        image: nginx:1.14.2",
                                                "        image: nginx:1.14.2\n"
                                                "        imagePolicy: Always")},
             'Error from server (BadRequest): error when creating "f.yaml": '
             'Deployment in version "v1" cannot be handled as a Deployment: strict '
             'decoding error: unknown field '
             '"spec.template.spec.containers[0].imagePolicy"\n'),
        Case("two-unknown-fields", {f: deploy("two", "  replicas: 2",
                                              "  replicas: 2\n  foo: 1\n  bar: 2")},
             'Error from server (BadRequest): error when creating "f.yaml": '
             'Deployment in version "v1" cannot be handled as a Deployment: strict '
             'decoding error: unknown field "spec.bar", unknown field "spec.foo"\n'),
        Case("unknown-top-level-field", {f: cm("top") + b"extra: true\n"},
             'Error from server (BadRequest): error when creating "f.yaml": ConfigMap '
             'in version "v1" cannot be handled as a ConfigMap: strict decoding '
             'error: unknown field "extra"\n'),
        Case("replicas-string", {f: deploy("wt", "replicas: 2", 'replicas: "two"')},
             'Error from server (BadRequest): error when creating "f.yaml": '
             'Deployment in version "v1" cannot be handled as a Deployment: json: '
             'cannot unmarshal string into Go struct field '
             'DeploymentSpec.spec.replicas of type int32\n'),
        Case("port-string", {f: deploy("portstr", "containerPort: 80",
                                       "containerPort: eighty")},
             'Error from server (BadRequest): error when creating "f.yaml": '
             'Deployment in version "v1" cannot be handled as a Deployment: json: '
             'cannot unmarshal string into Go struct field '
             'ContainerPort.spec.template.spec.containers.ports.containerPort of type '
             'int32\n'),
        Case("labels-list", {f: deploy("lbl", "  labels: {app: lbl}", "  labels: [a, b]")},
             'error: unable to decode "f.yaml": json: cannot unmarshal array into Go '
             'struct field ObjectMeta.metadata.labels of type map[string]string\n'),
        Case("containers-map", {f: obj({"apiVersion": "v1", "kind": "Pod",
                                        "metadata": {"name": "cmap"},
                                        "spec": {"containers": {"name": "c"}}})},
             'Error from server (BadRequest): error when creating "f.yaml": Pod in '
             'version "v1" cannot be handled as a Pod: json: cannot unmarshal object '
             'into Go struct field PodSpec.spec.containers of type []v1.Container\n'),
        Case("cpu-2-cores", {f: obj({"apiVersion": "v1", "kind": "Pod",
                                     "metadata": {"name": "cpu"},
                                     "spec": {"containers": [{
                                         "name": "c", "image": "nginx",
                                         "resources": {"requests": {"cpu": "2 cores"}}}]}})},
             'Error from server (BadRequest): error when creating "f.yaml": Pod in '
             'version "v1" cannot be handled as a Pod: quantities must match the '
             "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"),
        Case("memory-1-gb", {f: deploy("mem", "        ports:",
                                       "        resources:\n          limits:\n"
                                       "            memory: 1 GB\n        ports:")},
             'Error from server (BadRequest): error when creating "f.yaml": '
             'Deployment in version "v1" cannot be handled as a Deployment: '
             'quantities must match the regular expression '
             "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"),
        Case("invalid-name", {f: deploy("Bad_Name")},
             'The Deployment "Bad_Name" is invalid: metadata.name: Invalid value: '
             '"Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case '
             "alphanumeric characters, '-' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'example.com', regex used for validation "
             "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"),
        Case("invalid-label-key", {f: deploy("badlabel", "  labels: {app: badlabel}",
                                             '  labels: {"bad label!": x}')},
             'The Deployment "badlabel" is invalid: metadata.labels: Invalid value: '
             '"bad label!": name part must consist of alphanumeric characters, \'-\', '
             "'_' or '.', and must start and end with an alphanumeric character (e.g. "
             "'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n"),
        Case("invalid-label-value", {f: deploy("badvalue", "  labels: {app: badvalue}",
                                               "  labels: {app: -bad-}")},
             'The Deployment "badvalue" is invalid: metadata.labels: Invalid value: '
             '"-bad-": a valid label must be an empty string or consist of '
             "alphanumeric characters, '-', '_' or '.', and must start and end with "
             "an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
             'regex used for validation is '
             "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n"),
        Case("selector-mismatch", {f: deploy("mismatch", "      labels: {app: mismatch}",
                                             "      labels: {app: other}")},
             'The Deployment "mismatch" is invalid: spec.template.metadata.labels: '
             'Invalid value: map[string]string{"app":"other"}: `selector` does not '
             'match template `labels`\n'),
        Case("negative-replicas", {f: deploy("neg", "replicas: 2", "replicas: -1")},
             'The Deployment "neg" is invalid: spec.replicas: Invalid value: -1: must '
             'be greater than or equal to 0\n'),
        Case("many-invalid", {f: deploy("Neg_Name", "replicas: 2", "replicas: -1").replace(
            b"      labels: {app: Neg_Name}", b"      labels: {app: other}")},
             'The Deployment "Neg_Name" is invalid: \n'
             '* metadata.name: Invalid value: "Neg_Name": a lowercase RFC 1123 '
             "subdomain must consist of lower case alphanumeric characters, '-' or "
             "'.', and must start and end with an alphanumeric character (e.g. "
             "'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
             '* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'
             '* spec.template.metadata.labels: Invalid value: '
             'map[string]string{"app":"other"}: `selector` does not match template '
             '`labels`\n'),
        Case("containers-missing", {f: deploy("nocont", "      containers:\n      - name: nginx\n"
                                              "        image: nginx:1.14.2\n        ports:\n"
                                              "        - containerPort: 80",
                                              "      restartPolicy: Always")},
             'The Deployment "nocont" is invalid: spec.template.spec.containers: '
             'Required value\n'),
        Case("selector-missing", {f: deploy("nosel", "  selector:\n    matchLabels: {app: nosel}\n",
                                            "")},
             'The Deployment "nosel" is invalid: \n'
             '* spec.selector: Required value\n'
             '* spec.template.metadata.labels: Invalid value: '
             'map[string]string{"app":"nosel"}: `selector` does not match template '
             '`labels`\n'),
        Case("image-missing", {f: deploy("noimage", "        image: nginx:1.14.2\n", "")},
             'The Deployment "noimage" is invalid: '
             'spec.template.spec.containers[0].image: Required value\n'),
        Case("restart-policy-never", {f: deploy("never", "      containers:",
                                                "      restartPolicy: Never\n      containers:")},
             'The Deployment "never" is invalid: spec.template.spec.restartPolicy: '
             'Unsupported value: "Never": supported values: "Always"\n'),
        Case("seed-redis-service", {f: b"""\
apiVersion: v1
kind: Service
metadata:
  name: redis
  namespace: default
spec:
  selector:
    app: redis
    role: logstor
  type: ClusterIP
  ports:
  - port: 6379
  - targetPort: 6379
"""},
             'The Service "redis" is invalid: \n'
             '* spec.ports[0].name: Required value\n'
             '* spec.ports[1].name: Required value\n'
             '* spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, '
             'inclusive\n'),
        Case("service-type-bogus", {f: obj({"apiVersion": "v1", "kind": "Service",
                                            "metadata": {"name": "bogus"},
                                            "spec": {"type": "Bogus",
                                                     "ports": [{"port": 80}]}})},
             'The Service "bogus" is invalid: spec.type: Unsupported value: "Bogus": '
             'supported values: "ClusterIP", "ExternalName", "LoadBalancer", '
             '"NodePort"\n'),
        Case("port-out-of-range", {f: deploy("bigport", "containerPort: 80",
                                             "containerPort: 70000")},
             'The Deployment "bigport" is invalid: '
             'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: '
             '70000: must be between 1 and 65535, inclusive\n'),
        Case("missing-namespace", {f: cm("nons").replace(b"  name: nons\n",
                                                         b"  name: nons\n  namespace: nowhere\n")},
             'Error from server (NotFound): error when creating "f.yaml": namespaces '
             '"nowhere" not found\n'),
        Case("immutable-selector", {f: EXISTING.replace(
            "    matchLabels: {app: apply-test-pd}",
            "    matchLabels: {app: apply-test-pd, tier: x}").replace(
            "      labels: {app: apply-test-pd}", "      labels: {app: apply-test-pd, tier: x}"
        ).encode()},
             'The Deployment "apply-test-pd" is invalid: spec.selector: Invalid '
             'value: v1.LabelSelector{MatchLabels:map[string]string{"app":"apply-test-'
             'pd", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
             'field is immutable\n'),
        Case("patch-negative-replicas", {f: EXISTING.replace("replicas: 2", "replicas: -3")
                                         .encode()},
             'The Deployment "apply-test-pd" is invalid: spec.replicas: Invalid '
             'value: -3: must be greater than or equal to 0\n'),
        Case("patch-wrong-type", {f: EXISTING.replace("replicas: 2", 'replicas: "x"').encode()},
             'Error from server (BadRequest): error when applying patch:\n'
             '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configur'
             'ation":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\"'
             ':{\\"annotations\\":{},\\"labels\\":{\\"app\\":\\"apply-test-pd\\"},\\"name\\":\\"a'
             'pply-test-pd\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":\\"x\\",\\'
             '"selector\\":{\\"matchLabels\\":{\\"app\\":\\"apply-test-pd\\"}},\\"template\\":{'
             '\\"metadata\\":{\\"labels\\":{\\"app\\":\\"apply-test-pd\\"}},\\"spec\\":{\\"contai'
             'ners\\":[{\\"image\\":\\"nginx:1.14.2\\",\\"name\\":\\"nginx\\",\\"ports\\":[{\\"con'
             'tainerPort\\":80}]}]}}}}\\n"}},"spec":{"replicas":"x"}}\n'
             'to:\n'
             'Resource: "apps/v1, Resource=deployments", GroupVersionKind: "apps/v1, '
             'Kind=Deployment"\n'
             'Name: "apply-test-pd", Namespace: "default"\n'
             'for: "f.yaml": error when patching "f.yaml": Deployment in version "v1" '
             'cannot be handled as a Deployment: json: cannot unmarshal string into '
             'Go struct field DeploymentSpec.spec.replicas of type int32\n'),
        Case("second-document-invalid", {f: cm("okfirst") + b"---\n" + deploy("Second")},
             'The Deployment "Second" is invalid: metadata.name: Invalid value: '
             '"Second": a lowercase RFC 1123 subdomain must consist of lower case '
             "alphanumeric characters, '-' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'example.com', regex used for validation "
             "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"),
        Case("two-files-one-bad", {"a.yaml": cm("good-a"), f: deploy("neg2", "replicas: 2",
                                                                      "replicas: -2")},
             'The Deployment "neg2" is invalid: spec.replicas: Invalid value: -2: '
             'must be greater than or equal to 0\n'),
    ]


CASES = _cases() + _server_cases()
