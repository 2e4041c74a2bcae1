"""The render layer: one renderer per format of the document model (to_html; to_pdf with
typst_json, the document as the Typst template's JSON, and typst_worker, its child process;
to_docx with docx_writer, docx_tables and docx_styles), the HTML page (page), the notebooks'
nbconvert exporter (notebook_export) and the files attached to the PDF (lampiran).

Imports lkj.document and below."""
