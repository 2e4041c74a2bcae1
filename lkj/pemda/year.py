"""A pemda's year from one workspace: new-year, forms, collect and check for every OPD.

Each command runs the single-agency function (``lkj.data.newyear.new_year``,
``lkj.data.forms.write.write_forms``, ``lkj.data.forms.collect.collect_forms``,
``lkj.data.ingest.read_raw``) on every OPD of opd.csv (its folder opd/<kode_opd> is its raw
root), with the same rules and messages, and adds the pemda's own part (its IKU rows and form,
its tables). One OPD's problem does not stop the others: the summary lists every problem by
OPD and the command exits non-zero when there is any. The command line holds the lock of the
pemda and year (``lkj.run.lock``) around each of them.

Forms go to outputs/forms/pemda/<kode_pemda>/<YEAR>/: one folder per OPD (named by its
kode_opd) and the pemda's IKU form beside them; ``make clean`` keeps outputs/forms/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError
from lkj.data.ingest import read_folder
from lkj.data.schema_pemda import PEMDA_TABLES
from lkj.data.sources import display_path
from lkj.data.workspace import PemdaData, Workspace, read_pemda
from lkj.pemda.dashboard import record_forms
from lkj.pemda.iku_form import KINERJA_FILE, collect_iku_form, pemda_csv, write_iku_form


@dataclass
class YearReport:
    """The outcome of a pemda command over every OPD: lines per OPD and the problems."""

    title: str
    lines: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no OPD (and not the pemda) has a problem."""
        return not any(self.problems.values())

    def problem(self, who: str, text: str) -> None:
        """Record a problem of ``who`` (an OPD, or "pemda")."""
        self.problems.setdefault(who, []).extend(text.splitlines())

    def summary(self) -> str:
        """The text printed by the command."""
        out = [self.title, *self.lines]
        bad = {k: v for k, v in self.problems.items() if v}
        if bad:
            out.append(f"MASALAH ({len(bad)}):")
            for who, items in bad.items():
                out.append(f"  {who}:")
                out.extend(f"    {item}" for item in items)
        return "\n".join(out)


def forms_dir(kode_pemda: str, year: int, base: Path | str | None = None) -> Path:
    """outputs/forms/pemda/<kode_pemda>/<YEAR> (``base``: another folder of forms)."""
    return Path(base) if base else Path("outputs") / "forms" / "pemda" / kode_pemda / str(year)


def _base(ws: Workspace) -> tuple[dict, dict]:
    """pemda.csv and opd.csv alone (the IKU rows of a new year have no realisasi yet)."""
    return read_folder(ws.pemda_dir, tuple(t for t in PEMDA_TABLES if t.name in ("pemda", "opd")))


def _opd(ws: Workspace) -> list[tuple[str, str]]:
    """(kode_opd, nama_opd) of opd.csv, read without the year's checks."""
    tables, _ = _base(ws)
    return list(zip(tables["opd"]["kode_opd"], tables["opd"]["nama_opd"], strict=True))


def each_opd(
    ws: Workspace, year: int, report: YearReport, step: Callable[[str, Path], Any]
) -> Iterator[tuple[str, str, Any]]:
    """Each OPD of the pemda that has the year's data: its kode, its name and what
    ``step(kode, raw_root)`` gives for it, or None when the step failed. An OPD without the
    year's data, or whose step fails (``LkjError``), is listed in ``report`` as a problem; the
    others go on."""
    for kode, nama in _opd(ws):
        raw_root = ws.opd_raw_root(kode)
        if not (raw_root / str(year)).is_dir():
            report.problem(f"{kode} {nama}", f"belum ada data tahun {year} (make new-year)")
            continue
        try:
            result = step(kode, raw_root)
        except LkjError as exc:
            report.problem(f"{kode} {nama}", str(exc))
            result = None
        yield kode, nama, result


