"""lkj.run.cetak: the report's document is built before the figures are drawn (prepare_print,
beside the grafik stage), and the PDF, DOCX and page are written only once they exist."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import html_tables

from lkj.core.errors import LkjError
from lkj.document.model import Figure
from lkj.render.to_pdf import TypstRenderError
from lkj.run.cetak import prepare_print, write_prepared


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


def test_the_run_reads_the_document_its_report_notebook_wrote(built_2022, tmp_path):
    """The report notebook writes its document and parts (laporan_dokumen.json in the processed
    folder): the same document and parts built here from the processed tables, figures
    linked. The print job takes that file as it is (a paragraph changed in it shows in the
    DOCX and the page) and builds the document itself when the file is not one to use."""
    import io
    import zipfile

    from lkj.document import laporan
    from lkj.document.model import (
        PRINT_DOCUMENT,
        Paragraph,
        read_document_file,
        write_document_file,
    )
    from lkj.render import laporan_html

    base = built_2022
    processed, report = base / "processed" / "2022", base / "out" / "2022"
    handed = processed / PRINT_DOCUMENT
    document, parts, meta = read_document_file(handed)
    d = laporan.load_report_data(2022, processed, report, None, base / "raw" / "2022")
    d.figure_links = True
    # the figures by their names: the file names no folder (and is the same run after run)
    assert [f.path for f in document.figures()] == [Path(f.path.name) for f in document.figures()]
    assert ".staging-" not in handed.read_text(encoding="utf-8")
    for figure in document.figures():
        figure.path = report / "figures" / figure.path.name
    assert document == laporan.report_document(d)
    assert parts == [str(p) for p in laporan_html.report_parts(d)]
    assert meta["year"] == 2022 and meta["figure_links"] is True
    assert len(document.figures()) == 7 and len(document.tables()) == len(
        laporan.report_document(d).tables()
    )

    marker = "Paragraf ini hanya ada di berkas serah terima."
    first = next(
        i for i, b in enumerate(document.part("kata_pengantar").blocks) if isinstance(b, Paragraph)
    )
    document.part("kata_pengantar").blocks[first] = Paragraph(marker)
    handover = tmp_path / "serah"
    handover.mkdir()
    book = processed / meta["attachment"]["file"]  # the raw-data workbook, written beside it
    shutil.copy(book, handover / book.name)
    changed = write_document_file(handover / PRINT_DOCUMENT, document, parts, **meta)

    def prepared_with(path):
        return prepare_print(
            2022,
            processed,
            report,
            None,
            base / "raw" / "2022",
            None,
            tmp_path / "lampiran",
            handed=lambda: path,
        )

    targets = (tmp_path / "a.pdf", tmp_path / "a.docx", tmp_path / "a.html")
    prepared = prepared_with(changed)
    assert [f.path for f in prepared.document.figures()] == [
        report / "figures" / f.path.name for f in document.figures()
    ]
    assert prepared.attachment.path == handover / book.name
    assert prepared.attachment.when.isoformat() == meta["attachment"]["when"]
    write_prepared(prepared, *targets)
    xml = zipfile.ZipFile(io.BytesIO(targets[1].read_bytes())).read("word/document.xml")
    assert marker.encode() in xml

    (tmp_path / "rusak.json").write_text("{", encoding="utf-8")
    other_year = write_document_file(
        tmp_path / "lain.json", document, parts, **{**meta, "year": 2021}
    )
    # the workbook is written after the document (the PDF waits for it): one that never
    # came is a clear error when the PDF is laid out
    no_book = write_document_file(tmp_path / "tanpa_buku.json", document, parts, **meta)
    unwritten = prepared_with(no_book)
    assert unwritten.document == document
    with pytest.raises(TypstRenderError, match=f"{book.name}: berkas tidak ditemukan"):
        write_prepared(unwritten, *(tmp_path / f"b.{x}" for x in ("pdf", "docx", "html")))
    assert not (tmp_path / "b.pdf").exists()
    unusables = (tmp_path / "rusak.json", other_year, tmp_path / "tidak_ada.json", None)
    for unusable in unusables:
        rebuilt = prepared_with(unusable)
        assert rebuilt.document == laporan.report_document(d), unusable
        # made here from the processed tables: the very workbook the notebook handed over
        assert rebuilt.attachment.path.read_bytes() == book.read_bytes()
        rebuilt.close()


def test_the_runs_process_imports_no_pandas():
    """What the run's own process imports (the pipeline, the print job: the document model,
    the DOCX, the page, Typst's job) loads neither pandas nor openpyxl: the report notebook
    hands the document and the workbook over."""
    import subprocess
    import sys

    code = (
        "import sys, lkj.cli, lkj.run.report, lkj.run.preview, lkj.run.cetak, lkj.document.model, "
        "lkj.render.page, lkj.render.to_pdf, lkj.render.to_docx, lkj.render.notebook_export, "
        "lkj.document.sampul; "
        "print(sorted(m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
