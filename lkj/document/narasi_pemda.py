"""The pemda's own narasi for the LKjIP: data/pemda/<kode>/pemda/narasi/YEAR/<name>.md.

The same machinery as the OPD's narasi (``lkj.document.narasi``: plain paragraphs and lists,
computed values by name in the sandbox of ``lkj.document.narasi_sandbox``, HTML escaped). Per
sasaran RPJMD the LKjIP reads two texts (the LKE, component 3.b):

    sasaran_<kode_sasaran_rpjmd>_analisis.md   efforts made and obstacles met (upaya, hambatan)
    sasaran_<kode_sasaran_rpjmd>_solusi.md     recommendations for the years ahead

A text may name ``{{ tahun }}``, ``{{ pemda.nama_pemda }}`` (every key of pemda.csv),
``{{ iku.IKU1.capaian }}`` (uraian, satuan, target, realisasi, capaian, predikat,
target_akhir_rpjmd, capaian_rpjmd, proyeksi, status) and ``{{ sasaran.SR1.serapan }}``
(uraian, anggaran, realisasi, serapan, capaian_fisik, indeks_efisiensi).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from lkj.core.fmt import format_nilai, format_pct, format_rp
from lkj.data.files import text_file
from lkj.data.sources import display_path
from lkj.document.narasi import render_text

PARTS = (("analisis", "upaya dan hambatan"), ("solusi", "rekomendasi"))


def narasi_name(kode_sasaran_rpjmd: str, part: str) -> str:
    """The file name (without .md) of a sasaran RPJMD's narasi ``part``."""
    return f"sasaran_{kode_sasaran_rpjmd}_{part}"


def pemda_context(data: dict[str, Any]) -> dict[str, Any]:
    """Every computed value a pemda narasi may name (see the module docstring).

    Args:
        data: from ``lkj.analysis.konsolidasi.consolidate``.
    """
    pemda = data["pemda"]
    info = dict(zip(pemda["pemda"]["kunci"], pemda["pemda"]["nilai"], strict=True))
    iku = {}
    for r in data["status_rpjmd"].itertuples(index=False):
        iku[r.kode_iku] = {
            "uraian": r.uraian_iku,
            "satuan": r.satuan,
            "target": format_nilai(r.target),
            "realisasi": format_nilai(r.realisasi),
            "capaian": format_pct(r.capaian_pct),
            "target_akhir_rpjmd": format_nilai(r.target_akhir_rpjmd),
            "capaian_rpjmd": format_pct(r.capaian_rpjmd_pct),
            "proyeksi": format_nilai(r.proyeksi),
            "status": r.status or "-",
        }
    year_iku = data["iku"][data["iku"]["tahun"] == data["year"]]
    for r in year_iku.itertuples(index=False):
        iku[r.kode_iku]["predikat"] = r.predikat or "tidak dapat dihitung"
    sasaran = {
        r.kode_sasaran_rpjmd: {
            "uraian": r.uraian_sasaran_rpjmd,
            "anggaran": format_rp(r.anggaran_rp),
            "realisasi": format_rp(r.realisasi_anggaran_rp),
            "serapan": format_pct(r.serapan_pct),
            "capaian_fisik": format_pct(r.capaian_fisik_pct),
            "indeks_efisiensi": format_pct(r.indeks_efisiensi),
        }
        for r in data["efisiensi"].itertuples(index=False)
    }
    return {"tahun": data["year"], "pemda": info, "iku": iku, "sasaran": sasaran}


def pemda_narrative(data: dict[str, Any], name: str, values: dict[str, Any]) -> Markup:
    """The rendered narasi ``name`` of the pemda's year, or "" when the file is absent.

    Raises:
        DataError: the text is not UTF-8, too large, names an unknown value or breaks a limit
            of its sandbox (naming the file and line).
    """
    pemda = data["pemda"]
    path = pemda.narasi_dir / f"{name}.md"
    shown = display_path(path)
    text = text_file(path, pemda.folder, shown)
    if text is None:
        return Markup("")
    return render_text(text, values, shown)


def narasi_sasaran(data: dict[str, Any]) -> dict[str, dict[str, Markup]]:
    """kode_sasaran_rpjmd -> part ("analisis", "solusi") -> the rendered text ("" if none)."""
    values = pemda_context(data)
    return {
        sr: {part: pemda_narrative(data, narasi_name(sr, part), values) for part, _ in PARTS}
        for sr in data["pemda"]["sasaran_rpjmd"]["kode_sasaran_rpjmd"]
    }


def kesenjangan(data: dict[str, Any], texts: dict[str, dict[str, Markup]]) -> list[str]:
    """The narasi missing or empty, one line per sasaran RPJMD and part, naming the file."""
    folder = display_path(data["pemda"].narasi_dir)
    gaps = []
    for sr, parts in texts.items():
        for part, what in PARTS:
            if not str(parts[part]).strip():
                gaps.append(
                    f"Sasaran RPJMD {sr}: {what} belum diuraikan "
                    f"({folder}/{narasi_name(sr, part)}.md)."
                )
    return gaps


def check_pemda_narasi(pemda: Any, config: Any) -> list[Any]:
    """Render every narasi text of the pemda's year as the LKjIP will (``make check
    PEMDA=``), with the IKU figures of the pemda's tables and the budgets of the sasaran RPJMD
    left empty (they come from the OPDs' reports): a text that names an unknown value, breaks
    the template syntax or a limit of its sandbox fails here, naming the file and the line.

    Returns:
        The texts rendered.

    Raises:
        DataError: a text breaks.
    """
    import pandas as pd

    from lkj.analysis.analisis_pemda import status_rpjmd, tahun_akhir_rpjmd
    from lkj.analysis.konsolidasi import iku_table

    texts = pemda.narasi_files()
    if not texts:
        return []
    iku = iku_table(pemda, config)
    sasaran = pemda["sasaran_rpjmd"][["kode_sasaran_rpjmd", "uraian_sasaran_rpjmd"]].copy()
    for column in ("anggaran_rp", "realisasi_anggaran_rp", "serapan_pct", "capaian_fisik_pct",
                   "indeks_efisiensi"):  # fmt: skip
        sasaran[column] = float("nan")
    data = {
        "pemda": pemda,
        "year": pemda.year,
        "iku": iku,
        "status_rpjmd": status_rpjmd(
            iku, pemda.year, tahun_akhir_rpjmd(pemda.info("periode_rpjmd"))
        ),
        "efisiensi": pd.DataFrame(sasaran),
    }
    values = pemda_context(data)
    for path in texts:
        pemda_narrative(data, path.stem, values)
    return texts
