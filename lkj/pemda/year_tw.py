"""A pemda's quarter forms: ``make forms PEMDA=kode YEAR=2023 TW=2`` and ``make collect ...``.

Each command runs the single-agency quarter function (``lkj.data.forms.triwulan``:
``write_quarter_forms``, ``collect_quarter_forms``) on every OPD of opd.csv (its folder
opd/<kode_opd> is its raw root), with the same rules and messages. Forms go to
outputs/forms/pemda/<kode_pemda>/<YEAR>-tw<TW>/<kode_opd>/. One OPD's problem does not stop the
others: the summary lists, by OPD, the forms missing and the wrong cells (problems: the command
exits non-zero) and the realisation cells still empty (listed, as the single-agency collect
does, without failing). The command line holds the lock of the pemda and year around each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError
from lkj.data.sources import display_path
from lkj.data.workspace import Workspace
from lkj.pemda.year import YearReport, each_opd


def forms_dir_tw(kode_pemda: str, year: int, tw: int, base: Path | str | None = None) -> Path:
    """outputs/forms/pemda/<kode_pemda>/<YEAR>-tw<TW> (``base``: another folder of forms)."""
    if base:
        return Path(base)
    return Path("outputs") / "forms" / "pemda" / kode_pemda / f"{year}-tw{tw}"


def forms_pemda_tw(ws: Workspace, year: int, tw: int, out: Path | None = None) -> YearReport:
    """Write every OPD's forms of quarter ``tw`` into its own folder."""
    from lkj.data.forms.triwulan import empty_cells, load_quarter, write_quarter_forms

    out = forms_dir_tw(ws.kode, year, tw, out)
    report = YearReport(
        f"Formulir triwulan {tw} tahun {year} pemda {ws.kode} di {display_path(out)}:"
    )

    def write(kode: str, raw_root: Path) -> tuple[list[Path], Any]:
        return write_quarter_forms(year, tw, raw_root, out / kode), load_quarter(year, tw, raw_root)

    for kode, nama, written in each_opd(ws, year, report, write):
        if written is None:
            continue
        paths, q = written
        gaps = sum(len(empty_cells(q, u)) for u in q.year.units)
        report.lines.append(f"  {kode}/ {nama}: {len(paths)} formulir, {gaps} sel realisasi kosong")
    report.lines.append(
        f"Kirim tiap folder ke OPD-nya; simpan yang sudah diisi kembali di folder itu, lalu: "
        f"make collect PEMDA={ws.kode} YEAR={year} TW={tw}"
    )
    return report


def collect_pemda_tw(ws: Workspace, year: int, tw: int, base: Path | None = None) -> YearReport:
    """Read every OPD's filled forms of quarter ``tw`` (its rows of the quarter only); the
    forms missing, the wrong cells and the cells still empty listed by OPD."""
    from lkj.data.forms.triwulan import collect_quarter_forms

    folder = forms_dir_tw(ws.kode, year, tw, base)
    report = YearReport(
        f"Formulir triwulan {tw} tahun {year} pemda {ws.kode} dari {display_path(folder)}:"
    )

    def collect(kode: str, raw_root: Path) -> Any:
        return collect_quarter_forms(year, tw, raw_root, folder / kode)

    for kode, nama, result in each_opd(ws, year, report, collect):
        if result is None:
            continue
        who = f"{kode} {nama}"
        report.lines.append(
            f"  {who}: {result.forms} formulir, {result.saved} nilai disimpan triwulan {tw}"
        )
        for name in result.missing:
            report.problem(who, f"formulir tidak ada: {name}")
        for text in result.problems:
            report.problem(who, f"isian salah: {text}")
        if result.kosong:  # by form; each cell: make collect TW= --raw <the OPD's folder>
            report.lines.append(f"    {len(result.kosong)} sel realisasi masih kosong:")
            per_form: dict[str, int] = {}
            for cell in result.kosong:
                name = cell.split(" ", 1)[0]
                per_form[name] = per_form.get(name, 0) + 1
            report.lines.extend(f"      {name}: {n} sel" for name, n in per_form.items())
    if report.ok:
        report.lines.append(
            f"Semua formulir kembali. Berikutnya: make pemda PEMDA={ws.kode} YEAR={year} TW={tw}"
        )
    return report


def run(ws: Workspace, year: int, tw: int, action: str, folder: Path | None, doing: str) -> int:
    """The command ``action`` (forms or collect) of quarter ``tw`` under the lock of the
    pemda and year (``lkj.run.lock``): the summary printed; collect refreshes the pemda's
    dashboard (as the yearly collect does). Returns the exit status (1: a problem)."""
    import sys

    from lkj.pemda.dashboard import refresh
    from lkj.run.lock import year_lock

    with year_lock(year, ws.root, doing=f"{doing} triwulan {tw} pemda {ws.kode}"):
        if action == "forms":
            report = forms_pemda_tw(ws, year, tw, folder)
        else:
            report = collect_pemda_tw(ws, year, tw, folder)
        print(report.summary())
        if action == "collect":
            try:
                refresh(ws, year)
            except (LkjError, OSError) as exc:  # the command itself succeeded: say so
                print(f"lkj: peringatan: index.html pemda tidak diperbarui: {exc}", file=sys.stderr)
    return 0 if report.ok else 1
