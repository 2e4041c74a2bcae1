"""The grafik stay readable at any size; PNG only unless SVG is asked for."""

from __future__ import annotations

import pandas as pd
import pytest
from PIL import Image

from lkj.document import grafik

TITLE = "Capaian Kinerja dan Realisasi Anggaran per Sub Kegiatan"
STEM = "grafik_3_capaian_sub_kegiatan"


def _frame(capaian: list[float | None], serapan: list[float] | None = None) -> pd.DataFrame:
    n = len(capaian)
    return pd.DataFrame(
        {
            "kode_sub_kegiatan": [f"01.01.{i + 1:04d}" for i in range(n)],
            "nama_sub_kegiatan": [f"Sub kegiatan nomor {i + 1}" for i in range(n)],
            "capaian_fisik_pct": [float("nan") if c is None else c for c in capaian],
            "serapan_pct": serapan if serapan is not None else [50.0] * n,
        }
    )


def test_small_chart_shows_every_row_in_table_order():
    frame = _frame([100.0, 90.0, 33.33] * 11 + [70.0, 100.0])  # 35 rows, like 2022
    (part,) = grafik.plan_capaian_chart(frame, STEM, TITLE)
    assert part.stem == STEM
    assert part.caption == TITLE
    assert list(part.rows["no"]) == list(range(1, 36))
    assert list(part.rows["kode_sub_kegiatan"]) == list(frame["kode_sub_kegiatan"])


def test_large_chart_shows_lowest_and_highest_with_a_caption_that_says_so():
    # 1 400 rows: capaian i % 700 / 7 for row i (0-based), so each value occurs twice; row 5
    # has no capaian (target 0) and is not ranked. Serapan breaks the ties: row i has 1400 - i.
    capaian: list[float | None] = [(i % 700) / 7 for i in range(1400)]
    capaian[5] = None
    serapan = [float(1400 - i) for i in range(1400)]
    (part,) = grafik.plan_capaian_chart(_frame(capaian, serapan), STEM, TITLE)
    rows = part.rows
    assert len(rows) == 41
    # By hand: capaian k/7 is held by rows k and 700 + k (0-based; table number = row + 1);
    # in a tie the lower serapan (row 700 + k) comes first; row 5 has no capaian.
    expected_low = [701, 1, 702, 2, 703, 3, 704, 4, 705, 5, 706]  # k = 0..4, then k = 5
    expected_low += [707, 7, 708, 8, 709, 9, 710, 10, 711]  # k = 6..9, then k = 10
    assert list(rows["no"][:20]) == expected_low
    assert rows["no"].iloc[20] is None
    assert (
        rows["nama_sub_kegiatan"].iloc[20] == "… 1.360 sub kegiatan lainnya …"
    )  # 1 400 - 40 shown
    # Highest 20, still ascending down the chart: k = 690..699, the best (row 699) last.
    expected_high = [n for k in range(690, 700) for n in (700 + k + 1, k + 1)]
    assert list(rows["no"][21:]) == expected_high
    assert part.caption == (
        f"{TITLE}: 20 dengan capaian kinerja terendah dan 20 tertinggi dari 1.400 sub kegiatan "
        "(semua sub kegiatan pada tabel sebelumnya)"
    )


def test_split_chart_balances_the_parts_and_numbers_them():
    parts = grafik.plan_capaian_chart(_frame([100.0] * 100), STEM, TITLE, split=True)
    assert [p.stem for p in parts] == [STEM, f"{STEM}_2", f"{STEM}_3"]
    assert [len(p.rows) for p in parts] == [34, 34, 32]
    assert [int(p.rows["no"].iloc[0]) for p in parts] == [1, 35, 69]
    assert parts[1].caption == f"{TITLE} (bagian 2 dari 3: sub kegiatan nomor 35–68 dari 100)"
    big = grafik.plan_capaian_chart(_frame([100.0] * 1400), STEM, TITLE, split=True)
    assert len(big) == 35 and {len(p.rows) for p in big} == {40}


def test_chart_of_1400_rows_fits_a_page(tmp_path):
    capaian = [(i % 97) * 1.0 for i in range(1400)]
    ((part, fig),) = grafik.grafik_capaian_parts(
        _frame(capaian), "nama_sub_kegiatan", STEM, TITLE, label_width=60
    )
    assert fig.get_figheight() <= grafik.MAX_FIGURE_HEIGHT_IN
    saved = grafik.save_figure(fig, tmp_path, part.stem)
    with Image.open(saved["png"]) as image:
        assert image.size == (1125, round(grafik.MAX_FIGURE_HEIGHT_IN * 150))
    # Before: 0.42 in per row, 1 400 rows, 150 dpi = 88 395 pixels high.


def test_short_chart_keeps_its_row_pitch():
    fig = grafik.grafik_capaian(_frame([100.0] * 12).assign(no=range(1, 13)), "nama_sub_kegiatan")
    assert fig.get_figheight() == pytest.approx(12 * grafik.ROW_PITCH_IN + grafik.CHART_FRAME_IN)


def test_save_figure_writes_png_only_unless_svg_is_asked(tmp_path):
    frame = _frame([80.0, 100.0]).assign(no=[1, 2])
    saved = grafik.save_figure(grafik.grafik_capaian(frame, "nama_sub_kegiatan"), tmp_path, "a")
    assert set(saved) == {"png"} and sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]
    both = grafik.save_figure(
        grafik.grafik_capaian(frame, "nama_sub_kegiatan"), tmp_path, "b", svg=True
    )
    assert both["svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    # Same drawing, same PNG bytes (the layout pass removed before saving changes nothing).
    assert both["png"].read_bytes() == saved["png"].read_bytes()


def test_dollar_signs_in_names_are_drawn_literally(tmp_path):
    """A program named with two $ amounts or a $...$ pair is text, never mathtext: the chart is
    drawn (matplotlib raised ValueError for an unknown command before) and keeps the $."""
    names = ["Biaya $5 dan $10 per unit", r"Dana $\tidakdikenal{x}$ dan $x^{$"]
    program = pd.DataFrame(
        {
            "nama_program": names,
            "anggaran_rp": [1_000_000.0, 2_000_000.0],
            "realisasi_anggaran_rp": [500_000.0, 1_500_000.0],
            "serapan_pct": [50.0, 75.0],
        }
    )
    fig = grafik.grafik_anggaran_program(program)
    paths = grafik.save_figure(fig, tmp_path, "uji_dolar")
    assert paths["png"].stat().st_size > 0
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert labels == names[::-1]
    # drawn as plain text: no label is read as mathtext (matplotlib's own test of a text)
    assert [t._preprocess_math(t.get_text())[1] for t in fig.axes[0].get_yticklabels()] == [
        False,
        False,
    ]
    frame = _frame([100.0, 50.0])
    frame["nama_sub_kegiatan"] = ["Belanja $1 $2", r"$\alpha$"]
    frame["no"] = [1, 2]
    fig = grafik.grafik_capaian(frame, "nama_sub_kegiatan")
    grafik.save_figure(fig, tmp_path, "uji_dolar_2")
    texts = " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    assert "Belanja $1 $2" in texts and r"$\alpha$" in texts
