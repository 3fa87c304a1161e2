"""Validation of ``networking.k8s.io/v1``: Ingresses, IngressClasses and NetworkPolicies.

Upstream: pkg/apis/networking/validation/validation.go (``ValidateIngressCreate``,
``ValidateIngressSpec``, ``validateIngressRules``, ``validateHTTPIngressPath``,
``validateIngressBackend``, ``validateIngressTLS``, ``ValidateIngressClass``,
``validateIngressClassSpec``, ``ValidateNetworkPolicy``, ``ValidateNetworkPolicySpec``,
``ValidateNetworkPolicyPort``, ``ValidateNetworkPolicyPeer``, ``ValidateIPBlock``) and
apimachinery's ``IsDomainPrefixedPath``.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from engine.api import errors
from engine.api.validation import names, podspec
from engine.api.validation.common import (
    Errs,
    GoValue,
    as_list,
    as_map,
    go_value,
    is_int,
    validate_immutable_field,
)
from engine.api.validation.kinds import custom, meta_errors, meta_update_errors
from engine.api.validation.objectmeta import validate_label_selector
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "networking.k8s.io"
PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
MAX_INGRESS_CLASS_CONTROLLER = 250
HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"
_HTTP_PATH_RE = re.compile(f"^{HTTP_PATH_FMT}$")
CIDR_ERROR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


def _s(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def is_domain_prefixed_path(value: str, path: str) -> Errs:
    """Upstream ``validation.IsDomainPrefixedPath``."""
    if not value:
        return [errors.required(path, "")]
    host, sep, rest = value.partition("/")
    if not sep or not host or not rest:
        return [errors.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = [errors.invalid(path, host, msg) for msg in names.is_dns1123_subdomain(host)]
    if not _HTTP_PATH_RE.match(rest):
        errs.append(errors.invalid(path, rest, names.regex_error("Invalid path", HTTP_PATH_FMT)))
    return errs


# -- ingresses -------------------------------------------------------------------------


def _typed_reference(ref: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateIngressTypedLocalObjectReference``."""
    group = ref.get("apiGroup")
    if isinstance(group, str):
        podspec.dns1123_subdomain(group, f"{path}.apiGroup", errs)
    for key in ("kind", "name"):
        value = _s(ref, key)
        if not value:
            errs.append(errors.required(f"{path}.{key}", f"{key} is required"))
        else:
            errs.extend(errors.invalid(f"{path}.{key}", value, msg)
                        for msg in names.is_valid_path_segment_name(value))


