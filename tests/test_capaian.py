"""Formulas of lkj.capaian, checked against values worked out by hand."""

import math

import pandas as pd
import pytest

from lkj.capaian import compute_capaian, compute_serapan, weighted_capaian


def test_positive_polarity_is_realisasi_over_target():
    assert compute_capaian(100, 100) == 100
    # sub kegiatan 27 of the seed: 10 of 11 parties -> 90,909...
    assert compute_capaian(11, 10) == pytest.approx(90.909090909, abs=1e-8)
    # sub kegiatan 4: 10 of 30 pegawai
    assert compute_capaian(30, 10) == pytest.approx(33.333333333, abs=1e-8)
    # above 100 is reported as it is
    assert compute_capaian(50, 60) == pytest.approx(120)


def test_negative_polarity_and_floor():
    # lower is better: target 10 conflicts, 5 happened -> (20 - 5) / 10 = 150 %
    assert compute_capaian(10, 5, "negatif") == pytest.approx(150)
    assert compute_capaian(10, 10, "negatif") == pytest.approx(100)
    # 25 conflicts against a target of 10 -> (20 - 25) / 10 < 0 -> floored at 0
    assert compute_capaian(10, 25, "negatif") == 0


def test_zero_target_cannot_be_computed():
    assert compute_capaian(0, 5) is None
    assert compute_capaian(0, 0, "negatif") is None
    assert compute_serapan(0, 0) is None


def test_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="polaritas"):
        compute_capaian(1, 1, "netral")


def test_serapan_of_belanja_pegawai():
    # Tabel 3.9: 1.120.832.605 / 1.367.655.230 = 81,9528...%
    assert compute_serapan(1367655230, 1120832605) == pytest.approx(81.95286, abs=1e-5)


def test_budget_weighted_mean_reproduces_seed_program_figure():
    # Program 03 (partai politik): sub kegiatan 27, 28, 29.
    # By hand: 100 - (100 - 90,9091) x 923.865.000 / 1.080.843.100 = 92,2294
    capaian = pd.Series([100 * 10 / 11, 100.0, 100.0])
    anggaran = pd.Series([923865000, 26639900, 130338200])
    assert weighted_capaian(capaian, anggaran, "tertimbang_anggaran") == pytest.approx(
        92.2294, abs=1e-4
    )
    # plain mean of the same: (90,9091 + 100 + 100) / 3 = 96,9697
    assert weighted_capaian(capaian, anggaran, "rata_rata") == pytest.approx(96.9697, abs=1e-4)


def test_weighted_mean_skips_not_computable_and_zero_budgets():
    capaian = pd.Series([float("nan"), 50.0, 100.0])
    anggaran = pd.Series([1000, 1, 3])
    # NaN left out: (50 x 1 + 100 x 3) / 4 = 87,5
    assert weighted_capaian(capaian, anggaran, "tertimbang_anggaran") == pytest.approx(87.5)
    # all weights zero: plain mean of the computable ones
    assert weighted_capaian(capaian, pd.Series([0, 0, 0]), "tertimbang_anggaran") == 75
    assert math.isnan(weighted_capaian(pd.Series([float("nan")]), pd.Series([1]), "rata_rata"))
