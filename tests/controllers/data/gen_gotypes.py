"""Regenerate ``engine/controllers/deployment/gotypes_v1_32.json``.

Usage: ``python tests/controllers/data/gen_gotypes.py API_REPO APIMACHINERY_REPO [TAG]``
with local git clones of k8s.io/api and k8s.io/apimachinery (TAG defaults to
v0.32.0). It reads the Go type declarations reachable from
``core/v1.PodTemplateSpec`` (field order, Go types, JSON names) and prints
the table the pod-template-hash dump walks. Not run by the tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

BUILTIN = {"string", "bool", "int", "int8", "int16", "int32", "int64", "uint", "uint8",
           "uint16", "uint32", "uint64", "float32", "float64", "byte", "uintptr"}
QUAL = {"metav1": "meta", "resource": "resource", "intstr": "intstr", "types": "types",
        "inf": "inf", "time": "time"}


def packages(api: str, am: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    return {
        "core": ("v1", [(api, "core/v1/types.go")]),
        "meta": ("v1", [(am, "pkg/apis/meta/v1/types.go"), (am, "pkg/apis/meta/v1/time.go"),
                        (am, "pkg/apis/meta/v1/micro_time.go")]),
        "resource": ("resource", [(am, "pkg/api/resource/quantity.go"),
                                  (am, "pkg/api/resource/amount.go"),
                                  (am, "pkg/api/resource/suffix.go")]),
        "intstr": ("intstr", [(am, "pkg/util/intstr/intstr.go")]),
        "types": ("types", [(am, "pkg/types/uid.go")]),
    }


def show(repo: str, tag: str, path: str) -> str:
    return subprocess.run(["git", "-C", repo, "show", f"{tag}:{path}"], capture_output=True,
                          text=True, check=True).stdout


def parse_field(line: str) -> list[dict]:
    tag = ""
    tm = re.search(r"`([^`]*)`", line)
    if tm:
        tag, line = tm.group(1), line[:tm.start()].strip()
    jm = re.search(r'json:"([^"]*)"', tag)
    jname = jm.group(1).split(",")[0] if jm else None
    inline = bool(jm and ",inline" in jm.group(1))
    parts = line.split(None, 1)
    if len(parts) == 1:  # an embedded field: named after its type
        return [{"name": parts[0].lstrip("*").split(".")[-1], "type": parts[0],
                 "json": jname, "inline": jname in (None, "") or inline}]
    return [{"name": n.strip(), "type": parts[1].strip(), "json": jname, "inline": inline}
            for n in parts[0].split(",")]


def parse(src: str) -> dict[str, dict]:
    src = re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", src, flags=re.S))
    decls: dict[str, dict] = {}
    for m in re.finditer(r"\ntype\s+(\w+)\s+struct\s*\{", src):
        depth, j = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(src[j], 0)
            j += 1
        fields = [f for line in src[m.end():j - 1].split("\n") if line.strip()
                  for f in parse_field(line.strip())]
        decls[m.group(1)] = {"kind": "struct", "fields": fields}
    for m in re.finditer(r"\ntype\s+(\w+)\s+([^\s{(=][^\n]*)", src):
        rest = m.group(2).strip()
        if m.group(1) not in decls and not rest.startswith(("struct", "interface")):
            decls[m.group(1)] = {"kind": "named", "underlying": rest}
    return decls


class Table:
    def __init__(self, pkgs: dict, decls: dict) -> None:
        self.pkgs, self.decls, self.out = pkgs, decls, {}

    def canon(self, expr: str, pkg: str) -> str:
        expr = expr.strip()
        if expr.startswith("*"):
            return "*" + self.canon(expr[1:], pkg)
        if expr.startswith("[]"):
            return "[]" + self.canon(expr[2:], pkg)
        if expr.startswith("map["):
            depth = 0
            for i, c in enumerate(expr[3:], 3):
                depth += {"[": 1, "]": -1}.get(c, 0)
                if c == "]" and depth == 0:
                    return (f"map[{self.canon(expr[4:i], pkg)}]"
                            f"{self.canon(expr[i + 1:], pkg)}")
        if expr in BUILTIN:
            return "uint8" if expr == "byte" else expr
        p, name = (QUAL[expr.split(".")[0]], expr.split(".", 1)[1]) if "." in expr else (pkg, expr)
        self.visit(p, name)
        return f"{p}.{name}"

    def visit(self, pkg: str, name: str) -> None:
        key = f"{pkg}.{name}"
        if key in self.out:
            return
        if pkg in ("time", "inf"):
            self.out[key] = {"kind": "external"}
            return
        d = self.decls[(pkg, name)]
        self.out[key] = {}
        pkgname = self.pkgs[pkg][0]
        if d["kind"] == "struct":
            fields = [{**f, "type": self.canon(f["type"], pkg)} for f in d["fields"]]
            self.out[key] = {"kind": "struct", "pkgname": pkgname, "fields": fields}
        else:
            self.out[key] = {"kind": "named", "pkgname": pkgname,
                             "underlying": self.canon(d["underlying"], pkg)}


def main(api: str, am: str, tag: str = "v0.32.0") -> None:
    pkgs = packages(api, am)
    decls: dict = {}
    for key, (_, sources) in pkgs.items():
        for repo, path in sources:
            for name, d in parse(show(repo, tag, path)).items():
                decls.setdefault((key, name), d)
    table = Table(pkgs, decls)
    table.visit("core", "PodTemplateSpec")
    json.dump(table.out, sys.stdout, separators=(",", ":"), sort_keys=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
