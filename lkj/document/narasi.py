"""Narrative text of the report: files written by the agency, with computed values by name.

Each year's prose lives in data/raw/YEAR/narasi/<name>.md: plain paragraphs separated by a
blank line, and lists whose lines start with "- ". A text may refer to computed values as
``{{ sasaran.S1.anggaran }}`` (Jinja2 syntax, sandboxed): the report then always shows the
computed figure. Everything else in the file is shown as text: HTML or script in it is escaped,
never executed. An unknown name stops the run with a message naming the file and the name.

``context(d)`` lists every name a text may use; data/raw/README.md documents them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup
from num2words import num2words

from lkj.core import numbers
from lkj.core.errors import DataError
from lkj.core.fmt import format_angka, format_nilai, format_pct, format_rp
from lkj.data.files import shown, text_file
from lkj.document.narasi_sandbox import NarasiError, render_limited

NARASI_DIR = "narasi"


def terbilang(amount: float) -> str:
    """An amount of rupiah in Indonesian words: 'empat miliar ... rupiah' (num2words).

    Args:
        amount: whole rupiah.

    Returns:
        The words, ending in "rupiah".
    """
    return f"{num2words(int(numbers.round_half_up(amount, 0)), lang='id')} rupiah"


class _Value(str):
    """A formatted value that also exposes its variants (``.terbilang``, ``.angka``)."""

    def __new__(cls, text: str, **variants: str) -> _Value:
        obj = super().__new__(cls, text)
        obj.__dict__.update(variants)
        return obj


def _rp(value: float) -> _Value:
    return _Value(format_rp(value), angka=format_angka(value), terbilang=terbilang(value))


def _budget(row: Any) -> dict[str, Any]:
    return {
        "anggaran": _rp(row.anggaran_rp),
        "realisasi": _rp(row.realisasi_anggaran_rp),
        "serapan": format_pct(row.serapan_pct),
        "silpa": _rp(row.silpa_rp),
        "kategori_anggaran": row.kategori_anggaran,
        "capaian_fisik": format_pct(row.capaian_fisik_pct),
        "kategori_fisik": row.kategori_fisik,
        "jumlah_program": int(row.jumlah_program),
        "jumlah_kegiatan": int(row.jumlah_kegiatan),
        "jumlah_sub_kegiatan": int(row.jumlah_sub_kegiatan),
    }


def context(d: Any) -> dict[str, Any]:
    """Every computed value a narrative text may name.

    Args:
        d: the report's data (``lkj.document.laporan.ReportData``).

    Returns:
        A nested dict: tahun, instansi.*, total.*, lra.*, sasaran.<kode>.*, program.<kode>.*,
        kegiatan.<kode>.*, indikator.<kode>.*, jumlah.*.
    """
    res = d.res
    sub = res.ringkasan.set_index("sumber").loc["sub_kegiatan"]
    lra = res.ringkasan.set_index("sumber").loc["lra"]
    ind_year = res.indikator[res.indikator["tahun"] == d.year]
    ind_prev = res.indikator[res.indikator["tahun"] == d.year - 1].set_index("kode_indikator")
    indikator = {}
    for r in ind_year.itertuples():
        prev = ind_prev.loc[r.kode_indikator] if r.kode_indikator in ind_prev.index else None
        indikator[r.kode_indikator] = {
            "uraian": r.uraian_indikator,
            "satuan": r.satuan,
            "target": format_nilai(r.target),
            "realisasi": format_nilai(r.realisasi),
            "capaian": format_pct(r.capaian_pct),
            "predikat": r.predikat,
            "predikat_kode": r.predikat_kode,
            "capaian_renstra": format_pct(r.capaian_renstra_pct),
            "target_akhir_renstra": format_nilai(r.target_akhir_renstra),
            "capaian_tahun_lalu": format_pct(prev["capaian_pct"]) if prev is not None else "-",
        }
    return {
        "tahun": d.year,
        "tahun_lalu": d.year - 1,
        "instansi": dict(zip(d.raw["instansi"]["kunci"], d.raw["instansi"]["nilai"], strict=True)),
        "total": {
            "anggaran": _rp(sub.anggaran_rp),
            "realisasi": _rp(sub.realisasi_rp),
            "serapan": format_pct(sub.serapan_pct),
            "silpa": _rp(sub.silpa_rp),
            "silpa_persen": format_pct(sub.silpa_pct),
        },
        "lra": {
            "anggaran": _rp(lra.anggaran_rp),
            "realisasi": _rp(lra.realisasi_rp),
            "serapan": format_pct(lra.serapan_pct),
        },
        "sasaran": {r.kode_sasaran: _budget(r) for r in res.sasaran.itertuples()},
        "program": {r.kode_program: _budget(r) for r in res.program.itertuples()},
        "kegiatan": {r.kode_kegiatan: _budget(r) for r in res.kegiatan.itertuples()},
        "indikator": indikator,
        "jumlah": {
            "sasaran": len(d.raw["sasaran"]),
            "indikator": len(d.raw["indikator"]),
            "program": len(res.program),
            "kegiatan": len(res.kegiatan),
            "sub_kegiatan": len(res.sub_kegiatan),
        },
    }


_ORDERED = re.compile(r"^\s*(\d+|[a-z])[.)]\s+")


def _to_html(text: str) -> Markup:
    """Blocks separated by blank lines: "### title", "- item" lists, "1. item" lists, paragraphs."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    out = []
    for block in blocks:
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if len(lines) == 1 and lines[0].startswith("### "):
            out.append(Markup('<h4 class="no-toc">{}</h4>').format(lines[0][4:].strip()))
        elif all(line.lstrip().startswith("- ") for line in lines):
            items = Markup("").join(
                Markup("<li>{}</li>").format(line.lstrip()[2:]) for line in lines
            )
            out.append(Markup("<ul>{}</ul>").format(items))
        elif all(_ORDERED.match(line) for line in lines):
            items = Markup("").join(
                (
                    Markup('<li value="{}">{}</li>').format(m.group(1), line[m.end() :])
                    if m.group(1).isdigit()
                    else Markup("<li>{}</li>").format(line[m.end() :])
                )
                for line in lines
                for m in [_ORDERED.match(line)]
            )
            kind = "1" if _ORDERED.match(lines[0]).group(1).isdigit() else "a"
            out.append(Markup('<ol type="{}">{}</ol>').format(kind, items))
        else:
            out.append(Markup("<p>{}</p>").format(" ".join(line.strip() for line in lines)))
    return Markup("\n").join(out)


