"""Names of the files the document layer hands on, importable without the document model
(the run's no-op path must not import Jinja)."""

PRINT_DOCUMENT = "laporan_dokumen.json"
"""The document the report notebook hands to the print job, in the processed folder of the
year (``lkj.render.laporan_html.write_print_document``, read by ``lkj.run.cetak``)."""
