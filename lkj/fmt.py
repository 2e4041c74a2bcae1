"""Indonesian number formatting through Babel (CLDR locale id_ID).

``1.367.655.230``, ``Rp 1.367.655.230``, ``81,95%``. Values are rounded half-up first (the
way a reader checks a percentage by hand), then formatted by the locale.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, format_decimal

LOCALE = "id_ID"
NOT_COMPUTABLE = "tidak dapat dihitung"
MISSING = "-"


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _round(value: float, decimals: int) -> Decimal:
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def format_angka(value: float | int | None, decimals: int = 0, missing: str = MISSING) -> str:
    """Format a number the Indonesian way: ``1.367.655.230`` or ``33,33``.

    Args:
        value: the number; None or NaN gives ``missing``.
        decimals: digits after the decimal comma (always shown).
        missing: the text for a missing value.

    Returns:
        The formatted number.
    """
    if _is_missing(value):
        return missing
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_round(value, decimals), format=pattern, locale=LOCALE)


def format_rp(value: float | int | None, missing: str = MISSING) -> str:
    """Format an amount of rupiah: ``Rp 1.367.655.230`` (whole rupiah).

    Args:
        value: the amount; None or NaN gives ``missing``.
        missing: the text for a missing value.

    Returns:
        The formatted amount.
    """
    if _is_missing(value):
        return missing
    return format_currency(
        _round(value, 0), "IDR", format="¤ #,##0", currency_digits=False, locale=LOCALE
    )


def format_pct(
    value: float | None, decimals: int = 2, missing: str = NOT_COMPUTABLE, sign: bool = True
) -> str:
    """Format a percentage already expressed in percent: 81.954 -> ``81,95%``.

    Args:
        value: the percentage (not a fraction); None or NaN gives ``missing``.
        decimals: digits after the decimal comma.
        missing: the text for a value that cannot be computed.
        sign: append ``%``.

    Returns:
        The formatted percentage.
    """
    if _is_missing(value):
        return missing
    return format_angka(value, decimals) + ("%" if sign else "")
