"""Both category scales at every boundary, and the checks on the configuration file."""

import pytest

from lkj.core.config import load_config
from lkj.core.errors import ConfigError

CONFIG = load_config()


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (150, "Sangat Tinggi"),  # above 100: top band
        (100, "Sangat Tinggi"),
        (91, "Sangat Tinggi"),
        (90.01, "Sangat Tinggi"),
        (90, "Tinggi"),  # "76-90": 90 is Tinggi
        (76, "Tinggi"),
        (75.01, "Tinggi"),
        (75, "Sedang"),
        (66, "Sedang"),
        (65.01, "Sedang"),
        (65, "Rendah"),
        (51, "Rendah"),
        (50.01, "Rendah"),
        (50, "Sangat Rendah"),
        (0, "Sangat Rendah"),
    ],
)
def test_realisasi_scale_boundaries(value, label):
    assert CONFIG.realisasi.categorize(value).label == label


@pytest.mark.parametrize(
    ("value", "code", "label"),
    [
        (120, "AA", "Sangat Memuaskan"),
        (100, "AA", "Sangat Memuaskan"),
        (90.005, "AA", "Sangat Memuaskan"),  # judged as 90,01
        (90.0049, "A", "Memuaskan"),  # printed and judged as 90,00
        (90, "A", "Memuaskan"),
        (80.5, "A", "Memuaskan"),
        (80, "BB", "Sangat Baik"),
        (70, "B", "Baik"),
        (60, "CC", "Cukup"),
        (50, "C", "Kurang"),
        (30.01, "C", "Kurang"),
        (30, "D", "Sangat Kurang"),
        (0, "D", "Sangat Kurang"),
    ],
)
def test_predikat_scale_boundaries(value, code, label):
    category = CONFIG.predikat.categorize(value)
    assert (category.code, category.label) == (code, label)


def test_not_computable_has_no_category():
    assert CONFIG.realisasi.categorize(None) is None
    assert CONFIG.predikat.categorize(float("nan")) is None


def test_colours_are_configured_for_every_band():
    for scale in (CONFIG.realisasi, CONFIG.predikat):
        assert all(c.color.startswith("#") and len(c.color) == 7 for c in scale.categories)
    assert CONFIG.aggregation_method == "tertimbang_anggaran"


def test_bad_configuration_is_reported(tmp_path):
    bad = tmp_path / "lkj.toml"
    bad.write_text("[agregasi]\nmetode_capaian_fisik = 'median'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="metode_capaian_fisik"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


# ---------------------------------------------------------------- [dokumen]

BASE = CONFIG.path.read_text(encoding="utf-8").split("[dokumen]")[0]


def _with_dokumen(tmp_path, body: str):
    path = tmp_path / "lkj.toml"
    path.write_text(BASE + "[dokumen]\n" + body, encoding="utf-8")
    return load_config(path)


def test_dokumen_defaults_are_the_conventions():
    d = CONFIG.dokumen
    assert (d.paper, d.paper_mm) == ("A4", (210, 297))
    assert (d.margin_left_cm, d.margin_right_cm, d.margin_top_cm, d.margin_bottom_cm) == (
        3.0,
        2.5,
        2.5,
        2.5,
    )
    assert (d.font, d.word_font, d.font_size_pt) == ("Liberation Sans", "Arial", 12.0)
    # content box: 210 - 30 - 25 = 155 mm wide, 297 - 25 - 25 = 247 mm high
    assert d.content_mm == (155.0, 247.0)
    assert d.report_title(2022) == "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN 2022"


def test_dokumen_section_is_read(tmp_path):
    d = _with_dokumen(
        tmp_path,
        'kertas = "f4"\nmargin_kiri_cm = 4\nhuruf = "Liberation Serif"\nukuran_huruf_pt = 11\n'
        'judul = "LKjIP {tahun} BADAN CONTOH"\n',
    ).dokumen
    assert (d.paper, d.paper_mm, d.margin_left_cm, d.margin_right_cm) == ("F4", (215, 330), 4, 2.5)
    assert (d.font, d.word_font, d.font_size_pt) == ("Liberation Serif", "Times New Roman", 11)
    assert d.content_mm == (215 - 65, 330 - 50)
    assert d.report_title(2023) == "LKjIP 2023 BADAN CONTOH"


def test_paper_override_and_its_settings():
    a4 = CONFIG.dokumen
    f4 = a4.with_paper("F4")
    assert (f4.paper, f4.paper_mm) == ("F4", (215, 330))
    assert a4.with_paper(None) is a4
    assert f4.settings()["paper"] == "F4" and a4.settings()["paper"] == "A4"
    assert {k: v for k, v in f4.settings().items() if k != "paper"} == {
        k: v for k, v in a4.settings().items() if k != "paper"
    }
    with pytest.raises(ConfigError, match=r"--kertas: kertas 'Letter' tidak dikenal"):
        a4.with_paper("Letter")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('kertas = "A5"\n', r"kertas 'A5' tidak dikenal"),
        ('huruf = "Comic Sans"\n', r"huruf = 'Comic Sans'"),
        ("margin_kiri_cm = 0\n", r"margin_kiri_cm = 0: diharapkan antara 0.5 dan 6"),
        ('ukuran_huruf_pt = "besar"\n', r"ukuran_huruf_pt = 'besar': diharapkan angka"),
        ("warna = 1\n", r"kunci tidak dikenal warna"),
    ],
)
def test_bad_dokumen_settings_are_reported(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message):
        _with_dokumen(tmp_path, body)
