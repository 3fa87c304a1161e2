"""The ConfigMaps a fresh kubeadm/kind cluster holds besides ``kube-root-ca.crt``.

Upstream, by who writes them during ``kubeadm init``:

* ``kube-system/kubeadm-config`` and ``kube-system/kubelet-config``:
  ``cmd/kubeadm/app/phases/uploadconfig`` and the kubelet component config
  (``ClusterConfiguration``; ``KubeletConfiguration`` under key ``kubelet``);
* ``kube-public/cluster-info``: ``phases/bootstraptoken/clusterinfo`` (a
  kubeconfig with the CA and the control-plane endpoint);
* ``kube-system/coredns``: ``phases/addons/dns`` (``CoreDNSConfigMap``, key
  ``Corefile``);
* ``kube-system/kube-proxy``: ``phases/addons/proxy`` (keys ``config.conf``,
  the ``KubeProxyConfiguration``, and ``kubeconfig.conf``);
* ``kube-system/extension-apiserver-authentication``: kube-apiserver's
  ``cluster-authentication-trust-controller``;
* ``kube-system/kube-apiserver-legacy-service-account-token-tracking``:
  kube-apiserver's legacy token tracking controller (key ``since``).

They are created before the kube-proxy DaemonSet and the CoreDNS Deployment,
whose pods mount ``kube-proxy`` and ``coredns``. kind's
``local-path-storage/local-path-config`` is not here: this cluster has no
``local-path-storage`` namespace (no provisioner Deployment runs).
"""

from __future__ import annotations

import base64
from typing import Any

from engine.api.allocators import SERVICE_CIDR
from engine.bootstrap.nodes import KUBERNETES_VERSION
from engine.bootstrap.services import KUBE_DNS_IP
from engine.network.dns import CLUSTER_DOMAIN

Obj = dict[str, Any]

POD_SUBNET = "10.244.0.0/16"
API_PORT = 6443
SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
# kind's bootstrap token id (``abcdef.0123456789abcdef``).
TOKEN_ID = "abcdef"


def _cm(name: str, namespace: str, data: dict[str, str], labels: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None) -> Obj:
    meta: Obj = {"name": name, "namespace": namespace}
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


def corefile(domain: str = CLUSTER_DOMAIN) -> str:
    """kubeadm's default Corefile for the cluster's DNS domain."""
    return "\n".join([
        ".:53 {",
        "    errors",
        "    health {",
        "       lameduck 5s",
        "    }",
        "    ready",
        f"    kubernetes {domain} in-addr.arpa ip6.arpa {{",
        "       pods insecure",
        "       fallthrough in-addr.arpa ip6.arpa",
        "       ttl 30",
        "    }",
        "    prometheus :9153",
        "    forward . /etc/resolv.conf {",
        "       max_concurrent 1000",
        "    }",
        "    cache 30 {",
        f"       disable success {domain}",
        f"       disable denial {domain}",
        "    }",
        "    loop",
        "    reload",
        "    loadbalance",
        "}",
        "",
    ])


def _kubeconfig(server: str, cluster_lines: list[str], user: list[str] | None) -> str:
    lines = ["apiVersion: v1", "kind: Config", "clusters:", "- cluster:"]
    lines += [f"    {line}" for line in cluster_lines]
    lines += [f"    server: {server}", "  name: default"]
    if user is None:
        lines += ["contexts: null", "current-context: \"\"", "preferences: {}", "users: null"]
    else:
        lines += ["contexts:", "- context:", "    cluster: default", "    namespace: default",
                  "    user: default", "  name: default", "current-context: default",
                  "users:", "- name: default", "  user:"]
        lines += [f"    {line}" for line in user]
    return "\n".join(lines) + "\n"


def kube_proxy_config(cluster_cidr: str = POD_SUBNET) -> str:
    """A ``KubeProxyConfiguration`` with kubeadm's defaults (iptables mode)."""
    return "\n".join([
        "apiVersion: kubeproxy.config.k8s.io/v1alpha1",
        "bindAddress: 0.0.0.0",
        "bindAddressHardFail: false",
        "clientConnection:",
        "  acceptContentTypes: \"\"",
        "  burst: 0",
        "  contentType: \"\"",
        "  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf",
        "  qps: 0",
        f"clusterCIDR: {cluster_cidr}",
        "configSyncPeriod: 0s",
        "conntrack:",
        "  maxPerCore: 0",
        "  min: null",
        "  tcpCloseWaitTimeout: null",
        "  tcpEstablishedTimeout: null",
        "detectLocalMode: \"\"",
        "enableProfiling: false",
        "healthzBindAddress: \"\"",
        "hostnameOverride: \"\"",
        "iptables:",
        "  masqueradeAll: false",
        "  masqueradeBit: null",
        "  minSyncPeriod: 1s",
        "  syncPeriod: 0s",
        "kind: KubeProxyConfiguration",
        "metricsBindAddress: \"\"",
        "mode: iptables",
        "nodePortAddresses: null",
        "oomScoreAdj: null",
        "portRange: \"\"",
        "",
    ])


