"""The document layer: the table model (tables, model), the report's chapters (laporan), the
LKjIP's (lkjip), the cover and signer (sampul), narasi templates (narasi) and the grafik (grafik).

A document is data: every renderer in lkj.render lays out the same blocks. Imports lkj.analysis and
below."""
