"""The ingress controller model: host and path precedence, path types,
default backends, TLS, status and the pod a request reaches."""

from __future__ import annotations

from typing import Any

from engine.cluster import Cluster
from engine.network.ingress import handled, ingress_class, path_matches, route
from tests.network.helpers import service, web_pod


def backend(name: str, port: int = 80) -> dict[str, Any]:
    return {"service": {"name": name, "port": {"number": port}}}


def ingress(name: str, rules: list[dict], created: str = "2024-01-01T00:00:00Z",
            **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": created},
            "spec": {"rules": rules, **spec}}


def rule(host: str | None, *paths: tuple[str, str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {"http": {"paths": [
        {"path": p, "pathType": t, "backend": backend(svc)} for p, t, svc in paths]}}
    if host:
        body["host"] = host
    return body


def test_prefix_matches_element_wise() -> None:
    assert path_matches("Prefix", "/foo", "/foo")
    assert path_matches("Prefix", "/foo", "/foo/bar")
    assert path_matches("Prefix", "/foo/", "/foo")
    assert not path_matches("Prefix", "/foo", "/foobar")
    assert path_matches("Prefix", "/", "/anything")
    assert path_matches("Exact", "/foo", "/foo")
    assert not path_matches("Exact", "/foo", "/foo/")
    assert path_matches("ImplementationSpecific", "/foo", "/foobar")  # as ingress-nginx


def test_longest_path_then_exact_before_prefix() -> None:
    ings = [ingress("a", [rule("shop.example.com", ("/", "Prefix", "root"),
                               ("/api", "Prefix", "api"), ("/api/v1", "Prefix", "v1"),
                               ("/api/v1", "Exact", "v1-exact"))])]
    assert route(ings, "shop.example.com", "/api/v1").service == "v1-exact"
    assert route(ings, "shop.example.com", "/api/v1/users").service == "v1"
    assert route(ings, "shop.example.com", "/api/v2").service == "api"
    assert route(ings, "shop.example.com", "/apix").service == "root"
    assert route(ings, "shop.example.com:8080", "/").service == "root"


def test_hosts_exact_then_wildcard_then_any() -> None:
    ings = [ingress("any", [rule(None, ("/", "Prefix", "fallback"))]),
            ingress("wild", [rule("*.example.com", ("/", "Prefix", "wild"))]),
            ingress("exact", [rule("shop.example.com", ("/", "Prefix", "shop"))])]
    assert route(ings, "shop.example.com", "/").service == "shop"
    assert route(ings, "blog.example.com", "/").service == "wild"
    assert route(ings, "a.b.example.com", "/").service == "fallback"
    assert route(ings, "other.org", "/x").service == "fallback"


def test_default_backend_tls_and_404() -> None:
    ings = [ingress("site", [rule("shop.example.com", ("/app", "Exact", "app"))],
                    defaultBackend=backend("catchall"),
                    tls=[{"hosts": ["shop.example.com"], "secretName": "shop-tls"}])]
    found = route(ings, "shop.example.com", "/app")
    assert (found.service, found.tls, found.secret) == ("app", True, "shop-tls")
    fallback = route(ings, "shop.example.com", "/other")
    assert fallback.service == "catchall" and fallback.default_backend
    assert route([ingress("x", [rule("a.com", ("/", "Prefix", "a"))])], "b.com", "/") is None


def test_ingress_controller_status_and_route_to_a_pod(net: Cluster) -> None:
    c = net.client
    c.create("services", service("web", {"app": "web"}), namespace="default")
    c.create("pods", web_pod("web-1"), namespace="default")
    c.create("ingressclasses", ingress_class())
    body = ingress("web", [rule("web.local", ("/", "Prefix", "web"))])
    del body["metadata"]["creationTimestamp"]
    c.create("ingresses", body, namespace="default")
    net.advance(20)
    ing = c.get("ingresses", "web", "default")
    assert ing["status"]["loadBalancer"]["ingress"] == [{"ip": "172.18.0.2"}]
    chosen, reached = net.network.ingress_route("web.local", "/index.html")
    assert chosen is not None and chosen.service == "web"
    assert reached is not None and reached.pod == "web-1"
    assert net.network.ingress_route("nothing.local", "/") == (None, None)


def test_ingress_classes_served() -> None:
    nginx = ingress_class()
    other = {"metadata": {"name": "traefik", "annotations": {
        "ingressclass.kubernetes.io/is-default-class": "true"}},
        "spec": {"controller": "traefik.io/ingress-controller"}}
    plain = ingress("plain", [])
    assert handled(plain, {})
    assert not handled(plain, {"traefik": other})
    assert handled({**plain, "spec": {"ingressClassName": "nginx"}}, {"traefik": other})
    assert not handled({**plain, "spec": {"ingressClassName": "traefik"}},
                       {"traefik": other, "nginx": nginx})
