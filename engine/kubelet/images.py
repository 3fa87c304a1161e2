"""Image references, the simulated registry, and what each well-known image is.

Names are normalised as containerd does (``docker/distribution/reference``):
``nginx:1.14.2`` is ``docker.io/library/nginx:1.14.2``, an untagged name
gets ``:latest``. Sizes, digests and pull times are derived from the name
alone, so every run pulls the same bytes in the same time.

**Which pulls fail** (the documented rule; everything else exists):

* a tag that cannot exist: ``doesnotexist``, ``does-not-exist``,
  ``nonexistent``, ``notfound``, ``not-found``, ``missing``, ``invalid``,
  ``404``, or any tag starting with ``no-such`` - the registry answers
  NotFound, as Docker Hub does for a typo'd tag;
* a registry host under a reserved top-level domain (RFC 2606: ``.invalid``,
  ``.example``, ``.test``; e.g. ``invalid.example/app:1.0``) - the name does
  not resolve ("no such host");
* a repository name with upper-case letters (``Nginx``) is not a valid
  reference at all: ``InvalidImageName``, nothing is pulled.

Failed pulls become ``ErrImagePull`` and then ``ImagePullBackOff``, exactly
as with containerd (see :mod:`engine.kubelet.runtime`).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from engine.bootstrap.nodes import KUBERNETES_VERSION

MISSING_TAGS = frozenset({"doesnotexist", "does-not-exist", "nonexistent", "notfound",
                          "not-found", "missing", "invalid", "404"})
UNRESOLVABLE_TLDS = (".invalid", ".example", ".test")
# kind's node network gateway, which answers the nodes' DNS queries.
NODE_RESOLVER = "172.18.0.1:53"

# Registry throughput and round-trip time that turn sizes into pull times.
PULL_BYTES_PER_SECOND = 25_000_000
PULL_LATENCY = 0.4
# Re-pulling an image whose layers are all present only fetches the manifest.
MANIFEST_CHECK_SECONDS = 0.35


class InvalidImageName(ValueError):
    """The reference does not parse (containerd never sees it)."""


@dataclass(frozen=True)
class ImageRef:
    """A parsed, normalised image reference (``parse`` hands out one per image
    string, so the derived names - ``image_id`` hashes - are computed once;
    ``cached_property`` writes the instance dict, which a frozen dataclass allows)."""

    original: str
    domain: str
    path: str
    tag: str
    digest: str

    @functools.cached_property
    def repository(self) -> str:
        return f"{self.domain}/{self.path}"

    @functools.cached_property
    def normalized(self) -> str:
        """What the runtime reports as the container's image."""
        if self.digest:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag}"

    @property
    def name(self) -> str:
        """The last path component (``nginx`` for ``docker.io/library/nginx``)."""
        return self.path.rsplit("/", 1)[-1]

    @functools.cached_property
    def image_id(self) -> str:
        """The repo digest containerd reports as ``imageID``."""
        return f"{self.repository}@{self.digest or 'sha256:' + _hex(self.normalized)}"


@functools.lru_cache(maxsize=4096)
def parse(image: str) -> ImageRef:
    """Normalise ``image``; raises :class:`InvalidImageName` with containerd's wording."""
    rest, _, digest = image.partition("@")
    tag = ""
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1:]
    first, _, remainder = rest.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"):
        domain, path = first, remainder
    else:
        domain, path = "docker.io", rest
        if "/" not in path:
            path = "library/" + path
    if not path or image != image.strip() or " " in image:
        raise InvalidImageName(f'couldn\'t parse image name "{image}": invalid reference format')
    if path != path.lower():
        raise InvalidImageName(
            f'couldn\'t parse image name "{image}": invalid reference format: repository name '
            f"({path}) must be lowercase")
    return ImageRef(image, domain, path, tag or ("" if digest else "latest"), digest)


def pull_error(ref: ImageRef) -> str | None:
    """The CRI error a pull of ``ref`` fails with, or None when the image exists."""
    host = ref.domain.split(":", 1)[0]
    if host.endswith(UNRESOLVABLE_TLDS) or host in ("invalid", "example", "test"):
        target = f"https://{ref.domain}/v2/{ref.path}/manifests/{ref.tag or ref.digest}"
        return (f"rpc error: code = Unknown desc = failed to pull and unpack image "
                f'"{ref.normalized}": failed to resolve reference "{ref.normalized}": failed to '
                f'do request: Head "{target}": dial tcp: lookup {host} on {NODE_RESOLVER}: '
                "no such host")
    if ref.tag in MISSING_TAGS or ref.tag.startswith("no-such"):
        return (f"rpc error: code = NotFound desc = failed to pull and unpack image "
                f'"{ref.normalized}": failed to resolve reference "{ref.normalized}": '
                f"{ref.normalized}: not found")
    return None


def pull_error_seconds(ref: ImageRef) -> float:
    """How long a failing pull takes before it fails (a round trip or a DNS timeout)."""
    return 0.2 + _fraction(ref.normalized, "fail") * 0.8


