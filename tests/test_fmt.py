"""Indonesian formatting through Babel."""

from lkj.fmt import format_angka, format_pct, format_rp


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
