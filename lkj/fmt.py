"""Indonesian number formatting through Babel (CLDR locale id_ID).

``1.367.655.230``, ``Rp 1.367.655.230``, ``81,95%``. Values are rounded first by the one
rounding rule of ``lkj.numbers`` (Excel's ROUND: half away from zero, on decimal values, never
"-0"), then formatted by the locale. ``format_nilai`` shows a value as it was entered (92,5;
2,125; 40).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal, parse_pattern

from lkj import numbers

LOCALE = "id_ID"
_LOCALE = Locale.parse(LOCALE)  # parsed once: Babel would parse the name on every call
NOT_COMPUTABLE = "tidak dapat dihitung"
MISSING = "-"


def _is_missing(value: object) -> bool:
    return numbers.to_decimal(value) is None if not isinstance(value, str) else False


def _round(value: object, decimals: int) -> Decimal:
    rounded = numbers.round_half_up(value, decimals)
    if rounded is None:  # pragma: no cover - callers check _is_missing first
        raise ValueError(f"not a number: {value!r}")
    return rounded


def format_angka(
    value: float | int | Decimal | None, decimals: int = 0, missing: str = MISSING
) -> str:
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
    return format_decimal(_round(value, decimals), format=_pattern(decimals), locale=_LOCALE)


@cache
def _pattern(decimals: int) -> NumberPattern:
    """``#,##0`` with ``decimals`` zeros after the point, parsed once."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def format_rp(value: float | int | Decimal | None, missing: str = MISSING) -> str:
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
        _round(value, 0), "IDR", format=_RP_PATTERN, currency_digits=False, locale=_LOCALE
    )


_RP_PATTERN = parse_pattern("¤ #,##0")


def format_pct(
    value: float | Decimal | None,
    decimals: int = numbers.PCT_PLACES,
    missing: str = NOT_COMPUTABLE,
    sign: bool = True,
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


def format_nilai(value: float | int | Decimal | None, missing: str = MISSING) -> str:
    """Format a value as it was entered, with the decimals it has: 92.5 -> ``92,5``,
    2.125 -> ``2,125``, 1500 -> ``1.500`` (targets and realisations of indicators and of
    physical outputs).

    Args:
        value: the number; None or NaN gives ``missing``.
        missing: the text for a missing value.

    Returns:
        The formatted number.
    """
    if _is_missing(value):
        return missing
    return format_angka(value, numbers.decimals_entered(value))
