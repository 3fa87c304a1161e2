"""Name and value format checks, each returning a list of messages as upstream.

Upstream: k8s.io/apimachinery/pkg/util/validation/validation.go (``IsQualifiedName``,
``IsValidLabelValue``, ``IsDNS1123Label``, ``IsDNS1123Subdomain``, ``IsDNS1035Label``,
``IsConfigMapKey``, ``IsEnvVarName``, ``IsValidPortName``, ``IsValidPortNum``, ...)
and k8s.io/apimachinery/pkg/api/validation/generic.go (``NameIsDNSSubdomain`` and
friends, ``ValidateNameFunc``: ``(name, prefix) -> messages``).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable

# -- message helpers (validation.go) -------------------------------------------------


def max_len_error(length: int) -> str:
    """Upstream ``MaxLenError``."""
    return f"must be no more than {length} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """Upstream ``RegexError``: the message, examples and the regex."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    msg += " (e.g. "
    for i, example in enumerate(examples):
        if i > 0:
            msg += " or "
        msg += f"'{example}', "
    return msg + f"regex used for validation is '{fmt}')"


def empty_error() -> str:
    """Upstream ``EmptyError``."""
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    """Upstream ``InclusiveRangeError``."""
    return f"must be between {lo} and {hi}, inclusive"


# -- formats ---------------------------------------------------------------------------

QNAME_CHAR_FMT = "[A-Za-z0-9]"
QNAME_EXT_CHAR_FMT = "[-A-Za-z0-9_.]"
QUALIFIED_NAME_FMT = f"({QNAME_CHAR_FMT}{QNAME_EXT_CHAR_FMT}*)?{QNAME_CHAR_FMT}"
QUALIFIED_NAME_ERR_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character"
)
QUALIFIED_NAME_MAX_LENGTH = 63

LABEL_VALUE_FMT = f"({QUALIFIED_NAME_FMT})?"
LABEL_VALUE_ERR_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
    "or '.', and must start and end with an alphanumeric character"
)
LABEL_VALUE_MAX_LENGTH = 63

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_ERR_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_LABEL_MAX_LENGTH = 63

DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_ERR_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    "or '.', and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_MAX_LENGTH = 253

DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_ERR_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
    "an alphabetic character, and end with an alphanumeric character"
)
DNS1035_LABEL_MAX_LENGTH = 63

WILDCARD_DNS1123_SUBDOMAIN_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT
WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
    "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
    "alphanumeric character"
)

CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
CONFIG_MAP_KEY_ERR_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"

ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
ENV_VAR_NAME_ERR_MSG = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', "
    "'-', or '.', and must not start with a digit"
)

C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*"
C_IDENTIFIER_ERR_MSG = (
    "a valid C identifier must start with alphabetic character or '_', followed by a string "
    "of alphanumeric characters or '_'"
)

HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+"
HTTP_HEADER_NAME_ERR_MSG = "a valid HTTP header must consist of alphanumeric characters or '-'"


def _full(fmt: str) -> re.Pattern[str]:
    return re.compile(f"^(?:{fmt})$")


