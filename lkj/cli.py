"""Command line: ``python -m lkj report --year 2022`` (what ``make report`` runs).

Errors the user can act on are printed as one clear message (no traceback), exit status 1.
``report``, ``collect`` and ``new-year`` hold the lock of the agency and year (lkj.run.lock): a
second run of the same year waits for the first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lkj.core.errors import LkjError


def _pemda_ws(args: argparse.Namespace) -> object:
    """The pemda workspace of ``--pemda``/``--dir``."""
    from lkj.data.workspace import Workspace, find_workspace

    ws = find_workspace(args.pemda, getattr(args, "pemda_dir", None))
    output, processed = getattr(args, "pemda_output", None), getattr(args, "pemda_processed", None)
    if output or processed:
        ws = Workspace.at(ws.root, output, processed)
    return ws


def _pemda_year(args: argparse.Namespace, doing: str, action: str) -> int:
    """Run a pemda's year command (``action``: new_year, forms, collect, check) under the lock
    of the pemda and year; print its summary; refresh the pemda's index page."""
    from lkj.pemda import year as pemda_year
    from lkj.run.lock import year_lock

    ws = _pemda_ws(args)
    if getattr(args, "tw", None) is not None:  # a quarter's forms: lkj.pemda.year_tw
        from lkj.pemda.year_tw import run

        folder = getattr(args, "out" if action == "forms" else "dir", None)
        return run(ws, args.year, args.tw, action, Path(folder) if folder else None, doing)
    with year_lock(args.year, ws.root, doing=f"{doing} pemda {ws.kode}"):
        if action == "new_year":
            report = pemda_year.new_year_pemda(ws, args.year)
        elif action == "forms":
            out = Path(args.out) if args.out else None
            report = pemda_year.forms_pemda(ws, args.year, out, args.batas_waktu, args.force)
        elif action == "collect":
            report = pemda_year.collect_pemda(ws, args.year, Path(args.dir) if args.dir else None)
        else:
            report = pemda_year.check_pemda(ws, args.year)
        print(report.summary())
        if action in ("collect", "check"):
            _refresh_index(ws, args.year)
    return 0 if report.ok else 1


def _refresh_index(ws: object, year: int, archive: Path | None = None) -> None:
    """Rewrite the pemda's index page of ``year`` when a run has built it."""
    from lkj.pemda.dashboard import refresh

    try:
        refresh(ws, year, archive=archive)
    except (LkjError, OSError) as exc:  # the command itself succeeded: say so, go on
        print(f"lkj: peringatan: index.html pemda tidak diperbarui: {exc}", file=sys.stderr)


def _cmd_report(args: argparse.Namespace) -> int:
    from lkj.run.paths import Paths
    from lkj.run.report import run_report

    paths = Paths.resolve(args.year, args.raw, args.processed, args.output, args.config)
    run_report(paths, force=args.force, kertas=args.kertas)
    _print_deadline(args.year)
    return 0


def _print_deadline(year: int, pemda: bool = False) -> None:
    """Days left before the report (the LKjIP with ``pemda``) of ``year`` is due, or late."""
    from lkj.run.penilaian import deadline_line

    print(deadline_line(year, pemda=pemda))


def _cmd_paket(args: argparse.Namespace) -> int:
    from lkj.tandatangan.paket import paket

    if args.pemda:  # the LKjIP of a pemda: arsip/pemda/<kode>/YEAR/paket/
        from lkj.run.penilaian import deadline_line
        from lkj.tandatangan.paket_pemda import paket_pemda

        paket_pemda(_pemda_ws(args), args.year, args.arsip, args.config)
        print(deadline_line(args.year, pemda=True))
        return 0
    paket(args.year, args.raw, args.processed, args.output, args.config, args.arsip)
    _print_deadline(args.year)
    return 0


def _cmd_verifikasi(args: argparse.Namespace) -> int:
    from lkj.tandatangan.verifikasi import verifikasi

    return 0 if verifikasi(args.pdf, args.akar, args.config).ok else 1


def _cmd_penilaian(args: argparse.Namespace) -> int:
    from lkj.run.paths import Paths
    from lkj.run.penilaian import penilaian

    paths = Paths.resolve(args.year, args.raw, args.processed, args.output, args.config)
    penilaian(paths, archive=args.arsip, lke=args.lke)
    _print_deadline(args.year)
    return 0


