"""lkj: a reproducible pipeline for the Laporan Kinerja (LKj) of an Indonesian agency.

The package is cut in layers; a layer imports only the layers below it (import-linter checks
it, docs/architecture.md draws it):

    cli           ``python -m lkj ...``
    pemda         every OPD's report on Dask, the LKjIP, the index page, the demo pemda
    tandatangan   signing a built report (PAdES) into arsip/
    run           running a year: stages, kernels, the journal, preview, the print job, locks
    render        the document as HTML, PDF (Typst) and DOCX; the page; the notebooks' exporter
    document      the table model and the chapters of the LKj and the LKjIP; cover, narasi, grafik
    analysis      capaian and categories, stated figures, earlier years, audit, consolidation
    data          the data contract, ingest and validation, processed tables, new year, forms
    core          settings, Indonesian formats, decimal numbers, errors, resource paths
"""

__version__ = "0.1.0"
