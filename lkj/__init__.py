"""lkj: a reproducible pipeline for the Laporan Kinerja (LKj) of an Indonesian agency.

Modules, one per step:
    errors    the pipeline's own exceptions (clear messages, non-zero exit)
    config    scales, labels, colours and methods from config/lkj.toml
    schema    the data contract: every raw table, column, type and link
    dataset   read and validate data/raw/YEAR, write data/processed/YEAR
    capaian   capaian, serapan, categories and aggregation
    fmt       Indonesian number, currency and percent formatting (Babel)
    plots     the grafik
    render    HTML tables and figures for the report notebook
    page      the report's HTML page: stylesheets, daftar isi, navigation (the exporters'
              page, and the preview's without nbconvert)
    export    nbconvert exporter: self-contained HTML page of a notebook
    render_typst  the PDF of the document model (Typst), PDF/A-3u with the signature field
    typst_worker  the child process Typst lays out in (its memory ends with it)
    cetak     the report's PDF and DOCX from one document
    pipeline  runs the notebooks with papermill, atomically, skipping no-op reruns
    cli       `python -m lkj ...`
"""

__version__ = "0.1.0"
