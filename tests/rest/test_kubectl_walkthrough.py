"""The seeds' walkthroughs, command by command, through the real kubectl.

Each assertion is the line a real v1.32 cluster prints for the command at
that moment. Steps that need pods to run (rollouts, drain, logs, top) wait
for the workload controllers, scheduler and kubelets (issue 3).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time

from tests.rest.conftest import KUBECTL, needs_kubectl, wait_for

pytestmark = needs_kubectl
AGE = r"\d+[smhdy]\S*"

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  selector:
    matchLabels:
      app: nginx
  replicas: {replicas} # tells deployment to run {replicas} pods matching the template
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: {image}
        ports:
        - containerPort: 80
"""


def _manifest(tmp_path, name: str, replicas: int, image: str):
    path = tmp_path / name
    path.write_text(DEPLOYMENT.format(replicas=replicas, image=image))
    return str(path)


def _watch(served, tmp_path, ns: str) -> subprocess.Popen:
    return subprocess.Popen(
        [KUBECTL, "--kubeconfig", str(served.kubeconfig), "--cache-dir",
         str(tmp_path / "watch-cache"), "get", "--watch", "deployments", "-n", ns],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_apply_update_scale_with_watch_and_describe(kubectl, served, ns, tmp_path):
    watcher = _watch(served, tmp_path, ns)
    time.sleep(1.5)
    first = _manifest(tmp_path, "deployment.yaml", 2, "nginx:1.14.2")
    assert kubectl("apply", "-f", first, "-n", ns).stdout == (
        "deployment.apps/nginx-deployment created\n")
    assert kubectl("apply", "-f", first, "-n", ns).stdout == (
        "deployment.apps/nginx-deployment unchanged\n")
    update = _manifest(tmp_path, "deployment-update.yaml", 2, "nginx:1.16.1")
    assert kubectl("apply", "-f", update, "-n", ns).stdout == (
        "deployment.apps/nginx-deployment configured\n")
    scale = _manifest(tmp_path, "deployment-scale.yaml", 4, "nginx:1.16.1")
    assert kubectl("apply", "-f", scale, "-n", ns).stdout == (
        "deployment.apps/nginx-deployment configured\n")
    time.sleep(1.0)
    watcher.send_signal(signal.SIGINT)
    out, _ = watcher.communicate(timeout=10)
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert re.fullmatch(rf"nginx-deployment\s+0/2\s+0\s+0\s+{AGE}", lines[1])
    # Controllers (when running) add status updates; the last row has 4 desired.
    assert re.fullmatch(rf"nginx-deployment\s+\d/4\s+\d+\s+\d+\s+{AGE}", lines[-1])
    assert len(lines) >= 4  # created, image updated, scaled (+ controller updates)

    described = kubectl("describe", "deployment", "nginx-deployment", "-n", ns).stdout
    assert re.search(r"^Name:\s+nginx-deployment$", described, re.M)
    assert re.search(rf"^Namespace:\s+{ns}$", described, re.M)
    assert re.search(r"^Selector:\s+app=nginx$", described, re.M)
    assert re.search(r"^Replicas:\s+4 desired \| \d+ updated \| \d+ total \| \d+ available \| "
                     r"\d+ unavailable$", described, re.M)
    assert re.search(r"^StrategyType:\s+RollingUpdate$", described, re.M)
    assert re.search(r"^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$",
                     described, re.M)
    assert re.search(r"^\s+Image:\s+nginx:1.16.1$", described, re.M)
    assert re.search(r"^\s+Port:\s+80/TCP$", described, re.M)

    applied = json.loads(kubectl("get", "deployment", "nginx-deployment", "-n", ns,
                                 "-o", "json").stdout)
    last = applied["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert json.loads(last)["spec"]["replicas"] == 4
    assert applied["metadata"]["generation"] == 3


def test_create_expose_scale_set_image_label_annotate(kubectl, ns):
    k = lambda *a: kubectl(*a, "-n", ns).stdout  # noqa: E731
    assert k("create", "deployment", "web", "--image=nginx", "--replicas=3") == (
        "deployment.apps/web created\n")
    lines = k("get", "deployment", "web").splitlines()
    assert re.fullmatch(rf"web\s+\d/3\s+\d\s+\d\s+{AGE}", lines[1])
    assert k("expose", "deployment", "web", "--port=80", "--target-port=8080") == (
        "service/web exposed\n")
    svc = k("get", "service", "web").splitlines()
    assert svc[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert re.fullmatch(rf"web\s+ClusterIP\s+\S+\s+<none>\s+80/TCP\s+{AGE}", svc[1])
    assert k("scale", "deployment", "web", "--replicas=5") == "deployment.apps/web scaled\n"
    assert k("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}") == "5"
    assert k("set", "image", "deployment/web", "nginx=nginx:1.25") == (
        "deployment.apps/web image updated\n")
    assert k("get", "deployment", "web", "-o",
             "jsonpath={.spec.template.spec.containers[0].image}") == "nginx:1.25"
    assert k("label", "deployment", "web", "tier=front") == "deployment.apps/web labeled\n"
    assert k("annotate", "deployment", "web", "note=hello") == "deployment.apps/web annotated\n"
    shown = k("get", "deployment", "web", "--show-labels").splitlines()
    assert shown[1].split()[-1] == "app=web,tier=front"
    assert k("label", "deployment", "web", "tier-") == "deployment.apps/web unlabeled\n"
    wide = k("get", "deployment", "web", "-o", "wide").splitlines()
    assert wide[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS",
                               "IMAGES", "SELECTOR"]
    assert wide[1].split()[5:] == ["nginx", "nginx:1.25", "app=web"]


def test_scale_current_replicas_precondition(kubectl, ns):
    kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", ns)
    ok = kubectl("scale", "deployment", "web", "--current-replicas=2", "--replicas=3", "-n", ns)
    assert ok.stdout == "deployment.apps/web scaled\n"
    stale = kubectl("scale", "deployment", "web", "--current-replicas=2", "--replicas=4",
                    "-n", ns, check=False)
    assert stale.returncode == 1
    assert "Expected replicas to be 2, was 3" in stale.stderr


def test_run_creates_a_pod(kubectl, ns):
    assert kubectl("run", "nginx", "--image=nginx", "-n", ns).stdout == "pod/nginx created\n"
    lines = kubectl("get", "pods", "-n", ns).stdout.splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    # Pending until scheduled, ContainerCreating while the image is pulled, then Running.
    assert re.fullmatch(rf"nginx\s+[01]/1\s+(Pending|ContainerCreating|Running)\s+0\s+{AGE}",
                        lines[1])
    wide = kubectl("get", "pods", "-n", ns, "-o", "wide").stdout.splitlines()
    assert wide[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                               "NOMINATED", "NODE", "READINESS", "GATES"]
    assert wide[1].split()[-2:] == ["<none>", "<none>"]


def test_cordon_uncordon(kubectl):
    assert kubectl("cordon", "k9py-worker").stdout == "node/k9py-worker cordoned\n"
    try:
        line = [x for x in kubectl("get", "nodes").stdout.splitlines()
                if x.startswith("k9py-worker ")][0]
        assert line.split()[1] == "Ready,SchedulingDisabled"
    finally:
        assert kubectl("uncordon", "k9py-worker").stdout == "node/k9py-worker uncordoned\n"
    line = [x for x in kubectl("get", "nodes").stdout.splitlines()
            if x.startswith("k9py-worker ")][0]
    assert line.split()[1] == "Ready"


def test_taint_and_untaint(kubectl):
    node = "k9py-worker2"
    assert kubectl("taint", "nodes", node, "dedicated=special:NoSchedule").stdout == (
        f"node/{node} tainted\n")
    taints = json.loads(kubectl("get", "node", node, "-o", "jsonpath={.spec.taints}").stdout)
    assert {"key": "dedicated", "value": "special", "effect": "NoSchedule"} in taints
    assert kubectl("taint", "nodes", node, "dedicated:NoSchedule-").stdout == (
        f"node/{node} untainted\n")
    after = kubectl("get", "node", node, "-o", "jsonpath={.spec.taints}").stdout
    assert "dedicated" not in after


def test_create_secret_and_configmap(kubectl, ns, tmp_path):
    (tmp_path / "password.txt").write_text("s3cret")
    (tmp_path / "app.env").write_text("# comment\nMODE=prod\nLEVEL=3\n")
    k = lambda *a: kubectl(*a, "-n", ns).stdout  # noqa: E731
    assert k("create", "secret", "generic", "lit", "--from-literal=user=admin",
             "--from-literal=pw=x") == "secret/lit created\n"
    assert k("create", "secret", "generic", "file",
             f"--from-file={tmp_path / 'password.txt'}") == "secret/file created\n"
    assert k("create", "secret", "generic", "env",
             f"--from-env-file={tmp_path / 'app.env'}") == "secret/env created\n"
    assert k("create", "configmap", "cm", "--from-literal=a=1") == "configmap/cm created\n"
    secrets = k("get", "secrets").splitlines()
    assert secrets[0].split() == ["NAME", "TYPE", "DATA", "AGE"]
    assert re.fullmatch(rf"env\s+Opaque\s+2\s+{AGE}", secrets[1])
    assert re.fullmatch(rf"lit\s+Opaque\s+2\s+{AGE}", secrets[3])
    assert k("get", "secret", "file", "-o", "jsonpath={.data.password\\.txt}") == "czNjcmV0"
    cms = k("get", "configmaps").splitlines()
    assert cms[0].split() == ["NAME", "DATA", "AGE"]
    assert re.fullmatch(rf"cm\s+1\s+{AGE}", cms[1])
    yaml_out = k("get", "configmap", "cm", "-o", "yaml")
    assert "data:\n  a: \"1\"\n" in yaml_out
    assert "kind: ConfigMap" in yaml_out


def test_protobuf_creates(kubectl, ns):
    """kubectl 1.32 posts these as protobuf."""
    k = lambda *a: kubectl(*a, "-n", ns).stdout  # noqa: E731
    assert k("create", "job", "once", "--image=busybox") == "job.batch/once created\n"
    assert k("create", "serviceaccount", "robot") == "serviceaccount/robot created\n"
    assert k("create", "poddisruptionbudget", "pdb", "--selector=app=web",
             "--min-available=1") == "poddisruptionbudget.policy/pdb created\n"
    assert k("create", "quota", "q", "--hard=pods=10") == "resourcequota/q created\n"
    assert k("create", "service", "clusterip", "svc", "--tcp=80:8080") == (
        "service/svc created\n")
    job = json.loads(k("get", "job", "once", "-o", "json"))
    assert job["spec"]["template"]["spec"]["containers"][0]["image"] == "busybox"
    pdb = k("get", "pdb").splitlines()
    assert pdb[0].split() == ["NAME", "MIN", "AVAILABLE", "MAX", "UNAVAILABLE", "ALLOWED",
                              "DISRUPTIONS", "AGE"]
    assert pdb[1].split()[:4] == ["pdb", "1", "N/A", "0"]
    svc = json.loads(k("get", "service", "svc", "-o", "json"))
    assert svc["spec"]["ports"][0]["targetPort"] == 8080
    token = k("create", "token", "robot").strip()
    who = kubectl("auth", "whoami", "--token", token).stdout
    assert re.search(rf"^Username\s+system:serviceaccount:{ns}:robot$", who, re.M)


def test_get_output_formats(kubectl, ns):
    kubectl("create", "configmap", "cm", "--from-literal=a=1", "-n", ns)
    as_json = json.loads(kubectl("get", "configmap", "cm", "-n", ns, "-o", "json").stdout)
    assert as_json["data"] == {"a": "1"}
    assert kubectl("get", "configmap", "cm", "-n", ns, "-o", "name").stdout == (
        "configmap/cm\n")
    # Every namespace has the root CA bundle beside its own ConfigMaps.
    assert kubectl("get", "configmaps", "-n", ns, "-o", "jsonpath={.items[*].metadata.name}"
                   ).stdout == "cm kube-root-ca.crt"
    sorted_out = kubectl("get", "configmaps", "-n", ns, "--sort-by=.metadata.name").stdout
    assert sorted_out.splitlines()[1].startswith("cm ")


def test_delete_all_and_not_found(kubectl, ns):
    for name in ("a", "b"):
        kubectl("create", "configmap", name, "--from-literal=x=y", "-n", ns)
    out = kubectl("delete", "configmap", "--all", "-n", ns).stdout
    # --all deletes the root CA bundle too, as on a real cluster (the
    # publisher recreates it).
    assert out == ('configmap "a" deleted\nconfigmap "b" deleted\n'
                   'configmap "kube-root-ca.crt" deleted\n')
    wait_for(lambda: kubectl("get", "configmap", "kube-root-ca.crt", "-n", ns,
                             check=False).returncode == 0)
    missing = kubectl("get", "deployment", "nope", "-n", ns, check=False)
    assert missing.returncode == 1
    assert missing.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_already_exists_and_invalid(kubectl, ns, tmp_path):
    kubectl("create", "deployment", "web", "--image=nginx", "-n", ns)
    again = kubectl("create", "deployment", "web", "--image=nginx", "-n", ns, check=False)
    assert again.stderr == (
        'error: failed to create deployment: deployments.apps "web" already exists\n')
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEPLOYMENT.format(replicas=2, image="nginx").replace(
        "  replicas: 2", "  replicas: 2\n  foo: bar"))
    strict = kubectl("apply", "-f", str(bad), "-n", ns, check=False)
    assert strict.returncode == 1
    assert ('Deployment in version "v1" cannot be handled as a Deployment: strict decoding '
            'error: unknown field "spec.foo"') in strict.stderr


def test_rollout_history_undo_pause_resume_restart(kubectl, ns, tmp_path):
    """Needs the deployment controller's ReplicaSets (not running pods)."""
    d = "deployment/nginx-deployment"
    kubectl("apply", "-f", _manifest(tmp_path, "d.yaml", 2, "nginx:1.14.2"), "-n", ns)
    wait_for(lambda: _replicasets(kubectl, ns) == 1)
    kubectl("set", "image", d, "nginx=nginx:1.16.1", "-n", ns)
    wait_for(lambda: _replicasets(kubectl, ns) == 2)
    history = kubectl("rollout", "history", d, "-n", ns).stdout
    assert history == ("deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n"
                       "1         <none>\n2         <none>\n\n")
    assert kubectl("rollout", "undo", d, "-n", ns).stdout == (
        "deployment.apps/nginx-deployment rolled back\n")
    image = "jsonpath={.spec.template.spec.containers[0].image}"
    assert kubectl("get", d, "-n", ns, "-o", image).stdout == "nginx:1.14.2"
    wait_for(lambda: "3 " in kubectl("rollout", "history", d, "-n", ns).stdout)
    assert kubectl("rollout", "undo", d, "--to-revision=2", "-n", ns).stdout == (
        "deployment.apps/nginx-deployment rolled back\n")
    assert kubectl("get", d, "-n", ns, "-o", image).stdout == "nginx:1.16.1"
    assert kubectl("rollout", "pause", d, "-n", ns).stdout == (
        "deployment.apps/nginx-deployment paused\n")
    assert kubectl("rollout", "resume", d, "-n", ns).stdout == (
        "deployment.apps/nginx-deployment resumed\n")
    assert kubectl("rollout", "restart", d, "-n", ns).stdout == (
        "deployment.apps/nginx-deployment restarted\n")


def _replicasets(kubectl, ns: str) -> int:
    names = kubectl("get", "rs", "-n", ns, "-o", "name").stdout.split()
    return len(names)


def test_rollout_status(kubectl, ns, tmp_path):
    """Pods become available: the scheduler places them, kubelets run them."""
    kubectl("apply", "-f", _manifest(tmp_path, "d.yaml", 2, "nginx:1.14.2"), "-n", ns)
    out = kubectl("rollout", "status", "deployment/nginx-deployment", "-n", ns,
                  timeout=120).stdout
    assert out.endswith('deployment "nginx-deployment" successfully rolled out\n')


def test_drain_ignore_daemonsets(kubectl):
    """The control-plane node: its static pods are mirror pods (skipped) and
    kube-proxy belongs to its DaemonSet (ignored), so drain succeeds without
    --force. (Workers carry other tests' bare pods, which drain rightly refuses.)"""
    node = "k9py-control-plane"
    out = kubectl("drain", node, "--ignore-daemonsets", timeout=120).stdout
    assert out == f"node/{node} cordoned\nnode/{node} drained\n"
    kubectl("uncordon", node)


def test_logs_follow(kubectl, ns):
    """As on a real cluster, logs wait for the container to start."""
    kubectl("run", "echo", "--image=busybox", "--restart=Never", "-n", ns, "--", "sh", "-c",
            "echo hello")
    wait_for(lambda: kubectl("get", "pod", "echo", "-n", ns, "-o",
                             "jsonpath={.status.phase}").stdout in ("Running", "Succeeded"), 60)
    assert kubectl("logs", "-f", "echo", "-n", ns).stdout == "hello\n"


def test_autoscale(kubectl, ns):
    """kubectl 1.32 posts an autoscaling/v1 HPA (as protobuf)."""
    kubectl("create", "deployment", "web", "--image=nginx", "-n", ns)
    assert kubectl("autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=80",
                   "-n", ns).stdout == "horizontalpodautoscaler.autoscaling/web autoscaled\n"
    lines = kubectl("get", "hpa", "-n", ns).stdout.splitlines()
    assert lines[0].split() == ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS",
                                "REPLICAS", "AGE"]
    assert re.fullmatch(rf"web\s+Deployment/web\s+cpu: <unknown>/80%\s+2\s+5\s+0\s+{AGE}",
                        lines[1])
