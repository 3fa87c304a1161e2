"""kubectl against ``k9py serve``: version, discovery, nodes, explain, auth.

Expected lines are what kubectl prints against a real v1.32 cluster (ages
vary, so AGE cells are matched by pattern)."""

from __future__ import annotations

import re

from tests.rest.conftest import needs_kubectl, wait_for

pytestmark = needs_kubectl
AGE = r"\d+[smhdy]\S*"


def test_version_reports_1_32(kubectl):
    out = kubectl("version").stdout
    assert "Server Version: v1.32.0" in out


def test_get_nodes(kubectl):
    lines = kubectl("get", "nodes").stdout.splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert re.fullmatch(rf"k9py-control-plane\s+Ready\s+control-plane\s+{AGE}\s+v1\.32\.0",
                        lines[1])
    assert re.fullmatch(rf"k9py-worker\s+Ready\s+<none>\s+{AGE}\s+v1\.32\.0", lines[2])


def test_get_nodes_wide_has_priority_one_columns(kubectl):
    header = kubectl("get", "nodes", "-o", "wide").stdout.splitlines()[0]
    assert re.split(r"\s{2,}", header.strip()) == [
        "NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE",
        "KERNEL-VERSION", "CONTAINER-RUNTIME"]


def test_get_pods_all_namespaces(kubectl):
    lines = kubectl("get", "pods", "-A").stdout.splitlines()
    assert lines[0].split() == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    etcd = [line for line in lines if "etcd-k9py-control-plane" in line]
    assert re.fullmatch(rf"kube-system\s+etcd-k9py-control-plane\s+1/1\s+Running\s+0\s+{AGE}",
                        etcd[0])


def test_empty_namespace_message(kubectl, ns):
    result = kubectl("get", "deployments", "-n", ns)
    assert result.stdout == ""
    assert result.stderr.strip() == f"No resources found in {ns} namespace."


def test_api_resources_from_discovery(kubectl):
    out = kubectl("api-resources").stdout
    assert re.search(r"^deployments\s+deploy\s+apps/v1\s+true\s+Deployment$", out, re.M)
    assert re.search(r"^pods\s+po\s+v1\s+true\s+Pod$", out, re.M)
    assert re.search(r"^nodes\s+no\s+v1\s+false\s+Node$", out, re.M)


def test_short_names_and_get_all(kubectl, ns):
    kubectl("create", "deployment", "web", "--image=nginx", "-n", ns)
    out = kubectl("get", "all", "-n", ns).stdout
    assert "deployment.apps/web" in out
    assert kubectl("get", "deploy", "-n", ns).stdout.startswith("NAME")


def test_explain_deployment_strategy(kubectl):
    out = kubectl("explain", "deployment.spec.strategy").stdout
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n")
    assert "FIELD: strategy <DeploymentStrategy>" in out
    assert re.search(r"^  rollingUpdate\t<RollingUpdateDeployment>$", out, re.M)
    assert re.search(r"^  type\t<string>$", out, re.M)


def test_auth_can_i(kubectl):
    assert kubectl("auth", "can-i", "create", "deployments").stdout.strip() == "yes"
    readonly = kubectl("auth", "can-i", "create", "deployments", "--context", "k9py-readonly",
                       check=False)
    assert readonly.stdout.strip() == "no"
    assert kubectl("auth", "can-i", "list", "pods", "--context",
                   "k9py-readonly").stdout.strip() == "yes"


def test_auth_whoami(kubectl):
    out = kubectl("auth", "whoami").stdout
    assert re.search(r"^Username\s+kubernetes-admin$", out, re.M)


def test_readonly_user_is_forbidden_to_write(kubectl, ns):
    result = kubectl("create", "configmap", "x", "-n", ns, "--context", "k9py-readonly",
                     check=False)
    assert result.returncode == 1
    assert (f'configmaps is forbidden: User "k9py-readonly" cannot create resource '
            f'"configmaps" in API group "" in the namespace "{ns}"') in result.stderr
    assert kubectl("get", "configmaps", "-n", ns, "--context", "k9py-readonly").returncode == 0


