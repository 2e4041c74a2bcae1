"""Exact numbers for the audit trail: cell values as Decimal, Excel's rounding, and numbers as
the report prints them (as entered, percentages, rupiah), for the display tables.

Checks recompute with Decimal from the raw rows and do not reuse the pipeline's sums.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lkj.core.fmt import format_angka, format_pct

HUNDRED = Decimal(100)


def to_decimal(value: Any) -> Decimal | None:
    """A cell value as an exact Decimal (floats through their shortest repr); None if missing.

    Args:
        value: an int, float, Decimal, numpy number or numeric text.

    Returns:
        The value, or None for None/NaN/pandas NA/"" (an empty whole-number cell is NA: a
        yearly realisation left to its four quarters).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if type(value).__name__ == "NAType":  # pandas.NA, without importing pandas here
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, float) or (hasattr(value, "dtype") and "float" in str(value.dtype)):
        number = float(value)
        return None if math.isnan(number) else Decimal(repr(number))
    if isinstance(value, str):
        return Decimal(value.strip())
    return Decimal(int(value))


def round_half_up(value: Decimal, decimals: int = 2) -> Decimal:
    """Round half away from zero, as Excel's ROUND (53,125 -> 53,13)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _sum(values: Sequence[Any]) -> Decimal:
    return sum((to_decimal(v) or Decimal(0) for v in values), Decimal(0))


def _entered(value: Any) -> str:
    """A number as entered: whole numbers without decimals, others with their own decimals."""
    number = to_decimal(value)
    if number is None:
        return "-"
    exponent = number.normalize().as_tuple().exponent
    decimals = 0 if not isinstance(exponent, int) else min(max(-exponent, 0), 6)
    return format_angka(number, decimals)


def _pct(value: Any) -> str:
    number = to_decimal(value)
    return format_pct(None if number is None else number, sign=False)


def _rp(value: Any) -> str:
    number = to_decimal(value)
    return format_angka(None if number is None else number)
