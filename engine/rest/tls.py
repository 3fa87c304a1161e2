"""A self-signed serving certificate for the loopback API server.

kubectl (client-go) does not send bearer tokens to an ``http://`` server
(observed with kubectl 1.32.4: no Authorization header at all), so the API
is served over HTTPS with a certificate made per run by the ``openssl`` CLI
(no extra Python dependency) and trusted through the kubeconfig's
``certificate-authority-data``. The certificate names ``localhost``,
``127.0.0.1``, ``::1`` and the address being served.
"""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServingCert:
    cert_pem: bytes
    key_pem: bytes

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = Path(tmp, "tls.crt"), Path(tmp, "tls.key")
            cert.write_bytes(self.cert_pem)
            key.write_bytes(self.key_pem)
            ctx.load_cert_chain(cert, key)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        """A client context trusting this certificate (tests, benchmarks)."""
        ctx = ssl.create_default_context(cadata=self.cert_pem.decode())
        return ctx


def _san(address: str) -> str:
    names = ["DNS:localhost", "IP:127.0.0.1", "IP:::1"]
    try:
        ipaddress.ip_address(address)
        entry = f"IP:{address}"
    except ValueError:
        entry = f"DNS:{address}"
    if entry not in names:
        names.append(entry)
    return ",".join(names)


def generate(address: str = "127.0.0.1", days: int = 365) -> ServingCert:
    """A new EC P-256 key and a self-signed certificate valid for ``address``."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("k9py serve needs the openssl command to make its TLS certificate")
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = Path(tmp, "tls.crt"), Path(tmp, "tls.key")
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", str(key), "-out", str(cert), "-days", str(days),
             "-subj", "/CN=k9py-apiserver", "-addext", f"subjectAltName={_san(address)}",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,digitalSignature,keyCertSign"],
            check=True, capture_output=True)
        return ServingCert(cert.read_bytes(), key.read_bytes())

