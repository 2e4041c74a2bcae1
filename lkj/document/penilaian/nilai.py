"""The self-assessment of component 3 (Pelaporan Kinerja): each item graded and scored.

Every item of config/lke.toml is answered from the report (``lkj.document.penilaian.periksa``)
or the archive (``lkj.document.penilaian.fakta``).

Scoring (PermenPANRB 88/2021 LKE): a "Y/T" item scores 1 (ya) or 0 (tidak); an "A-E" item the
score of the grade its coverage (indicators covered / indicators of the year x 100, rounded
half away from zero to 2 decimals) falls in. A sub-component scores its weight times the mean
of its items' scores, the component the sum of its sub-components'. An item "belum dinilai"
scores nothing here: the score shown is then the floor of what the report can get, and the
number of such items is shown beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lkj.core import numbers
from lkj.core.errors import ConfigError
from lkj.core.lke import Butir, Lke, batas_waktu, format_tanggal, load_lke
from lkj.document.penilaian.fakta import LKJIP_PREFIX, Arsip, archive_root, read_arsip
from lkj.document.penilaian.periksa import BELUM, CHECKS, Laporan, Temuan


@dataclass
class Hasil:
    """One item answered."""

    butir: Butir
    temuan: Temuan
    cakupan_pct: Decimal | None = None
    nilai: str = ""  # "A".."E", "Y", "T" or "" (belum dinilai)
    skor: Decimal | None = None


@dataclass
class SubHasil:
    kode: str
    nama: str
    bobot: Decimal
    hasil: list[Hasil]
    skor: Decimal = Decimal(0)


@dataclass
class Penilaian:
    """The self-assessment of a year's report."""

    year: int
    lke: Lke
    arsip: Arsip
    batas: dt.date
    sub: list[SubHasil] = field(default_factory=list)
    jenis: str = "Laporan Kinerja"
    """The report assessed: "Laporan Kinerja" (an OPD's LKj) or "LKjIP" (the pemda's)."""
    bulan: int = 2
    """Months after the year's end the deadline falls (``Lke.bulan_opd`` or ``bulan_pemda``)."""

    @property
    def skor(self) -> Decimal:
        return sum((s.skor for s in self.sub), Decimal(0))

    @property
    def belum(self) -> int:
        return sum(1 for s in self.sub for h in s.hasil if h.temuan.status == BELUM)

    def item(self, kode: str) -> Hasil:
        """The item ``kode`` ("3.b.4")."""
        for s in self.sub:
            for h in s.hasil:
                if h.butir.kode == kode:
                    return h
        raise KeyError(kode)


def _fact(arsip: Arsip, key: str) -> Temuan:
    f = arsip.fakta.get(key)
    if f is None:
        return Temuan(BELUM, kurang=[f"belum dicatat di {arsip.path.name} ([{key}])"])
    return Temuan(f.jawaban, bukti=[f.bukti or f"{arsip.path.name} [{key}]"])


def _formal(arsip: Arsip) -> Temuan:
    if arsip.tanggal_tandatangan is None:
        return Temuan("tidak", kurang=["belum ada laporan yang ditandatangani di arsip"])
    when = format_tanggal(arsip.tanggal_tandatangan)
    return Temuan("ya", bukti=[f"ditandatangani {when} ({arsip.sumber_tanggal})"])


def _tepat_waktu(arsip: Arsip, batas: dt.date, today: dt.date) -> Temuan:
    deadline = f"batas waktu {format_tanggal(batas)}"
    signed = arsip.tanggal_tandatangan
    if signed is None:
        if today > batas:
            late = (today - batas).days
            gap = f"belum ditandatangani; {deadline} terlewati {late} hari"
            return Temuan("tidak", kurang=[gap])
        return Temuan(BELUM, kurang=[f"belum ditandatangani; {deadline}"])
    when = format_tanggal(signed)
    if signed > batas:
        late = (signed - batas).days
        gap = f"ditandatangani {when}, terlambat {late} hari ({deadline})"
        return Temuan("tidak", kurang=[gap])
    return Temuan("ya", bukti=[f"ditandatangani {when}, sebelum {deadline}"])


def _berkala(arsip: Arsip, key: str, triwulan: Sequence[str], year: int) -> Temuan:
    """3.a.2: the quarterly evaluations built for the year are the evidence of periodic
    reporting; without any, the archive's fact (or "belum dinilai")."""
    if not triwulan:
        t = _fact(arsip, key) if key else Temuan(BELUM)
        if t.status != "ya":
            t.kurang.insert(0, f"tidak ada evaluasi triwulan tahun {year} yang dibangun")
        return t
    return Temuan("ya", bukti=[f"evaluasi triwulan: {', '.join(triwulan)}"])


