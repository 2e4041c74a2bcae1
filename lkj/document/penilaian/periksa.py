"""The checks of the report behind the items of 3.b (and 3.a.1), per indicator.

Each reads the report's own tables (``lkj.document.laporan.report_document``) and narasi and
says, per indicator of the year, whether the item's information is there, and where.

A check returns a :class:`Temuan`: the indicators it covers out of all the year's indicators
(indikator.csv), the evidence (the tables and sections it read) and the indicators missing.
Checks are named in config/lke.toml (``periksa``); :data:`CHECKS` maps the names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lkj.document.tables import Cell, Table

BELUM = "belum dinilai"


@dataclass
class Temuan:
    """What a check found.

    Attributes:
        status: "ya", "tidak" or :data:`BELUM`.
        covered: codes of the indicators the item covers (A-E items).
        total: codes of every indicator of the year.
        bukti: where in the report (tables, sections) the check looked.
        kurang: what is missing (an indicator, a narasi file), one line each.
        graded: graded by coverage (A-E) rather than answered ya/tidak.
    """

    status: str
    covered: list[str] = field(default_factory=list)
    total: list[str] = field(default_factory=list)
    bukti: list[str] = field(default_factory=list)
    kurang: list[str] = field(default_factory=list)
    graded: bool = False


@dataclass
class Laporan:
    """What the checks read: the report's data and document, and who indicators belong to."""

    d: Any  # lkj.document.laporan.ReportData
    doc: Any  # lkj.document.model.Document
    indikator: list[tuple[str, str, str]]  # (kode_indikator, kode_sasaran, uraian) of the year
    unit = "indikator"  # what an item's coverage counts, in its messages

    def table(self, key: str) -> Table | None:
        for t in self.doc.tables():
            if t.key == key:
                return t
        return None

    def sasaran(self) -> list[str]:
        return list(dict.fromkeys(s for _, s, _ in self.indikator))

    def codes(self, sasaran: str | None = None) -> list[str]:
        return [k for k, s, _ in self.indikator if sasaran is None or s == sasaran]


def _shown(c: Cell) -> bool:
    """A cell that shows a computed number (not "-", not "tidak dapat dihitung")."""
    return c.value is not None and c.value == c.value and c.plain not in ("", "-")  # NaN != NaN


def _where(t: Table) -> str:
    return f"{t.caption}" if t.label else t.title


def _column(t: Table, header: str) -> int:
    return t.headers.index(header)


def _graded(lap: Any, covered: list[str], bukti: list[str], kurang: list[str]) -> Temuan:
    """An item graded by the share of ``lap.codes()`` (indikator, or the LKjIP's IKU) covered."""
    total = lap.codes()
    covered = [k for k in total if k in set(covered)]
    kurang = kurang + [f"{lap.unit} {k} tidak tercakup" for k in total if k not in covered]
    status = "ya" if covered else "tidak"
    return Temuan(status, covered, total, bukti, list(dict.fromkeys(kurang)), graded=True)


def laporan_ada(lap: Laporan) -> Temuan:
    """3.a.1: the report was built (this document is built from it)."""
    n = len(lap.doc.tables())
    built = f"{lap.doc.title}: {n} tabel, dibangun dari data tahun {lap.d.year}"
    return Temuan("ya", bukti=[built])


def pengungkapan(lap: Laporan) -> Temuan:
    """3.b.1: every indicator of indikator.csv shows its target and realisasi of the year in
    the evaluation table (Bab III 3.2)."""
    t = lap.table("evaluasi_indikator")
    if t is None:
        return _graded(lap, [], [], ["tabel evaluasi indikator tidak ada"])
    rows = lap.d.res.indikator
    rows = rows[rows["tahun"] == lap.d.year]
    target, real = _column(t, "Target"), _column(t, "Realisasi")
    covered = [
        code
        for code, row in zip(rows["kode_indikator"], t.rows, strict=True)
        if _shown(row[target]) and _shown(row[real])
    ]
    return _graded(lap, covered, [f"Bab III 3.2, {_where(t)} (kolom Target, Realisasi)"], [])


def target_tahunan(lap: Laporan) -> Temuan:
    """3.b.2: capaian against the year's target computed for the indicator (Bab III 3.2)."""
    t = lap.table("evaluasi_indikator")
    if t is None:
        return _graded(lap, [], [], ["tabel evaluasi indikator tidak ada"])
    rows = lap.d.res.indikator
    rows = rows[rows["tahun"] == lap.d.year]
    j = _column(t, "Capaian Kinerja (%)")
    covered = [c for c, row in zip(rows["kode_indikator"], t.rows, strict=True) if _shown(row[j])]
    return _graded(lap, covered, [f"Bab III 3.2, {_where(t)} (kolom Capaian Kinerja)"], [])


