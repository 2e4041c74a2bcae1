"""Both category scales at every boundary, and the checks on the configuration file."""

import pytest

from lkj.config import load_config
from lkj.errors import ConfigError

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
