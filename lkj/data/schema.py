"""The data contract: every raw table of a year, its columns, types, units and links.

This module is the single machine-readable statement of data/raw/README.md. ``validate``
validates against it; the workbook export uses it to order sheets and columns.

Types: ``kode`` (identifier text, required, no spaces at the ends), ``teks`` (free text),
``bulat`` (whole number), ``desimal`` (number, decimal point ``.``), ``tahun`` (a year).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One column of a raw table."""

    name: str
    type: str
    description: str
    required: bool = True
    minimum: float | None = None
    unit: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A column whose values must exist in a column of another table."""

    column: str
    table: str
    target: str


@dataclass(frozen=True)
class Table:
    """One raw table: a CSV file ``<name>.csv`` or a sheet ``<name>`` of the workbook."""

    name: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    required: bool = True

    @property
    def columns(self) -> list[str]:
        """Column names in contract order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        return next(f for f in self.fields if f.name == name)


NUMERIC_TYPES = ("bulat", "desimal", "tahun")
POLARITAS = ("positif", "negatif")
YA_TIDAK = ("ya", "tidak")


def _rp(name: str, description: str) -> Field:
    return Field(name, "bulat", description, minimum=0, unit="rupiah")


TABLES: tuple[Table, ...] = (
    Table(
        "instansi",
        "Facts about the agency as key/value pairs (name, head of agency, address, ...).",
        (
            Field("kunci", "kode", "key, e.g. nama_instansi, kepala_nama, kepala_nip"),
            Field("nilai", "teks", "value", required=False),
        ),
        key=("kunci",),
    ),
    Table(
        "tujuan",
        "Tujuan (goals) of the Renstra.",
        (
            Field("kode_tujuan", "kode", "code of the tujuan, e.g. T1"),
            Field("uraian_tujuan", "teks", "the tujuan as written in the Renstra"),
            Field("strategi", "teks", "strategy of the tujuan", required=False),
        ),
        key=("kode_tujuan",),
    ),
    Table(
        "sasaran",
        "Sasaran strategis (objectives) of the Renstra.",
        (
            Field("kode_sasaran", "kode", "code of the sasaran, e.g. S1"),
            Field("kode_tujuan", "kode", "the tujuan it serves"),
            Field(
                "nomor_seed",
                "teks",
                "number the agency uses in its report, e.g. 1.1.1",
                required=False,
            ),
            Field("uraian_sasaran", "teks", "the sasaran as written in the Renstra"),
            Field("sasaran_rpjmd", "teks", "the RPJMD sasaran it supports", required=False),
            Field(
                "arah_kebijakan",
                "teks",
                "policy directions, items separated by ' | '",
                required=False,
            ),
        ),
        key=("kode_sasaran",),
        links=(Link("kode_tujuan", "tujuan", "kode_tujuan"),),
    ),
    Table(
        "indikator",
        "Indikator kinerja sasaran (IKU) with polarity and Renstra baseline and end target.",
        (
            Field("kode_indikator", "kode", "code of the indikator, e.g. I1"),
            Field("kode_sasaran", "kode", "the sasaran it measures"),
            Field("uraian_indikator", "teks", "the indikator as written in the Renstra"),
            Field("satuan", "teks", "unit of target and realisasi, e.g. %"),
            Field(
                "polaritas",
                "teks",
                "positif: higher is better; negatif: lower is better",
                choices=POLARITAS,
            ),
            Field("is_iku", "teks", "ya if it is an Indikator Kinerja Utama", choices=YA_TIDAK),
            Field("unit_penanggung_jawab", "teks", "responsible unit", required=False),
            Field("sumber_data", "teks", "source of the data", required=False),
            Field(
                "kondisi_awal",
                "desimal",
                "value at the start of the Renstra period",
                required=False,
                unit="satuan",
            ),
            Field(
                "target_akhir_renstra",
                "desimal",
                "target at the end of the Renstra period",
                unit="satuan",
            ),
        ),
        key=("kode_indikator",),
        links=(Link("kode_sasaran", "sasaran", "kode_sasaran"),),
    ),
    Table(
        "target_renstra",
        "Renstra target of each indikator per year.",
        (
            Field("kode_indikator", "kode", "the indikator"),
            Field("tahun", "tahun", "year"),
            Field("target", "desimal", "target of that year", unit="satuan of the indikator"),
        ),
        key=("kode_indikator", "tahun"),
        links=(Link("kode_indikator", "indikator", "kode_indikator"),),
    ),
    Table(
        "kinerja_indikator",
        "Target (Perjanjian Kinerja) and realisasi of each indikator, for the report year and "
        "any earlier year the agency reports.",
        (
            Field("kode_indikator", "kode", "the indikator"),
            Field("tahun", "tahun", "year"),
            Field(
                "target", "desimal", "target of the year", minimum=0, unit="satuan of the indikator"
            ),
            Field(
                "realisasi", "desimal", "realised value", minimum=0, unit="satuan of the indikator"
            ),
        ),
        key=("kode_indikator", "tahun"),
        links=(Link("kode_indikator", "indikator", "kode_indikator"),),
    ),
    Table(
        "program",
        "Programs (top of the budget hierarchy).",
        (
            Field("kode_program", "kode", "code of the program, e.g. 01"),
            Field("nama_program", "teks", "name of the program"),
            Field(
                "kode_sasaran",
                "kode",
                "the sasaran it serves; empty for support programs",
                required=False,
            ),
        ),
        key=("kode_program",),
        links=(Link("kode_sasaran", "sasaran", "kode_sasaran"),),
    ),
    Table(
        "kegiatan",
        "Kegiatan (activities) of each program.",
        (
            Field("kode_kegiatan", "kode", "code of the kegiatan, e.g. 01.02"),
            Field("kode_program", "kode", "the program it belongs to"),
            Field("nama_kegiatan", "teks", "name of the kegiatan"),
        ),
        key=("kode_kegiatan",),
        links=(Link("kode_program", "program", "kode_program"),),
    ),
    Table(
        "sub_kegiatan",
        "Sub kegiatan: physical target and realisation, budget and spent budget. The only "
        "source of budget figures by program, kegiatan and sasaran (they are sums of these).",
        (
            Field("kode_sub_kegiatan", "kode", "code of the sub kegiatan, e.g. 01.02.01"),
            Field("kode_kegiatan", "kode", "the kegiatan it belongs to"),
            Field("no_seed", "bulat", "row number in the agency's own table", required=False),
            Field("nama_sub_kegiatan", "teks", "name of the sub kegiatan"),
            Field("unit_kerja", "teks", "the sub bidang responsible (one data form each)"),
            Field("kelompok_sasaran", "teks", "target group", required=False),
            Field("satuan", "teks", "unit of the physical target", required=False),
            Field("target_fisik", "desimal", "physical output target", minimum=0, unit="satuan"),
            Field(
                "realisasi_fisik", "desimal", "physical output realised", minimum=0, unit="satuan"
            ),
            _rp("anggaran_rp", "budget (pagu)"),
            _rp("realisasi_anggaran_rp", "budget spent"),
        ),
        key=("kode_sub_kegiatan",),
        links=(Link("kode_kegiatan", "kegiatan", "kode_kegiatan"),),
    ),
    Table(
        "lra",
        "Laporan Realisasi Anggaran by jenis belanja (the financial report).",
        (
            Field("kelompok_belanja", "teks", "Belanja Operasi or Belanja Modal"),
            Field("jenis_belanja", "teks", "Belanja Pegawai, Belanja Barang dan Jasa, ..."),
            _rp("anggaran_rp", "budget"),
            _rp("realisasi_rp", "budget spent"),
        ),
        key=("kelompok_belanja", "jenis_belanja"),
    ),
    Table(
        "pegawai",
        "Staff counts by unit kerja, golongan, eselon, pendidikan and status, per year.",
        (
            Field(
                "kategori",
                "teks",
                "which breakdown",
                choices=("unit_kerja", "golongan", "eselon", "pendidikan", "status"),
            ),
            Field("no", "bulat", "row order within the breakdown", minimum=1),
            Field("uraian", "teks", "the row, e.g. Golongan III"),
            Field("tahun", "tahun", "year"),
            Field("jumlah", "bulat", "number of staff", minimum=0, unit="orang"),
        ),
        key=("kategori", "uraian", "tahun"),
    ),
    Table(
        "sarana_prasarana",
        "Facilities (buildings, vehicles, furniture, computers) per year.",
        (
            Field("no", "bulat", "row order", minimum=1),
            Field("uraian", "teks", "the item"),
            Field("tahun", "tahun", "year"),
            Field("jumlah", "bulat", "count", minimum=0, unit="unit"),
        ),
        key=("uraian", "tahun"),
    ),
    Table(
        "ormas",
        "Community organisations by kecamatan.",
        (
            Field(
                "tabel",
                "teks",
                "dibentuk (formed in the kabupaten) or terdata_terdaftar",
                choices=("dibentuk", "terdata_terdaftar"),
            ),
            Field("no", "bulat", "row order", minimum=1),
            Field("kecamatan", "teks", "kecamatan"),
            Field("terdaftar", "bulat", "registered", minimum=0, unit="organisasi"),
            Field("terdata", "bulat", "recorded, not registered", minimum=0, unit="organisasi"),
        ),
        key=("tabel", "kecamatan"),
        required=False,
    ),
    Table(
        "tenaga_kerja_asing",
        "Foreign workers by company and country of origin.",
        (
            Field("no", "bulat", "row order (one company may have several rows)", minimum=1),
            Field("perusahaan", "teks", "company"),
            Field("negara_asal", "teks", "country of origin"),
            Field("jumlah", "bulat", "number of workers", minimum=0, unit="orang"),
        ),
        key=("perusahaan", "negara_asal"),
        required=False,
    ),
    Table(
        "tim_penyusun",
        "The team that compiled the report.",
        (
            Field("no", "bulat", "row order", minimum=1),
            Field("nama", "teks", "name with degree"),
            Field("nip", "teks", "NIP", required=False),
            Field("pangkat_golongan", "teks", "rank / grade", required=False),
            Field("jabatan", "teks", "position"),
            Field("jabatan_dalam_tim", "teks", "role in the team"),
        ),
        key=("no",),
        required=False,
    ),
    Table(
        "pembanding",
        "Benchmarks of an indikator (national standard, another agency), optional: the report "
        "compares the year's realisasi with them (Bab III 3.6); absent: 'tidak tersedia'.",
        (
            Field("kode_indikator", "kode", "the indikator"),
            Field("tahun", "tahun", "the year the benchmark applies to"),
            Field("nilai_pembanding", "desimal", "the benchmark value", unit="satuan"),
            Field("uraian_pembanding", "teks", "what it is, e.g. rata-rata nasional"),
            Field("sumber_pembanding", "teks", "its source (publication, regulation, year)"),
        ),
        key=("kode_indikator", "tahun"),
        links=(Link("kode_indikator", "indikator", "kode_indikator"),),
        required=False,
    ),
    Table(
        "angka_tertulis",
        "Figures the source document STATES (totals, percentages, counts). Never used to build "
        "the report: only compared with the computed figures.",
        (
            Field("sumber", "teks", "where the source states it, e.g. Tabel 3.11"),
            Field("entitas", "teks", "what it is about: sasaran, program, kegiatan, ..."),
            Field("kode", "teks", "code of the entity, empty for totals", required=False),
            Field("ukuran", "teks", "the measure, e.g. anggaran_rp, serapan_pct"),
            Field("nilai", "desimal", "the stated value as a plain number", required=False),
            Field("nilai_tertulis", "teks", "the text exactly as written"),
        ),
        required=False,
    ),
)