def target_renstra(lap: Laporan) -> Temuan:
    """3.b.3: capaian against the Renstra's end target, per sasaran (Bab III 3.3)."""
    covered, bukti, kurang = [], [], []
    year = str(lap.d.year)
    for s in lap.sasaran():
        t = lap.table(f"evaluasi_sasaran_{s}")
        if t is None:
            kurang.append(f"sasaran {s}: tabel evaluasi sasaran tidak ada")
            continue
        bukti.append(f"Bab III 3.3, {_where(t)} (kolom Capaian thd. target akhir Renstra)")
        j, y = _column(t, "Capaian thd. target akhir Renstra (%)"), _column(t, "Tahun")
        rows = lap.d.res.indikator
        rows = rows[rows["kode_sasaran"] == s]
        for code, row in zip(rows["kode_indikator"], t.rows, strict=True):
            if row[y].plain == year and _shown(row[j]):
                covered.append(code)
    status = lap.table("status_target_renstra")
    if status is not None:
        bukti.append(f"Bab III 3.6, {_where(status)} (status dan proyeksi)")
    return _graded(lap, covered, bukti, kurang)


def tahun_sebelumnya(lap: Laporan) -> Temuan:
    """3.b.4: capaian of at least one earlier year beside this year's (Bab III 3.5)."""
    t = lap.table("riwayat_capaian")
    if t is None:
        return _graded(lap, [], [], ["tabel perbandingan antar tahun tidak ada"])
    earlier = [
        i
        for i, h in enumerate(t.headers)
        if h.startswith("Capaian ") and h.split()[1].isdigit() and int(h.split()[1]) < lap.d.year
    ]
    kode = _column(t, "Kode")
    covered = [row[kode].plain for row in t.rows if any(_shown(row[i]) for i in earlier)]
    years = [t.headers[i].split()[1] for i in earlier]
    kurang = [] if years else ["data tahun-tahun sebelumnya tidak ada di data/raw"]
    where = f"Bab III 3.5, {_where(t)} (tahun {', '.join(years) or '-'})"
    return _graded(lap, covered, [where], kurang)


def pembanding(lap: Laporan) -> Temuan:
    """3.b.5: a benchmark (national standard, other agency) per indicator: the report's
    benchmark table when the data gives one."""
    t = lap.table("pembanding")
    if t is None:
        return _graded(
            lap,
            [],
            [],
            ["tidak tersedia: data tidak memuat nilai pembanding (standar nasional/instansi lain)"],
        )
    kode, j = _column(t, "Kode"), _column(t, "Nilai Pembanding")
    covered = [row[kode].plain for row in t.rows if _shown(row[j])]
    return _graded(lap, covered, [f"Bab III 3.6, {_where(t)}"], [])


def _narasi(lap: Laporan, part: str, section: str) -> Temuan:
    covered, bukti, kurang = [], [], []
    for n, s in enumerate(lap.sasaran(), start=1):
        name = f"sasaran_{s}_{part}"
        if str(lap.d.text(name)).strip():
            covered += lap.codes(s)
            bukti.append(f"Bab III 3.3 Sasaran {n}, {section} (narasi/{name}.md)")
        else:
            kurang.append(f"narasi/{name}.md tidak ada atau kosong (sasaran {s})")
    return _graded(lap, covered, bukti, kurang)


def narasi_analisis(lap: Laporan) -> Temuan:
    """3.b.6: the sasaran's analysis (efforts, obstacles) written in its narasi."""
    return _narasi(lap, "analisis", "b. Analisis Peningkatan/Penurunan Kinerja")


def narasi_solusi(lap: Laporan) -> Temuan:
    """3.b.8: the sasaran's solutions and recommendations written in its narasi."""
    return _narasi(lap, "solusi", "c. Solusi")


def efisiensi(lap: Laporan) -> Temuan:
    """3.b.7: the efficiency of the sasaran's budget (its total efficiency index shown)."""
    covered, bukti, kurang = [], [], []
    for s in lap.sasaran():
        t = lap.table(f"efisiensi_sasaran_{s}")
        if t is None or not t.foot or not _shown(t.foot[0][_column(t, "Indeks efisiensi")]):
            kurang.append(f"sasaran {s}: analisis efisiensi tidak ada (tanpa sub kegiatan)")
            continue
        covered += lap.codes(s)
        bukti.append(f"Bab III 3.3, {t.title}")
    return _graded(lap, covered, bukti, kurang)


CHECKS: dict[str, Callable[[Laporan], Temuan]] = {
    "laporan_ada": laporan_ada,
    "pengungkapan": pengungkapan,
    "target_tahunan": target_tahunan,
    "target_renstra": target_renstra,
    "tahun_sebelumnya": tahun_sebelumnya,
    "pembanding": pembanding,
    "narasi_analisis": narasi_analisis,
    "efisiensi": efisiensi,
    "narasi_solusi": narasi_solusi,
}