def cluster_configuration(cluster: str, endpoint: str) -> str:
    """kubeadm's ``ClusterConfiguration`` as ``uploadconfig`` stores it."""
    return "\n".join([
        "apiServer:",
        "  certSANs:",
        "  - localhost",
        "  - 127.0.0.1",
        "  extraArgs:",
        "  - name: runtime-config",
        "    value: \"\"",
        "apiVersion: kubeadm.k8s.io/v1beta4",
        "caCertificateValidityPeriod: 87600h0m0s",
        "certificateValidityPeriod: 8760h0m0s",
        "certificatesDir: /etc/kubernetes/pki",
        f"clusterName: {cluster}",
        f"controlPlaneEndpoint: {endpoint}",
        "controllerManager:",
        "  extraArgs:",
        "  - name: enable-hostpath-provisioner",
        "    value: \"true\"",
        "dns: {}",
        "encryptionAlgorithm: RSA-2048",
        "etcd:",
        "  local:",
        "    dataDir: /var/lib/etcd",
        "imageRepository: registry.k8s.io",
        "kind: ClusterConfiguration",
        f"kubernetesVersion: {KUBERNETES_VERSION}",
        "networking:",
        f"  dnsDomain: {CLUSTER_DOMAIN}",
        f"  podSubnet: {POD_SUBNET}",
        f"  serviceSubnet: {SERVICE_CIDR}",
        "proxy: {}",
        "scheduler: {}",
        "",
    ])


def kubelet_configuration() -> str:
    """The cluster-wide ``KubeletConfiguration`` (kind's settings on kubeadm's defaults)."""
    return "\n".join([
        "apiVersion: kubelet.config.k8s.io/v1beta1",
        "authentication:",
        "  anonymous:",
        "    enabled: false",
        "  webhook:",
        "    cacheTTL: 0s",
        "    enabled: true",
        "  x509:",
        "    clientCAFile: /etc/kubernetes/pki/ca.crt",
        "authorization:",
        "  mode: Webhook",
        "  webhook:",
        "    cacheAuthorizedTTL: 0s",
        "    cacheUnauthorizedTTL: 0s",
        "cgroupDriver: systemd",
        "cgroupRoot: /kubelet",
        "clusterDNS:",
        f"- {KUBE_DNS_IP}",
        f"clusterDomain: {CLUSTER_DOMAIN}",
        "containerRuntimeEndpoint: \"\"",
        "cpuManagerReconcilePeriod: 0s",
        "evictionHard:",
        "  imagefs.available: 0%",
        "  nodefs.available: 0%",
        "  nodefs.inodesFree: 0%",
        "evictionPressureTransitionPeriod: 0s",
        "failSwapOn: false",
        "fileCheckFrequency: 0s",
        "healthzBindAddress: 127.0.0.1",
        "healthzPort: 10248",
        "httpCheckFrequency: 0s",
        "imageGCHighThresholdPercent: 100",
        "imageMaximumGCAge: 0s",
        "imageMinimumGCAge: 0s",
        "kind: KubeletConfiguration",
        "logging:",
        "  flushFrequency: 0",
        "  options:",
        "    json:",
        "      infoBufferSize: \"0\"",
        "    text:",
        "      infoBufferSize: \"0\"",
        "  verbosity: 0",
        "memorySwap: {}",
        "nodeStatusReportFrequency: 0s",
        "nodeStatusUpdateFrequency: 0s",
        "rotateCertificates: true",
        "runtimeRequestTimeout: 0s",
        "shutdownGracePeriod: 0s",
        "shutdownGracePeriodCriticalPods: 0s",
        "staticPodPath: /etc/kubernetes/manifests",
        "streamingConnectionIdleTimeout: 0s",
        "syncFrequency: 0s",
        "volumeStatsAggPeriod: 0s",
        "",
    ])


def kubeadm_configmaps(cluster: str, control_plane: str, ca: str, since: str) -> list[Obj]:
    """The ConfigMaps, in creation order: ``cluster`` is the cluster's name,
    ``control_plane`` the first control-plane node's name, ``ca`` the cluster's
    CA (PEM), ``since`` the boot date (``YYYY-MM-DD``)."""
    endpoint = f"{control_plane}:{API_PORT}"
    server = f"https://{endpoint}"
    ca_data = base64.b64encode(ca.encode()).decode()
    req_ca = ca  # kind's front-proxy CA stands in as the cluster CA here
    return [
        _cm("kubeadm-config", "kube-system",
            {"ClusterConfiguration": cluster_configuration(cluster, endpoint)}),
        _cm("kubelet-config", "kube-system", {"kubelet": kubelet_configuration()}),
        _cm("cluster-info", "kube-public",
            {"kubeconfig": _kubeconfig(server, [f"certificate-authority-data: {ca_data}"], None)}),
        _cm("extension-apiserver-authentication", "kube-system", {
            "client-ca-file": ca,
            "requestheader-allowed-names": '["front-proxy-client"]',
            "requestheader-client-ca-file": req_ca,
            "requestheader-extra-headers-prefix": '["X-Remote-Extra-"]',
            "requestheader-group-headers": '["X-Remote-Group"]',
            "requestheader-username-headers": '["X-Remote-User"]',
        }),
        _cm("kube-apiserver-legacy-service-account-token-tracking", "kube-system",
            {"since": since}),
        _cm("coredns", "kube-system", {"Corefile": corefile()}),
        _cm("kube-proxy", "kube-system", {
            "config.conf": kube_proxy_config(),
            "kubeconfig.conf": _kubeconfig(
                server, [f"certificate-authority: {SA_DIR}/ca.crt"],
                [f"tokenFile: {SA_DIR}/token"]),
        }, labels={"app": "kube-proxy"}),
    ]
