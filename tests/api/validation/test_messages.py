"""Table-driven checks of per-kind validation against upstream's exact messages.

Each case mutates a valid (already defaulted) object and compares the full
``str(FieldError)`` list with what kube-apiserver v1.32 reports for it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from engine.api.resources import by_group_plural
from engine.api.validation import (
    validate_object,
    validate_object_update,
    validate_status_update,
)
from tests.api.validation import builders as b

Obj = dict[str, Any]

DNS_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
             "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
             "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                 "characters, '-' or '.', and must start and end with an alphanumeric character "
                 "(e.g. 'example.com', regex used for validation is "
                 "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
           "with an alphabetic character, and end with an alphanumeric character (e.g. "
           "'my-name',  or 'abc-123', regex used for validation is "
           "'[a-z]([-a-z0-9]*[a-z0-9])?')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, "
               "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
               "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
               "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
QUALIFIED_NAME = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                  "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
                  "or '123-abc', regex used for validation is "
                  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
CONFIG_KEY = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
              "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
              "'[-._a-zA-Z0-9]+')")
POD_UPDATE_FIRST_LINE = (
    "spec: Forbidden: pod updates may not change fields other than "
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
    "negative)")
NODE_TERM = ("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
             "nodeSelectorTerms[0].matchExpressions[0]")


def c0(obj: Obj) -> Obj:
    """The first container of a pod."""
    return obj["spec"]["containers"][0]


def tspec(obj: Obj) -> Obj:
    """A workload's pod template spec."""
    return obj["spec"]["template"]["spec"]


def setp(obj: Obj, path: str, value: Any) -> Obj:
    """Set a dotted path (creating dicts) and return the object."""
    cur = obj
    parts = path.split(".")
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value
    return obj


def delp(obj: Obj, path: str) -> Obj:
    cur = obj
    parts = path.split(".")
    for part in parts[:-1]:
        cur = cur[part]
    del cur[parts[-1]]
    return obj


Mut = Callable[[Obj], Any]