def _cmd_preview(args: argparse.Namespace) -> int:
    from lkj.run.paths import Paths
    from lkj.run.preview import run_preview

    paths = Paths.resolve(args.year, args.raw, args.processed, args.output, args.config)
    run_preview(paths, kertas=args.kertas)
    return 0


def _cmd_triwulan(args: argparse.Namespace) -> int:
    from lkj.run.triwulan import run_triwulan

    run_triwulan(args.year, args.tw, args.raw, args.output, args.config, force=args.force)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.document.narasi import check_narasi

    if args.pemda:
        return _pemda_year(args, "memeriksa data (check)", "check")
    root = Path(args.raw or "data/raw")
    raw = read_raw(args.year, root)
    texts = check_narasi(args.year, raw.tables, root / str(args.year), load_config(None))
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in raw.tables.items())
    print(f"Data {args.year} sah menurut kontrak data: {counts} baris")
    if texts:
        print(f"Teks narasi: {len(texts)} berkas dirender tanpa kesalahan")
    return 0


def _cmd_workbook(args: argparse.Namespace) -> int:
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_workbook

    raw = read_raw(args.year, args.raw or Path("data/raw"))
    out = write_workbook(raw, args.out)
    print(f"Workbook ditulis: {out}")
    return 0


def _cmd_new_year(args: argparse.Namespace) -> int:
    from lkj.data.newyear import new_year
    from lkj.run.lock import year_lock

    if args.pemda:
        return _pemda_year(args, "membuat data tahun baru (new-year)", "new_year")
    raw = Path(args.raw or "data/raw")
    with year_lock(args.year, raw, doing="membuat data tahun baru (new-year)"):
        result = new_year(args.year, raw)
    print(result.summary())
    return 0


def _cmd_forms_tw(args: argparse.Namespace) -> int:
    from lkj.data.forms.triwulan import (
        deadline,
        empty_cells,
        form_name,
        load_quarter,
        write_quarter_forms,
    )

    raw = args.raw or Path("data/raw")
    paths = write_quarter_forms(args.year, args.tw, raw, args.out)
    print(f"Formulir triwulan {args.tw} tahun {args.year} ditulis ({len(paths)} unit kerja):")
    q = load_quarter(args.year, args.tw, raw)
    gaps = {form_name(args.year, args.tw, u): len(empty_cells(q, u)) for u in q.year.units}
    for path in paths:
        print(f"  {path}: {gaps.get(Path(path).name, 0)} sel realisasi kosong")
    print(f"Batas waktu laporan triwulan {args.tw}: {deadline(args.year, args.tw)}")
    print(f"Setelah diisi: make collect YEAR={args.year} TW={args.tw}")
    return 0


def _cmd_collect_tw(args: argparse.Namespace) -> int:
    from lkj.data.forms.triwulan import collect_quarter_forms
    from lkj.run.lock import year_lock

    raw = Path(args.raw or "data/raw")
    with year_lock(args.year, raw, doing="membaca formulir triwulan (collect)"):
        result = collect_quarter_forms(args.year, args.tw, raw, args.dir)
    print(f"{result.forms} formulir dibaca, {result.saved} nilai disimpan triwulan {args.tw}")
    for path in result.written:
        print(f"  ditulis: {path}")
    for name in result.missing:
        print(f"  formulir tidak ada: {name}")
    for problem in result.problems:
        print(f"  {problem}")
    if result.kosong:
        print(f"  {len(result.kosong)} sel realisasi triwulan {args.tw} masih kosong:")
        for cell in result.kosong:
            print(f"    {cell}")
    return 1 if result.problems or result.missing else 0


