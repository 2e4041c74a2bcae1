"""Numbers: the one reader, the one writer and the one rounding rule of the project.

Every door a number comes in by (a raw CSV cell, a workbook sheet, a data form, a processed
table) goes through ``read_cell``/``read_text``; every number the project writes into a file
a person or the project reads again (raw CSV from ``collect`` and ``new-year``, the workbook,
the forms) goes through ``write_number``. So whatever the project writes reads back to the
same value.

The rule for a number written as text (data/raw/README.md, "Angka"):

* ASCII digits, an optional ``-``/``+``, an optional decimal POINT and an exponent (``1E+15``
  is how spreadsheets write large numbers). The point is always the decimal point:
  ``2.125`` is two and an eighth, never two thousand one hundred twenty-five.
* no thousands separators: ``1.367.655.230`` (more than one point) and ``1,500`` are refused
  with a hint, and so is a decimal comma (``92,5``: ambiguous between locales);
* a lone dash means zero (as in the source tables), an empty cell means missing;
* at most 15 significant digits (what a spreadsheet and a binary float hold exactly), and
  absolute value at most 10^15; non-zero values of at least 10^-6.

A number typed as a number in a spreadsheet is a number: it is read as the spreadsheet shows
it, rounded to 15 significant digits as Excel does, so binary noise (0.30000000000000004) is
not data.

Rounding is Excel's ROUND: half away from zero, on decimal values (``0.103 / 4 x 100`` is
exactly 2,575 and rounds to 2,58). Each quantity is judged at the precision its tables print
(``PCT_PLACES`` for a percentage): the rounded value is what is printed, what a category is
decided on, what the data-quality comparison and the history use.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

MAX_NUMBER = Decimal(10) ** 15
MIN_NONZERO = Decimal("0.000001")
MAX_SIGNIFICANT = 15
PCT_PLACES = 2  # percentages (capaian, serapan, SILPA %) are printed and judged with 2 decimals
RATIO_PLACES = 2  # the efficiency index
DASHES = frozenset({"-", "–", "—"})
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED_DOTS = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3}){2,}")
_GROUPED_COMMAS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")
_WIDE = Context(prec=50)
PLAIN_HINT = (
    "diharapkan angka polos (mis. 1367655230 atau 90.91: titik sebagai tanda desimal, tanpa "
    "pemisah ribuan)"
)


class NumberProblem(ValueError):
    """A cell that is not a number under the contract; the message is for the user."""


def _significant(value: Decimal) -> int:
    digits = value.normalize().as_tuple().digits
    return len(digits) if value != 0 else 1


def _check_range(value: Decimal, shown: object) -> Decimal:
    if abs(value) > MAX_NUMBER:
        raise NumberProblem(f"angka terlalu besar (paling besar 10^15), ditemukan {shown!r}")
    if value != 0 and abs(value) < MIN_NONZERO:
        raise NumberProblem(
            f"angka terlalu kecil (0 atau paling kecil 0.000001), ditemukan {shown!r}"
        )
    return value + 0  # -0 becomes 0


def read_text(text: str) -> Decimal | None:
    """Read a number written as text (a CSV cell, or a text cell of a sheet).

    Args:
        text: the cell text; surrounding spaces are ignored.

    Returns:
        The exact value, or None for an empty cell (a lone dash is 0).

    Raises:
        NumberProblem: the text is not a number under the contract (the message says why and
            what to write instead).
    """
    text = str(text).strip()
    if text == "":
        return None
    if text in DASHES:
        return Decimal(0)
    if _GROUPED_DOTS.fullmatch(text):
        raise NumberProblem(
            f"{PLAIN_HINT}, ditemukan {text!r}: titik sebagai pemisah ribuan? "
            f"tulis {text.replace('.', '')}"
        )
    if _GROUPED_COMMAS.fullmatch(text):
        raise NumberProblem(
            f"{PLAIN_HINT}, ditemukan {text!r}: koma sebagai pemisah ribuan? "
            f"tulis {text.replace(',', '')}"
        )
    if _DECIMAL_COMMA.fullmatch(text):
        raise NumberProblem(
            f"{PLAIN_HINT}, ditemukan {text!r}: pakai titik sebagai tanda desimal "
            f"(tulis {text.replace(',', '.')})"
        )
    if not _PLAIN.fullmatch(text):
        raise NumberProblem(f"{PLAIN_HINT}, ditemukan {text!r}")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise NumberProblem(f"{PLAIN_HINT}, ditemukan {text!r}") from None
    if abs(value) > MAX_NUMBER:
        raise NumberProblem(f"angka terlalu besar (paling besar 10^15), ditemukan {text!r}")
    if _significant(value) > MAX_SIGNIFICANT and value != value.to_integral_value():
        raise NumberProblem(
            f"terlalu banyak angka penting (paling banyak {MAX_SIGNIFICANT}), ditemukan {text!r}"
        )
    return _check_range(value, text)


def read_cell(value: object) -> Decimal | None:
    """Read a cell as a spreadsheet library gives it (openpyxl: int, float, str, datetime, None).

    A number cell is a number (rounded to 15 significant digits, as Excel shows it); a text
    cell follows the text rule of ``read_text``.

    Args:
        value: the cell value.

    Returns:
        The exact value, or None for an empty cell.

    Raises:
        NumberProblem: not a number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberProblem(f"diharapkan angka, ditemukan {value!r}")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        raise NumberProblem(
            "berisi tanggal/waktu, bukan angka (Excel mengubah isian menjadi tanggal)"
        )
    if isinstance(value, Decimal):
        return _check_range(value, value)
    if isinstance(value, int):
        return _check_range(Decimal(value), value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberProblem(f"diharapkan angka, ditemukan {value!r}")
        return _check_range(from_float(value), value)
    return read_text(str(value))


def from_float(value: float) -> Decimal:
    """The decimal a float stands for: its shortest repr, at most 15 significant digits.

    Args:
        value: a finite float (from a processed table or a spreadsheet cell).

    Returns:
        E.g. 66.667 for 66.667000000000002, 0.3 for 0.1 + 0.2.
    """
    exact = Decimal(repr(float(value)))
    if _significant(exact) > MAX_SIGNIFICANT:
        exponent = exact.adjusted() - MAX_SIGNIFICANT + 1
        exact = exact.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
    return exact.normalize() + 0


def to_decimal(value: object) -> Decimal | None:
    """Any number the project holds (int, float, numpy number, Decimal) as a Decimal.

    Args:
        value: the number; None, NaN and pandas NA give None.

    Returns:
        The value, or None when missing.
    """
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return Decimal(value)
    try:
        number = float(value)
    except (TypeError, ValueError):  # pandas.NA and other "missing" markers
        return None
    if math.isnan(number):
        return None
    if number.is_integer() and abs(number) < 2**53:
        return Decimal(int(number))
    return from_float(number)


def round_half_up(value: object, places: int) -> Decimal | None:
    """Excel's ROUND: half away from zero at ``places`` decimals, never "-0".

    Args:
        value: any number (see ``to_decimal``).
        places: decimals kept.

    Returns:
        The rounded value, or None when missing.
    """
    number = to_decimal(value)
    if number is None:
        return None
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded + 0 if rounded == 0 else rounded  # Decimal('-0.00') + 0 is 0.00


def ratio_pct(part: object, whole: object, places: int = PCT_PLACES) -> Decimal | None:
    """part / whole x 100, exact, rounded half away from zero; None when whole is 0 or missing.

    Args:
        part: the numerator (realisasi, SILPA, ...).
        whole: the denominator (target, anggaran, ...).
        places: decimals of the result (the judging precision).

    Returns:
        The percentage at its judging precision.
    """
    a, b = to_decimal(part), to_decimal(whole)
    if a is None or b is None or b == 0:
        return None
    with localcontext(_WIDE):
        return round_half_up(a * 100 / b, places)


def decimals_entered(value: object) -> int:
    """How many decimals a value as entered has: 2.125 -> 3, 92.5 -> 1, 40 -> 0."""
    number = to_decimal(value)
    if number is None:
        return 0
    exponent = number.normalize().as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


def write_number(value: object) -> str:
    """Write a number as plain text that ``read_text`` reads back to the same value.

    ``1367655230``, ``2.125``, ``90.91``, ``0.000001``: no exponent, no thousands separator,
    no trailing zeros; "" for a missing value.

    Args:
        value: any number (see ``to_decimal``).

    Returns:
        The text.
    """
    number = to_decimal(value)
    if number is None:
        return ""
    number = number.normalize() + 0
    text = format(number, "f")
    return "0" if text in ("-0", "0") else text


def as_float(value: Decimal | None) -> float:
    """A Decimal as a float for a table column (NaN when missing)."""
    return float("nan") if value is None else float(value)