_QUALIFIED_NAME_RE = _full(QUALIFIED_NAME_FMT)
_LABEL_VALUE_RE = _full(LABEL_VALUE_FMT)
_DNS1123_LABEL_RE = _full(DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = _full(DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL_RE = _full(DNS1035_LABEL_FMT)
_WILDCARD_RE = _full(WILDCARD_DNS1123_SUBDOMAIN_FMT)
_CONFIG_MAP_KEY_RE = _full(CONFIG_MAP_KEY_FMT)
_ENV_VAR_NAME_RE = _full(ENV_VAR_NAME_FMT)
_C_IDENTIFIER_RE = _full(C_IDENTIFIER_FMT)
_HTTP_HEADER_NAME_RE = _full(HTTP_HEADER_NAME_FMT)
_PORT_NAME_CHARSET_RE = re.compile(r"^[-a-z0-9]+$")
_PORT_NAME_ONE_LETTER_RE = re.compile(r"[a-z]")


def _match(regex: re.Pattern[str], value: str) -> bool:
    # Go's regexp `$` never matches before a trailing newline, Python's does: use fullmatch.
    return regex.fullmatch(value) is not None


def _blen(value: str) -> int:
    """Go's ``len`` of a string: its UTF-8 byte length."""
    return len(value) if value.isascii() else len(value.encode())


# -- the Is* functions -----------------------------------------------------------------

_MEMO_LIMIT = 65536


def _memo_valid(fn: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """Remember the strings ``fn`` accepts: validation sees the same names, keys and
    values over and over, and nearly all of them are valid. Results are fresh lists."""
    valid: set[str] = set()

    def check(value: str) -> list[str]:
        if value in valid:
            return []
        msgs = fn(value)
        if not msgs and type(value) is str:
            if len(valid) >= _MEMO_LIMIT:
                valid.clear()
            valid.add(value)
        return msgs

    check.__doc__ = fn.__doc__
    check.__name__ = fn.__name__
    check.__wrapped__ = fn  # type: ignore[attr-defined]
    # The accepted strings, for a caller's loop to test membership inline
    # (``value in check.valid`` answers "no messages" without a call).
    check.valid = valid  # type: ignore[attr-defined]
    return check



@_memo_valid
def is_qualified_name(value: str) -> list[str]:
    """Upstream ``IsQualifiedName``: ``[prefix/]name`` as label keys and annotations use."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return [
            "a qualified name "
            + regex_error(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part " + empty_error())
    elif _blen(name) > QUALIFIED_NAME_MAX_LENGTH:
        errs.append("name part " + max_len_error(QUALIFIED_NAME_MAX_LENGTH))
    if not _match(_QUALIFIED_NAME_RE, name):
        errs.append(
            "name part "
            + regex_error(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        )
    return errs


def is_valid_label_value(value: str) -> list[str]:
    """Upstream ``IsValidLabelValue``.

    Short ASCII letters-and-digits values (a counter, a hash, a name part)
    match the pattern at once: they are accepted without the regex or the
    memo of accepted strings, which such values, often unique, would fill."""
    if (type(value) is str and len(value) <= LABEL_VALUE_MAX_LENGTH and value.isascii()
            and value.isalnum()):
        return []
    return _is_valid_label_value(value)


@_memo_valid
def _is_valid_label_value(value: str) -> list[str]:
    """:func:`is_valid_label_value` by its pattern."""
    errs: list[str] = []
    if _blen(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _match(_LABEL_VALUE_RE, value):
        errs.append(regex_error(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


@_memo_valid
def is_dns1123_label(value: str) -> list[str]:
    """Upstream ``IsDNS1123Label``."""
    errs: list[str] = []
    if _blen(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _match(_DNS1123_LABEL_RE, value):
        if _match(_DNS1123_SUBDOMAIN_RE, value):
            # A valid subdomain that is not a valid label: it has dots.
            errs.append("must not contain dots")
        else:
            errs.append(
                regex_error(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc")
            )
    return errs


@_memo_valid
def is_dns1123_subdomain(value: str) -> list[str]:
    """Upstream ``IsDNS1123Subdomain``."""
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _match(_DNS1123_SUBDOMAIN_RE, value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


@_memo_valid
def is_dns1035_label(value: str) -> list[str]:
    """Upstream ``IsDNS1035Label``."""
    errs: list[str] = []
    if _blen(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _match(_DNS1035_LABEL_RE, value):
        errs.append(regex_error(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    """Upstream ``IsWildcardDNS1123Subdomain``."""
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _match(_WILDCARD_RE, value):
        errs.append(
            regex_error(
                WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, "*.example.com"
            )
        )
    return errs


def _has_chdir_prefix(value: str) -> list[str]:
    """Upstream ``hasChDirPrefix``."""
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


@_memo_valid
def is_config_map_key(value: str) -> list[str]:
    """Upstream ``IsConfigMapKey`` (ConfigMap and Secret data keys)."""
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _match(_CONFIG_MAP_KEY_RE, value):
        errs.append(
            regex_error(CONFIG_MAP_KEY_ERR_MSG, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name")
        )
    errs.extend(_has_chdir_prefix(value))
    return errs


def is_env_var_name(value: str) -> list[str]:
    """Upstream ``IsEnvVarName``."""
    errs: list[str] = []
    if not _match(_ENV_VAR_NAME_RE, value):
        errs.append(
            regex_error(
                ENV_VAR_NAME_ERR_MSG, ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"
            )
        )
    errs.extend(_has_chdir_prefix(value))
    return errs


def is_relaxed_env_var_name(value: str) -> list[str]:
    """Upstream ``IsRelaxedEnvVarName`` (feature RelaxedEnvironmentVariableValidation)."""
    errs: list[str] = []
    if not value:
        errs.append("environment variable name " + empty_error())
    if any(not (" " <= c <= "~") or c == "=" for c in value):
        errs.append(
            "a valid environment variable name must consist only of printable ASCII "
            "characters other than '='"
        )
    return errs


def is_c_identifier(value: str) -> list[str]:
    """Upstream ``IsCIdentifier``."""
    if not _match(_C_IDENTIFIER_RE, value):
        return [regex_error(C_IDENTIFIER_ERR_MSG, C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName")]
    return []


def is_http_header_name(value: str) -> list[str]:
    """Upstream ``IsHTTPHeaderName``."""
    if not _match(_HTTP_HEADER_NAME_RE, value):
        return [
            regex_error(HTTP_HEADER_NAME_ERR_MSG, HTTP_HEADER_NAME_FMT, "X-Header-Name")
        ]
    return []


def is_valid_port_num(port: int) -> list[str]:
    """Upstream ``IsValidPortNum``: 1..65535."""
    if 1 <= port <= 65535:
        return []
    return [inclusive_range_error(1, 65535)]


def is_in_range(value: int, lo: int, hi: int) -> list[str]:
    """Upstream ``IsInRange``."""
    return [] if lo <= value <= hi else [inclusive_range_error(lo, hi)]


@_memo_valid
def is_valid_port_name(port: str) -> list[str]:
    """Upstream ``IsValidPortName`` (IANA_SVC_NAME)."""
    errs: list[str] = []
    if _blen(port) > 15:
        errs.append(max_len_error(15))
    if not _PORT_NAME_CHARSET_RE.fullmatch(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_ONE_LETTER_RE.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def is_valid_ip(value: str) -> bool:
    """Upstream ``netutils.ParseIPSloppy(value) != nil`` (leading zeros allowed in IPv4).

    Remembered per string: a kubelet reports the same pod and host IPs in every
    status write, and ``ipaddress`` parsing is slow."""
    if type(value) is str:
        return _is_valid_ip_text(value)
    return _is_valid_ip(value)


# Sized for a 10,000-pod cluster: each pod's IP and its node's come back in
# every status write, round robin (a smaller table would evict each before
# its next use).
@functools.lru_cache(maxsize=65536)
def _is_valid_ip_text(value: str) -> bool:
    return _is_valid_ip(value)


def _is_valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        pass
    parts = value.split(".")
    return len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) < 256 for p in parts)


def is_valid_cidr(value: str) -> bool:
    """Upstream ``netutils.ParseCIDRSloppy`` succeeds."""
    try:
        ipaddress.ip_network(value, strict=False)
        return "/" in value
    except ValueError:
        return False


# -- ValidateNameFunc (apimachinery/pkg/api/validation/generic.go) --------------------

NameFunc = Callable[[str, bool], list[str]]


def mask_trailing_dash(name: str) -> str:
    """Upstream ``maskTrailingDash``: a generateName prefix may end in '-'."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    """Upstream ``NameIsDNSSubdomain``."""
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1123_subdomain(name)


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    """Upstream ``NameIsDNSLabel``."""
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1123_label(name)


def name_is_dns1035_label(name: str, prefix: bool) -> list[str]:
    """Upstream ``NameIsDNS1035Label``."""
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1035_label(name)


# apimachinery/pkg/api/validation/path/name.go
NAME_MAY_NOT_BE = (".", "..")
NAME_MAY_NOT_CONTAIN = ("/", "%")


def is_valid_path_segment_name(name: str) -> list[str]:
    """Upstream ``path.IsValidPathSegmentName``."""
    for illegal in NAME_MAY_NOT_BE:
        if name == illegal:
            return [f"may not be '{illegal}'"]
    return is_valid_path_segment_prefix(name)


def is_valid_path_segment_prefix(name: str) -> list[str]:
    """Upstream ``path.IsValidPathSegmentPrefix``."""
    return [f"may not contain '{c}'" for c in NAME_MAY_NOT_CONTAIN if c in name]


def validate_path_segment_name(name: str, prefix: bool) -> list[str]:
    """Upstream ``path.ValidatePathSegmentName`` (RBAC object names)."""
    if prefix:
        return is_valid_path_segment_prefix(name)
    return is_valid_path_segment_name(name)


# Per-kind name functions, named as upstream's ValidateXName vars.
validate_pod_name = name_is_dns_subdomain
validate_replication_controller_name = name_is_dns_subdomain
validate_service_name = name_is_dns1035_label
validate_node_name = name_is_dns_subdomain
validate_namespace_name = name_is_dns_label
validate_limit_range_name = name_is_dns_subdomain
validate_resource_quota_name = name_is_dns_subdomain
validate_secret_name = name_is_dns_subdomain
validate_service_account_name = name_is_dns_subdomain
validate_endpoints_name = name_is_dns_subdomain
validate_class_name = name_is_dns_subdomain
validate_priority_class_name = name_is_dns_subdomain
validate_config_map_name = name_is_dns_subdomain
validate_persistent_volume_name = name_is_dns_subdomain
validate_deployment_name = name_is_dns_subdomain
validate_replica_set_name = name_is_dns_subdomain
validate_stateful_set_name = name_is_dns_subdomain
validate_daemon_set_name = name_is_dns_subdomain
validate_controller_revision_name = name_is_dns_subdomain
validate_ingress_name = name_is_dns_subdomain
validate_ingress_class_name = name_is_dns_subdomain
validate_network_policy_name = name_is_dns_subdomain
validate_rbac_name = validate_path_segment_name
validate_hpa_name = name_is_dns_subdomain
validate_lease_name = name_is_dns_subdomain
validate_endpoint_slice_name = name_is_dns_subdomain
validate_storage_class_name = name_is_dns_subdomain
validate_pdb_name = name_is_dns_subdomain