def rpjmd_period(ws: Workspace) -> tuple[int, int]:
    """The first and last year of periode_rpjmd in pemda.csv (e.g. 2021-2026)."""
    tables, sources = _base(ws)
    frame = tables["pemda"]
    hit = frame.loc[frame["kunci"] == "periode_rpjmd", "nilai"]
    text = str(hit.iloc[0]) if len(hit) else ""
    match = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*", text)
    if not match:
        raise LkjError(
            f"{sources['pemda'].describe()}, kunci periode_rpjmd: diharapkan dua tahun seperti "
            f"2021-2026, ditemukan {text!r}"
        )
    return int(match.group(1)), int(match.group(2))


def _pemda_rows(ws: Workspace, year: int) -> str:
    """Add the pemda's rows of ``year`` to kinerja_iku.csv: per IKU, the target of its latest
    earlier year (to be set to the Perjanjian Kinerja), realisasi empty. Returns a line."""
    table = pemda_csv(ws.pemda_dir, KINERJA_FILE)
    k, t = table.index("kode_iku"), table.index("tahun")
    have = {(r[k], r[t].strip()) for r in table.rows}
    latest: dict[str, tuple[int, list[str]]] = {}
    for row in table.rows:
        y = int(row[t]) if row[t].strip().isdigit() else 0
        if y < year and y >= latest.get(row[k], (0, []))[0]:
            latest[row[k]] = (y, row)
    added = 0
    for kode, (_, row) in latest.items():
        if (kode, str(year)) in have:
            continue
        new = list(row)
        new[t] = str(year)
        new[table.index("realisasi")] = ""
        table.rows.append(new)
        added += 1
    if added:
        table.write()
        return (
            f"  pemda: {added} baris IKU tahun {year} ditambahkan ke {KINERJA_FILE} "
            "(target dari tahun sebelumnya: sesuaikan dengan Perjanjian Kinerja; realisasi kosong)"
        )
    return f"  pemda: {KINERJA_FILE} sudah memuat baris tahun {year}"


def new_year_pemda(ws: Workspace, year: int) -> YearReport:
    """Create every OPD's year folder from its latest year and the pemda's IKU rows of
    ``year``. Refuses a year outside the RPJMD period (nothing is written)."""
    from lkj.data.newyear import new_year

    start, end = rpjmd_period(ws)
    if not start <= year <= end:
        raise LkjError(
            f"tahun {year} di luar periode RPJMD {start}-{end} (pemda.csv, kunci "
            "periode_rpjmd): RPJMD baru dimasukkan dulu ke tabel pemda; tidak ada yang dibuat"
        )
    pemda_csv(ws.pemda_dir, KINERJA_FILE)  # before any OPD: the pemda's rows can be added
    report = YearReport(f"Tahun {year} pemda {ws.kode}:")
    for kode, nama in _opd(ws):
        raw_root = ws.opd_raw_root(kode)
        if (raw_root / str(year)).exists():
            report.lines.append(f"  {kode} {nama}: {year} sudah ada, tidak diubah")
            continue
        try:
            result = new_year(year, raw_root)
        except LkjError as exc:
            report.problem(f"{kode} {nama}", str(exc))
            continue
        rows = sum(result.tables.values())
        report.lines.append(
            f"  {kode} {nama}: dibuat dari {result.source_year} ({rows} baris; "
            f"{len(result.todo)} hal harus diisi)"
        )
    report.lines.append(_pemda_rows(ws, year))
    report.lines.append(
        f"Berikutnya: make forms PEMDA={ws.kode} YEAR={year} (formulir tiap OPD dan IKU pemda)"
    )
    return report


def forms_pemda(
    ws: Workspace, year: int, out: Path | None = None, deadline: str = "", force: bool = False
) -> YearReport:
    """Write every OPD's forms into its own folder, and the pemda's IKU form."""
    from lkj.data.forms.write import write_forms

    out = forms_dir(ws.kode, year, out)
    tables, _ = _base(ws)
    pemda = tables["pemda"]
    nama = pemda.loc[pemda["kunci"] == "nama_pemda", "nilai"]
    report = YearReport(f"Formulir {year} pemda {ws.kode} di {display_path(out)}:")

    def write(kode: str, raw_root: Path) -> list[Path]:
        return write_forms(year, raw_root, out / kode, deadline, force)

    for kode, nama_opd, written in each_opd(ws, year, report, write):
        if written is not None:
            report.lines.append(f"  {kode}/ {nama_opd}: {len(written)} formulir")
    path = write_iku_form(
        ws.pemda_dir, ws.kode, str(nama.iloc[0]) if len(nama) else ws.kode, year, out
    )
    report.lines.append(f"  {path.name}: IKU pemda")
    report.lines.append(
        f"Kirim tiap folder ke OPD-nya; simpan yang sudah diisi kembali di folder itu, lalu: "
        f"make collect PEMDA={ws.kode} YEAR={year}"
    )
    return report


