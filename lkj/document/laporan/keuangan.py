"""Bab III, 3.4 Akuntabilitas Keuangan: the LRA, belanja langsung, budgets by sasaran,
program, kegiatan and sub kegiatan, the capaian tables and figures, and the sentences that
restate them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from lkj.analysis.capaian import add_realisasi_columns
from lkj.analysis.triwulan import has_quarters
from lkj.core import numbers
from lkj.core.fmt import format_pct, format_rp
from lkj.document.laporan.data import CAPAIAN_CHARTS, FIGURES, ReportData, _figure, _org
from lkj.document.laporan.figures import capaian_chart_parts
from lkj.document.laporan.skala import boundary_sentence_realisasi, skala_realisasi_table
from lkj.document.laporan.triwulan import POLA, POLA_TITLE, pola_sentence
from lkj.document.narasi import terbilang
from lkj.document.tables import Cell, Col, Table, frame_table


def _lra_rows(d: ReportData) -> pd.DataFrame:
    lra = d.raw["lra"]
    rows = [
        {
            "uraian": "Belanja Daerah",
            "tingkat": 0,
            "anggaran_rp": lra["anggaran_rp"].sum(),
            "realisasi_rp": lra["realisasi_rp"].sum(),
        }
    ]
    for kelompok, group in lra.groupby("kelompok_belanja", sort=False):
        rows.append(
            {
                "uraian": kelompok,
                "tingkat": 0,
                "anggaran_rp": group["anggaran_rp"].sum(),
                "realisasi_rp": group["realisasi_rp"].sum(),
            }
        )
        for r in group.itertuples():
            rows.append(
                {
                    "uraian": r.jenis_belanja,
                    "tingkat": 1,
                    "anggaran_rp": r.anggaran_rp,
                    "realisasi_rp": r.realisasi_rp,
                }
            )
    return add_realisasi_columns(pd.DataFrame(rows), d.config, "anggaran_rp", "realisasi_rp")


def _budget_cols(
    name_header: str, name_key: str | Callable, budget: str = "realisasi_anggaran_rp"
) -> list[Col]:
    return [
        Col(name_header, name_key, width=2),
        Col("Anggaran (Rp)", "anggaran_rp", "rp"),
        Col("Realisasi (Rp)", budget, "rp"),
        Col("Serapan (%)", "serapan_pct", "pct"),
        Col("Kategori", "kategori_anggaran", "kategori", "warna_anggaran"),
    ]


def _count_sentence(frame: pd.DataFrame, column: str, noun: str, scale_labels: list[str]) -> str:
    counts = frame[column].value_counts()
    parts = []
    for label in scale_labels:
        if label not in counts:
            continue
        names = ""
        if noun == "program":
            members = frame.loc[frame[column] == label, "nama_program"]
            names = " (" + "; ".join(members) + ")"
        parts.append(
            f"{counts[label]} {noun} "
            f"({format_pct(numbers.ratio_pct(counts[label], len(frame), 0), 0)}) "
            f"berkategori {label}{names}"
        )
    return ", ".join(parts)


def _alokasi_rows(d: ReportData) -> pd.DataFrame:
    """Each sasaran, its programs and their sub kegiatan with budgets."""
    rows = []
    res = d.res
    for sas in res.sasaran.itertuples():
        rows.append(
            {
                "tingkat": "sasaran",
                "nama": sas.uraian_sasaran,
                "anggaran_rp": sas.anggaran_rp,
                "realisasi_anggaran_rp": sas.realisasi_anggaran_rp,
            }
        )
        for prog in res.program[res.program["kode_sasaran"] == sas.kode_sasaran].itertuples():
            rows.append(
                {
                    "tingkat": "program",
                    "nama": prog.nama_program,
                    "anggaran_rp": prog.anggaran_rp,
                    "realisasi_anggaran_rp": prog.realisasi_anggaran_rp,
                }
            )
            subs = res.sub_kegiatan[res.sub_kegiatan["kode_program"] == prog.kode_program]
            for s in subs.itertuples():
                rows.append(
                    {
                        "tingkat": "sub",
                        "nama": s.nama_sub_kegiatan,
                        "anggaran_rp": s.anggaran_rp,
                        "realisasi_anggaran_rp": s.realisasi_anggaran_rp,
                    }
                )
    frame = pd.DataFrame(rows)
    return add_realisasi_columns(frame, d.config, "anggaran_rp", "realisasi_anggaran_rp")


def _alokasi_name(row: pd.Series) -> Cell:
    name = str(row["nama"])
    if row["tingkat"] == "sasaran":
        return Cell(f"Sasaran: {name}", name, bold=True)
    if row["tingkat"] == "program":
        return Cell(name, name, italic=True)
    return Cell(name, name, indent=1)


def _lra_name(row: pd.Series) -> Cell:
    return Cell(str(row["uraian"]), row["uraian"], indent=int(row["tingkat"]))


def _total(frame: pd.DataFrame, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    budget, spent = frame["anggaran_rp"].sum(), frame["realisasi_anggaran_rp"].sum()
    out = {
        "Anggaran (Rp)": budget,
        "Realisasi (Rp)": spent,
        "Serapan (%)": numbers.as_float(numbers.ratio_pct(spent, budget)),
    }
    names = {"jumlah_program": "Jml Prog", "jumlah_sub_kegiatan": "Jml Sub Keg"}
    for column in extra:
        out[names[column]] = frame[column].sum()
    return out


def capaian_table(
    key: str, frame: pd.DataFrame, header: str, name: str, title: str, physical: bool = False
) -> Table:
    """Capaian kinerja and realisasi anggaran of programs, kegiatan or sub kegiatan (a wide
    table on landscape pages, merged headers "Kinerja" and "Keuangan")."""
    cols = [Col(header, name, width=2.5)]
    if physical:
        cols += [
            Col("Target Fisik", "target_fisik", "desimal", group="Kinerja"),
            Col("Realisasi Fisik", "realisasi_fisik", "desimal", group="Kinerja"),
        ]
    cols += [
        Col("Capaian Kinerja (%)", "capaian_fisik_pct", "pct", group="Kinerja"),
        Col("Kategori Kinerja", "kategori_fisik", "kategori", "warna_fisik", group="Kinerja"),
        Col("Anggaran (Rp)", "anggaran_rp", "rp", group="Keuangan"),
        Col("Realisasi Anggaran (Rp)", "realisasi_anggaran_rp", "rp", group="Keuangan"),
        Col("Capaian Anggaran (%)", "serapan_pct", "pct", group="Keuangan"),
        Col(
            "Kategori Anggaran", "kategori_anggaran", "kategori", "warna_anggaran", group="Keuangan"
        ),
    ]
    budget, spent = frame["anggaran_rp"].sum(), frame["realisasi_anggaran_rp"].sum()
    total = {
        "Anggaran (Rp)": budget,
        "Realisasi Anggaran (Rp)": spent,
        "Capaian Anggaran (%)": numbers.as_float(numbers.ratio_pct(spent, budget)),
    }
    return frame_table(key, title, frame, cols, total=total, small=True)


def akuntabilitas_keuangan(d: ReportData) -> dict[str, Any]:
    """3.4: LRA, belanja langsung, budget by sasaran, program, kegiatan and sub kegiatan, with
    the sentences that restate them."""
    res, year = d.res, d.year
    total = res.ringkasan.set_index("sumber")
    sk, lra = total.loc["sub_kegiatan"], total.loc["lra"]
    out: dict[str, Any] = {
        "pengantar": (
            f"Belanja {_org(d)} tahun {year} menurut rincian sub kegiatan berjumlah "
            f"{format_rp(sk.anggaran_rp)} ({terbilang(sk.anggaran_rp)}) dan terealisasi "
            f"{format_rp(sk.realisasi_rp)} ({terbilang(sk.realisasi_rp)}) atau "
            f"{format_pct(sk.serapan_pct)}, sehingga terdapat SILPA {format_rp(sk.silpa_rp)} "
            f"({format_pct(sk.silpa_pct)})."
        ),
        "catatan_lra": "",
    }
    if sk.anggaran_rp != lra.anggaran_rp or sk.realisasi_rp != lra.realisasi_rp:
        out["catatan_lra"] = (
            f"Catatan: menurut LRA anggaran berjumlah {format_rp(lra.anggaran_rp)} dan "
            f"realisasi {format_rp(lra.realisasi_rp)}; selisih dengan jumlah sub kegiatan "
            f"adalah {format_rp(sk.anggaran_rp - lra.anggaran_rp)} (anggaran) dan "
            f"{format_rp(sk.realisasi_rp - lra.realisasi_rp)} (realisasi). Lihat Catatan "
            "Kualitas Data."
        )
    out["tabel"] = {**_anggaran_tables(d), **_capaian_tables(d)}
    out["grafik"] = _figures(d)
    out["kalimat"] = _sentences(d)
    out["pola_triwulan"] = pola_sentence(d)
    return out


def _anggaran_tables(d: ReportData) -> dict[str, Table]:
    """The budget tables: the LRA, belanja langsung, by sasaran, by sasaran with its programs
    and their sub kegiatan, and by program."""
    res, year = d.res, d.year
    prog = res.program
    alokasi = _alokasi_rows(d)
    return {
        "lra": frame_table(
            "lra",
            f"Rincian Alokasi Anggaran Tahun {year} (Laporan Realisasi Anggaran)",
            _lra_rows(d),
            _budget_cols("Jenis Belanja", _lra_name, "realisasi_rp"),
        ),
        "belanja_langsung": frame_table(
            "belanja_langsung",
            f"Alokasi Anggaran Belanja Langsung untuk Mencapai Sasaran Tahun {year}",
            res.belanja_langsung,
            _budget_cols("Uraian", "uraian"),
            total=_total(res.belanja_langsung),
        ),
        "sasaran": frame_table(
            "anggaran_sasaran",
            f"Alokasi dan Realisasi Anggaran untuk Mencapai Sasaran Tahun {year}",
            res.sasaran,
            [
                Col("Sasaran Strategis", "uraian_sasaran", width=2),
                Col("Jml Prog", "jumlah_program", "angka"),
                Col("Jml Sub Keg", "jumlah_sub_kegiatan", "angka"),
                *_budget_cols("", "")[1:],
            ],
            total=_total(res.sasaran, extra=("jumlah_program", "jumlah_sub_kegiatan")),
        ),
        "alokasi": frame_table(
            "anggaran_sasaran_program",
            "Alokasi dan Realisasi Anggaran Sasaran per Program dan Sub Kegiatan",
            alokasi,
            _budget_cols("Sasaran / Program / Sub Kegiatan", _alokasi_name),
            total=_total(alokasi[alokasi["tingkat"] == "sasaran"]),
            number=False,
        ),
        "program": frame_table(
            "anggaran_program",
            "Anggaran dan Realisasi Keuangan pada Masing-Masing Program",
            prog,
            _budget_cols("Program", "nama_program"),
            total=_total(prog),
        ),
    }


def _capaian_tables(d: ReportData) -> dict[str, Table]:
    """Capaian kinerja and realisasi anggaran of programs, kegiatan and sub kegiatan, and the
    realisation scale they are categorised by."""
    res = d.res
    prog, keg, sub = res.program, res.kegiatan, res.sub_kegiatan
    return {
        "capaian_program": capaian_table(
            "capaian_program",
            prog,
            "Program",
            "nama_program",
            "Capaian Kinerja dan Realisasi Anggaran Program",
        ),
        "capaian_kegiatan": capaian_table(
            "capaian_kegiatan",
            keg,
            "Kegiatan",
            "nama_kegiatan",
            "Capaian Kinerja dan Realisasi Anggaran Kegiatan",
        ),
        "capaian_sub_kegiatan": capaian_table(
            "capaian_sub_kegiatan",
            sub,
            "Sub Kegiatan",
            "nama_sub_kegiatan",
            "Capaian Kinerja dan Realisasi Anggaran Sub Kegiatan",
            physical=True,
        ),
        "skala_realisasi": skala_realisasi_table(d),
    }


def _figures(d: ReportData) -> dict[str, Any]:
    """The grafik of 3.4 by file stem; a capaian chart is a list of figures (one, or several
    when split)."""
    grafik: dict[str, Any] = {
        stem: _figure(d, stem) for stem in FIGURES if stem.startswith("grafik_")
    }
    for stem in CAPAIAN_CHARTS:  # one figure, or several when split; captions say what is shown
        grafik[stem] = [_figure(d, p.stem, p.caption) for p in capaian_chart_parts(d, stem)]
    if has_quarters(
        d.raw
    ):  # the realisation pattern through the year (lkj.document.laporan.triwulan)
        grafik[POLA] = _figure(d, POLA, POLA_TITLE)
    return grafik


def _sentences(d: ReportData) -> dict[str, str]:
    """The sentences that count programs, kegiatan and sub kegiatan per category, and the
    realisation scale's boundary rule."""
    res = d.res
    labels = d.config.realisasi.labels
    prog, keg, sub = res.program, res.kegiatan, res.sub_kegiatan
    return {
        "program_anggaran": f"Dari {len(prog)} program, realisasi anggaran: "
        + _count_sentence(prog, "kategori_anggaran", "program", labels)
        + ".",
        "program_kinerja": "Capaian kinerja program: "
        + _count_sentence(prog, "kategori_fisik", "program", labels)
        + ".",
        "kegiatan": f"Dari {len(keg)} kegiatan, capaian kinerja: "
        + _count_sentence(keg, "kategori_fisik", "kegiatan", labels)
        + "; realisasi anggaran: "
        + _count_sentence(keg, "kategori_anggaran", "kegiatan", labels)
        + ".",
        "sub_kegiatan": f"Dari {len(sub)} sub kegiatan, capaian kinerja: "
        + _count_sentence(sub, "kategori_fisik", "sub kegiatan", labels)
        + "; realisasi anggaran: "
        + _count_sentence(sub, "kategori_anggaran", "sub kegiatan", labels)
        + ".",
        "aturan_batas": boundary_sentence_realisasi(d.config),
    }
