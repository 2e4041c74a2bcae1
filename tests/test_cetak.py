"""lkj.cetak: the report's document is built before the figures are drawn (prepare_print,
beside the grafik stage), and the PDF, DOCX and page are written only once they exist."""

from __future__ import annotations

import shutil

import pytest
from conftest import html_tables

from lkj.cetak import prepare_print, write_prepared
from lkj.document import Figure
from lkj.errors import LkjError


def test_document_before_the_figures_then_the_files_once_drawn(built_2022, tmp_path):
    base = built_2022
    report = base / "out" / "2022"
    output = tmp_path / "out"  # figures/ not drawn yet
    prepared = prepare_print(
        2022,
        base / "processed" / "2022",
        output,
        None,
        base / "raw" / "2022",
        None,
        tmp_path / "lampiran",
    )
    figures = [b for b in prepared.document.blocks if isinstance(b, Figure)]
    assert len(figures) == 7  # as many as the report shows
    targets = (tmp_path / "a.pdf", tmp_path / "a.docx", tmp_path / "a.html")
    with pytest.raises(LkjError) as missing:
        write_prepared(prepared, *targets)
    assert str(missing.value).startswith(f"grafik tidak ada di {output / 'figures'}: ")
    assert all(f.path.name in str(missing.value) for f in figures)
    assert not any(t.exists() for t in targets)

    shutil.copytree(report / "figures", output / "figures")  # the grafik stage has drawn them
    write_prepared(prepared, *targets)
    assert [t.stat().st_size > 0 for t in targets] == [True, True, True]
    page = targets[2].read_text(encoding="utf-8")
    assert html_tables(page) == html_tables((report / "LKj_2022.html").read_text(encoding="utf-8"))
