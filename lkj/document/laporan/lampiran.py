"""Lampiran: the other tables (ormas, tenaga kerja asing), the tim penyusun, the data
quality notes and the provenance."""

from __future__ import annotations

from lkj.core.fmt import format_angka
from lkj.document.laporan.data import ReportData, _blocks
from lkj.document.laporan.kualitas_data import catatan_kualitas_data
from lkj.document.laporan.provenance import provenance
from lkj.document.model import Block
from lkj.document.tables import Cell, Col, frame_table


def lampiran_blocks(d: ReportData) -> list[Block]:
    """Lampiran: the other tables, the tim penyusun, data quality notes, provenance."""
    ormas_tables = []
    ormas = d.raw.get("ormas")
    if ormas is not None and not ormas.empty:
        titles = {
            "dibentuk": "Data Jumlah Organisasi yang Dibentuk di Kabupaten",
            "terdata_terdaftar": "Data Jumlah Organisasi yang Terdata dan Terdaftar",
        }
        for tabel, group in ormas.groupby("tabel", sort=False):
            group = group.assign(jumlah=group["terdaftar"] + group["terdata"])
            t = frame_table(
                f"ormas_{tabel}",
                f"{titles.get(tabel, tabel)} s.d. Tahun {d.year}",
                group,
                [
                    Col("Kecamatan", "kecamatan", width=2),
                    Col("Terdaftar", "terdaftar", "angka"),
                    Col("Terdata", "terdata", "angka"),
                    Col("Jumlah", "jumlah", "angka"),
                ],
                total={
                    "Terdaftar": group["terdaftar"].sum(),
                    "Terdata": group["terdata"].sum(),
                    "Jumlah": group["jumlah"].sum(),
                },
            )
            sentence = (
                f"Jumlah organisasi: {format_angka(group['jumlah'].sum())}, terdiri atas "
                f"{format_angka(group['terdaftar'].sum())} terdaftar dan "
                f"{format_angka(group['terdata'].sum())} terdata."
            )
            ormas_tables.append({"tabel": t, "kalimat": sentence})
    tka_part = None
    tka = d.raw.get("tenaga_kerja_asing")
    if tka is not None and not tka.empty:
        tka_part = {
            "tabel": frame_table(
                "tenaga_kerja_asing",
                f"Data Orang Asing atau Tenaga Kerja Asing Tahun {d.year}",
                tka,
                [
                    Col("Perusahaan", "perusahaan", width=2),
                    Col("Negara Asal", "negara_asal"),
                    Col("Jumlah", "jumlah", "angka"),
                ],
                total={"Jumlah": tka["jumlah"].sum()},
            ),
            "kalimat": f"Terdapat {format_angka(tka['jumlah'].sum())} orang tenaga kerja asing "
            f"pada {tka['perusahaan'].nunique()} perusahaan.",
        }
    tim_table = None
    tim = d.raw.get("tim_penyusun")
    if tim is not None and not tim.empty:
        tim_table = frame_table(
            "tim_penyusun",
            f"Tim Penyusun Laporan Kinerja Tahun {d.year}",
            tim,
            [
                Col(
                    "Nama / NIP / Pangkat",
                    lambda r: Cell(
                        f"{r['nama']}\nNIP. {r['nip']}\n{r['pangkat_golongan']}", r["nama"]
                    ),
                    width=1.5,
                ),
                Col("Jabatan", "jabatan"),
                Col("Jabatan dalam Tim", "jabatan_dalam_tim"),
            ],
        )
    return _blocks(
        d,
        "lampiran",
        ormas=ormas_tables,
        tka=tka_part,
        tim=tim_table,
        kualitas=catatan_kualitas_data(d),
        asal_usul=provenance(d),
    )