def _cmd_forms(args: argparse.Namespace) -> int:
    if args.pemda:  # the year's or, with TW, the quarter's forms of every OPD
        return _pemda_year(args, "menulis formulir (forms)", "forms")
    if args.tw is not None:
        return _cmd_forms_tw(args)
    from lkj.data.forms.write import write_forms

    out = Path(args.out) if args.out else Path("outputs") / "forms" / str(args.year)
    written = write_forms(
        args.year, args.raw or Path("data/raw"), out, deadline=args.batas_waktu, force=args.force
    )
    print(f"Formulir {args.year} ditulis ({len(written)} unit kerja):")
    for form in written:
        print(
            f"  {form.path.name}: {form.unit!r} - {form.sub_kegiatan} sub kegiatan, "
            f"{form.indikator} indikator, {form.prefilled} dari {form.inputs} sel sudah terisi"
        )
    print(
        f"Bagikan tiap formulir ke unit kerjanya. Simpan formulir yang sudah diisi di {out} "
        f"(nama file boleh berubah), lalu: make collect YEAR={args.year}"
    )
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    if args.pemda:  # the year's or, with TW, the quarter's forms of every OPD
        return _pemda_year(args, "membaca formulir (collect)", "collect")
    if args.tw is not None:
        return _cmd_collect_tw(args)
    from lkj.data.forms.collect import collect_forms
    from lkj.run.lock import year_lock

    raw = Path(args.raw or "data/raw")
    with year_lock(args.year, raw, doing="membaca formulir (collect)"):
        result = collect_forms(args.year, raw, args.dir)
    print(result.summary())
    if not result.complete:
        raise result.failure()
    return 0


def _cmd_tandatangan(args: argparse.Namespace) -> int:
    from lkj.tandatangan.arsip import tandatangan

    if args.pemda:
        return _tandatangan_opd(args) if args.opd else _tandatangan_lkjip(args)
    tandatangan(
        args.year,
        args.p12,
        args.pdf,
        raw_root=args.raw,
        processed=args.processed,
        output=args.output,
        config=args.config,
        archive_root=args.arsip,
    )
    _print_deadline(args.year)
    return 0


def _tandatangan_opd(args: argparse.Namespace) -> int:
    """Sign one OPD's report of a pemda; archived in arsip/pemda/<kode>/<kode_opd>/YEAR/."""
    from lkj.core.resources import ROOT
    from lkj.pemda.dashboard import opd_state
    from lkj.run.lock import year_lock
    from lkj.tandatangan.arsip import tandatangan

    if not args.opd:
        raise LkjError("--pemda memerlukan --opd KODE_OPD (laporan OPD yang ditandatangani)")
    ws = _pemda_ws(args)
    if not ws.opd_raw_root(args.opd).is_dir():
        raise LkjError(f"{ws.opd_raw_root(args.opd)}: OPD {args.opd} tidak ada di pemda {ws.kode}")
    archive = Path(args.arsip) if args.arsip else ROOT / "arsip"
    with year_lock(args.year, ws.root, doing=f"menandatangani laporan OPD {args.opd}"):
        pdf = ws.opd_output(args.year, args.opd) / f"LKj_{args.year}.pdf"
        state = opd_state(ws, args.year, args.opd, Path(args.config) if args.config else None)
        if args.pdf is None and state != "dibangun":
            raise LkjError(
                f"{pdf}: laporan OPD {args.opd} {state} (bukan laporan mutakhir dari datanya); "
                f"jalankan dulu: make pemda PEMDA={ws.kode} YEAR={args.year}, periksa, lalu "
                "tanda tangani"
            )
        tandatangan(
            args.year,
            args.p12,
            args.pdf or pdf,
            raw_root=ws.opd_raw_root(args.opd),
            processed=ws.opd_processed(args.year, args.opd),
            output=ws.opd_output(args.year, args.opd),
            config=args.config,
            archive_root=archive / "pemda" / ws.kode / args.opd,
        )
        _refresh_index(ws, args.year)
    return 0


def _tandatangan_lkjip(args: argparse.Namespace) -> int:
    """Sign the pemda's LKjIP; archived in arsip/pemda/<kode>/YEAR/ (lkj.tandatangan.lkjip)."""
    from lkj.pemda.lkjip_state import current_lkjip
    from lkj.run.lock import year_lock
    from lkj.tandatangan.lkjip import tandatangan_lkjip

    ws, config = _pemda_ws(args), Path(args.config) if args.config else None
    archive = Path(args.arsip) if args.arsip else None
    with year_lock(args.year, ws.root, doing="menandatangani LKjIP"):
        current_lkjip(ws, args.year, config, check=args.pdf is None)
        tandatangan_lkjip(ws, args.year, args.p12, args.pdf, archive, config)
        _refresh_index(ws, args.year, archive)
    _print_deadline(args.year, pemda=True)
    return 0


