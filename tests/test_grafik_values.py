"""The report's charts checked by what they plot: bar lengths, their order and their labels read
from the matplotlib Figures that lkj.document.grafik returns for the 2022 data, against values
derived in the test from the raw rows (tests/raw_expected.py: csv and Decimal).

Bars are read from ``ax.containers`` (one per series, in the order drawn) and the row names
from the y tick labels; the charts draw the first row at the top, so the axis order is the
table order reversed. Percentages are compared to half a hundredth (the derived values are
rounded as printed; lkj may draw the unrounded value)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from raw_expected import (
    KEGIATAN,
    PROGRAM,
    RAW,
    SUB,
    anggaran,
    capaian,
    kategori,
    pct,
    realisasi,
    subs_of,
    weighted,
)

from lkj.analysis.capaian import compute_results
from lkj.core.config import load_config
from lkj.data.ingest import read_raw
from lkj.document import grafik
from lkj.document.laporan.data import CAPAIAN_CHARTS, FIGURES

HALF_CENT = 0.005


@pytest.fixture(scope="module")
def res():
    raw = read_raw(2022, RAW.parent)
    return compute_results(raw.tables, 2022, load_config(None))


def _bars(ax) -> list[tuple[str, list[float]]]:
    """(series label, bar lengths top row first) of every bar series of ``ax``."""
    return [(c.get_label(), [p.get_width() for p in c.patches][::-1]) for c in ax.containers]


def _names(ax) -> list[str]:
    return [" ".join(t.get_text().split()) for t in ax.get_yticklabels()][::-1]


def _shows(label: str, name: str) -> bool:
    """The axis label is the name, or its start cut with "…" (wrapped lines joined)."""
    label, name = label.replace(" ", ""), name.replace(" ", "")
    if label.endswith("…"):
        return len(label) > 10 and name.startswith(label[:-1])
    return label == name


def _close(got: list[float], want: list[Decimal]) -> bool:
    return len(got) == len(want) and all(
        abs(g - float(w)) <= HALF_CENT for g, w in zip(got, want, strict=True)
    )


def test_grafik_1_anggaran_and_realisasi_per_program(res):
    fig = grafik.grafik_anggaran_program(res.program)
    (ax,) = fig.axes
    subs = [subs_of("program", p["kode_program"]) for p in PROGRAM]
    assert _bars(ax) == [
        ("Anggaran", [float(anggaran(s)) for s in subs]),
        ("Realisasi", [float(realisasi(s)) for s in subs]),
    ]
    shown = _names(ax)
    assert len(shown) == len(PROGRAM)
    assert all(_shows(a, p["nama_program"]) for a, p in zip(shown, PROGRAM, strict=True)), shown
    # the serapan beside each realisasi bar, as printed: " 77,85%", top row first
    labels = [t.get_text() for t in ax.texts][::-1]
    want = [f" {pct(realisasi(s), anggaran(s))}%".replace(".", ",") for s in subs]
    assert labels == want


@pytest.mark.parametrize("stem", list(CAPAIAN_CHARTS))
def test_capaian_charts_plot_capaian_and_serapan_of_every_row(res, stem):
    table, column, noun, width = CAPAIAN_CHARTS[stem]
    ((part, fig),) = grafik.grafik_capaian_parts(
        getattr(res, table), column, stem, FIGURES[stem][1], noun, label_width=width
    )
    (ax,) = fig.axes
    if table == "kegiatan":
        groups = [subs_of("kegiatan", g["kode_kegiatan"]) for g in KEGIATAN]
        names = [g["nama_kegiatan"] for g in KEGIATAN]
        fisik = [weighted(s) for s in groups]
    else:
        groups = [[r] for r in SUB]
        names = [r["nama_sub_kegiatan"] for r in SUB]
        fisik = [capaian(r) for r in SUB]
    serapan = [pct(realisasi(s), anggaran(s)) for s in groups]
    (fisik_label, fisik_bars), (serapan_label, serapan_bars) = _bars(ax)
    assert (fisik_label, serapan_label) == ("Capaian kinerja (fisik)", "Realisasi anggaran")
    assert _close(fisik_bars, fisik), (fisik_bars, fisik)
    assert _close(serapan_bars, serapan), (serapan_bars, serapan)
    # every row, numbered as in its table; long names are cut to two lines ("…")
    shown = _names(ax)
    assert len(shown) == len(names) == len(part.rows)
    for n, (label, name) in enumerate(zip(shown, names, strict=True), start=1):
        assert label.startswith(f"{n}. ") and _shows(label.removeprefix(f"{n}. "), name), label


def test_grafik_4_counts_per_category(res):
    from lkj.document.laporan.figures import category_counts

    config = load_config(None)
    d = SimpleNamespace(config=config, res=res)  # what category_counts reads of ReportData
    fig = grafik.grafik_distribusi_kategori(
        category_counts(d), {c.label: c.color for c in config.realisasi.categories}
    )
    (ax,) = fig.axes
    labels = ["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"]
    programs = [subs_of("program", p["kode_program"]) for p in PROGRAM]
    kegiatan = [subs_of("kegiatan", g["kode_kegiatan"]) for g in KEGIATAN]
    rows = {}
    for name, groups in (("Program", programs), ("Kegiatan", kegiatan), ("Sub kegiatan", None)):
        groups = groups or [[r] for r in SUB]
        fisik = [weighted(s) for s in groups]
        uang = [pct(realisasi(s), anggaran(s)) for s in groups]
        rows[f"{name}: capaian kinerja"] = [kategori(v) for v in fisik]
        rows[f"{name}: realisasi anggaran"] = [kategori(v) for v in uang]
    assert _names(ax) == list(rows)
    want = [(label, [float(v.count(label)) for v in rows.values()]) for label in labels]
    assert _bars(ax) == want
    assert sum(sum(bars) for _, bars in _bars(ax)) == 2 * (len(PROGRAM) + len(KEGIATAN) + len(SUB))
