"""The layout of a data-collection form: its sheets, rows, colours and columns, and the one
error of the forms (``FormsError``).

``lkj.data.forms.write`` lays the forms out by these; ``lkj.data.forms.read`` checks a filled
form against them (a heading moved or renamed means a form of another layout).
"""

from __future__ import annotations

from dataclasses import dataclass

from lkj.core.errors import LkjError

FORM_KIND = "formulir-lkj"
FORM_VERSION = "1"
PASSWORD = "lkj"
SHEET_HELP = "Petunjuk"
SHEET_SUB = "Sub Kegiatan"
SHEET_IND = "Indikator"
SHEET_META = "lkj_meta"
HEADER_ROW = 6
FIRST_ROW = 7
TOTAL_LABEL = "Jumlah"

INPUT_COLOR = "FFF59D"  # yellow: the cells to fill
HEADER_COLOR = "D9E1F2"
LOCKED_COLOR = "F2F2F2"

# Realisation columns: emptied by new-year, filled through the forms (lra: by the maintainer).
REALISATION = {
    "sub_kegiatan": ("realisasi_fisik", "realisasi_anggaran_rp"),
    "kinerja_indikator": ("realisasi",),
    "lra": ("realisasi_rp",),
}


class FormsError(LkjError):
    """Forms cannot be written or read (bad data, a form with uncollected values, ...)."""


@dataclass(frozen=True)
class FormColumn:
    """A column of a form sheet.

    Attributes:
        key: the data column it shows.
        header: the heading in the form (checked by collect).
        width: column width in characters.
        kind: teks, desimal or bulat.
        fill: True for the input column (yellow, unlocked).
    """

    key: str
    header: str
    width: float
    kind: str = "teks"
    fill: bool = False


SUB_COLUMNS = (
    FormColumn("kode_sub_kegiatan", "Kode", 11),
    FormColumn("nama_sub_kegiatan", "Nama Sub Kegiatan", 58),
    FormColumn("satuan", "Satuan", 12),
    FormColumn("kelompok_sasaran", "Kelompok Sasaran", 24),
    FormColumn("target_fisik", "Target Fisik", 11, "desimal"),
    FormColumn("realisasi_fisik", "Realisasi Fisik", 12, "desimal", fill=True),
    FormColumn("anggaran_rp", "Anggaran (Rp)", 17, "bulat"),
    FormColumn("realisasi_anggaran_rp", "Realisasi Anggaran (Rp)", 18, "bulat", fill=True),
)


def indikator_columns(year: int) -> tuple[FormColumn, ...]:
    """The columns of the sheet Indikator of a year's form."""
    return (
        FormColumn("kode_indikator", "Kode", 8),
        FormColumn("uraian_indikator", "Indikator Kinerja", 58),
        FormColumn("satuan", "Satuan", 10),
        FormColumn("target", f"Target {year}", 11, "desimal"),
        FormColumn("realisasi", f"Realisasi {year}", 12, "desimal", fill=True),
        FormColumn("realisasi_lalu", f"Realisasi {year - 1}", 12, "desimal"),
        FormColumn("keterangan", "Keterangan", 34),
    )


Key = tuple[str, str, str]  # (table, code, column)