def collect_pemda(ws: Workspace, year: int, base: Path | None = None) -> YearReport:
    """Read every OPD's filled forms and the pemda's IKU form; missing forms and wrong cells
    listed by OPD."""
    from lkj.data.forms.collect import collect_forms

    folder = forms_dir(ws.kode, year, base)
    report = YearReport(f"Formulir {year} pemda {ws.kode} dari {display_path(folder)}:")
    missing: dict[str, int] = {}

    def collect(kode: str, raw_root: Path) -> Any:
        return collect_forms(year, raw_root, folder / kode)

    for kode, nama, result in each_opd(ws, year, report, collect):
        who = f"{kode} {nama}"
        if result is None:
            missing[kode] = -1
            continue
        report.lines.append(
            f"  {who}: {len(result.forms)} formulir, {len(result.changes)} nilai disimpan"
        )
        missing[kode] = len(result.missing)
        for unit in result.missing:
            report.problem(who, f"formulir tidak ada: {unit}")
        for text in result.problems:
            report.problem(who, f"isian salah: {text}")
        for text in result.empty:
            report.problem(who, f"sel kosong: {text}")
    record_forms(ws, year, missing)
    iku = collect_iku_form(ws.pemda_dir, ws.kode, year, folder)
    if iku.missing:
        report.problem("pemda (IKU)", f"formulir tidak ada: {display_path(iku.path)}")
    else:
        report.lines.append(f"  pemda (IKU): {iku.saved} realisasi disimpan")
    for text in iku.problems:
        report.problem("pemda (IKU)", f"isian salah: {text}")
    for text in iku.empty:
        report.problem("pemda (IKU)", f"sel kosong: {text}")
    if report.ok:
        report.lines.append(
            f"Semua formulir lengkap. Berikutnya: make check PEMDA={ws.kode} YEAR={year}"
        )
    return report


def _check_narasi(pemda: PemdaData, report: YearReport) -> None:
    """The pemda's narasi of the year rendered as the LKjIP will (a broken one: a problem)."""
    from lkj.core.config import load_config
    from lkj.document.narasi_pemda import check_pemda_narasi

    texts = check_pemda_narasi(pemda, load_config())
    if texts:
        report.lines.append(f"  pemda: {len(texts)} narasi LKjIP tahun {pemda.year} sah")


def check_pemda(ws: Workspace, year: int) -> YearReport:
    """Validate the pemda's tables and every OPD's data of ``year``: one summary."""
    from lkj.data.ingest import read_raw

    report = YearReport(f"Pemeriksaan data {year} pemda {ws.kode}:")
    try:
        pemda = read_pemda(ws, year)
        report.lines.append("  pemda: tabel pemda sah")
        _check_narasi(pemda, report)
    except LkjError as exc:
        report.problem("pemda", str(exc))
    for kode, nama in _opd(ws):
        who = f"{kode} {nama}"
        if not (ws.opd_raw_root(kode) / str(year)).is_dir():
            report.problem(who, f"belum ada data tahun {year}")
            continue
        try:
            raw = read_raw(year, ws.opd_raw_root(kode))
        except LkjError as exc:
            report.problem(who, str(exc))
            continue
        rows = sum(len(frame) for frame in raw.tables.values())
        report.lines.append(f"  {who}: sah ({rows} baris)")
    n = len(report.problems)
    report.lines.append(
        "Semua data sah menurut kontrak data."
        if report.ok
        else f"{n} bagian belum sah; perbaiki lalu jalankan lagi."
    )
    return report
