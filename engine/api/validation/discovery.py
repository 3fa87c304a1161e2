"""Validation of ``discovery.k8s.io/v1`` EndpointSlices.

Upstream: pkg/apis/discovery/validation/validation.go (``ValidateEndpointSlice``,
``ValidateEndpointSliceCreate``, ``ValidateEndpointSliceUpdate``, ``validateEndpoints``,
``validatePorts``, ``validateAddressType``, ``validateHints``).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from engine.api import errors
from engine.api.validation import names, podspec
from engine.api.validation.common import Errs, as_list, as_map, validate_immutable_field
from engine.api.validation.core import validate_non_special_ip
from engine.api.validation.kinds import custom, meta_errors, meta_update_errors
from engine.api.validation.objectmeta import validate_labels
from engine.api.validation.registry import KindValidators

Obj = dict[str, Any]

GROUP = "discovery.k8s.io"
ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
MAX_TOPOLOGY_LABELS = 16
MAX_ADDRESSES = 100
MAX_PORTS = 20000
MAX_ENDPOINTS = 1000
MAX_HINTS = 8


def _s(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _ip_of_family(address: str, version: int) -> bool:
    try:
        return ipaddress.ip_address(address).version == version
    except ValueError:
        return version == 4 and names.is_valid_ip(address) and ":" not in address


def _fqdn(address: str, path: str, errs: Errs) -> None:
    """Upstream ``validation.IsFullyQualifiedDomainName``."""
    if not address:
        errs.append(errors.required(path, ""))
        return
    name = address.removesuffix(".")
    msgs = names.is_dns1123_subdomain(name)
    if msgs:
        errs.append(errors.invalid(path, name, ",".join(msgs)))
        return
    if len(name.split(".")) < 2:
        errs.append(errors.invalid(path, name, "should be a domain with at least two segments "
                                   "separated by dots"))
        return
    for label in name.split("."):
        msgs = names.is_dns1123_label(label)
        if msgs:
            errs.append(errors.invalid(path, label, ",".join(msgs)))
            return


def _address(address: str, address_type: str, path: str, errs: Errs) -> None:
    if address_type in ("IPv4", "IPv6"):
        version = 4 if address_type == "IPv4" else 6
        if not _ip_of_family(address, version):
            errs.append(errors.invalid(path, address, f"must be a valid {address_type} address"))
        else:
            errs.extend(validate_non_special_ip(address, path))
    elif address_type == "FQDN":
        _fqdn(address, path, errs)


def _endpoints(endpoints: list[Any], address_type: str, errs: Errs) -> None:
    """Upstream ``validateEndpoints``."""
    if len(endpoints) > MAX_ENDPOINTS:
        errs.append(errors.too_many("endpoints", len(endpoints), MAX_ENDPOINTS))
        return
    for i, endpoint in enumerate(endpoints):
        endpoint = as_map(endpoint)
        p = f"endpoints[{i}]"
        addresses = as_list(endpoint.get("addresses"))
        if not addresses:
            errs.append(errors.required(f"{p}.addresses", "must contain at least 1 address"))
        elif len(addresses) > MAX_ADDRESSES:
            errs.append(errors.too_many(f"{p}.addresses", len(addresses), MAX_ADDRESSES))
        for j, address in enumerate(addresses):
            _address(address if isinstance(address, str) else "", address_type,
                     f"{p}.addresses[{j}]", errs)
        node = endpoint.get("nodeName")
        if isinstance(node, str):
            podspec.name_fn_errors(names.validate_node_name, node, f"{p}.nodeName", errs)
        topology = as_map(endpoint.get("deprecatedTopology"))
        if len(topology) > MAX_TOPOLOGY_LABELS:
            errs.append(errors.too_many(f"{p}.deprecatedTopology", len(topology),
                                        MAX_TOPOLOGY_LABELS))
        errs.extend(validate_labels(topology, f"{p}.deprecatedTopology"))
        if isinstance(endpoint.get("hostname"), str):
            podspec.dns1123_label(endpoint["hostname"], f"{p}.hostname", errs)
        hints = endpoint.get("hints")
        if isinstance(hints, dict):
            _hints(hints, f"{p}.hints", errs)


def _hints(hints: Obj, path: str, errs: Errs) -> None:
    zones = as_list(hints.get("forZones"))
    if len(zones) > MAX_HINTS:
        errs.append(errors.too_many(f"{path}.forZones", len(zones), MAX_HINTS))
        return
    seen: set[str] = set()
    for i, zone in enumerate(zones):
        name = _s(as_map(zone), "name")
        p = f"{path}.forZones[{i}].name"
        if name in seen:
            errs.append(errors.duplicate(p, name))
        else:
            seen.add(name)
            errs.extend(errors.invalid(p, name, msg) for msg in names.is_valid_label_value(name))


def _ports(ports: list[Any], errs: Errs) -> None:
    """Upstream ``validatePorts``."""
    if len(ports) > MAX_PORTS:
        errs.append(errors.too_many("ports", len(ports), MAX_PORTS))
        return
    seen: set[str] = set()
    for i, port in enumerate(ports):
        port = as_map(port)
        p = f"ports[{i}]"
        name = _s(port, "name")
        if name:
            podspec.dns1123_label(name, f"{p}.name", errs)
        if name in seen:
            errs.append(errors.duplicate(f"{p}.name", name))
        seen.add(name)
        protocol = port.get("protocol")
        if not isinstance(protocol, str):
            errs.append(errors.required(f"{p}.protocol", ""))
        elif protocol not in podspec.PROTOCOLS:
            errs.append(errors.not_supported(f"{p}.protocol", protocol, list(podspec.PROTOCOLS)))
        if isinstance(port.get("appProtocol"), str):
            podspec.qualified_name(port["appProtocol"], f"{p}.appProtocol", errs)


def _slice_body(obj: Obj) -> Errs:
    """Upstream ``ValidateEndpointSlice``."""
    errs = meta_errors(obj, True, names.validate_endpoint_slice_name)
    _endpoints(as_list(obj.get("endpoints")), _s(obj, "addressType"), errs)
    _ports(as_list(obj.get("ports")), errs)
    return errs


def validate_endpoint_slice(obj: Obj) -> Errs:
    """Upstream ``ValidateEndpointSliceCreate``: the body and a supported address type."""
    errs = _slice_body(obj)
    address_type = _s(obj, "addressType")
    if not address_type:
        errs.append(errors.required("addressType", ""))
    elif address_type not in ADDRESS_TYPES:
        errs.append(errors.not_supported("addressType", address_type, list(ADDRESS_TYPES)))
    return errs


def validate_endpoint_slice_update(new: Obj, old: Obj) -> Errs:
    """Upstream ``ValidateEndpointSliceUpdate``: the address type is immutable."""
    errs = _slice_body(new)
    errs.extend(meta_update_errors(new, old))
    errs.extend(validate_immutable_field(_s(new, "addressType"), _s(old, "addressType"),
                                         "addressType"))
    return errs


VALIDATORS: dict[tuple[str, str], KindValidators] = {
    (GROUP, "EndpointSlice"): custom(validate_endpoint_slice, validate_endpoint_slice_update),
}
