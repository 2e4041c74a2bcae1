"""Data-collection forms: one .xlsx per unit kerja, filled by the sub bidang, read back.

The agency's SOP Pengumpulan Data Kinerja, as commands:

* ``make forms YEAR=2023`` (``write_forms``) writes ``outputs/forms/2023/formulir_2023_<unit>.xlsx``
  for every ``sub_kegiatan.unit_kerja``: sheet *Petunjuk* (instructions in Indonesian), sheet
  *Sub Kegiatan* (the unit's sub kegiatan; realisasi fisik and realisasi anggaran to fill),
  sheet *Indikator* (the indikator of the sasaran its programs serve; realisasi to fill). Only
  the yellow input cells are unlocked; the sheets and the workbook structure are protected
  (password ``lkj``, documented in docs/maintainer-guide.md); the input cells carry data
  validation (a number, not negative). Input cells are pre-filled with the values already in
  data/raw/YEAR, so a re-issued form shows what was collected. A very hidden sheet
  ``lkj_meta`` records the form's year and unit.
* ``make collect YEAR=2023`` (``collect_forms``) reads the filled forms back: it reports
  missing forms, empty cells and invalid cells (file, sheet, cell, sub kegiatan code), and
  writes the valid values into data/raw/YEAR/sub_kegiatan.csv and kinerja_indikator.csv. An
  empty cell never erases a value already collected; a changed value overwrites and is
  reported; the files are replaced atomically and only if something changed.

Forms and collect need data/raw/YEAR to be valid apart from the realisation cells (which may be
empty): the structure is validated with ``lkj.data.ingest.read_raw`` on a copy whose empty
realisation cells are set to 0.

The modules, each for one job:

* ``layout``: the sheets, rows, colours and columns of a form; ``FormsError``.
* ``raw_csv``: the raw CSV files edited in place; the number rule of their cells.
* ``year``: data/raw/YEAR as the forms see it (``load_year``): units, values collected.
* ``write``: writing the forms (``write_forms``).
* ``read``: reading one filled form back (``read_form``), every cell checked.
* ``collect``: merging the filled forms into data/raw/YEAR (``collect_forms``).
"""
