#!/usr/bin/env python3
"""The shape of the product code, checked at every `make check` (label lint).

Three rules from docs/design.md's conventions:
  - no import circle among the kiosk's modules (kiosk/*.c|h, each kiosk/*/ folder one module)
    nor among the hub's (hub/*.c|h);
  - no product C file over 600 lines;
  - no product function over 80 lines.

Today's offenders are listed in shape_allowlist.txt. That list may only shrink: the check fails on
an offender that is not listed (a regression) and on a listed one that is gone (fixed: take it off
the list, so the list shows the progress). With --list it prints every offender and exits 0.

  tests/system/shape_check.py SOURCE_DIR [--list]
"""
import os
import re
import subprocess
import sys

PRODUCT_DIRS = ("hub", "kiosk", "media", "protocol", "plugins", "common", "include")
CIRCLE_COMPONENTS = ("kiosk", "hub")
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
FUNCTION_NAME = re.compile(r"^([A-Za-z_]\w*)\s*\(")


def product_files(top):
    try:
        out = subprocess.run(["git", "-C", top, "ls-files", "--", *PRODUCT_DIRS],
                             capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):  # a source tarball
        out = []
        for d in PRODUCT_DIRS:
            for root, _, names in os.walk(os.path.join(top, d)):
                out += [os.path.relpath(os.path.join(root, n), top) for n in names]
    return sorted(f for f in out if f.endswith((".c", ".h")) and os.path.exists(os.path.join(top, f)))


def module_of(path, component):
    """kiosk/app.c -> kiosk/app; kiosk/screens/home.c -> kiosk/screens/ (a folder is one module)."""
    parts = path.split("/")
    if len(parts) > 2:
        return "/".join(parts[:2]) + "/"
    return os.path.splitext(path)[0]


def resolve(include, including, files):
    """The repository path an #include "..." names, if it is one of ours."""
    for candidate in (os.path.normpath(os.path.join(os.path.dirname(including), include)), include):
        if candidate in files:
            return candidate
    return None


COMMENT_OR_STRING = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                               re.S)
IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*\b")


def exported_functions(lines):
    """Names of the functions a .c file defines without `static` (what other files can call)."""
    names = []
    for number, line in enumerate(lines):
        if line.rstrip() != "{":
            continue
        for back in range(number - 1, max(number - 12, -1), -1):
            m = FUNCTION_NAME.match(lines[back])
            if m and not (back > 0 and re.search(r"\bstatic\b", lines[back - 1])):
                names.append(m.group(1))
            if m:
                break
    return names


def circles(top, texts, component):
    """Modules that depend on each other in a circle. A depends on B when A includes B's header or
    calls a function B defines (umbrella headers such as hub/hub.h declare many files' functions,
    so the includes alone would hide the real circles)."""
    files = set(f for f in texts if f.startswith(component + "/"))
    defined_in = {}
    for f in files:
        if f.endswith(".c"):
            for name in exported_functions(texts[f]):
                defined_in[name] = module_of(f, component)
    edges = {}
    for f in files:
        src = module_of(f, component)
        targets = edges.setdefault(src, set())
        for line in texts[f]:
            m = INCLUDE.match(line)
            if m:
                target = resolve(m.group(1), f, files)
                if target:
                    targets.add(module_of(target, component))
        if f.endswith(".c"):
            code = COMMENT_OR_STRING.sub(" ", "\n".join(texts[f]))
            for word in set(IDENTIFIER.findall(code)):
                if word in defined_in:
                    targets.add(defined_in[word])
        targets.discard(src)
    return [sorted(c) for c in strongly_connected(edges) if len(c) > 1]


def strongly_connected(edges):
    """Tarjan's algorithm, iterative (the graphs are small, but recursion limits are not ours)."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
    return result


def long_functions(path, lines):
    """Function bodies as .clang-format lays them out: the name at column 0, `{` and `}` alone."""
    found = []
    start = name = None
    for number, line in enumerate(lines):
        if line.rstrip() == "{" and start is None:
            name = None
            for back in range(number - 1, max(number - 12, -1), -1):
                m = FUNCTION_NAME.match(lines[back])
                if m:
                    name = m.group(1)
                    break
            if name:
                start = number
        elif line.rstrip() == "}" and start is not None:
            length = number - start + 1
            if length > MAX_FUNCTION_LINES:
                found.append(("function", f"{path}:{name}", length))
            start = None
    return found


def offenders(top):
    texts = {}
    for f in product_files(top):
        with open(os.path.join(top, f), encoding="utf-8", errors="replace") as fh:
            texts[f] = fh.read().split("\n")
    found = []
    for component in CIRCLE_COMPONENTS:
        for members in circles(top, texts, component):
            found.append(("circle", " ".join(members), len(members)))
    for f, lines in texts.items():
        count = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
        if f.endswith(".c") and count > MAX_FILE_LINES:
            found.append(("file", f, count))
        if f.endswith(".c"):
            found += long_functions(f, lines)
    return found


def read_allowlist(path):
    allowed = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            kind, _, key = line.partition(" ")
            key = key.strip()
            if kind == "circle":
                key = " ".join(sorted(key.split()))
            allowed.add((kind, key))
    return allowed


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    top = sys.argv[1]
    found = offenders(top)
    if "--list" in sys.argv[2:]:
        for kind, key, size in sorted(found):
            print(f"{kind} {key}  # {size}")
        return 0
    allowlist = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shape_allowlist.txt")
    allowed = read_allowlist(allowlist)
    current = {(kind, key): size for kind, key, size in found}
    new = sorted(k for k in current if k not in allowed)
    gone = sorted(k for k in allowed if k not in current)
    for kind, key in new:
        what = {"circle": f"{current[(kind, key)]} modules include each other",
                "file": f"{current[(kind, key)]} lines (limit {MAX_FILE_LINES})",
                "function": f"{current[(kind, key)]} lines (limit {MAX_FUNCTION_LINES})"}[kind]
        print(f"shape: new {kind} {key}: {what}", file=sys.stderr)
    for kind, key in gone:
        print(f"shape: {kind} {key} is fixed: take it off {os.path.basename(allowlist)}",
              file=sys.stderr)
    if new or gone:
        return 1
    print(f"shape: {len(current)} known offenders left "
          f"({sum(1 for k in current if k[0] == 'circle')} circles, "
          f"{sum(1 for k in current if k[0] == 'file')} files, "
          f"{sum(1 for k in current if k[0] == 'function')} functions), no new one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