def render_text(text: str, values: dict[str, Any], source: str) -> Markup:
    """Fill the names in ``text`` and turn it into escaped HTML paragraphs and lists.

    Args:
        text: the narrative (template) text.
        values: the names it may use (``context``).
        source: the file it came from, for error messages.

    Returns:
        Safe HTML.

    Raises:
        DataError: the text names an unknown value, has a syntax error, or goes past a limit
            of its sandbox (``lkj.document.narasi_sandbox``: steps, time, size); the message
            names the file and the line.
    """
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    try:  # template notes are not shown (their lines kept: messages name the right line)
        filled = render_limited(text, values, source)
    except NarasiError as exc:
        raise DataError(source, exc.problem, row=exc.line) from None
    return _to_html(filled)


def narrative(d: Any, name: str, values: dict[str, Any] | None = None) -> Markup:
    """The rendered narrative data/raw/YEAR/narasi/<name>.md, or "" if the file is absent.

    Args:
        d: the report's data (``lkj.document.laporan.ReportData``; needs ``raw_dir``).
        name: the file name without ``.md``.
        values: the context (computed once by the caller; computed here if None).

    Returns:
        Safe HTML.
    """
    path = Path(d.raw_dir) / NARASI_DIR / f"{name}.md"
    text = text_file(path, Path(d.raw_dir).parent, _display(path))
    if text is None:
        return Markup("")
    return render_text(text, values if values is not None else context(d), _display(path))


def _display(path: Path) -> str:
    parts = path.parts
    return shown("/".join(parts[-4:]) if len(parts) >= 4 else str(path))


def check_narasi(year: int, tables: dict[str, Any], raw_dir: Path, config: Any) -> list[Path]:
    """Render every narasi text of a year as the report will (``make check``): what check
    passes, the report builds. ``README.md`` (the folder's own guide) is not a text.

    Args:
        year: the report year.
        tables: the year's validated raw tables (``lkj.data.ingest.read_raw``).
        raw_dir: data/raw/YEAR.
        config: the configuration (``lkj.core.config.load_config``).

    Returns:
        The texts rendered.

    Raises:
        DataError: a text breaks (unknown name, syntax, a limit), naming file and line.
    """
    from types import SimpleNamespace

    from lkj.analysis.capaian import compute_results

    folder = Path(raw_dir) / NARASI_DIR
    texts = sorted(p for p in folder.glob("*.md") if p.name != "README.md")
    if not texts:
        return []
    d = SimpleNamespace(
        year=year, raw=tables, res=compute_results(tables, year, config), raw_dir=Path(raw_dir)
    )
    values = context(d)
    for path in texts:
        narrative(d, path.stem, values)
    return texts
