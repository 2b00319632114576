#!/usr/bin/env python3
"""The import picture of the crate: which module uses which, the circles among files, and
the imports that run from a lower layer to a higher one.

    python3 scripts/layers.py            # summary
    python3 scripts/layers.py --upward   # every upward import, file by file

A file uses a module when it names it through `crate::…` or `super::…` (in a `use` or
inline). Layers, top to bottom, as docs/ARCHITECTURE.md draws them: the binary and
startup; the two doors (routes, web); the use cases (service); infrastructure (db, mail,
ocds, auth and the other support modules); the pure domain. An import from a layer to a
higher one is listed; a circle of files that spans two layers is reported.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")

LAYERS = [
    {"main", "lib", "startup", "bootstrap"},
    # The doors, and the state they share (only they read it).
    {"routes", "web", "state"},
    {"service"},
    {"db", "mail", "ocds", "auth", "cache", "client_address", "config", "error", "idempotency",
     "metrics", "ratelimit", "telemetry"},
    {"domain"},
]


def layer_of(module):
    top = module.split("::")[0]
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    return len(LAYERS) - 2  # an unknown top-level module counts as infrastructure


def modules():
    """Every module of the crate, as `a::b`, with its file."""
    found = {}
    for folder, _, files in os.walk(SRC):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            found["::".join(rel)] = path
    return found


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] for line in text.splitlines())


def use_paths(tree, prefix=""):
    """The paths a `use` tree names: `crate::{a::{b, c}, d}` gives crate::a::b, …"""
    tree = tree.strip()
    if not tree:
        return []
    depth, start, parts = 0, 0, []
    if "{" not in tree:
        name = re.split(r"\s+as\s+", tree)[0].strip()
        return [prefix + name]
    head, _, rest = tree.partition("{")
    inner = rest[: rest.rfind("}")]
    out = []
    for i, ch in enumerate(inner):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    for part in parts:
        out += use_paths(part, prefix + head.strip())
    return out


def resolve(path, here, known):
    """The module a path names, from the module `here`; None outside the crate."""
    steps = [s for s in path.split("::") if s]
    if not steps:
        return None
    if steps[0] == "crate":
        base, steps = [], steps[1:]
    elif steps[0] in ("super", "self"):
        base = here.split("::") if here not in ("lib", "main") else []
        is_dir_module = known.get(here, "").endswith("mod.rs")
        if not is_dir_module and base:
            base = base[:-1]  # a file module's `super` is its folder's module
        while steps and steps[0] in ("super", "self"):
            if steps[0] == "super" and base:
                base = base[:-1]
            steps = steps[1:]
    else:
        return None
    full = base + steps
    while full:
        name = "::".join(full)
        if name in known:
            return name
        full = full[:-1]
    return None


def graph():
    known = modules()
    edges = {}
    for module, path in known.items():
        text = strip_comments(open(path, encoding="utf-8").read())
        # Unit tests inside a file may reach anywhere.
        text = re.split(r"#\[cfg\(test\)\]\s*mod\s+tests\s*\{", text)[0]
        targets = set()
        for tree in re.findall(r"\buse\s+((?:crate|super|self)\b[^;]*);", text, flags=re.S):
            for p in use_paths(tree):
                t = resolve(p, module, known)
                if t:
                    targets.add(t)
        for p in re.findall(r"(?<![\w:])((?:crate|super)(?:::\w+)+)", text):
            t = resolve(p, module, known)
            if t:
                targets.add(t)
        targets.discard(module)
        edges[module] = targets
    return known, edges


def sccs(edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def main():
    known, edges = graph()
    upward = sorted(
        (m, t) for m, ts in edges.items() for t in ts if layer_of(t) < layer_of(m)
    )
    circles = [c for c in sccs(edges) if len(c) > 1]
    spanning = [c for c in circles if len({layer_of(m) for m in c}) > 1]
    print(f"{len(known)} modules, {sum(len(t) for t in edges.values())} imports")
    print(f"circles of files: {len(circles)} (largest {max((len(c) for c in circles), default=0)}), "
          f"spanning layers: {len(spanning)}")
    for c in spanning:
        print("  circle across layers:", ", ".join(sorted(c)))
    print(f"imports from a lower layer to a higher one: {len(upward)}")
    if "--upward" in sys.argv or len(upward) <= 40:
        for m, t in upward:
            print(f"  {m} -> {t}")
    return 1 if "--check" in sys.argv and spanning else 0


if __name__ == "__main__":
    sys.exit(main())
