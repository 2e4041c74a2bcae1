"""The narasi templates' sandbox with limits: a template ends, within its budget, in text or in
one message naming the file, the line and what was wrong.

Jinja2's ``SandboxedEnvironment`` keeps a template from reaching Python; it does not keep it
from running forever or filling the memory (two nested ``range(100000)`` loops, ``'x' * 10**8``,
a string doubled in a loop). No signal is used (there is no SIGALRM on Windows): every step a
template takes is charged to a budget instead, and the budget stops it.

* every loop round (each ``{% for %}`` iterates through a counting wrapper put in by
  ``_Guard``), call, attribute or item lookup and intercepted operator costs one step, and a
  result of n characters (or items) costs n / 1024 more; past ``[batas] narasi_operasi`` steps,
  or ``narasi_detik`` seconds of wall-clock time (checked every 1024 steps), it stops;
* no text or list it builds, and not its whole output, may exceed ``narasi_keluaran_kb``;
* a whole number is at most 10^15 (the data contract's bound), a number written in the
  template or passed to a filter or a method at most 10^6 (a width, a repeat count);
* ``{% include %}``, ``{% import %}`` and ``{% extends %}`` are refused (a narasi stands alone).
"""

from __future__ import annotations

import math
import re
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from lkj.core.config import Batas, load_batas
from lkj.core.numbers import MAX_NUMBER

MAX_ARGUMENT = 10**6
"""The largest number a template may write or pass to a filter or method (a width, a count)."""

_WIDE = re.compile(r"\d{7,}")  # a width of 10^6 or more in a format string


class NarasiLimit(Exception):
    """A template went past one of its limits (the message says which)."""


