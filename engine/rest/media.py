"""Content negotiation: the Accept header's media types and their parameters.

Upstream: k8s.io/apiserver ``pkg/endpoints/handlers/negotiation`` (Accept is
an ordered list; ``as``/``g``/``v`` parameters ask for a transformed object
such as a Table or aggregated discovery).
"""

from __future__ import annotations

from dataclasses import dataclass, field

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"


@dataclass(frozen=True)
class MediaType:
    type: str
    params: dict[str, str] = field(default_factory=dict)

    def is_json(self) -> bool:
        return self.type in (JSON, "*/*", "application/*")


def parse_accept(header: str | None) -> list[MediaType]:
    """Accept entries in the client's order (q-values are not used by kubectl)."""
    if not header:
        return [MediaType(JSON)]
    out = []
    for entry in header.split(","):
        parts = [p.strip() for p in entry.split(";")]
        if not parts[0]:
            continue
        params = {}
        for p in parts[1:]:
            key, _, value = p.partition("=")
            params[key.strip().lower()] = value.strip()
        out.append(MediaType(parts[0].lower(), params))
    return out or [MediaType(JSON)]


def table_version(accept: list[MediaType]) -> str | None:
    """``v1``/``v1beta1`` when the first acceptable entry asks for a Table."""
    for m in accept:
        if m.params.get("as") == "Table" and m.params.get("g") == "meta.k8s.io":
            if m.params.get("v") in ("v1", "v1beta1") and m.is_json():
                return m.params["v"]
            continue
        if m.params.get("as"):
            continue
        if m.is_json() or m.type == PROTOBUF:
            return None
    return None


def wants_metadata_only(accept: list[MediaType]) -> str | None:
    """``PartialObjectMetadata`` / ``PartialObjectMetadataList`` requests (metadata informers)."""
    for m in accept:
        kind = m.params.get("as", "")
        if kind.startswith("PartialObjectMetadata") and m.params.get("g") == "meta.k8s.io":
            return kind
        if not kind and (m.is_json() or m.type == PROTOBUF):
            return None
    return None


def acceptable(accept: list[MediaType]) -> bool:
    """Whether a JSON reply is acceptable: any JSON entry, a wildcard or protobuf
    (client-go offers protobuf with JSON; a JSON reply is decoded by Content-Type)."""
    return any(m.is_json() or m.type in (PROTOBUF, YAML) for m in accept)