def _cmd_contoh_pemda(args: argparse.Namespace) -> int:
    from lkj.pemda.contoh import write_contoh_pemda

    target = write_contoh_pemda(args.jumlah, args.seed, args.dir, force=args.force)
    print(
        f"Pemda contoh (DATA SINTETIS) ditulis: {target} ({args.jumlah} OPD, seed {args.seed}).\n"
        "Bangun semua laporannya dengan: make pemda YEAR=2022"
    )
    return 0


def _cmd_pemda(args: argparse.Namespace) -> int:
    from lkj.data.workspace import Workspace, find_workspace
    from lkj.pemda.batch import run_pemda
    from lkj.run.lock import year_lock

    ws = find_workspace(args.pemda, args.dir)
    if args.output or args.processed:
        ws = Workspace.at(ws.root, args.output, args.processed)
    if args.tw is not None:  # the quarter: every OPD's E.81 and the pemda's roll-up
        from lkj.pemda.triwulan import run_pemda_triwulan

        with year_lock(args.year, ws.root, doing=f"membangun evaluasi triwulan pemda {ws.kode}"):
            result_tw = run_pemda_triwulan(
                ws,
                args.year,
                args.tw,
                force=args.force,
                scheduler=args.scheduler,
                workers=args.workers,
            )
        return 0 if result_tw.ok else 1
    with year_lock(args.year, ws.root, doing=f"membangun laporan pemda {ws.kode}"):
        result = run_pemda(
            ws,
            args.year,
            scheduler=args.scheduler,
            workers=args.workers,
            force=args.force,
            config=args.config,
        )
    return 0 if result.ok else 1


