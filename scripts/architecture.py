"""Draw lkj's layers from its imports: the picture in docs/architecture.md.

    python scripts/architecture.py           # print the Mermaid diagram and the module table
    python scripts/architecture.py --write   # put them into docs/architecture.md

The layers are the import-linter contract of pyproject.toml; the modules and the arrows
between layers are read from the code (grimp, import-linter's graph), so the picture cannot
drift from what the code does: tests/test_architecture.py checks that the document holds what
this script prints.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN = "<!-- architecture.py: begin -->"
END = "<!-- architecture.py: end -->"


def layers() -> list[list[str]]:
    """The contract's layers, top first; each a list of sibling packages."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    return [[m.strip() for m in layer.split("|")] for layer in contract["layers"]]


def _first_line(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    line = " ".join(doc.split("\n\n")[0].split())
    return line.replace("|", "\\|")


def _package_of(module: str, packages: list[str]) -> str | None:
    for package in packages:
        if module == package or module.startswith(package + "."):
            return package
    return None


def diagram() -> str:
    """Mermaid: one box per layer package with its modules, an arrow for each pair of packages
    whose modules import each other (always downwards)."""
    import grimp

    graph = grimp.build_graph("lkj", cache_dir=None)
    stack = layers()
    packages = [p for layer in stack for p in layer]
    lines = ["```mermaid", "flowchart TD"]
    for package in packages:
        name = package.removeprefix("lkj.")
        if package == "lkj.cli":
            lines.append('  cli["cli<br/>python -m lkj"]')
            continue
        modules = sorted(
            m.rsplit(".", 1)[-1] + ("/" if graph.find_children(m) else "")
            for m in graph.find_children(package)
        )
        lines.append(f'  {name}["<b>{name}</b><br/>{", ".join(modules)}"]')
    edges = set()
    for importer in graph.modules:
        src = _package_of(importer, packages)
        for imported in graph.find_modules_directly_imported_by(importer):
            dst = _package_of(imported, packages)
            if src and dst and src != dst:
                edges.add((src.removeprefix("lkj."), dst.removeprefix("lkj.")))
    order = {p.removeprefix("lkj."): i for i, p in enumerate(packages)}
    for src, dst in sorted(edges, key=lambda e: (order[e[0]], order[e[1]])):
        lines.append(f"  {src} --> {dst}")
    lines.append("```")
    return "\n".join(lines)


def module_table() -> str:
    """One row per module: its layer, lines and the first sentence of its docstring."""
    rows = ["| module | lines | what it is for |", "| --- | ---: | --- |"]
    for layer in layers():
        for package in layer:
            folder = ROOT / Path(*package.split("."))
            paths = [folder.with_suffix(".py")] if folder.with_suffix(".py").is_file() else []
            paths += sorted(folder.rglob("*.py")) if folder.is_dir() else []
            for path in paths:
                if path.name == "__init__.py" and path.parent != folder:
                    continue
                rel = path.relative_to(ROOT).as_posix()
                n = len(path.read_text(encoding="utf-8").splitlines())
                rows.append(f"| `{rel}` | {n} | {_first_line(path)} |")
    return "\n".join(rows)


def generated() -> str:
    return f"{BEGIN}\n{diagram()}\n\n{module_table()}\n{END}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="update docs/architecture.md")
    args = parser.parse_args()
    text = generated()
    if not args.write:
        print(text)
        return
    doc = DOC.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        sys.exit(f"{DOC}: no {BEGIN} ... {END} block to fill")
    head, rest = doc.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(head + text + tail, encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)} updated")


if __name__ == "__main__":
    main()