# Optional quarterly tables (Evaluasi Renja per triwulan, E.81; lkj.analysis.triwulan). A year
# without them (2022) is read and reported exactly as before.
TRIWULAN = (1, 2, 3, 4)
ATURAN = ("jumlah", "akhir")
ENTITAS_RENSTRA = ("program", "kegiatan", "sub_kegiatan")


def _tw(description: str = "the quarter: 1, 2, 3 or 4") -> Field:
    return Field("triwulan", "teks", description, choices=("1", "2", "3", "4"))


TRIWULAN_TABLES: tuple[Table, ...] = (
    Table(
        "triwulan_sub_kegiatan",
        "Realisation (and optional plan) of each sub kegiatan in one triwulan: the facts of "
        "that quarter alone, never cumulative. An empty realisation: not reported yet.",
        (
            Field("kode_sub_kegiatan", "kode", "the sub kegiatan"),
            _tw(),
            Field(
                "rencana_fisik",
                "desimal",
                "physical output planned in the quarter",
                required=False,
                minimum=0,
                unit="satuan",
            ),
            Field(
                "realisasi_fisik",
                "desimal",
                "physical output realised in the quarter",
                required=False,
                minimum=0,
                unit="satuan",
            ),
            Field(
                "rencana_anggaran_rp",
                "bulat",
                "spending planned in the quarter",
                required=False,
                minimum=0,
                unit="rupiah",
            ),
            Field(
                "realisasi_anggaran_rp",
                "bulat",
                "budget spent in the quarter",
                required=False,
                minimum=0,
                unit="rupiah",
            ),
        ),
        key=("kode_sub_kegiatan", "triwulan"),
        links=(Link("kode_sub_kegiatan", "sub_kegiatan", "kode_sub_kegiatan"),),
        required=False,
    ),
    Table(
        "triwulan_indikator",
        "Realisation (and optional plan) of each indikator in one triwulan; how the year "
        "follows from the quarters is the indikator's aturan (aturan_indikator).",
        (
            Field("kode_indikator", "kode", "the indikator"),
            _tw(),
            Field(
                "rencana",
                "desimal",
                "value planned for the quarter",
                required=False,
                minimum=0,
                unit="satuan of the indikator",
            ),
            Field(
                "realisasi",
                "desimal",
                "value realised in the quarter",
                required=False,
                minimum=0,
                unit="satuan of the indikator",
            ),
        ),
        key=("kode_indikator", "triwulan"),
        links=(Link("kode_indikator", "indikator", "kode_indikator"),),
        required=False,
    ),
    Table(
        "aturan_indikator",
        "How the year of an indikator follows from its quarters: jumlah (counts, rupiah: the "
        "sum) or akhir (levels such as a percentage: the last quarter's value).",
        (
            Field("kode_indikator", "kode", "the indikator"),
            Field("aturan", "teks", "jumlah or akhir", choices=ATURAN),
        ),
        key=("kode_indikator",),
        links=(Link("kode_indikator", "indikator", "kode_indikator"),),
        required=False,
    ),
    Table(
        "pagu_triwulan",
        "A budget changed mid-year (APBD Perubahan): the pagu murni and the pagu perubahan of "
        "a sub kegiatan and the first triwulan the perubahan is in force.",
        (
            Field("kode_sub_kegiatan", "kode", "the sub kegiatan"),
            _rp("pagu_murni_rp", "budget of the APBD murni"),
            _rp("pagu_perubahan_rp", "budget of the APBD Perubahan"),
            Field(
                "berlaku_triwulan",
                "teks",
                "first triwulan in which the pagu perubahan is in force (2, 3 or 4)",
                choices=("2", "3", "4"),
            ),
        ),
        key=("kode_sub_kegiatan",),
        links=(Link("kode_sub_kegiatan", "sub_kegiatan", "kode_sub_kegiatan"),),
        required=False,
    ),
    Table(
        "renstra_program",
        "Renstra columns of the E.81 table for a program, kegiatan or sub kegiatan: its "
        "indikator, the target at the end of the Renstra period and the realisation up to "
        "last year, for kinerja (K) and anggaran (Rp).",
        (
            Field("entitas", "teks", "program, kegiatan or sub_kegiatan", choices=ENTITAS_RENSTRA),
            Field("kode", "kode", "code of the program, kegiatan or sub kegiatan"),
            Field("indikator", "teks", "its indikator (outcome / output)"),
            Field("satuan", "teks", "unit of the K columns", required=False),
            Field(
                "target_akhir_k",
                "desimal",
                "Renstra target, end of period",
                minimum=0,
                unit="satuan",
            ),
            _rp("target_akhir_rp", "Renstra budget, end of period"),
            Field(
                "realisasi_lalu_k",
                "desimal",
                "realisation of the Renstra up to last year",
                minimum=0,
                unit="satuan",
            ),
            _rp("realisasi_lalu_rp", "budget realised under the Renstra up to last year"),
            Field(
                "target_tahun_k",
                "desimal",
                "this year's Renja target (programs and kegiatan; sub kegiatan use target_fisik)",
                required=False,
                minimum=0,
                unit="satuan",
            ),
        ),
        key=("entitas", "kode"),
        required=False,
    ),
    Table(
        "triwulan_program",
        "Realisation of the indikator (K) of a program or kegiatan of renstra_program in one "
        "triwulan, where the OPD measures it each quarter; without a row, the E.81 table "
        "derives the K of a program or kegiatan from its sub kegiatan (lkj.analysis."
        "triwulan_program).",
        (
            Field("entitas", "teks", "program or kegiatan", choices=("program", "kegiatan")),
            Field("kode", "kode", "code of the program or kegiatan"),
            _tw(),
            Field(
                "realisasi_k",
                "desimal",
                "value of its indikator realised in the quarter",
                minimum=0,
                unit="satuan of renstra_program",
            ),
            Field(
                "aturan",
                "teks",
                "how the year follows from the quarters: jumlah or akhir (default akhir)",
                required=False,
                choices=ATURAN,
            ),
        ),
        key=("entitas", "kode", "triwulan"),
        required=False,
    ),
)

TABLES = TABLES + TRIWULAN_TABLES
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
