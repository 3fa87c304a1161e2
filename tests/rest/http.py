"""A tiny HTTPS client for raw requests to the served API (stdlib only)."""

from __future__ import annotations

import http.client
import json
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(url: str, ca_pem: bytes, method: str, path: str, *, token: str | None = None,
            body: bytes | str | None = None, headers: dict[str, str] | None = None,
            timeout: float = 10) -> Reply:
    parsed = urlparse(url)
    context = ssl.create_default_context(cadata=ca_pem.decode())
    conn = http.client.HTTPSConnection(parsed.hostname, parsed.port, context=context,
                                       timeout=timeout)
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if isinstance(body, str):
        body = body.encode()
    try:
        conn.request(method, path, body=body, headers=sent)
        resp = conn.getresponse()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()