class _Budget:
    """The steps, time and size one rendering may use."""

    def __init__(self, batas: Batas) -> None:
        self.steps = 0
        self.limit = batas.narasi_operasi
        self.seconds = batas.narasi_detik
        self.deadline = time.monotonic() + batas.narasi_detik
        self.size = batas.narasi_keluaran_kb * 1024

    def charge(self, steps: int = 1) -> None:
        before = self.steps
        self.steps += steps
        if self.steps > self.limit:
            raise NarasiLimit(
                f"templat melebihi batas narasi_operasi = {self.limit} langkah (perulangan, "
                "panggilan): terlalu banyak putaran?"
            )
        if before >> 10 != self.steps >> 10 and time.monotonic() > self.deadline:
            raise NarasiLimit(f"templat melebihi batas narasi_detik = {self.seconds} detik")

    def result(self, value: Any) -> Any:
        """Charge a result by its size; refuse one larger than the output limit."""
        if isinstance(value, (str, bytes, list, tuple, dict, set)):
            n = len(value)
            if n > self.size:
                raise NarasiLimit(
                    f"templat membuat teks/daftar {n} unsur, melebihi batas "
                    f"narasi_keluaran_kb = {self.size // 1024} KB"
                )
            self.charge(1 + n // 1024)
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise NarasiLimit("templat membuat bilangan lebih dari 10^15")
        elif isinstance(value, range):
            self.charge(1 + len(value) // 1024)
        return value


def _check_arguments(args: tuple, kwargs: dict) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise NarasiLimit(f"angka {value} terlalu besar sebagai argumen (paling besar 10^6)")
        if isinstance(value, float) and (not math.isfinite(value) or abs(value) > MAX_NUMBER):
            raise NarasiLimit(f"angka {value} di luar batas sebagai argumen")


class LimitedEnvironment(SandboxedEnvironment):
    """Jinja2's sandbox, every step charged to the budget of the rendering under way."""

    intercepted_binops = frozenset({"*", "**", "+", "-", "/", "//", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
        self.budget: _Budget | None = None
        self.globals["range"] = self._range
        self.globals["_lkj_iter"] = self._iterate
        self.globals["_lkj_concat"] = self._concat
        # its own helpers (the objects a template calls: compared by identity, not ==)
        self._own = (self.globals["range"], self.globals["_lkj_iter"], self.globals["_lkj_concat"])
        self.filters = {name: self._filter(f) for name, f in self.filters.items()}

    def _charge(self, steps: int = 1) -> _Budget:
        if self.budget is None:  # constant folding at compile time: leave it to the run
            raise NarasiLimit("di luar perenderan")
        self.budget.charge(steps)
        return self.budget

    def _range(self, *args: int) -> range:
        _check_arguments(args, {})
        rng = range(*args)
        self._charge(1 + len(rng) // 1024)
        return rng

    def _iterate(self, iterable: Any) -> Iterator[Any]:
        budget = self._charge()
        for item in iterable:
            budget.charge()
            yield item

    def _concat(self, *parts: Any) -> str:
        budget = self._charge(len(parts))
        size = sum(len(p) if isinstance(p, str) else 32 for p in parts)
        if size > budget.size:  # refused before it is built
            raise NarasiLimit(
                f"templat membuat teks {size} karakter, melebihi batas narasi_keluaran_kb = "
                f"{budget.size // 1024} KB"
            )
        return budget.result("".join(str(p) for p in parts))

    def _filter(self, func: Callable) -> Callable:
        def limited(*args: Any, **kwargs: Any) -> Any:
            budget = self._charge()
            _check_arguments(args[1:], kwargs)
            return budget.result(func(*args, **kwargs))

        for attr in ("jinja_pass_arg", "__name__", "__doc__"):
            if hasattr(func, attr):
                setattr(limited, attr, getattr(func, attr))
        return limited

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        budget = __self._charge()
        if not any(__obj is own for own in __self._own):
            _check_arguments(args, kwargs)
        return budget.result(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._charge()
        if isinstance(obj, str) and attribute in ("format", "format_map") and _WIDE.search(obj):
            raise NarasiLimit("lebar format terlalu besar (paling besar 10^6)")
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self._charge()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = self._charge()
        numbers = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
        if operator == "**" and len(numbers) == 2 and abs(left) > 1 and right > 50:
            raise NarasiLimit(f"pangkat {left} ** {right} terlalu besar")
        if operator == "*" and len(numbers) == 1:
            other = right if numbers[0] is left else left
            if hasattr(other, "__len__") and len(other) * max(numbers[0], 0) > budget.size:
                raise NarasiLimit(
                    f"templat membuat teks/daftar {len(other) * numbers[0]} unsur, melebihi "
                    f"batas narasi_keluaran_kb = {budget.size // 1024} KB"
                )
        if operator == "%" and isinstance(left, str) and _WIDE.search(left):
            raise NarasiLimit("lebar format terlalu besar (paling besar 10^6)")
        return budget.result(super().call_binop(context, operator, left, right))


class _Guard(NodeTransformer):
    """Loops through the counting iterator, ``~`` through the checked join; numbers written in
    the template at most 10^6; no include, import or extends."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = nodes.Call(
            nodes.Name("_lkj_iter", "load", lineno=node.lineno),
            [node.iter],
            [],
            None,
            None,
            lineno=node.lineno,
        )
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        return nodes.Call(
            nodes.Name("_lkj_concat", "load", lineno=node.lineno),
            list(node.nodes),
            [],
            None,
            None,
            lineno=node.lineno,
        )

    def visit_Const(self, node: nodes.Const) -> nodes.Node:
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if abs(value) > MAX_ARGUMENT:
                raise TemplateSyntaxError(
                    f"angka {value} terlalu besar untuk teks narasi (paling besar 10^6)",
                    node.lineno,
                )
        return node

    def _refuse(self, node: nodes.Node) -> nodes.Node:
        raise TemplateSyntaxError(
            "{% include %}, {% import %} dan {% extends %} tidak didukung: teks narasi berdiri "
            "sendiri (salin teksnya ke sini)",
            node.lineno,
        )

    visit_Include = visit_Import = visit_FromImport = visit_Extends = _refuse


def _line(tb: Any, filename: str) -> int | None:
    """The template line of the innermost frame of ``filename`` in a traceback."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _clip(text: str, n: int = 200) -> str:
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return text if len(text) <= n else text[:n] + "…"


def render_limited(text: str, values: dict[str, Any], source: str) -> str:
    """Render a narasi template within its limits.

    Args:
        text: the template.
        values: the names it may use.
        source: the file, for messages (and the template's file name in Jinja).

    Returns:
        The rendered text.

    Raises:
        NarasiError: anything went wrong; ``line`` says where when known.
    """
    env = LimitedEnvironment()
    batas = load_batas()
    env.budget = _Budget(batas)
    depth = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(min(depth, 3000))
        tree = _Guard().visit(env.parse(text, filename=source))
        tree.set_environment(env)
        template = env.template_class.from_code(
            env, env.compile(tree, filename=source), env.make_globals(None), None
        )
        out: list[str] = []
        size = 0
        for chunk in template.generate(**values):
            size += len(chunk)
            if size > env.budget.size:
                raise NarasiLimit(
                    f"teks hasil melebihi batas narasi_keluaran_kb = {batas.narasi_keluaran_kb} KB"
                )
            out.append(chunk)
        return "".join(out)
    except TemplateSyntaxError as exc:
        problem = f"templat tidak sah: {_clip(exc.message or str(exc))}"
        raise NarasiError(problem, exc.lineno) from None
    except UndefinedError as exc:
        line = _line(exc.__traceback__, source)
        raise NarasiError(f"nama nilai tidak dikenal dalam teks: {_clip(str(exc))}", line) from None
    except SecurityError as exc:
        line = _line(exc.__traceback__, source)
        raise NarasiError(f"tidak diizinkan dalam teks narasi: {_clip(str(exc))}", line) from None
    except NarasiLimit as exc:
        raise NarasiError(str(exc), _line(exc.__traceback__, source)) from None
    except RecursionError:
        raise NarasiError("templat bersarang atau berulang terlalu dalam (rekursi)", None) from None
    except MemoryError:
        raise NarasiError("templat memakai terlalu banyak memori", None) from None
    except Exception as exc:  # noqa: BLE001 - any other failure of the template, named
        line = _line(exc.__traceback__, source)
        problem = f"templat gagal: {type(exc).__name__}: {_clip(str(exc))}"
        raise NarasiError(problem, line) from None
    finally:
        sys.setrecursionlimit(depth)
        env.budget = None


class NarasiError(Exception):
    """What went wrong in a narasi template, and on which line (None when unknown)."""

    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
