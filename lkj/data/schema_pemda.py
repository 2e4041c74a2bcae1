"""The data contract of a pemda workspace: the pemda's own tables, beside its OPDs' data.

A pemda workspace (``data/pemda/<kode_pemda>/``, see data/raw/README.md, "Pemda") holds

* ``pemda/``: the tables below (CSV files, or one .xlsx workbook with a sheet per table) and
  the lambang daerah image that ``pemda.csv`` names;
* ``opd/<kode_opd>/<YEAR>/``: each OPD's raw data under the yearly contract of
  ``lkj.data.schema`` (exactly what data/raw/YEAR holds for a single agency).

This module states the pemda tables in the same terms as ``lkj.data.schema`` (same ``Field``,
``Table`` and ``Link``, same types); ``lkj.data.ingest.read_folder`` reads and validates them with
the same messages (file, sheet, row, column). Checks that span tables of different folders
(an OPD sasaran named in ``sasaran_opd`` must exist in that OPD's sasaran.csv) are made by
``lkj.data.workspace``.
"""

from __future__ import annotations

from lkj.data.schema import POLARITAS, YA_TIDAK, Field, Link, Table

# Keys of pemda.csv: (key, required, description).
PEMDA_KEYS: tuple[tuple[str, bool, str], ...] = (
    ("nama_pemda", True, "name of the pemda, e.g. Kabupaten Belitung Timur"),
    ("jenis_pemda", True, "kabupaten, kota or provinsi"),
    ("kepala_daerah_jabatan", True, "Bupati, Walikota or Gubernur"),
    ("kepala_daerah_nama", True, "name of the head of region, with degrees"),
    ("lambang", False, "file name of the lambang daerah image (PNG or JPEG) in pemda/"),
    ("ibu_kota", False, "seat of the pemda: the place of the signature"),
    ("periode_rpjmd", True, "RPJMD period, e.g. 2021-2026"),
    ("visi", False, "the RPJMD vision"),
    ("misi", False, "the RPJMD missions, items separated by ' | '"),
    ("sekretaris_daerah_nama", False, "name of the Sekretaris Daerah"),
    ("data_sintetis", False, "ya: the workspace holds synthetic (demo) data"),
)
JENIS_PEMDA = ("kabupaten", "kota", "provinsi")
LAMBANG_TYPES = (".png", ".jpg", ".jpeg")  # what PDF, HTML and Word all show
# Characters a kode_opd may hold: it is a folder name on every operating system.
KODE_OPD_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"

