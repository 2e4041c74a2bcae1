"""The render layer: one renderer per format of the document model (to_html, to_pdf with its
typst_worker, to_docx), the HTML page (page), the notebooks' nbconvert exporter
(notebook_export) and the files attached to the PDF (lampiran).

Imports lkj.document and below."""