@dataclass(frozen=True)
class ImageProfile:
    """What an image does when run with its defaults (Docker ENTRYPOINT/CMD)."""

    family: str  # server, shell, pause, hello, postgres, mysql, nginx, redis, ...
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    ports: tuple[int, ...] = ()  # empty: listens on whatever the pod declares
    http_paths: tuple[str, ...] | None = None  # None: every path answers 200
    size: int = 0  # typical compressed size in bytes, 0 = derive from the name


_SHELL = ImageProfile("shell", (), ("sh",), size=2_160_000)
PROFILES: dict[str, ImageProfile] = {
    "nginx": ImageProfile("nginx", ("/docker-entrypoint.sh",), ("nginx", "-g", "daemon off;"),
                          (80,), ("/", "/index.html", "/50x.html"), 67_000_000),
    "httpd": ImageProfile("httpd", (), ("httpd-foreground",), (80,), ("/", "/index.html"),
                          58_000_000),
    "redis": ImageProfile("redis", ("docker-entrypoint.sh",), ("redis-server",), (6379,),
                          size=45_000_000),
    "memcached": ImageProfile("server", ("docker-entrypoint.sh",), ("memcached",), (11211,),
                              size=32_000_000),
    "postgres": ImageProfile("postgres", ("docker-entrypoint.sh",), ("postgres",), (5432,),
                             size=151_000_000),
    "mysql": ImageProfile("mysql", ("docker-entrypoint.sh",), ("mysqld",), (3306,),
                          size=170_000_000),
    "mariadb": ImageProfile("mysql", ("docker-entrypoint.sh",), ("mariadbd",), (3306,),
                            size=120_000_000),
    "mongo": ImageProfile("server", ("docker-entrypoint.sh",), ("mongod",), (27017,),
                          size=300_000_000),
    "rabbitmq": ImageProfile("server", ("docker-entrypoint.sh",), ("rabbitmq-server",),
                             (5672, 15672), size=95_000_000),
    "pause": ImageProfile("pause", ("/pause",), (), size=320_000),
    "hello-world": ImageProfile("hello", ("/hello",), (), size=4_000),
    "busybox": _SHELL,
    "alpine": ImageProfile("shell", (), ("/bin/sh",), size=3_650_000),
    "ubuntu": ImageProfile("shell", (), ("/bin/bash",), size=29_700_000),
    "debian": ImageProfile("shell", (), ("bash",), size=48_500_000),
    "centos": ImageProfile("shell", (), ("/bin/bash",), size=71_000_000),
    "fedora": ImageProfile("shell", (), ("/bin/bash",), size=62_000_000),
    "bash": ImageProfile("shell", ("docker-entrypoint.sh",), ("bash",), size=5_900_000),
    "python": ImageProfile("shell", (), ("python3",), size=410_000_000),
    "node": ImageProfile("shell", ("docker-entrypoint.sh",), ("node",), size=390_000_000),
    "curl": ImageProfile("shell", ("/entrypoint.sh",), ("curl",), size=6_000_000),
    "coredns": ImageProfile("coredns", ("/coredns",), (), (53, 8080, 8181), size=18_560_000),
    "etcd": ImageProfile("server", (), ("etcd",), (2379, 2380), size=57_680_000),
}

# What a fresh kind node already has (kind's node image preloads them).
PRELOADED = (
    f"registry.k8s.io/kube-apiserver:{KUBERNETES_VERSION}",
    f"registry.k8s.io/kube-controller-manager:{KUBERNETES_VERSION}",
    f"registry.k8s.io/kube-scheduler:{KUBERNETES_VERSION}",
    f"registry.k8s.io/kube-proxy:{KUBERNETES_VERSION}",
    "registry.k8s.io/etcd:3.5.16-0",
    "registry.k8s.io/coredns/coredns:v1.11.3",
    "registry.k8s.io/pause:3.10",
    "docker.io/kindest/kindnetd:v20241108-5c6d2daf",
    "docker.io/kindest/local-path-provisioner:v20241108-5c6d2daf",
    "docker.io/kindest/local-path-helper:v20241108-5c6d2daf",
)


def profile(ref: ImageRef) -> ImageProfile:
    """The profile for ``ref``'s image name; unknown images are servers."""
    found = PROFILES.get(ref.name)
    if found is not None:
        return found
    if ref.name.startswith("kube-"):
        return ImageProfile("server", (), (ref.name,), size=0)
    return ImageProfile("server")


@functools.lru_cache(maxsize=4096)
def size_of(ref: ImageRef) -> int:
    """Deterministic image size in bytes: near the profile's typical size, varying by tag."""
    base = profile(ref).size or 20_000_000 + int(_fraction(ref.repository, "base") * 130_000_000)
    return int(base * (0.85 + 0.3 * _fraction(ref.normalized, "size")))


def pull_seconds(ref: ImageRef) -> float:
    """Time to pull ``ref`` onto a node that has none of its layers."""
    return PULL_LATENCY + size_of(ref) / PULL_BYTES_PER_SECOND


def repo_tags(ref: ImageRef) -> list[str]:
    """The names a node lists for the image in ``status.images``."""
    names = [ref.image_id]
    if not ref.digest:
        names.append(ref.normalized)
    return names


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _fraction(text: str, salt: str) -> float:
    """A stable number in [0, 1) from ``text``."""
    return int(hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()[:8], 16) / 2**32
