"""Sentences that state a rule or a method come from config/lkj.toml: change the file, the
sentences change (issue 8 item 3). Expected texts are written out here, from the thresholds
and names put in the test's own configuration."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lkj.core.config import load_config
from lkj.core.errors import ConfigError
from lkj.document.grafik_riwayat import FIGURE_CAPAIAN, FIGURE_SERAPAN
from lkj.document.laporan import (
    aggregation_name,
    boundary_sentence_predikat,
    boundary_sentence_realisasi,
    efficiency_sentence,
)
from lkj.document.model import Paragraph

ROOT = Path(__file__).resolve().parent.parent
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
)
DEFAULT = (ROOT / "config" / "lkj.toml").read_text(encoding="utf-8")


def _other_config(tmp_path: Path) -> Path:
    """The default configuration with other thresholds, codes, method and efficiency name."""
    text = DEFAULT
    replacements = [
        # realisasi: top band above 85 instead of 90
        ('interval = "91 ≤ x ≤ 100"\nlebih_dari = 90',
         'interval = "86 ≤ x ≤ 100"\nlebih_dari = 85'),
        ('label = "Tinggi"\ninterval = "76 ≤ x ≤ 90"',
         'label = "Cukup Tinggi"\ninterval = "76 ≤ x ≤ 85"'),
        # predikat: top band above 95, its next band coded "A+"
        ('kode = "AA"\nlabel = "Sangat Memuaskan"\ninterval = ">90–100"\nlebih_dari = 90',
         'kode = "AA"\nlabel = "Sangat Memuaskan"\ninterval = ">95–100"\nlebih_dari = 95'),
        ('kode = "A"\nlabel = "Memuaskan"', 'kode = "A+"\nlabel = "Memuaskan"'),
        ('metode_capaian_fisik = "tertimbang_anggaran"', 'metode_capaian_fisik = "rata_rata"'),
        ('nama = "Indeks Efisiensi (IE = capaian kinerja % / serapan anggaran %)"',
         'nama = "Rasio Efisiensi Uji"'),
    ]  # fmt: skip
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "lain.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_sentences():
    config = load_config()
    assert boundary_sentence_realisasi(config) == (
        "Untuk nilai desimal berlaku aturan batas yang sama: 90,00% berkategori Tinggi, "
        "90,01% Sangat Tinggi; nilai di atas 100% Sangat Tinggi."
    )
    assert boundary_sentence_predikat(config) == (
        "Aturan batas: sebuah nilai masuk ke kategori tertinggi yang batas bawahnya "
        "dilampaui (lebih dari); misalnya capaian 90,00% berpredikat A dan 90,01% AA. "
        "Capaian di atas 100% masuk kategori teratas. Capaian dengan target 0 tidak dapat "
        "dihitung dan tidak diberi predikat."
    )
    assert aggregation_name(config) == "rata-rata tertimbang anggaran"
    assert efficiency_sentence(config).startswith(
        "Metode: Indeks Efisiensi (IE = capaian kinerja % / serapan anggaran %). Indeks ≥ 1"
    )


def test_sentences_follow_another_configuration(tmp_path):
    config = load_config(_other_config(tmp_path))
    assert boundary_sentence_realisasi(config) == (
        "Untuk nilai desimal berlaku aturan batas yang sama: 85,00% berkategori Cukup Tinggi, "
        "85,01% Sangat Tinggi; nilai di atas 100% Sangat Tinggi."
    )
    assert boundary_sentence_predikat(config) == (
        "Aturan batas: sebuah nilai masuk ke kategori tertinggi yang batas bawahnya "
        "dilampaui (lebih dari); misalnya capaian 95,00% berpredikat A+ dan 95,01% AA. "
        "Capaian di atas 100% masuk kategori teratas. Capaian dengan target 0 tidak dapat "
        "dihitung dan tidak diberi predikat."
    )
    assert aggregation_name(config) == "rata-rata sederhana"
    assert efficiency_sentence(config).startswith("Metode: Rasio Efisiensi Uji. Indeks ≥ 1")


def test_a_top_band_above_110_makes_no_claim_about_values_above_100(tmp_path):
    text = DEFAULT.replace(
        'interval = ">90–100"\nlebih_dari = 90', 'interval = ">110"\nlebih_dari = 110'
    )
    path = tmp_path / "atas110.toml"
    path.write_text(text, encoding="utf-8")
    sentence = boundary_sentence_predikat(load_config(path))
    assert "misalnya capaian 110,00% berpredikat A dan 110,01% AA." in sentence
    assert "masuk kategori teratas" not in sentence


def test_unknown_efficiency_method_is_refused(tmp_path):
    path = tmp_path / "efisiensi.toml"
    path.write_text(DEFAULT.replace('metode = "indeks_efisiensi"', 'metode = "dea"'), "utf-8")
    with pytest.raises(ConfigError, match="efisiensi.metode = 'dea'"):
        load_config(path)


def _plain_mean_capaian_s2() -> float:
    """Plain mean of the physical capaian of sasaran S2's sub kegiatan, from the raw rows."""
    raw = ROOT / "data" / "raw" / "2022"

    def rows(name):
        with (raw / name).open(encoding="utf-8") as f:
            return list(csv.DictReader(f))

    programs = {r["kode_program"] for r in rows("program.csv") if r["kode_sasaran"] == "S2"}
    kegiatan = {r["kode_kegiatan"] for r in rows("kegiatan.csv") if r["kode_program"] in programs}
    capaian = [
        float(r["realisasi_fisik"]) / float(r["target_fisik"]) * 100
        for r in rows("sub_kegiatan.csv")
        if r["kode_kegiatan"] in kegiatan
    ]
    assert len(capaian) == 4
    return sum(capaian) / len(capaian)