def _year(text: str) -> int:
    """A report year as argparse reads it: a whole number from 1990 to 2100 (the data
    contract's years), so that 100000000000000000000 is refused in a line, not an overflow."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tahun {text!r} bukan bilangan bulat") from None
    if not 1990 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"tahun {text} di luar 1990-2100")
    return year


def _report_folders(parser: argparse.ArgumentParser, last: str = "") -> None:
    """--raw, --processed, --output, --config: where a year's report reads and writes
    (``last``: "the last report's " for commands that read a built report)."""
    parser.add_argument("--raw", help="folder of the year folders (default data/raw)")
    parser.add_argument("--processed", help=f"{last}data/processed/YEAR (default)")
    parser.add_argument("--output", help=f"{last or 'the report '}folder (default outputs/YEAR)")
    parser.add_argument("--config", help="default config/lkj.toml")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m lkj``."""
    parser = argparse.ArgumentParser(
        prog="lkj", description="Laporan Kinerja (LKj): data mentah -> laporan HTML dan PDF"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_report_commands(sub)
    _add_data_commands(sub)
    _add_tandatangan_command(sub)
    _add_pemda_commands(sub)
    _add_lke_commands(sub)
    return parser


def _add_lke_commands(sub: argparse._SubParsersAction) -> None:
    """penilaian: the self-assessment of a built report (LKE component 3)."""
    nilai = sub.add_parser(
        "penilaian",
        help="write outputs/YEAR/LKj_YEAR_penilaian_mandiri.html and .pdf from the built report",
    )
    nilai.add_argument("--year", type=int, required=True)
    _report_folders(nilai, "the last report's ")
    nilai.add_argument("--arsip", help="archive holding YEAR/penilaian.toml (default arsip/)")
    nilai.add_argument("--lke", help="the criteria (default config/lke.toml)")
    nilai.set_defaults(func=_cmd_penilaian)

    pack = sub.add_parser(
        "paket", help="gather the signed report and its documents into arsip/YEAR/paket/"
    )
    pack.add_argument("--year", type=int, required=True)
    _report_folders(pack, "the signed report's ")
    pack.add_argument("--arsip", help="the archive folder (default arsip/)")
    _pemda_option(pack)  # --pemda KODE: the signed LKjIP into arsip/pemda/<kode>/YEAR/paket/
    pack.set_defaults(func=_cmd_paket)

    check = sub.add_parser(
        "verifikasi",
        help="check a signed report PDF: its signature and every figure rebuilt from its data",
    )
    check.add_argument("--pdf", required=True, help="the report PDF (signed)")
    check.add_argument(
        "--akar",
        action="append",
        default=[],
        help="a trusted root certificate, PEM or DER (repeatable; e.g. the BSrE root)",
    )
    check.add_argument("--config", help="default config/lkj.toml")
    check.set_defaults(func=_cmd_verifikasi)


def _add_report_commands(sub: argparse._SubParsersAction) -> None:
    """report and preview: build a year's report."""
    report = sub.add_parser("report", help="build outputs/YEAR/LKj_YEAR.html and .pdf")
    report.add_argument("--year", type=_year, required=True)
    report.add_argument("--force", action="store_true", help="rebuild even if up to date")
    _report_folders(report)
    report.add_argument(
        "--kertas", help="paper for this run: A4 or F4 (default: [dokumen] kertas of the config)"
    )
    report.set_defaults(func=_cmd_report)

    preview = sub.add_parser(
        "preview",
        help="HTML report only, marked PRATINJAU, in outputs/YEAR-pratinjau (never outputs/YEAR)",
    )
    preview.add_argument("--year", type=_year, required=True)
    _report_folders(preview, "the last report's ")
    preview.add_argument("--kertas", help="paper of the print style: A4 or F4")
    preview.set_defaults(func=_cmd_preview)

    triwulan = sub.add_parser(
        "triwulan",
        help="the quarter's Renja evaluation (E.81) in outputs/YEAR-twTW (never outputs/YEAR)",
    )
    triwulan.add_argument("--year", type=int, required=True)
    triwulan.add_argument("--tw", type=int, required=True, help="the quarter: 1, 2, 3 or 4")
    triwulan.add_argument("--force", action="store_true", help="rebuild even if up to date")
    triwulan.add_argument("--raw", help="folder of the year folders (default data/raw)")
    triwulan.add_argument("--output", help="the evaluation's folder (default outputs/YEAR-twTW)")
    triwulan.add_argument("--config", help="default config/lkj.toml")
    triwulan.set_defaults(func=_cmd_triwulan)


def _pemda_option(parser: argparse.ArgumentParser) -> None:
    """--pemda KODE (and --pemda-dir): the command on every OPD of that pemda workspace."""
    parser.add_argument(
        "--pemda", help="kode_pemda: run on every OPD of data/pemda/<kode> (and the pemda tables)"
    )
    parser.add_argument("--pemda-dir", help="folder of pemda workspaces (default data/pemda)")
    parser.add_argument(
        "--pemda-output",
        help="products of the pemda (default outputs/pemda/<kode>): its index page",
    )
    parser.add_argument(
        "--pemda-processed", help="processed tables (default data/processed/pemda/<kode>)"
    )


def _add_data_commands(sub: argparse._SubParsersAction) -> None:
    """check, workbook, new-year, forms, collect: a year's raw data."""
    check = sub.add_parser("check", help="validate data/raw/YEAR against the data contract")
    check.add_argument("--year", type=_year, required=True)
    check.add_argument("--raw", help="folder of the year folders (default data/raw)")
    _pemda_option(check)
    check.set_defaults(func=_cmd_check)

    book = sub.add_parser("workbook", help="write data/raw/YEAR as one .xlsx workbook")
    book.add_argument("--year", type=_year, required=True)
    book.add_argument("--raw", help="folder of the year folders (default data/raw)")
    book.add_argument("--out", required=True, help="the .xlsx file to write")
    book.set_defaults(func=_cmd_workbook)

    new = sub.add_parser(
        "new-year", help="create data/raw/YEAR from the latest earlier year (realisasi empty)"
    )
    new.add_argument("--year", type=_year, required=True)
    new.add_argument("--raw", help="folder of the year folders (default data/raw)")
    _pemda_option(new)
    new.set_defaults(func=_cmd_new_year)

    forms = sub.add_parser("forms", help="write one .xlsx data form per unit kerja")
    forms.add_argument("--year", type=_year, required=True)
    forms.add_argument("--raw", help="folder of the year folders (default data/raw)")
    forms.add_argument("--out", help="folder of the forms (default outputs/forms/YEAR)")
    forms.add_argument("--batas-waktu", default="", help="deadline text printed on the forms")
    forms.add_argument(
        "--force", action="store_true", help="overwrite forms holding values not yet collected"
    )
    forms.add_argument("--tw", type=int, help="forms of one triwulan (1-4) instead of the year")
    _pemda_option(forms)
    forms.set_defaults(func=_cmd_forms)

    collect = sub.add_parser("collect", help="read the filled forms into data/raw/YEAR")
    collect.add_argument("--year", type=_year, required=True)
    collect.add_argument("--raw", help="folder of the year folders (default data/raw)")
    collect.add_argument("--dir", help="folder of the filled forms (default outputs/forms/YEAR)")
    collect.add_argument("--tw", type=int, help="collect one triwulan (1-4), its rows only")
    _pemda_option(collect)
    collect.set_defaults(func=_cmd_collect)


def _add_tandatangan_command(sub: argparse._SubParsersAction) -> None:
    """tandatangan: sign a built report."""
    sign = sub.add_parser(
        "tandatangan",
        help="sign outputs/YEAR/LKj_YEAR.pdf (PAdES) and archive it in arsip/YEAR/",
        description="Password: environment variable LKJ_P12_PASSWORD, else asked (never an "
        "argument). See docs/tandatangan.md.",
    )
    sign.add_argument("--year", type=_year, required=True)
    sign.add_argument("--p12", required=True, help="the agency's PKCS#12 certificate (.p12/.pfx)")
    sign.add_argument("--pdf", help="sign this PDF instead (e.g. exported from the Word document)")
    _report_folders(sign, "the report's ")
    sign.add_argument("--arsip", help="the archive folder (default arsip/)")
    _pemda_option(sign)
    sign.add_argument("--opd", help="with --pemda: the kode_opd signed (without: the LKjIP)")
    sign.set_defaults(func=_cmd_tandatangan)


def _add_pemda_commands(sub: argparse._SubParsersAction) -> None:
    """contoh-pemda and pemda: a whole pemda."""
    contoh = sub.add_parser(
        "contoh-pemda", help="write a synthetic demo pemda (DATA SINTETIS) to data/pemda/contoh"
    )
    contoh.add_argument("--jumlah", type=int, default=40, help="number of OPDs (default 40)")
    contoh.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    contoh.add_argument("--dir", help="folder of pemda workspaces (default data/pemda)")
    contoh.add_argument("--force", action="store_true", help="replace an existing demo pemda")
    contoh.set_defaults(func=_cmd_contoh_pemda)

    pemda = sub.add_parser(
        "pemda", help="build every OPD's LKj and the LKjIP of a pemda (Dask, in parallel)"
    )
    pemda.add_argument("--year", type=_year, required=True)
    pemda.add_argument(
        "--pemda", help="kode_pemda: its folder under data/pemda (default: the only one)"
    )
    pemda.add_argument("--dir", help="folder of pemda workspaces (default data/pemda)")
    pemda.add_argument(
        "--scheduler",
        help="address of a Dask scheduler, e.g. tls://10.0.0.5:8786 (default: "
        "DASK_SCHEDULER_ADDRESS, else a local cluster started for this run)",
    )
    pemda.add_argument(
        "--workers", type=int, help="worker processes of the local cluster (default: CPU cores)"
    )
    pemda.add_argument("--force", action="store_true", help="rebuild every OPD and the LKjIP")
    pemda.add_argument("--output", help="products of the pemda (default outputs/pemda/<kode>)")
    pemda.add_argument("--processed", help="processed tables (default data/processed/pemda/<kode>)")
    pemda.add_argument("--config", help="default config/lkj.toml")
    pemda.add_argument(
        "--tw", type=int, help="the quarter 1-4: every OPD's E.81 and the RKPD roll-up instead"
    )
    pemda.set_defaults(func=_cmd_pemda)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except LkjError as exc:
        print(f"lkj: kesalahan: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lkj: dihentikan; laporan sebelumnya tidak diubah", file=sys.stderr)
        return 130
