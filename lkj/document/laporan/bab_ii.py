"""Bab II Perencanaan dan Perjanjian Kinerja: Renstra (tujuan, sasaran, strategi,
targets), IKU, the RKT and the Perjanjian Kinerja."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lkj.core.fmt import format_nilai
from lkj.document.laporan.data import ReportData, _blocks, _year_rows
from lkj.document.model import Block
from lkj.document.tables import Cell, Col, Column, Table, cell, frame_table


def _sasaran_full(d: ReportData) -> pd.DataFrame:
    return (
        d.raw["indikator"]
        .merge(d.raw["sasaran"], on="kode_sasaran")
        .merge(d.raw["tujuan"], on="kode_tujuan")
    )


def _items(text: Any) -> Cell:
    """A cell of "a | b | c" as a numbered list (one item: the text itself)."""
    parts = [p.strip() for p in str(text).split("|") if p.strip()]
    if len(parts) <= 1:
        return cell(text)
    return Cell(str(text), text, items=tuple(p.lstrip("0123456789) ") for p in parts))


def bab_ii_blocks(d: ReportData) -> list[Block]:
    """Bab II: Renstra (visi, misi, tujuan, sasaran, strategi, targets), IKU, RKT, PK."""
    full = _sasaran_full(d)
    renstra = d.raw["target_renstra"].pivot_table(
        index="kode_indikator", columns="tahun", values="target"
    )
    with_targets = full.set_index("kode_indikator").join(renstra).reset_index()
    years = list(renstra.columns)
    rpjmd_tujuan = d.info("tujuan_rpjmd")
    tables = {
        "keterkaitan": frame_table(
            "keterkaitan_rpjmd",
            "Keterkaitan Visi, Misi, Tujuan, Sasaran Renstra PD dengan RPJMD",
            full,
            [
                Col("Tujuan OPD", "uraian_tujuan"),
                Col("Tujuan RPJMD", lambda r: rpjmd_tujuan),
                Col("Sasaran OPD", "uraian_sasaran"),
                Col("Sasaran RPJMD", "sasaran_rpjmd"),
                Col("Arah Kebijakan", lambda r: _items(r["arah_kebijakan"]), width=1.5),
            ],
        ),
        "strategi": frame_table(
            "keterkaitan_strategi",
            "Keterkaitan Tujuan, Sasaran, Strategi dan Arah Kebijakan",
            full,
            [
                Col("Tujuan", "uraian_tujuan"),
                Col("Sasaran", "uraian_sasaran"),
                Col("Strategi", "strategi"),
                Col("Arah Kebijakan", lambda r: _items(r["arah_kebijakan"]), width=1.5),
            ],
            number=False,
        ),
        "target_renstra": frame_table(
            "target_renstra",
            "Keterkaitan Visi, Misi, Tujuan, Sasaran, Indikator Sasaran dan Rencana Target "
            "Capaian Indikator",
            with_targets,
            [
                Col("Tujuan", "uraian_tujuan", width=1.5),
                Col("Sasaran", "uraian_sasaran", width=1.5),
                Col("Indikator Sasaran", "uraian_indikator", width=1.5),
                Col("Kondisi awal", "kondisi_awal", "desimal"),
                *[
                    Col(str(y), y, "desimal", group="Target Kinerja Sasaran pada Tahun")
                    for y in years
                ],
                Col("Target akhir", "target_akhir_renstra", "desimal"),
            ],
        ),
        "iku": frame_table(
            "iku",
            "Indikator Kinerja Utama",
            full[full["is_iku"] == "ya"],
            [
                Col("Sasaran Renstra OPD", "uraian_sasaran", group="Sasaran"),
                Col("Sasaran RPJMD", "sasaran_rpjmd", group="Sasaran"),
                Col("Indikator Kinerja Utama", "uraian_indikator"),
                Col("Unit Penanggung Jawab", "unit_penanggung_jawab"),
                Col("Sumber Data", "sumber_data"),
            ],
        ),
        "rkt": rkt_table(d),
        "pk": frame_table(
            "perjanjian_kinerja",
            f"Perjanjian Kinerja Tahun {d.year}",
            _year_rows(d, d.year),
            [
                Col("Sasaran Strategis", "uraian_sasaran"),
                Col("Indikator Kinerja", "uraian_indikator"),
                Col("Satuan", "satuan"),
                Col(f"Target {d.year}", "target", "desimal"),
            ],
        ),
    }
    visi_misi = f"Visi: {d.info('visi')}. Misi: {d.info('misi')}."
    return _blocks(d, "bab_ii", t=tables, visi_misi=visi_misi)


def rkt_table(d: ReportData) -> Table:
    """RKT: for each sasaran its indikator and targets (merged over its rows), its kegiatan
    and their sub kegiatan with budgets."""
    pk = _year_rows(d, d.year)
    keg = d.res.kegiatan.merge(
        d.raw["program"][["kode_program", "kode_sasaran"]], on="kode_program"
    )
    rows: list[tuple[Cell, ...]] = []
    total = 0
    for sas in d.raw["sasaran"].itertuples():
        group: list[tuple[Cell, ...]] = []
        for k in keg[keg["kode_sasaran"] == sas.kode_sasaran].itertuples():
            total += k.anggaran_rp
            group.append(
                (Cell(k.nama_kegiatan, k.nama_kegiatan, bold=True), cell(k.anggaran_rp, "rp"))
            )
            subs = d.res.sub_kegiatan[d.res.sub_kegiatan["kode_kegiatan"] == k.kode_kegiatan]
            for s in subs.itertuples():
                group.append(
                    (
                        Cell(s.nama_sub_kegiatan, s.nama_sub_kegiatan, indent=1),
                        cell(s.anggaran_rp, "rp"),
                    )
                )
        if not group:
            continue
        ind = pk[pk["kode_sasaran"] == sas.kode_sasaran]
        indikator = "; ".join(ind["uraian_indikator"])
        target = "; ".join(
            f"{format_nilai(t)} {u}" for t, u in zip(ind["target"], ind["satuan"], strict=True)
        )
        span = len(group)
        rows.append(
            (
                Cell(sas.uraian_sasaran, sas.uraian_sasaran, rowspan=span),
                Cell(indikator, indikator, rowspan=span),
                Cell(target, target, rowspan=span),
                *group[0],
            )
        )
        rows += group[1:]
    columns = (
        Column("Sasaran"),
        Column("Indikator"),
        Column("Target"),
        Column("Kegiatan / Sub Kegiatan", width=1.5),
        Column("Anggaran (Rp)", "rp"),
    )
    foot = [(Cell("Jumlah", bold=True), Cell(""), Cell(""), Cell(""), cell(total, "rp", bold=True))]
    return Table("rkt", f"Rencana Kinerja Tahunan (RKT) Tahun {d.year}", columns, rows, foot)