PEMDA_TABLES: tuple[Table, ...] = (
    Table(
        "pemda",
        "Facts about the pemda as key/value pairs (see PEMDA_KEYS).",
        (
            Field("kunci", "kode", "key, e.g. nama_pemda, kepala_daerah_nama, lambang"),
            Field("nilai", "teks", "value", required=False),
        ),
        key=("kunci",),
    ),
    Table(
        "sasaran_rpjmd",
        "Sasaran of the RPJMD (the pemda's objectives).",
        (
            Field("kode_sasaran_rpjmd", "kode", "code of the RPJMD sasaran, e.g. SR1"),
            Field("uraian_sasaran_rpjmd", "teks", "the sasaran as written in the RPJMD"),
            Field("tujuan_rpjmd", "teks", "the RPJMD tujuan it serves", required=False),
            Field("misi", "teks", "the misi it serves", required=False),
        ),
        key=("kode_sasaran_rpjmd",),
    ),
    Table(
        "opd",
        "The perangkat daerah (OPD) of the pemda; each has its data in opd/<kode_opd>/<YEAR>/.",
        (
            Field("kode_opd", "kode", "code of the OPD, also its folder name under opd/"),
            Field("nama_opd", "teks", "name, e.g. Badan Kesatuan Bangsa dan Politik"),
            Field("singkatan", "teks", "short name, e.g. Kesbangpol", required=False),
            Field("kepala_nama", "teks", "head of the OPD, with degrees"),
            Field("kepala_nip", "teks", "NIP of the head", required=False),
        ),
        key=("kode_opd",),
    ),
    Table(
        "iku_pemda",
        "Indikator Kinerja Utama of the pemda, with polarity and RPJMD baseline and end target.",
        (
            Field("kode_iku", "kode", "code of the IKU, e.g. IKU1"),
            Field("kode_sasaran_rpjmd", "kode", "the RPJMD sasaran it measures"),
            Field("uraian_iku", "teks", "the indicator as written in the RPJMD"),
            Field("satuan", "teks", "unit of target and realisasi, e.g. %"),
            Field(
                "polaritas",
                "teks",
                "positif: higher is better; negatif: lower is better",
                choices=POLARITAS,
            ),
            Field(
                "kondisi_awal",
                "desimal",
                "value at the start of the RPJMD period",
                required=False,
                unit="satuan",
            ),
            Field(
                "target_akhir_rpjmd",
                "desimal",
                "target at the end of the RPJMD period",
                unit="satuan",
            ),
            Field(
                "kode_opd_penanggung_jawab",
                "kode",
                "the OPD responsible for it",
                required=False,
            ),
        ),
        key=("kode_iku",),
        links=(
            Link("kode_sasaran_rpjmd", "sasaran_rpjmd", "kode_sasaran_rpjmd"),
            Link("kode_opd_penanggung_jawab", "opd", "kode_opd"),
        ),
    ),
    Table(
        "kinerja_iku",
        "The bupati's Perjanjian Kinerja target and the realisasi of each IKU, per year (the "
        "report year and any earlier year of the RPJMD period).",
        (
            Field("kode_iku", "kode", "the IKU"),
            Field("tahun", "tahun", "year"),
            Field("target", "desimal", "Perjanjian Kinerja target", minimum=0, unit="satuan"),
            Field("realisasi", "desimal", "realised value", minimum=0, unit="satuan"),
        ),
        key=("kode_iku", "tahun"),
        links=(Link("kode_iku", "iku_pemda", "kode_iku"),),
    ),
    Table(
        "pembanding_iku",
        "Benchmarks of an IKU (national standard, another pemda), optional: the LKjIP compares "
        "the year's realisasi with them (Bab III 3.7); absent: 'tidak tersedia'.",
        (
            Field("kode_iku", "kode", "the IKU"),
            Field("tahun", "tahun", "the year the benchmark applies to"),
            Field("nilai_pembanding", "desimal", "the benchmark value", unit="satuan"),
            Field("uraian_pembanding", "teks", "what it is, e.g. rata-rata nasional"),
            Field("sumber_pembanding", "teks", "its source (publication, regulation, year)"),
        ),
        key=("kode_iku", "tahun"),
        links=(Link("kode_iku", "iku_pemda", "kode_iku"),),
        required=False,
    ),
    Table(
        "sasaran_opd",
        "The cascade: which RPJMD sasaran each OPD sasaran supports (one row per OPD sasaran).",
        (
            Field("kode_opd", "kode", "the OPD"),
            Field("kode_sasaran", "kode", "code of the sasaran in that OPD's sasaran.csv"),
            Field("kode_sasaran_rpjmd", "kode", "the RPJMD sasaran it supports"),
        ),
        key=("kode_opd", "kode_sasaran"),
        links=(
            Link("kode_opd", "opd", "kode_opd"),
            Link("kode_sasaran_rpjmd", "sasaran_rpjmd", "kode_sasaran_rpjmd"),
        ),
    ),
)

PEMDA_TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in PEMDA_TABLES}

__all__ = [
    "JENIS_PEMDA",
    "KODE_OPD_PATTERN",
    "LAMBANG_TYPES",
    "PEMDA_KEYS",
    "PEMDA_TABLES",
    "PEMDA_TABLES_BY_NAME",
    "YA_TIDAK",
]
