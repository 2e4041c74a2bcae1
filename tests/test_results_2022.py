"""The computed 2022 figures against figures derived by hand from the seed's detailed rows.

Hand derivations (sub kegiatan numbers are the seed's "No" in its sub kegiatan table):
* program 03 = subs 27-29: anggaran 923.865.000 + 26.639.900 + 130.338.200 = 1.080.843.100
* sasaran S2 = programs 03 + 04: realisasi 1.078.044.100 + 17.512.000 = 1.095.556.100
  (the seed's Tabel 3.11 says 1.078.044.100: it forgot program 04); 1.095.556.100 /
  1.098.705.100 = 99,71 %
* program 05 = subs 31 (7/10 = 70 %, Rp 39.665.000) and 32 (100 %, Rp 59.528.000):
  100 - 30 x 39.665.000 / 99.193.000 = 88,00 (the seed states 94,00)
* kegiatan 01.02 = subs 4 (10/30), 5, 6: 100 - 66,667 x 1.367.655.230 / 1.385.686.700 = 34,20
* belanja penunjang = the 23 subs of program 01 = 2.886.765.506, for sasaran 2.033.333.100
* LRA jenis rows: 1.367.655.230 + 2.463.312.376 + 907.965.000 + 165.166.000 = 4.904.098.606,
  16.000.000 less than the sub kegiatan total 4.920.098.606
* serapan of the 35 subs counted by hand on the scale: 14 Sangat Tinggi, 6 Tinggi, 5 Sedang,
  4 Rendah, 6 Sangat Rendah (the seed's own counts); physical: 32 Sangat Tinggi (31 at 100 %
  and sub 27 at 90,91 %), sub 13 (90 %) Tinggi, sub 31 (70 %) Sedang, sub 4 (33,33 %) Sangat
  Rendah
"""

import pytest

from lkj.analysis.capaian import compute_results
from lkj.core.config import load_config
from lkj.core.fmt import format_pct
from lkj.data.ingest import read_raw


@pytest.fixture(scope="module")
def res():
    raw = read_raw(2022, "data/raw")
    return compute_results(raw.tables, 2022, load_config())


def _row(frame, column, code):
    hits = frame[frame[column] == code]
    assert len(hits) == 1
    return hits.iloc[0]


def test_program_figures(res):
    p03 = _row(res.program, "kode_program", "03")
    assert p03.anggaran_rp == 1080843100
    assert p03.realisasi_anggaran_rp == 1078044100
    assert format_pct(p03.capaian_fisik_pct) == "92,23%"
    assert format_pct(p03.serapan_pct) == "99,74%"
    p05 = _row(res.program, "kode_program", "05")
    assert format_pct(p05.capaian_fisik_pct) == "88,00%"
    assert format_pct(p05.serapan_pct) == "71,99%"
    assert p05.kategori_anggaran == "Sedang"
    p06 = _row(res.program, "kode_program", "06")
    assert (p06.anggaran_rp, p06.realisasi_anggaran_rp) == (652666800, 435947202)


def test_kegiatan_figures(res):
    k = _row(res.kegiatan, "kode_kegiatan", "01.02")
    assert format_pct(k.capaian_fisik_pct) == "34,20%"
    assert k.kategori_fisik == "Sangat Rendah"
    k = _row(res.kegiatan, "kode_kegiatan", "01.01")
    assert format_pct(k.serapan_pct) == "12,78%"


def test_sasaran_figures(res):
    s2 = _row(res.sasaran, "kode_sasaran", "S2")
    assert s2.anggaran_rp == 1098705100
    assert s2.realisasi_anggaran_rp == 1095556100
    assert format_pct(s2.serapan_pct) == "99,71%"
    assert (s2.jumlah_program, s2.jumlah_kegiatan, s2.jumlah_sub_kegiatan) == (2, 2, 4)
    s1 = _row(res.sasaran, "kode_sasaran", "S1")
    assert (s1.anggaran_rp, s1.realisasi_anggaran_rp) == (281961200, 238020600)


def test_totals_and_sources(res):
    total = res.ringkasan.set_index("sumber")
    assert total.loc["sub_kegiatan", "anggaran_rp"] == 4920098606
    assert total.loc["sub_kegiatan", "silpa_rp"] == 903126176
    assert format_pct(total.loc["sub_kegiatan", "serapan_pct"]) == "81,64%"
    assert total.loc["lra", "anggaran_rp"] == 4904098606
    assert total.loc["lra", "realisasi_rp"] == 4016972430
    langsung = res.belanja_langsung.set_index("uraian")["anggaran_rp"].tolist()
    assert langsung == [2886765506, 2033333100]


def test_category_counts_of_sub_kegiatan(res):
    serapan = res.sub_kegiatan["kategori_anggaran"].value_counts().to_dict()
    assert serapan == {
        "Sangat Tinggi": 14,
        "Tinggi": 6,
        "Sedang": 5,
        "Rendah": 4,
        "Sangat Rendah": 6,
    }
    fisik = res.sub_kegiatan["kategori_fisik"].value_counts().to_dict()
    assert fisik == {"Sangat Tinggi": 32, "Tinggi": 1, "Sedang": 1, "Sangat Rendah": 1}


def test_indikator_evaluation(res):
    i2 = res.indikator[(res.indikator["kode_indikator"] == "I2") & (res.indikator["tahun"] == 2022)]
    row = i2.iloc[0]
    assert (row.target, row.realisasi, row.capaian_pct) == (60, 60, 100)
    assert (row.predikat_kode, row.predikat) == ("AA", "Sangat Memuaskan")
    # against the Renstra end target of 75 %: 60 / 75 = 80 %
    assert row.capaian_renstra_pct == pytest.approx(80)
    assert len(res.indikator) == 6  # 3 indikator x (2021, 2022)


def test_stated_figures_are_compared_at_their_precision(res):
    import pandas as pd

    from lkj.analysis.kualitas import _decimals, compare_stated
    from lkj.data.ingest import read_raw

    assert (_decimals("81,91"), _decimals("94%"), _decimals("4.904.098.606,00")) == (2, 0, 2)
    raw = read_raw(2022, "data/raw")
    k = compare_stated(raw["angka_tertulis"], res, raw.tables, 2022)

    def status(sumber, entitas, kode, ukuran):
        hit = k[
            (k.sumber == sumber) & (k.entitas == entitas) & (k.kode == kode) & (k.ukuran == ukuran)
        ]
        assert len(hit) == 1, (sumber, entitas, kode, ukuran)
        return hit.iloc[0]

    total = status("Tabel 3.11", "total_sasaran", "", "anggaran_rp")
    assert (total.status, total.dihitung) == ("berbeda", 2033333100)
    lra = status("Tabel 3.9", "lra_kelompok", "Belanja Daerah", "anggaran_rp")
    assert (lra.status, lra.dihitung) == ("sama", 4904098606)
    gaji = status(
        "Tabel Capaian Kinerja dan Realisasi Anggaran Sub Kegiatan",
        "sub_kegiatan",
        "01.02.01",
        "capaian_fisik_pct",
    )  # written "33", computed 33,33
    assert gaji.status == "sama"
    p05 = status(
        "Tabel Capaian Kinerja dan Realisasi Anggaran Program", "program", "05", "capaian_fisik_pct"
    )
    assert p05.status == "berbeda" and round(p05.dihitung, 2) == 88.0
    assert set(k["status"]) <= {"sama", "berbeda", "tidak dibandingkan"}
    assert int((k["status"] == "berbeda").sum()) == 44
    assert isinstance(k, pd.DataFrame)
