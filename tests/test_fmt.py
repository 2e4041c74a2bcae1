"""Indonesian formatting, as Babel gives it for id_ID."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lkj.core.fmt import babel_angka, babel_rp, format_angka, format_nilai, format_pct, format_rp


def test_thousands_dot_and_decimal_comma():
    assert format_angka(1367655230) == "1.367.655.230"
    assert format_angka(33.3333, 2) == "33,33"
    assert format_angka(0) == "0"


def test_rounding_is_half_up():
    assert format_angka(0.125, 2) == "0,13"
    assert format_angka(1234.5) == "1.235"


def test_currency_and_percent():
    assert format_rp(1367655230) == "Rp 1.367.655.230"
    assert format_pct(81.952862) == "81,95%"
    assert format_pct(100) == "100,00%"


def test_missing_values():
    assert format_pct(None) == "tidak dapat dihitung"
    assert format_pct(float("nan")) == "tidak dapat dihitung"
    assert format_rp(None) == "-"
    assert format_angka(float("nan")) == "-"


def test_rounding_is_excel_round_not_float_noise():
    # 2,675 is 2.67499999999999982236431605997495353221893310546875 as a float; Excel's ROUND
    # of the typed 2,675 is 2,68
    assert format_angka(2.675, 2) == "2,68"
    assert format_angka(12.5) == "13"
    assert format_angka(-12.5) == "-13"  # half away from zero


def test_no_negative_zero():
    assert format_angka(-0.001, 2) == "0,00"
    assert format_pct(-0.004) == "0,00%"
    assert format_angka(-0.0) == "0"


def test_values_as_entered():
    assert format_nilai(92.5) == "92,5"
    assert format_nilai(2.125) == "2,125"
    assert format_nilai(1500.0) == "1.500"
    assert format_nilai(0.000001) == "0,000001"
    assert format_nilai(None) == "-"


@settings(max_examples=3000, deadline=None)
@given(
    st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, places=6),
    st.integers(min_value=0, max_value=6),
)
def test_formatting_is_what_babel_gives_for_id_ID(value, decimals):
    """The fast formatter gives Babel's CLDR id_ID text, for any value and decimals."""
    assert format_angka(value, decimals) == babel_angka(value, decimals)
    assert format_pct(value) == babel_angka(value, 2) + "%"
    assert format_rp(value) == babel_rp(value)


def test_formatting_of_hand_picked_values():
    assert format_angka(Decimal("-1234567.005"), 2) == "-1.234.567,01"
    assert format_angka(Decimal("999.5")) == "1.000"
    assert format_rp(-1234567) == "-Rp 1.234.567"
    assert format_rp(Decimal("-0.4")) == "Rp 0"