# id, (plural, group, builder), mutation, expected messages
CREATE_CASES: list[tuple[str, tuple, Mut, list[str]]] = [
    ("pod-port-range", ("pods", "", b.pod),
     lambda o: c0(o)["ports"][0].update(containerPort=70000),
     ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and "
      "65535, inclusive"]),
    ("pod-mount-unknown-volume", ("pods", "", b.pod),
     lambda o: c0(o).update(volumeMounts=[{"name": "x", "mountPath": "/x"}]),
     ['spec.containers[0].volumeMounts[0].name: Not found: "x"']),
    ("pod-request-above-limit", ("pods", "", b.pod),
     lambda o: c0(o).update(resources={"limits": {"cpu": "1"}, "requests": {"cpu": "2"}}),
     ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal '
      "to cpu limit of 1"]),
    ("pod-image-required", ("pods", "", b.pod), lambda o: c0(o).pop("image"),
     ["spec.containers[0].image: Required value"]),
    ("pod-container-name", ("pods", "", b.pod), lambda o: c0(o).update(name="App_1"),
     [f'spec.containers[0].name: Invalid value: "App_1": {DNS_LABEL}']),
    ("pod-port-protocol", ("pods", "", b.pod),
     lambda o: c0(o)["ports"][0].update(protocol="HTTP"),
     ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: '
      '"SCTP", "TCP", "UDP"']),
    ("pod-duplicate-port-name", ("pods", "", b.pod),
     lambda o: c0(o).update(ports=[{"name": "http", "containerPort": 80, "protocol": "TCP"},
                                   {"name": "http", "containerPort": 81, "protocol": "TCP"}]),
     ['spec.containers[0].ports[1].name: Duplicate value: "http"']),
    ("pod-pull-policy", ("pods", "", b.pod), lambda o: c0(o).update(imagePullPolicy="Sometimes"),
     ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: '
      '"Always", "IfNotPresent", "Never"']),
    ("pod-restart-policy", ("pods", "", b.pod),
     lambda o: o["spec"].update(restartPolicy="Sometimes"),
     ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", '
      '"OnFailure", "Never"']),
    ("pod-dns-policy", ("pods", "", b.pod), lambda o: o["spec"].update(dnsPolicy="Foo"),
     ['spec.dnsPolicy: Unsupported value: "Foo": supported values: "ClusterFirstWithHostNet", '
      '"ClusterFirst", "Default", "None"']),
    ("pod-env-two-sources", ("pods", "", b.pod),
     lambda o: c0(o).update(env=[{"name": "A", "valueFrom": {
         "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"},
         "secretKeyRef": {"name": "s", "key": "k"}}}]),
     ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one '
      "field specified at a time"]),
    ("pod-env-value-and-source", ("pods", "", b.pod),
     lambda o: c0(o).update(env=[{"name": "A", "value": "x", "valueFrom": {
         "secretKeyRef": {"name": "s", "key": "k"}}}]),
     ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when '
      "`value` is not empty"]),
    ("pod-env-field-path", ("pods", "", b.pod),
     lambda o: c0(o).update(env=[{"name": "A", "valueFrom": {
         "fieldRef": {"apiVersion": "v1", "fieldPath": "spec.schedulerName"}}}]),
     ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: '
      '"spec.schedulerName": supported values: "metadata.name", "metadata.namespace", '
      '"metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", '
      '"status.hostIPs", "status.podIP", "status.podIPs"']),
    ("pod-probe-two-handlers", ("pods", "", b.pod),
     lambda o: c0(o).update(livenessProbe={
         "exec": {"command": ["true"]}, "httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
         "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
         "failureThreshold": 3}),
     ["spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 "
      "handler type"]),
    ("pod-probe-no-handler", ("pods", "", b.pod),
     lambda o: c0(o).update(readinessProbe={"periodSeconds": 10, "timeoutSeconds": 1,
                                            "successThreshold": 1, "failureThreshold": 3}),
     ["spec.containers[0].readinessProbe: Required value: must specify a handler type"]),
    ("pod-liveness-success-threshold", ("pods", "", b.pod),
     lambda o: c0(o).update(livenessProbe={"tcpSocket": {"port": 80}, "successThreshold": 2}),
     ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]),
    ("pod-volume-two-sources", ("pods", "", b.pod),
     lambda o: o["spec"].update(volumes=[{"name": "v", "emptyDir": {},
                                          "hostPath": {"path": "/x", "type": ""}}]),
     ["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"]),
    ("pod-duplicate-volume", ("pods", "", b.pod),
     lambda o: o["spec"].update(volumes=[{"name": "v", "emptyDir": {}},
                                         {"name": "v", "emptyDir": {}}]),
     ['spec.volumes[1].name: Duplicate value: "v"']),
    ("pod-toleration-exists-value", ("pods", "", b.pod),
     lambda o: o["spec"].update(tolerations=[{"key": "k", "operator": "Exists", "value": "x"}]),
     ['spec.tolerations[0].operator: Invalid value: "x": value must be empty when `operator` '
      "is 'Exists'"]),
    ("pod-toleration-seconds", ("pods", "", b.pod),
     lambda o: o["spec"].update(tolerations=[{"key": "k", "operator": "Exists",
                                              "effect": "NoSchedule", "tolerationSeconds": 5}]),
     ['spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' '
      "when `tolerationSeconds` is set"]),
    ("pod-toleration-effect", ("pods", "", b.pod),
     lambda o: o["spec"].update(tolerations=[{"key": "k", "operator": "Exists",
                                              "effect": "Never"}]),
     ['spec.tolerations[0].effect: Unsupported value: "Never": supported values: '
      '"NoSchedule", "PreferNoSchedule", "NoExecute"']),
    ("pod-node-affinity-gt", ("pods", "", b.pod),
     lambda o: o["spec"].update(affinity={"nodeAffinity": {
         "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
             {"matchExpressions": [{"key": "cores", "operator": "Gt",
                                    "values": ["1", "2"]}]}]}}}),
     [f"{NODE_TERM}.values: Required value: must be specified single value when `operator` "
      "is 'Lt' or 'Gt'"]),
    ("pod-node-affinity-operator", ("pods", "", b.pod),
     lambda o: o["spec"].update(affinity={"nodeAffinity": {
         "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
             {"matchExpressions": [{"key": "zone", "operator": "Near",
                                    "values": ["a"]}]}]}}}),
     [f'{NODE_TERM}.operator: Invalid value: "Near": not a valid selector operator']),
    ("pod-anti-affinity-weight", ("pods", "", b.pod),
     lambda o: o["spec"].update(affinity={"podAntiAffinity": {
         "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 0, "podAffinityTerm": {
             "labelSelector": {"matchLabels": {"app": "web"}},
             "topologyKey": "kubernetes.io/hostname"}}]}}),
     ["spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]."
      "weight: Invalid value: 0: must be in the range 1-100"]),
    ("pod-affinity-topology-key", ("pods", "", b.pod),
     lambda o: o["spec"].update(affinity={"podAffinity": {
         "requiredDuringSchedulingIgnoredDuringExecution": [{
             "labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": ""}]}}),
     ["spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]."
      "topologyKey: Required value: can not be empty",
      "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]."
      'topologyKey: Invalid value: "": name part must be non-empty',
      "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]."
      f'topologyKey: Invalid value: "": {QUALIFIED_NAME}']),
    ("pod-node-selector-value", ("pods", "", b.pod),
     lambda o: o["spec"].update(nodeSelector={"disk": "ssd!"}),
     [f'spec.nodeSelector: Invalid value: "ssd!": {LABEL_VALUE}']),
    ("pod-active-deadline", ("pods", "", b.pod),
     lambda o: o["spec"].update(activeDeadlineSeconds=0),
     ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, "
      "inclusive"]),
    ("pod-hostname", ("pods", "", b.pod), lambda o: o["spec"].update(hostname="Web_1"),
     [f'spec.hostname: Invalid value: "Web_1": {DNS_LABEL}']),
    ("pod-topology-spread-skew", ("pods", "", b.pod),
     lambda o: o["spec"].update(topologySpreadConstraints=[{
         "maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]),
     ["spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than "
      "zero"]),
    ("pod-run-as-user", ("pods", "", b.pod),
     lambda o: c0(o).update(securityContext={"runAsUser": -1}),
     ["spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and "
      "2147483647, inclusive"]),
    ("pod-finalizer-name", ("pods", "", b.pod),
     lambda o: o["metadata"].update(finalizers=["foo"]),
     ['metadata.finalizers[0]: Invalid value: "foo": name is neither a standard finalizer name '
      "nor is it fully qualified"]),
    ("pod-label-value", ("pods", "", b.pod),
     lambda o: o["metadata"]["labels"].update(app="-web-"),
     [f'metadata.labels: Invalid value: "-web-": {LABEL_VALUE}']),
    ("service-node-port-cluster-ip", ("services", "", b.service),
     lambda o: o["spec"]["ports"][0].update(nodePort=30080),
     ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]),
    ("service-port-zero", ("services", "", b.service),
     lambda o: o["spec"]["ports"][0].update(port=0),
     ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"]),
    ("service-type", ("services", "", b.service), lambda o: o["spec"].update(type="Internal"),
     ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName",'
      ' "LoadBalancer", "NodePort"']),
    ("service-name-dns1035", ("services", "", b.service),
     lambda o: o["metadata"].update(name="1web"),
     [f'metadata.name: Invalid value: "1web": {DNS1035}']),
    ("service-session-affinity", ("services", "", b.service),
     lambda o: o["spec"].update(sessionAffinity="Sticky"),
     ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", '
      '"None"']),
    ("service-ports-required", ("services", "", b.service), lambda o: o["spec"].pop("ports"),
     ["spec.ports: Required value"]),
    ("service-external-name", ("services", "", b.service),
     lambda o: o["spec"].update(type="ExternalName", externalName="bad_name"),
     [f'spec.externalName: Invalid value: "bad_name": {DNS_SUBDOMAIN}']),
    ("service-port-names-required", ("services", "", b.service),
     lambda o: o["spec"]["ports"].append({"name": "b", "port": 81, "targetPort": 81,
                                          "protocol": "TCP"}),
     ["spec.ports[0].name: Required value"]),
    ("configmap-key", ("configmaps", "", b.config_map),
     lambda o: o["data"].update({"bad key": "x"}),
     [f'data[bad key]: Invalid value: "bad key": {CONFIG_KEY}']),
    ("configmap-too-big", ("configmaps", "", b.config_map),
     lambda o: o["data"].update(big="x" * (1024 * 1024)),
     [": Too long: may not be more than 1048576 bytes"]),
    ("secret-tls", ("secrets", "", b.secret),
     lambda o: o.update(type="kubernetes.io/tls"),
     ["data[tls.crt]: Required value", "data[tls.key]: Required value"]),
    ("secret-dockerconfigjson", ("secrets", "", b.secret),
     lambda o: o.update(type="kubernetes.io/dockerconfigjson"),
     ["data[.dockerconfigjson]: Required value"]),
    ("secret-sa-token", ("secrets", "", b.secret),
     lambda o: o.update(type="kubernetes.io/service-account-token"),
     ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]),
    ("namespace-name", ("namespaces", "", lambda: {"metadata": {"name": "My-NS"}}), lambda o: 0,
     [f'metadata.name: Invalid value: "My-NS": {DNS_LABEL}']),
    ("deployment-selector-mismatch", ("deployments", "apps", b.deployment),
     lambda o: o["spec"].update(selector={"matchLabels": {"app": "other"}}),
     ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
      "`selector` does not match template `labels`"]),
    ("deployment-restart-policy", ("deployments", "apps", b.deployment),
     lambda o: tspec(o).update(restartPolicy="OnFailure"),
     ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: '
      '"Always"']),
    ("deployment-zero-zero", ("deployments", "apps", b.deployment),
     lambda o: o["spec"]["strategy"].update(rollingUpdate={"maxUnavailable": 0, "maxSurge": 0}),
     ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, '
      'IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0']),
    ("deployment-over-100-percent", ("deployments", "apps", b.deployment),
     lambda o: o["spec"]["strategy"]["rollingUpdate"].update(maxUnavailable="150%"),
     ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, '
      'IntVal:0, StrVal:"150%"}: must not be greater than 100%']),
    ("deployment-bad-percent", ("deployments", "apps", b.deployment),
     lambda o: o["spec"]["strategy"]["rollingUpdate"].update(maxSurge="half"),
     ['spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, '
      'IntVal:0, StrVal:"half"}: a valid percent string must be a numeric string followed by '
      "an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]),
    ("deployment-progress-deadline", ("deployments", "apps", b.deployment),
     lambda o: o["spec"].update(progressDeadlineSeconds=5, minReadySeconds=10),
     ["spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds"]),
    ("deployment-replicas", ("deployments", "apps", b.deployment),
     lambda o: o["spec"].update(replicas=-1),
     ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]),
    ("deployment-history", ("deployments", "apps", b.deployment),
     lambda o: o["spec"].update(revisionHistoryLimit=-1),
     ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"]),
    ("deployment-strategy-type", ("deployments", "apps", b.deployment),
     lambda o: o["spec"].update(strategy={"type": "Blue"}),
     ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Blue", '
      "RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", "
      '"RollingUpdate"']),
    ("deployment-selector-required", ("deployments", "apps", b.deployment),
     lambda o: o["spec"].pop("selector"),
     ["spec.selector: Required value",
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
      "`selector` does not match template `labels`"]),
    ("statefulset-pod-management", ("statefulsets", "apps", b.stateful_set),
     lambda o: o["spec"].update(podManagementPolicy="Random"),
     ['spec.podManagementPolicy: Invalid value: "Random": must be \'OrderedReady\' or '
      "'Parallel'"]),
    ("statefulset-partition", ("statefulsets", "apps", b.stateful_set),
     lambda o: o["spec"]["updateStrategy"]["rollingUpdate"].update(partition=-2),
     ["spec.updateStrategy.rollingUpdate.partition: Invalid value: -2: must be greater than or "
      "equal to 0"]),
    ("daemonset-surge-and-unavailable", ("daemonsets", "apps", b.daemon_set),
     lambda o: o["spec"]["updateStrategy"]["rollingUpdate"].update(maxSurge=1),
     ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, '
      'IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero']),
    ("job-restart-always", ("jobs", "batch", b.job),
     lambda o: tspec(o).update(restartPolicy="Always"),
     ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']),
    ("job-parallelism", ("jobs", "batch", b.job), lambda o: o["spec"].update(parallelism=-1),
     ["spec.parallelism: Invalid value: -1: must be greater than or equal to 0"]),
    ("job-backoff-limit", ("jobs", "batch", b.job), lambda o: o["spec"].update(backoffLimit=-1),
     ["spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"]),
    ("job-completion-mode", ("jobs", "batch", b.job),
     lambda o: o["spec"].update(completionMode="Sometimes"),
     ['spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", '
      '"Indexed"']),
    ("cronjob-schedule", ("cronjobs", "batch", b.cron_job),
     lambda o: o["spec"].update(schedule="bad"),
     ['spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]']),
    ("cronjob-schedule-range", ("cronjobs", "batch", b.cron_job),
     lambda o: o["spec"].update(schedule="0 25 * * *"),
     ['spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25']),
    ("cronjob-schedule-descriptor", ("cronjobs", "batch", b.cron_job),
     lambda o: o["spec"].update(schedule="@fortnightly"),
     ['spec.schedule: Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly']),
    ("cronjob-schedule-tz", ("cronjobs", "batch", b.cron_job),
     lambda o: o["spec"].update(schedule="CRON_TZ=UTC 0 * * * *"),
     ['spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in '
      "schedule, use timeZone field instead"]),
    ("cronjob-time-zone", ("cronjobs", "batch", b.cron_job),
     lambda o: o["spec"].update(timeZone="Mars/Base"),
     ['spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base']),
    ("cronjob-concurrency", ("cronjobs", "batch", b.cron_job),
     lambda o: o["spec"].update(concurrencyPolicy="Sometimes"),
     ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", '
      '"Forbid", "Replace"']),
    ("cronjob-name-length", ("cronjobs", "batch", b.cron_job),
     lambda o: o["metadata"].update(name="c" * 53),
     [f'metadata.name: Invalid value: "{"c" * 53}": must be no more than 52 characters']),
    ("hpa-max-below-min", ("horizontalpodautoscalers", "autoscaling", b.hpa),
     lambda o: o["spec"].update(minReplicas=5, maxReplicas=2),
     ["spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"]),
    ("hpa-min-replicas", ("horizontalpodautoscalers", "autoscaling", b.hpa),
     lambda o: o["spec"].update(minReplicas=0),
     ["spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"]),
    ("hpa-behavior-policy", ("horizontalpodautoscalers", "autoscaling", b.hpa),
     lambda o: o["spec"].update(behavior={"scaleUp": {"policies": [
         {"type": "Pods", "value": 4, "periodSeconds": 0}]}}),
     ["spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than "
      "zero"]),
    ("ingress-path-type-required", ("ingresses", "networking.k8s.io", b.ingress),
     lambda o: o["spec"]["rules"][0]["http"]["paths"][0].pop("pathType"),
     ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]),
    ("ingress-path-type", ("ingresses", "networking.k8s.io", b.ingress),
     lambda o: o["spec"]["rules"][0]["http"]["paths"][0].update(pathType="Regex"),
     ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: '
      '"Exact", "ImplementationSpecific", "Prefix"']),
    ("ingress-backend-port", ("ingresses", "networking.k8s.io", b.ingress),
     lambda o: o["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"].pop("port"),
     ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"]),
    ("ingress-no-rules", ("ingresses", "networking.k8s.io", b.ingress),
     lambda o: o["spec"].pop("rules"),
     ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` "
      "must be specified"]),
    ("networkpolicy-except", ("networkpolicies", "networking.k8s.io", b.network_policy),
     lambda o: o["spec"]["ingress"][0]["from"][0]["ipBlock"].update(
         {"except": ["192.168.0.0/16"]}),
     ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a '
      "strict subset of `cidr`"]),
    ("rbac-verbs", ("roles", "rbac.authorization.k8s.io", b.role),
     lambda o: o["rules"][0].update(verbs=[]),
     ["rules[0].verbs: Required value: verbs must contain at least one value"]),
    ("rbac-name-path-segment", ("roles", "rbac.authorization.k8s.io", b.role),
     lambda o: o["metadata"].update(name="a/b"),
     ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]),
    ("rbac-subject-kind", ("rolebindings", "rbac.authorization.k8s.io", b.role_binding),
     lambda o: o["subjects"][0].update(kind="Robot"),
     ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", '
      '"User", "Group"']),
    ("priorityclass-value", ("priorityclasses", "scheduling.k8s.io", b.priority_class),
     lambda o: o.update(value=2_000_000_000),
     ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]),
    ("priorityclass-system-prefix", ("priorityclasses", "scheduling.k8s.io", b.priority_class),
     lambda o: o["metadata"].update(name="system-foo"),
     ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for "
      "system use only. error: system-foo is not a known system priority class"]),
    ("storageclass-reclaim", ("storageclasses", "storage.k8s.io", b.storage_class),
     lambda o: o.update(reclaimPolicy="Recycle"),
     ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']),
    ("storageclass-binding-mode", ("storageclasses", "storage.k8s.io", b.storage_class),
     lambda o: o.update(volumeBindingMode="Later"),
     ['volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", '
      '"WaitForFirstConsumer"']),
    ("storageclass-provisioner", ("storageclasses", "storage.k8s.io", b.storage_class),
     lambda o: o.pop("provisioner"), ["provisioner: Required value"]),
    ("node-taint-effect", ("nodes", "", b.node),
     lambda o: o["spec"]["taints"][0].pop("effect"),
     ["metadata.taints[0].effect: Required value"]),
    ("pvc-storage-zero", ("persistentvolumeclaims", "", b.pvc),
     lambda o: o["spec"]["resources"]["requests"].update(storage="0"),
     ['spec.resources[storage]: Invalid value: "0": must be greater than zero']),
    ("pvc-access-mode", ("persistentvolumeclaims", "", b.pvc),
     lambda o: o["spec"].update(accessModes=["ReadWriteSometimes"]),
     ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: '
      '"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"']),
    ("pv-reclaim", ("persistentvolumes", "", b.pv),
     lambda o: o["spec"].update(persistentVolumeReclaimPolicy="Keep"),
     ['spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: '
      '"Delete", "Recycle", "Retain"']),
    ("pdb-percent", ("poddisruptionbudgets", "policy", b.pdb),
     lambda o: o["spec"].update(minAvailable="120%"),
     ['spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: '
      "must not be greater than 100%"]),
    ("lease-duration", ("leases", "coordination.k8s.io", b.lease),
     lambda o: o["spec"].update(leaseDurationSeconds=0),
     ["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"]),
    ("endpointslice-ipv4", ("endpointslices", "discovery.k8s.io", b.endpoint_slice),
     lambda o: o["endpoints"][0].update(addresses=["10.0.0.256"]),
     ['endpoints[0].addresses[0]: Invalid value: "10.0.0.256": must be a valid IPv4 address']),
    ("endpointslice-address-type", ("endpointslices", "discovery.k8s.io", b.endpoint_slice),
     lambda o: o.update(addressType="IPv5"),
     ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']),
    ("event-namespace", ("events", "", lambda: {
        "metadata": {"name": "e.1", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": "other"}}), lambda o: 0,
     ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']),
    ("limitrange-min-above-max", ("limitranges", "", lambda: {
        "metadata": {"name": "lr", "namespace": "default"},
        "spec": {"limits": [{"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}}]}}),
     lambda o: 0,
     ["spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1"]),
    ("limitrange-pod-default", ("limitranges", "", lambda: {
        "metadata": {"name": "lr", "namespace": "default"},
        "spec": {"limits": [{"type": "Pod", "default": {"cpu": "1"}}]}}), lambda o: 0,
     ["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"]),
    ("resourcequota-resource-name", ("resourcequotas", "", lambda: {
        "metadata": {"name": "q", "namespace": "default"}, "spec": {"hard": {"foo": "1"}}}),
     lambda o: 0,
     ['spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully '
      "qualified",
      'spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota']),
    ("resourcequota-conflicting-scopes", ("resourcequotas", "", lambda: {
        "metadata": {"name": "q", "namespace": "default"},
        "spec": {"hard": {"pods": "10"}, "scopes": ["BestEffort", "NotBestEffort"]}}),
     lambda o: 0,
     ['spec.scopes: Invalid value: []string{"BestEffort", "NotBestEffort"}: conflicting '
      "scopes"]),
    ("endpoints-addresses-required", ("endpoints", "", lambda: {
        "metadata": {"name": "web", "namespace": "default"},
        "subsets": [{"ports": [{"port": 80, "protocol": "TCP"}]}]}), lambda o: 0,
     ["subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"]),
    ("endpoints-loopback", ("endpoints", "", lambda: {
        "metadata": {"name": "web", "namespace": "default"},
        "subsets": [{"addresses": [{"ip": "127.0.0.1"}]}]}), lambda o: 0,
     ['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback '
      "range (127.0.0.0/8, ::1/128)"]),
    ("rc-selector-mismatch", ("replicationcontrollers", "", lambda: {
        "metadata": {"name": "rc", "namespace": "default"},
        "spec": {"replicas": 1, "selector": {"app": "other"}, "template": b.template()}}),
     lambda o: 0,
     ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
      "`selector` does not match template `labels`"]),
    ("podtemplate-image", ("podtemplates", "", lambda: {
        "metadata": {"name": "pt", "namespace": "default"}, "template": b.template()}),
     lambda o: o["template"]["spec"]["containers"][0].pop("image"),
     ["template.spec.containers[0].image: Required value"]),
    ("serviceaccount-name", ("serviceaccounts", "", lambda: {
        "metadata": {"name": "Robot", "namespace": "default"}}), lambda o: 0,
     [f'metadata.name: Invalid value: "Robot": {DNS_SUBDOMAIN}']),
    ("cronjob-manual-selector", ("cronjobs", "batch", b.cron_job),
     lambda o: o["spec"]["jobTemplate"]["spec"].update(manualSelector=True),
     ['spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil",'
      ' "false"']),
    ("job-selector-not-generated", ("jobs", "batch", b.job),
     lambda o: (o["spec"].update(selector={"matchLabels": {"app": "web"}}),
                o["spec"]["template"]["metadata"]["labels"].update(app="web")),
     ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":'
      '"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not '
      "auto-generated"]),
]


def _info(plural: str, group: str):
    return by_group_plural(group, plural)


@pytest.mark.parametrize(("kind", "mutate", "expected"),
                         [pytest.param(k, m, e, id=i) for i, k, m, e in CREATE_CASES])
def test_create_messages(kind: tuple, mutate: Mut, expected: list[str]) -> None:
    plural, group, builder = kind
    obj = copy.deepcopy(builder())
    mutate(obj)
    assert [str(e) for e in validate_object(_info(plural, group), obj)] == expected


def test_case_table_covers_forty_distinct_inputs() -> None:
    assert len({case[0] for case in CREATE_CASES}) == len(CREATE_CASES) >= 40


@pytest.mark.parametrize(("plural", "group", "builder"), b.SAMPLES)
def test_samples_are_valid(plural: str, group: str, builder: Callable[[], Obj]) -> None:
    info = _info(plural, group)
    assert validate_object(info, builder()) == []
    assert validate_object_update(info, builder(), builder()) == []


# -- updates -------------------------------------------------------------------------

# id, kind, mutation of the new object, expected messages
UPDATE_CASES: list[tuple[str, tuple, Mut, list[str]]] = [
    ("deployment-selector-immutable", ("deployments", "apps", b.deployment),
     lambda o: (o["spec"]["selector"]["matchLabels"].update(tier="x"),
                o["spec"]["template"]["metadata"]["labels"].update(tier="x")),
     ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web",'
      ' "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable']),
    ("statefulset-forbidden-field", ("statefulsets", "apps", b.stateful_set),
     lambda o: o["spec"].update(serviceName="other"),
     ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
      "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
      "'minReadySeconds' are forbidden"]),
    ("statefulset-replicas-allowed", ("statefulsets", "apps", b.stateful_set),
     lambda o: o["spec"].update(replicas=5), []),
    ("configmap-immutable", ("configmaps", "", lambda: {**b.config_map(), "immutable": True}),
     lambda o: o["data"].update(a="2"),
     ["data: Forbidden: field is immutable when `immutable` is set"]),
    ("configmap-immutable-unset", ("configmaps", "",
                                   lambda: {**b.config_map(), "immutable": True}),
     lambda o: o.pop("immutable"),
     ["immutable: Forbidden: field is immutable when `immutable` is set"]),
    ("secret-type-immutable", ("secrets", "", b.secret), lambda o: o.update(type="foo/bar"),
     ['type: Invalid value: "foo/bar": field is immutable']),
    ("rolebinding-roleref", ("rolebindings", "rbac.authorization.k8s.io", b.role_binding),
     lambda o: o["roleRef"].update(name="writer"),
     ['roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", '
      'Name:"writer"}: cannot change roleRef']),
    ("priorityclass-value-immutable", ("priorityclasses", "scheduling.k8s.io",
                                       b.priority_class),
     lambda o: o.update(value=5), ["value: Forbidden: may not be changed in an update."]),
    ("storageclass-provisioner-immutable", ("storageclasses", "storage.k8s.io",
                                            b.storage_class),
     lambda o: o.update(provisioner="example.com/slow"),
     ["provisioner: Forbidden: updates to provisioner are forbidden."]),
    ("node-pod-cidr", ("nodes", "", b.node),
     lambda o: o["spec"].update(podCIDR="10.244.1.0/24", podCIDRs=["10.244.1.0/24"]),
     ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to '
      "valid"]),
    ("endpointslice-address-type", ("endpointslices", "discovery.k8s.io", b.endpoint_slice),
     lambda o: o.update(addressType="FQDN", endpoints=[{"addresses": ["web.example.com"]}]),
     ['addressType: Invalid value: "FQDN": field is immutable']),
    ("pod-toleration-modified", ("pods", "", lambda: {**b.pod(), "spec": {
        **b.pod_spec(), "tolerations": [{"key": "k", "operator": "Exists"}]}}),
     lambda o: o["spec"].update(tolerations=[{"key": "k2", "operator": "Exists"}]),
     ["spec.tolerations: Forbidden: existing toleration can not be modified except its "
      "tolerationSeconds"]),
    ("pod-toleration-added", ("pods", "", b.pod),
     lambda o: o["spec"].update(tolerations=[{"key": "k", "operator": "Exists"}]), []),
    ("pod-image-change-allowed", ("pods", "", b.pod),
     lambda o: c0(o).update(image="nginx:1.16"), []),
    ("pod-deadline-increase", ("pods", "", lambda: {**b.pod(), "spec": {
        **b.pod_spec(), "activeDeadlineSeconds": 10}}),
     lambda o: o["spec"].update(activeDeadlineSeconds=20),
     ["spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous "
      "value"]),
    ("pod-add-container", ("pods", "", b.pod),
     lambda o: o["spec"]["containers"].append(b.container("side")),
     ["spec.containers: Forbidden: pod updates may not add or remove containers"]),
    ("job-completions-immutable", ("jobs", "batch", b.job),
     lambda o: o["spec"].update(completions=3),
     ["spec.completions: Invalid value: 3: field is immutable"]),
    ("ingressclass-controller", ("ingressclasses", "networking.k8s.io", lambda: {
        "metadata": {"name": "nginx"}, "spec": {"controller": "k8s.io/ingress-nginx"}}),
     lambda o: o["spec"].update(controller="example.com/other"),
     ['spec.controller: Invalid value: "example.com/other": field is immutable']),
    ("cronjob-tz-kept", ("cronjobs", "batch", lambda: {**b.cron_job(), "spec": {
        **b.cron_job()["spec"], "schedule": "TZ=UTC 0 * * * *"}}),
     lambda o: o["spec"].update(schedule="TZ=UTC 5 * * * *"), []),
]


@pytest.mark.parametrize(("kind", "mutate", "expected"),
                         [pytest.param(k, m, e, id=i) for i, k, m, e in UPDATE_CASES])
def test_update_messages(kind: tuple, mutate: Mut, expected: list[str]) -> None:
    plural, group, builder = kind
    old = copy.deepcopy(builder())
    new = copy.deepcopy(old)
    mutate(new)
    assert [str(e) for e in validate_object_update(_info(plural, group), new, old)] == expected


def test_job_template_is_immutable() -> None:
    old = b.job()
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox"
    (err,) = validate_object_update(_info("jobs", "batch"), new, old)
    assert str(err).startswith("spec.template: Invalid value: ")
    assert str(err).endswith(": field is immutable")
    suspended = copy.deepcopy(old)
    suspended["spec"]["suspend"] = True
    moved = copy.deepcopy(suspended)
    moved["spec"]["template"]["spec"]["nodeSelector"] = {"zone": "a"}
    assert validate_object_update(_info("jobs", "batch"), moved, suspended) == []


def test_pod_update_message_first_line_and_diff() -> None:
    old = b.pod()
    new = copy.deepcopy(old)
    new["spec"]["nodeName"] = "node-1"
    new["spec"]["containers"][0]["image"] = "nginx:2"
    (err,) = validate_object_update(_info("pods", ""), new, old)
    first, *diff = str(err).split("\n")
    assert first == POD_UPDATE_FIRST_LINE
    # The diff is a simplified go-cmp report: the image change was munged away.
    assert diff == ["  core.PodSpec{", '+ \tnodeName: "node-1",', "  }", ""]


def test_pvc_spec_immutable_except_storage_of_bound_claims() -> None:
    info = _info("persistentvolumeclaims", "")
    old = b.pvc()
    grown = copy.deepcopy(old)
    grown["spec"]["resources"]["requests"]["storage"] = "2Gi"
    err = validate_object_update(info, grown, old)
    assert [str(e).split("\n")[0] for e in err] == [
        "spec: Forbidden: spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims"]
    old["status"] = grown["status"] = {"phase": "Bound", "capacity": {"storage": "1Gi"}}
    assert validate_object_update(info, grown, old) == []
    bound = copy.deepcopy(old)
    bound["spec"]["volumeName"] = "pv-1"
    assert validate_object_update(info, bound, old) == []


def test_status_updates() -> None:
    info = _info("deployments", "apps")
    old = b.deployment()
    new = copy.deepcopy(old)
    new["status"] = {"replicas": 1, "readyReplicas": 2}
    assert [str(e) for e in validate_status_update(info, new, old)] == [
        "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas"]
