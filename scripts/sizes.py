"""The sizes a newcomer meets: lkj's modules over a line limit and functions over a length limit.

    python scripts/sizes.py                 # modules > 600 lines, functions > 80 lines
    python scripts/sizes.py --top 15        # the 15 largest modules and functions, whatever size

Exits 1 when a module or function is over its limit (tests/test_architecture.py runs it).
A function's length is from its ``def`` (decorators included) to its last line.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_LIMIT = 600
FUNCTION_LIMIT = 80


def modules(package: Path = ROOT / "lkj") -> list[tuple[int, str]]:
    """(lines, path) of every module of the package, largest first."""
    found = [
        (len(p.read_text(encoding="utf-8").splitlines()), p.relative_to(ROOT).as_posix())
        for p in package.rglob("*.py")
    ]
    return sorted(found, reverse=True)


def functions(package: Path = ROOT / "lkj") -> list[tuple[int, str]]:
    """(lines, path:qualified name) of every function and method, longest first."""
    found: list[tuple[int, str]] = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()

        def visit(node: ast.AST, prefix: str, rel: str = rel) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                    length = child.end_lineno - first + 1
                    found.append((length, f"{rel}:{prefix}{child.name}"))
                    visit(child, f"{prefix}{child.name}.")
                elif isinstance(child, ast.ClassDef):
                    visit(child, f"{prefix}{child.name}.")

        visit(tree, "")
    return sorted(found, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, help="list the N largest, whatever their size")
    args = parser.parse_args()
    mods, funcs = modules(), functions()
    if args.top:
        print("largest modules:")
        for lines, name in mods[: args.top]:
            print(f"  {lines:5d}  {name}")
        print("longest functions:")
        for lines, name in funcs[: args.top]:
            print(f"  {lines:5d}  {name}")
        return
    over_m = [(n, p) for n, p in mods if n > MODULE_LIMIT]
    over_f = [(n, p) for n, p in funcs if n > FUNCTION_LIMIT]
    for lines, name in over_m:
        print(f"module over {MODULE_LIMIT} lines: {name} ({lines})")
    for lines, name in over_f:
        print(f"function over {FUNCTION_LIMIT} lines: {name} ({lines})")
    if over_m or over_f:
        sys.exit(1)
    print(f"every module <= {MODULE_LIMIT} lines, every function <= {FUNCTION_LIMIT} lines")


if __name__ == "__main__":
    main()