def _answer(
    butir: Butir,
    lap: Any,
    checks: dict[str, Callable[[Any], Temuan]],
    arsip: Arsip,
    dates: tuple[dt.date, dt.date],
    triwulan: Sequence[str],
) -> Temuan:
    check = butir.periksa
    batas, today = dates
    if check == "formal":
        return _formal(arsip)
    if check == "tepat_waktu":
        return _tepat_waktu(arsip, batas, today)
    if check == "berkala":
        return _berkala(arsip, butir.fakta, triwulan, batas.year - 1)
    if check in checks:
        return checks[check](lap)
    if butir.fakta:
        return _fact(arsip, butir.fakta)
    if check:
        raise ConfigError(
            f"butir {butir.kode}: pemeriksaan {check!r} tidak dikenal (dikenal: "
            f"{', '.join([*checks, 'formal', 'tepat_waktu', 'berkala'])})"
        )
    return Temuan(BELUM, kurang=["tidak ada pemeriksaan maupun fakta untuk butir ini"])


def _grade(h: Hasil, lke: Lke) -> None:
    t = h.temuan
    if t.status == BELUM:
        return
    if h.butir.jawaban == "A-E":
        if not t.graded:  # a fact answered ya/tidak for an A-E item: A or E
            h.cakupan_pct = Decimal(100) if t.status == "ya" else Decimal(0)
        else:
            h.cakupan_pct = numbers.ratio_pct(len(t.covered), len(t.total)) or Decimal(0)
        g = lke.grade(h.cakupan_pct)
        h.nilai, h.skor = g.huruf, g.skor
    else:
        yes = t.status == "ya"
        h.nilai, h.skor = ("Y", Decimal(1)) if yes else ("T", Decimal(0))


def nilai_laporan(
    d: object,
    doc: object,
    lke: Lke | None = None,
    archive: Path | str | None = None,
    today: dt.date | None = None,
    triwulan: Sequence[str] = (),
) -> Penilaian:
    """Assess the report of ``d`` (``lkj.document.laporan.ReportData``) whose document is
    ``doc`` against the LKE criteria.

    Args:
        d: the report's data.
        doc: its document (``lkj.document.laporan.report_document``).
        lke: the criteria (None: config/lke.toml).
        archive: the archive holding YEAR/penilaian.toml and the signed copies (None: beside
            the data, ``lkj.document.penilaian.fakta.archive_root``).
        today: the day of the assessment (deadline; default today).
        triwulan: the quarterly evaluations built for the year (file names): the evidence of
            periodic reporting (3.a.2).

    Returns:
        The assessment.
    """
    lke = lke or load_lke()
    year = d.year  # type: ignore[attr-defined]
    archive = Path(archive) if archive else archive_root(d.raw_dir.parent)  # type: ignore[attr-defined]
    ind = d.raw["indikator"]  # type: ignore[attr-defined]
    lap = Laporan(
        d,
        doc,
        list(zip(ind["kode_indikator"], ind["kode_sasaran"], ind["uraian_indikator"], strict=True)),
    )
    out = Penilaian(year, lke, read_arsip(archive, year), batas_waktu(year, lke))
    out.bulan = lke.bulan_opd
    return _assess(out, lap, CHECKS, today or dt.date.today(), triwulan)


def nilai_lkjip(
    data: dict[str, Any],
    doc: object,
    archive: Path | str,
    lke: Lke | None = None,
    today: dt.date | None = None,
    triwulan: Sequence[str] = (),
) -> Penilaian:
    """Assess the LKjIP of a pemda (``data`` from ``lkj.analysis.konsolidasi.consolidate``,
    ``doc`` its document) against the LKE criteria, per IKU: the same items and scale as an
    OPD's report, the pemda's deadline (``bulan_pemda``).

    Args:
        archive: the pemda's archive holding YEAR/penilaian.toml and the signed LKjIP
            (``lkj.document.penilaian.fakta.pemda_archive``).
        triwulan: the pemda's quarterly evaluations built for the year (file names).
    """
    from lkj.document.penilaian.periksa_lkjip import CHECKS_LKJIP, LaporanIp

    lke = lke or load_lke()
    year = int(data["year"])
    arsip = read_arsip(archive, year, LKJIP_PREFIX)
    out = Penilaian(year, lke, arsip, batas_waktu(year, lke, pemda=True), jenis="LKjIP")
    out.bulan = lke.bulan_pemda
    return _assess(out, LaporanIp(data, doc), CHECKS_LKJIP, today or dt.date.today(), triwulan)


def _assess(
    out: Penilaian,
    lap: Any,
    checks: dict[str, Callable[[Any], Temuan]],
    today: dt.date,
    triwulan: Sequence[str],
) -> Penilaian:
    """Answer, grade and score every item of ``out.lke`` into ``out``."""
    for s in out.lke.sub:
        hasil = []
        for b in s.butir:
            h = Hasil(b, _answer(b, lap, checks, out.arsip, (out.batas, today), triwulan))
            _grade(h, out.lke)
            hasil.append(h)
        scores = [h.skor or Decimal(0) for h in hasil]
        mean = sum(scores, Decimal(0)) / len(scores) if scores else Decimal(0)
        skor = numbers.round_half_up(s.bobot * mean, 2) or Decimal(0)
        out.sub.append(SubHasil(s.kode, s.nama, s.bobot, hasil, skor))
    return out