def test_wrong_token_is_unauthorized(kubectl, served, tmp_path):
    text = served.kubeconfig.read_text().replace(served.admin_token, "wrong")
    other = tmp_path / "bad-kubeconfig"
    other.write_text(text)
    result = kubectl("get", "pods", "--kubeconfig", str(other), check=False)  # last one wins
    assert result.returncode == 1
    assert ("error: You must be logged in to the server (the server has asked for the client "
            "to provide credentials)") in result.stderr


def test_rolebinding_grants_the_readonly_user_a_write(kubectl, ns):
    """RBAC decides: a RoleBinding to the built-in ``edit`` ClusterRole lets the
    read-only user write in that namespace only."""
    kubectl("create", "rolebinding", "ro-edit", "--clusterrole=edit", "--user=k9py-readonly",
            "-n", ns)
    wait_for(lambda: kubectl("auth", "can-i", "create", "configmaps", "-n", ns, "--context",
                             "k9py-readonly", check=False).stdout.strip() == "yes", 10)
    out = kubectl("create", "configmap", "granted", "-n", ns, "--context", "k9py-readonly")
    assert out.stdout == "configmap/granted created\n"
    elsewhere = kubectl("create", "configmap", "x", "-n", "default", "--context",
                        "k9py-readonly", check=False)
    assert elsewhere.returncode == 1 and "is forbidden" in elsewhere.stderr


def test_get_configmaps_kube_system_as_kubeadm_leaves_them(kubectl):
    """kind v1.32's ``kubectl get cm -n kube-system``: kubeadm's and
    kube-apiserver's ConfigMaps, with their DATA counts."""
    rows = [line.split() for line in
            kubectl("get", "cm", "-n", "kube-system").stdout.splitlines()]
    assert rows[0] == ["NAME", "DATA", "AGE"]
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("coredns", "1"), ("extension-apiserver-authentication", "6"),
        ("kube-apiserver-legacy-service-account-token-tracking", "1"),
        ("kube-proxy", "2"), ("kube-root-ca.crt", "1"), ("kubeadm-config", "1"),
        ("kubelet-config", "1")]
    public = kubectl("get", "cm", "-n", "kube-public", "-o", "name").stdout.split()
    assert public == ["configmap/cluster-info", "configmap/kube-root-ca.crt"]
    corefile = kubectl("get", "cm", "coredns", "-n", "kube-system",
                       "-o", "jsonpath={.data.Corefile}").stdout
    assert "kubernetes cluster.local in-addr.arpa ip6.arpa {" in corefile
    proxy = kubectl("get", "cm", "kube-proxy", "-n", "kube-system", "-o", "json").stdout
    assert '"config.conf"' in proxy and '"kubeconfig.conf"' in proxy
    assert "clusterCIDR: 10.244.0.0/16" in proxy
    kubeadm = kubectl("get", "cm", "kubeadm-config", "-n", "kube-system",
                      "-o", "jsonpath={.data.ClusterConfiguration}").stdout
    assert "clusterName: k9py" in kubeadm and "serviceSubnet: 10.96.0.0/12" in kubeadm


def test_system_pods_mount_their_configmaps(kubectl):
    """kubeadm's CoreDNS mounts ``coredns`` at /etc/coredns, kube-proxy mounts
    ``kube-proxy`` at /var/lib/kube-proxy; both pods run (no FailedMount)."""
    dns = kubectl("get", "deploy", "coredns", "-n", "kube-system", "-o",
                  "jsonpath={.spec.template.spec.volumes[0].configMap.name}").stdout
    assert dns == "coredns"
    proxy = kubectl("get", "ds", "kube-proxy", "-n", "kube-system", "-o",
                    "jsonpath={.spec.template.spec.containers[0].volumeMounts[0].mountPath}"
                    ).stdout
    assert proxy == "/var/lib/kube-proxy"

    def running() -> bool:
        out = kubectl("get", "pods", "-n", "kube-system", "--no-headers").stdout
        pods = [line.split() for line in out.splitlines()
                if line.startswith(("coredns-", "kube-proxy-"))]
        return len(pods) == 5 and all(p[2] == "Running" for p in pods)

    wait_for(running)
    events = kubectl("get", "events", "-n", "kube-system",
                     "--field-selector", "reason=FailedMount", "-o", "name").stdout
    assert events.strip() == ""
