"""The LKjIP document, built from the consolidated tables
(``lkj.analysis.konsolidasi.consolidate``).

The LKjIP is a document of the project's table model (``lkj.document.tables``,
``lkj.document.model``): every table built once as data with ``frame_table``, the chapters as
Jinja templates under lkj/templates/lkjip/ that place them, numbering from order. It is rendered
like the OPD report: HTML by ``lkj.render.to_html``, PDF by ``lkj.render.to_pdf`` (Typst) and
DOCX by ``lkj.render.to_docx``.

    context    LkjipContext: the data and what every chapter shares (name, year, IKU rows,
               OPDs by status, signature, the IKU columns); how a chapter is rendered
    chapters   ringkasan eksekutif, Bab I, Bab II, Bab IV, the data quality chapter
    bab_iii    Bab III: per sasaran RPJMD, the IKU over the years, the OPDs' performance
    dokumen    lkjip_document: cover, kata pengantar, daftar isi and the chapters, numbered
"""

from lkj.document.lkjip.dokumen import lkjip_document

__all__ = ["lkjip_document"]
