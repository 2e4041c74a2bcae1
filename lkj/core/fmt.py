"""Indonesian number formatting, as Babel formats it for the CLDR locale id_ID.

``1.367.655.230``, ``Rp 1.367.655.230``, ``81,95%``. Values are rounded first by the one
rounding rule of ``lkj.core.numbers`` (Excel's ROUND: half away from zero, on decimal values, never
"-0"), then formatted by the locale. ``format_nilai`` shows a value as it was entered (92,5;
2,125; 40).
"""

from __future__ import annotations

from decimal import Decimal

from lkj.core import numbers

LOCALE = "id_ID"
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
    return _grouped(_round(value, decimals), decimals)


# id_ID's symbols (CLDR): group ".", decimal ",", minus "-". Python's own grouping of a
# Decimal, with the two marks swapped, gives what Babel's "#,##0.00" pattern gives for this
# locale (tests/test_fmt.py compares the two over random values) at a tenth of the cost: a
# report of 1 400 sub kegiatan formats some 60 000 numbers.
_TO_ID = str.maketrans(",.", ".,")


def _grouped(rounded: Decimal, decimals: int) -> str:
    return format(rounded, f",.{decimals}f").translate(_TO_ID)


def babel_angka(value: Decimal, decimals: int = 0) -> str:
    """``format_angka`` through Babel's CLDR pattern for id_ID (the reference it is checked
    against)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_round(value, decimals), format=pattern, locale=LOCALE)


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
    rounded = _round(value, 0)
    text = "Rp " + _grouped(abs(rounded), 0)
    return "-" + text if rounded < 0 else text


def babel_rp(value: Decimal) -> str:
    """``format_rp`` through Babel's currency pattern for id_ID (the reference)."""
    from babel.numbers import format_currency

    return format_currency(
        _round(value, 0), "IDR", format="¤ #,##0", currency_digits=False, locale=LOCALE
    )


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