@pytest.mark.parametrize(
    ("other", "method", "capaian"),
    [
        # budget-weighted: 100 - (100 - 10/11 x 100) x 923.865.000 / 1.098.705.100 = 92,36
        (False, "rata-rata tertimbang anggaran", "92,36%"),
        # plain mean of 90,909 (10 of 11 partai), 100, 100, 100 = 97,73
        (True, "rata-rata sederhana", "97,73%"),
    ],
)
def test_report_states_the_configured_aggregation(tmp_path, other, method, capaian):
    from lkj.analysis.capaian import compute_results
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_tables
    from lkj.document import laporan

    config_path = _other_config(tmp_path) if other else ROOT / "config" / "lkj.toml"
    config = load_config(config_path)
    plain = f"{_plain_mean_capaian_s2():.2f}".replace(".", ",") + "%"
    assert (plain == capaian) is other  # the plain mean only where the config asks for it
    processed = tmp_path / "processed"
    raw = read_raw(2022, ROOT / "data" / "raw")
    write_tables(raw.tables, processed)
    write_tables(compute_results(raw.tables, 2022, config).tables(), processed)
    (tmp_path / "figures").mkdir()
    for stem in [*laporan.FIGURES, FIGURE_CAPAIAN, FIGURE_SERAPAN]:
        (tmp_path / "figures" / f"{stem}.png").write_bytes(PNG_1X1)
    d = laporan.load_report_data(2022, processed, tmp_path, config_path)
    entry = next(e for e in laporan.analisis_sasaran(d) if e["kode"] == "S2")
    assert entry["ringkasan"].endswith(
        f"capaian kinerja fisik sub kegiatannya ({method}) {capaian}."
    )
    skala = laporan.skala_realisasi_table(d)
    expected_top = "86 ≤ x ≤ 100" if other else "91 ≤ x ≤ 100"
    expected_second = ["76 ≤ x ≤ 85", "Cukup Tinggi"] if other else ["76 ≤ x ≤ 90", "Tinggi"]
    assert skala.texts()[0] == ["1", expected_top, "Sangat Tinggi"]
    assert skala.texts()[1] == ["2", *expected_second]
    # the chapter places the sentences of this configuration
    paragraphs = [b for b in laporan.bab_iii_blocks(d) if isinstance(b, Paragraph)]
    for sentence in (
        boundary_sentence_realisasi(config),
        boundary_sentence_predikat(config),
        entry["ringkasan"],
    ):
        assert paragraphs.count(Paragraph(sentence)) == 1, sentence