def _backend(backend: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateIngressBackend``."""
    resource, service = backend.get("resource"), backend.get("service")
    if isinstance(resource, dict) and isinstance(service, dict):
        errs.append(errors.invalid(path, "", "cannot set both resource and service backends"))
    elif isinstance(resource, dict):
        _typed_reference(resource, f"{path}.resource", errs)
    elif isinstance(service, dict):
        name = _s(service, "name")
        if not name:
            errs.append(errors.required(f"{path}.service.name", ""))
        else:
            podspec.name_fn_errors(names.validate_service_name, name, f"{path}.service.name", errs)
        port = as_map(service.get("port"))
        port_name, number = _s(port, "name"), port.get("number", 0)
        if port_name and number:
            errs.append(errors.invalid(path, "", "cannot set both port name & port number"))
        elif port_name:
            errs.extend(errors.invalid(f"{path}.service.port.name", port_name, msg)
                        for msg in names.is_valid_port_name(port_name))
        elif is_int(number) and number:
            if not 1 <= number <= 65535:
                errs.append(errors.invalid(f"{path}.service.port.number", number,
                                           names.inclusive_range_error(1, 65535)))
        else:
            errs.append(errors.required(path, "port name or number is required"))
    else:
        errs.append(errors.invalid(path, "", "resource or service backend is required"))


def _http_path(item: Obj, path: str, errs: Errs) -> None:
    """Upstream ``validateHTTPIngressPath``."""
    kind = item.get("pathType")
    value = _s(item, "path")
    if not isinstance(kind, str):
        errs.append(errors.required(f"{path}.pathType", "pathType must be specified"))
        return
    if kind in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(errors.invalid(f"{path}.path", value, "must be an absolute path"))
        if value:
            for seq in INVALID_PATH_SEQUENCES:
                if seq in value:
                    errs.append(errors.invalid(f"{path}.path", value, f"must not contain '{seq}'"))
            for suffix in INVALID_PATH_SUFFIXES:
                if value.endswith(suffix):
                    errs.append(errors.invalid(f"{path}.path", value, f"cannot end with '{suffix}'"))
    elif kind == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(errors.invalid(f"{path}.path", value, "must be an absolute path"))
    else:
        errs.append(errors.not_supported(f"{path}.pathType", kind, list(PATH_TYPES)))
    _backend(as_map(item.get("backend")), f"{path}.backend", errs)


def _host(host: str, path: str, errs: Errs) -> None:
    if "*" in host:
        errs.extend(errors.invalid(path, host, msg)
                    for msg in names.is_wildcard_dns1123_subdomain(host))
    else:
        podspec.dns1123_subdomain(host, path, errs)


def _rules(rules: list[Any], errs: Errs) -> None:
    """Upstream ``validateIngressRules``."""
    for i, rule in enumerate(rules):
        rule = as_map(rule)
        p = f"spec.rules[{i}]"
        host = _s(rule, "host")
        if host:
            if names.is_valid_ip(host):
                errs.append(errors.invalid(f"{p}.host", host, "must be a DNS name, not an IP "
                                           "address"))
            _host(host, f"{p}.host", errs)
        http = rule.get("http")
        if isinstance(http, dict):
            paths = as_list(http.get("paths"))
            if not paths:
                errs.append(errors.required(f"{p}.http.paths", ""))
            for j, item in enumerate(paths):
                _http_path(as_map(item), f"{p}.http.paths[{j}]", errs)


def validate_ingress_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateIngressSpec``."""
    errs: Errs = []
    rules = as_list(spec.get("rules"))
    default = spec.get("defaultBackend")
    if not rules and not isinstance(default, dict):
        value = GoValue("[]networking.IngressRule(nil)") if spec.get("rules") is None else \
            GoValue("[]networking.IngressRule{}")
        errs.append(errors.invalid("spec", value, "either `defaultBackend` or `rules` must be "
                                   "specified"))
    if isinstance(default, dict):
        _backend(default, "spec.defaultBackend", errs)
    if rules:
        _rules(rules, errs)
    for i, tls in enumerate(as_list(spec.get("tls"))):
        tls = as_map(tls)
        for j, host in enumerate(as_list(tls.get("hosts"))):
            _host(host if isinstance(host, str) else "", f"spec.tls[{i}].hosts[{j}]", errs)
        secret = _s(tls, "secretName")
        if secret:
            podspec.name_fn_errors(names.validate_secret_name, secret,
                                   f"spec.tls[{i}].secretName", errs)
    class_name = spec.get("ingressClassName")
    if isinstance(class_name, str):
        podspec.name_fn_errors(names.validate_ingress_class_name, class_name,
                               "spec.ingressClassName", errs)
    return errs


def validate_ingress(obj: Obj) -> Errs:
    """Upstream ``ValidateIngressCreate``."""
    errs = meta_errors(obj, True, names.validate_ingress_name)
    errs.extend(validate_ingress_spec(as_map(obj.get("spec"))))
    return errs


def validate_ingress_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(validate_ingress_spec(as_map(new.get("spec"))))
    return errs


def validate_ingress_status_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateIngressStatusUpdate`` (``ValidateIngressLoadBalancerStatus``)."""
    errs = meta_update_errors(new, old)
    ingress = as_list(as_map(as_map(new.get("status")).get("loadBalancer")).get("ingress"))
    for i, item in enumerate(ingress):
        item = as_map(item)
        p = f"status.loadBalancer.ingress[{i}]"
        if _s(item, "ip"):
            podspec.valid_ip(_s(item, "ip"), f"{p}.ip", errs)
        hostname = _s(item, "hostname")
        if hostname:
            podspec.dns1123_subdomain(hostname, f"{p}.hostname", errs)
            if names.is_valid_ip(hostname):
                errs.append(errors.invalid(f"{p}.hostname", hostname,
                                           "must be a DNS name, not an IP address"))
    return errs


# -- ingress classes -------------------------------------------------------------------


def validate_ingress_class_spec(spec: Obj) -> Errs:
    """Upstream ``validateIngressClassSpec`` (and its parameters reference)."""
    errs: Errs = []
    controller = _s(spec, "controller")
    if len(controller) > MAX_INGRESS_CLASS_CONTROLLER:
        errs.append(errors.too_long("spec.controller", MAX_INGRESS_CLASS_CONTROLLER))
    errs.extend(is_domain_prefixed_path(controller, "spec.controller"))
    params = spec.get("parameters")
    if isinstance(params, dict):
        p = "spec.parameters"
        _typed_reference(params, p, errs)
        scope, namespace = params.get("scope"), params.get("namespace")
        if scope == "Cluster" and namespace is not None:
            errs.append(errors.forbidden(f"{p}.namespace",
                                         "`parameters.scope` is set to 'Cluster'"))
        elif scope == "Namespace":
            if namespace is None:
                errs.append(errors.required(f"{p}.namespace",
                                            "`parameters.scope` is set to 'Namespace'"))
            else:
                podspec.name_fn_errors(names.validate_namespace_name, str(namespace),
                                       f"{p}.namespace", errs)
        elif scope is not None and scope != "Cluster":
            errs.append(errors.not_supported(f"{p}.scope", scope, ["Cluster", "Namespace"]))
    return errs


def validate_ingress_class(obj: Obj) -> Errs:
    errs = meta_errors(obj, False, names.validate_ingress_class_name)
    errs.extend(validate_ingress_class_spec(as_map(obj.get("spec"))))
    return errs


def validate_ingress_class_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateIngressClassUpdate``: the controller is immutable."""
    errs = meta_update_errors(new, old)
    errs.extend(validate_ingress_class_spec(as_map(new.get("spec"))))
    errs.extend(validate_immutable_field(_s(as_map(new.get("spec")), "controller"),
                                         _s(as_map(old.get("spec")), "controller"),
                                         "spec.controller"))
    return errs


# -- network policies --------------------------------------------------------------------


def _np_port(port: Obj, path: str, errs: Errs) -> None:
    """Upstream ``ValidateNetworkPolicyPort``."""
    protocol = port.get("protocol")
    if isinstance(protocol, str) and protocol not in ("TCP", "UDP", "SCTP"):
        errs.append(errors.not_supported(f"{path}.protocol", protocol, ["TCP", "UDP", "SCTP"]))
    number, end = port.get("port"), port.get("endPort")
    if is_int(number):
        if not 1 <= number <= 65535:
            errs.append(errors.invalid(f"{path}.port", number, names.inclusive_range_error(1, 65535)))
        if is_int(end):
            if end < number:
                errs.append(errors.invalid(f"{path}.endPort", number,
                                           "must be greater than or equal to `port`"))
            if not 1 <= end <= 65535:
                errs.append(errors.invalid(f"{path}.endPort", end,
                                           names.inclusive_range_error(1, 65535)))
    elif isinstance(number, str):
        if is_int(end):
            errs.append(errors.invalid(f"{path}.endPort", end,
                                       "may not be specified when `port` is non-numeric"))
        errs.extend(errors.invalid(f"{path}.port", number, msg)
                    for msg in names.is_valid_port_name(number))
    elif is_int(end):
        errs.append(errors.invalid(f"{path}.endPort", end,
                                   "may not be specified when `port` is not specified"))


def _ip_block(block: Obj, path: str, errs: Errs) -> None:
    """Upstream ``ValidateIPBlock``."""
    cidr = _s(block, "cidr")
    if not cidr:
        errs.append(errors.required(f"{path}.cidr", ""))
        return
    if not names.is_valid_cidr(cidr):
        errs.append(errors.invalid(f"{path}.cidr", cidr, CIDR_ERROR_MSG))
        return
    network = ipaddress.ip_network(cidr, strict=False)
    for i, except_cidr in enumerate(as_list(block.get("except"))):
        except_cidr = except_cidr if isinstance(except_cidr, str) else ""
        p = f"{path}.except[{i}]"
        if not names.is_valid_cidr(except_cidr):
            errs.append(errors.invalid(p, except_cidr, CIDR_ERROR_MSG))
            continue
        inner = ipaddress.ip_network(except_cidr, strict=False)
        if (inner.version != network.version or inner.network_address not in network
                or network.prefixlen >= inner.prefixlen):
            errs.append(errors.invalid(p, except_cidr, "must be a strict subset of `cidr`"))


def _np_peer(peer: Obj, path: str, errs: Errs) -> None:
    """Upstream ``ValidateNetworkPolicyPeer``."""
    count = 0
    for key in ("podSelector", "namespaceSelector"):
        if isinstance(peer.get(key), dict):
            count += 1
            errs.extend(validate_label_selector(peer[key], f"{path}.{key}"))
    block = peer.get("ipBlock")
    if isinstance(block, dict):
        count += 1
        _ip_block(block, f"{path}.ipBlock", errs)
    if count == 0:
        errs.append(errors.required(path, "must specify a peer"))
    elif count > 1 and isinstance(block, dict):
        errs.append(errors.forbidden(path, "may not specify both ipBlock and another peer"))


def validate_network_policy_spec(spec: Obj) -> Errs:
    """Upstream ``ValidateNetworkPolicySpec``."""
    errs = validate_label_selector(as_map(spec.get("podSelector")), "spec.podSelector")
    for kind, peers in (("ingress", "from"), ("egress", "to")):
        for i, rule in enumerate(as_list(spec.get(kind))):
            rule = as_map(rule)
            p = f"spec.{kind}[{i}]"
            for j, port in enumerate(as_list(rule.get("ports"))):
                _np_port(as_map(port), f"{p}.ports[{j}]", errs)
            for j, peer in enumerate(as_list(rule.get(peers))):
                _np_peer(as_map(peer), f"{p}.{peers}[{j}]", errs)
    types = as_list(spec.get("policyTypes"))
    if len(types) > 2:
        errs.append(errors.invalid("spec.policyTypes", go_value(types),
                                   "may not specify more than two policyTypes"))
        return errs
    for i, kind in enumerate(types):
        if kind not in ("Ingress", "Egress"):
            errs.append(errors.not_supported(f"spec.policyTypes[{i}]", kind, ["Ingress", "Egress"]))
    return errs


def validate_network_policy(obj: Obj) -> Errs:
    errs = meta_errors(obj, True, names.validate_network_policy_name)
    errs.extend(validate_network_policy_spec(as_map(obj.get("spec"))))
    return errs


def validate_network_policy_update(new: Obj, old: Obj) -> Errs:
    errs = meta_update_errors(new, old)
    errs.extend(validate_network_policy_spec(as_map(new.get("spec"))))
    return errs


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "Ingress"): custom(validate_ingress, validate_ingress_update,
                               validate_ingress_status_update),
    (GROUP, "IngressClass"): custom(validate_ingress_class, validate_ingress_class_update),
    (GROUP, "NetworkPolicy"): custom(validate_network_policy, validate_network_policy_update),
}
