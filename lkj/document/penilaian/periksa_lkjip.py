"""The checks of the LKjIP behind the items of 3.b (and 3.a.1), per IKU: the same items as an
OPD's report (``lkj.document.penilaian.periksa``), read from the LKjIP's own tables
(``lkj.document.lkjip``) and the pemda's narasi (``lkj.document.narasi_pemda``).

The indicators counted are the IKU of the report year (kinerja_iku.csv); an item of a sasaran
RPJMD (its narasi, its efficiency) covers the IKU of that sasaran.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lkj.document.narasi_pemda import PARTS, narasi_name, narasi_sasaran
from lkj.document.penilaian.periksa import Temuan, _column, _graded, _shown, _where
from lkj.document.tables import Table


@dataclass
class LaporanIp:
    """What the checks read: the consolidated data and the LKjIP's document."""

    data: dict[str, Any]
    doc: Any
    iku: list[tuple[str, str]] = field(init=False)
    """(kode_iku, kode_sasaran_rpjmd) of the report year, in the LKjIP's order."""
    unit = "IKU"  # what an item's coverage counts, in its messages

    def __post_init__(self) -> None:
        status = self.data["status_rpjmd"]
        self.iku = list(zip(status["kode_iku"], status["kode_sasaran_rpjmd"], strict=True))

    def table(self, key: str) -> Table | None:
        for t in self.doc.tables():
            if t.key == key:
                return t
        return None

    def codes(self, sasaran: str | None = None) -> list[str]:
        return [k for k, s in self.iku if sasaran is None or s == sasaran]

    @property
    def year(self) -> int:
        return int(self.data["year"])


def laporan_ada(lap: LaporanIp) -> Temuan:
    """3.a.1: the LKjIP was built (this assessment reads its document)."""
    n = len(lap.doc.tables())
    return Temuan("ya", bukti=[f"{lap.doc.title}: {n} tabel, dibangun dari data tahun {lap.year}"])


def _iku_columns(lap: LaporanIp, headers: tuple[str, ...], what: str) -> Temuan:
    t = lap.table("lkjip_iku")
    if t is None:
        return _graded(lap, [], [], ["tabel capaian IKU tidak ada"])
    cols = [_column(t, h) for h in headers]
    covered = [
        code
        for code, row in zip(lap.codes(), t.rows, strict=True)
        if all(_shown(row[j]) for j in cols)
    ]
    return _graded(lap, covered, [f"Bab III 3.2, {_where(t)} ({what})"], [])


def pengungkapan(lap: LaporanIp) -> Temuan:
    """3.b.1: every IKU of the year shows its target and realisasi (Bab III 3.2)."""
    return _iku_columns(lap, ("Target", "Realisasi"), "kolom Target, Realisasi")


def target_tahunan(lap: LaporanIp) -> Temuan:
    """3.b.2: capaian against the year's target computed for the IKU (Bab III 3.2)."""
    return _iku_columns(lap, ("Capaian (%)",), "kolom Capaian")


def target_renstra(lap: LaporanIp) -> Temuan:
    """3.b.3: the IKU against the RPJMD end target, with projection and status (3.7.1)."""
    t = lap.table("lkjip_status_rpjmd")
    if t is None:
        return _graded(lap, [], [], ["tabel status terhadap target akhir RPJMD tidak ada"])
    kode, status = _column(t, "Kode"), _column(t, "Status")
    covered = [row[kode].plain for row in t.rows if row[status].plain not in ("", "-")]
    return _graded(lap, covered, [f"Bab III 3.7.1, {_where(t)} (kolom Status)"], [])


def tahun_sebelumnya(lap: LaporanIp) -> Temuan:
    """3.b.4: the realisasi of at least one earlier year beside this year's (Bab III 3.3)."""
    t = lap.table("lkjip_iku_antar_tahun")
    if t is None:
        return _graded(lap, [], [], ["tabel IKU antar tahun tidak ada"])
    earlier = [
        j
        for j, c in enumerate(t.columns)
        if c.header == "Realisasi" and c.group.isdigit() and int(c.group) < lap.year
    ]
    covered = [
        code
        for code, row in zip(lap.codes(), t.rows, strict=True)
        if any(_shown(row[j]) for j in earlier)
    ]
    years = [t.columns[j].group for j in earlier]
    kurang = [] if years else ["realisasi IKU tahun-tahun sebelumnya tidak ada di kinerja_iku"]
    return _graded(lap, covered, [f"Bab III 3.3, {_where(t)} (tahun {', '.join(years) or '-'})"],
                   kurang)  # fmt: skip


def pembanding(lap: LaporanIp) -> Temuan:
    """3.b.5: a benchmark per IKU when ``pembanding_iku`` gives one (Bab III 3.7.2)."""
    t = lap.table("lkjip_pembanding")
    if t is None:
        return _graded(
            lap, [], [], ["tidak tersedia: data tidak memuat nilai pembanding IKU (pembanding_iku)"]
        )
    kode, j = _column(t, "Kode"), _column(t, "Nilai Pembanding")
    covered = [row[kode].plain for row in t.rows if _shown(row[j])]
    return _graded(lap, covered, [f"Bab III 3.7.2, {_where(t)}"], [])


def _narasi(lap: LaporanIp, part: str) -> Temuan:
    texts = narasi_sasaran(lap.data)
    what = dict(PARTS)[part]
    folder = lap.data["pemda"].narasi_dir.name
    covered, bukti, kurang = [], [], []
    for sr, parts in texts.items():
        name = f"narasi/{folder}/{narasi_name(sr, part)}.md"
        if str(parts[part]).strip():
            covered += lap.codes(sr)
            bukti.append(f"Bab III 3.7.4 sasaran RPJMD {sr}, {what} ({name})")
        else:
            kurang.append(f"{name} tidak ada atau kosong (sasaran RPJMD {sr})")
    return _graded(lap, covered, bukti, kurang)


def narasi_analisis(lap: LaporanIp) -> Temuan:
    """3.b.6: each sasaran RPJMD's efforts and obstacles in the pemda's narasi."""
    return _narasi(lap, "analisis")


def narasi_solusi(lap: LaporanIp) -> Temuan:
    """3.b.8: each sasaran RPJMD's recommendations in the pemda's narasi."""
    return _narasi(lap, "solusi")


def efisiensi(lap: LaporanIp) -> Temuan:
    """3.b.7: each sasaran RPJMD's efficiency index shown (Bab III 3.7.3)."""
    t = lap.table("lkjip_efisiensi")
    if t is None:
        return _graded(lap, [], [], ["tabel efisiensi per sasaran RPJMD tidak ada"])
    kode, j = _column(t, "Kode"), _column(t, "Indeks efisiensi")
    covered, kurang = [], []
    for row in t.rows:
        if _shown(row[j]):
            covered += lap.codes(row[kode].plain)
        else:
            kurang.append(f"sasaran RPJMD {row[kode].plain}: indeks efisiensi tidak dapat dihitung")
    return _graded(lap, covered, [f"Bab III 3.7.3, {_where(t)}"], kurang)


CHECKS_LKJIP: dict[str, Callable[[LaporanIp], Temuan]] = {
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
