"""The auditor's check of a report PDF: ``python -m lkj verifikasi --pdf FILE [--akar CA.pem]``
(``make verifikasi PDF=file ROOTS=ca.pem``).

1. The signature (pyHanko): present, intact (the signed bytes unchanged), cryptographically
   valid, covering the whole file, and trusted when trust roots are given (PEM or DER
   certificates: the BSrE root for a real report). Nothing is fetched from the network.
2. The data workbook the PDF/A carries (``LKj_YEAR_data_mentah.xlsx``) is extracted into a
   scratch folder and the report's tables are rebuilt from it (``lkj.data.ingest.read_raw``,
   ``lkj.analysis.capaian``, ``lkj.document.laporan``), by this lkj and config/lkj.toml.
3. Every figure of every table is compared: the numbers printed in the PDF between the
   table's caption (an unnumbered table: its printed title) and the next table's (page
   headers and footers left out) against the rebuilt table's, in order. A figure that differs
   is named with its table and both values.

An LKjIP carries no workbook but its consolidation data (``lkj.tandatangan.verifikasi_lkjip``):
its tables are rebuilt from that and compared the same way.

Narrative text is not compared (the narasi is not carried in the PDF); figures are.
Exit status 0 only when the signature is intact and valid (and trusted, with roots) and no
figure differs.
"""

from __future__ import annotations

import difflib
import io
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError

NUMBER = re.compile(r"(?<![\w,.])-?\d[\d.]*(?:,\d+)?(?![\w])")
BUILD_TABLES = ("file_masukan", "perangkat_lunak")
"""Tables about the build (input files and their checksums, software versions), not figures:
a rebuild elsewhere differs in them by design."""
MARGIN_PT = 60  # page headers (DATA SINTETIS) and footers (page numbers) lie outside this


@dataclass
class Hasil:
    """What the check found."""

    tanda_tangan: list[str] = field(default_factory=list)
    sah: bool = False
    selisih: list[str] = field(default_factory=list)
    tabel: int = 0

    @property
    def ok(self) -> bool:
        return self.sah and not self.selisih


def load_roots(paths: list[Path | str]) -> list[Any]:
    """Trust roots from PEM or DER certificate files (asn1crypto certificates)."""
    from asn1crypto import pem, x509

    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        try:
            if pem.detect(data):
                roots += [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True)]
            else:
                roots.append(x509.Certificate.load(data))
            for cert in roots:
                cert.native  # noqa: B018 - parses it: a bad file fails here
        except (ValueError, TypeError) as exc:
            raise LkjError(f"{path}: bukan sertifikat PEM/DER yang dapat dibaca ({exc})") from None
    return roots


def check_signature(data: bytes, roots: list[Any]) -> tuple[bool, list[str]]:
    """(acceptable, lines): the last signature intact, valid, covering the whole file, and
    trusted when ``roots`` are given."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    sigs = PdfFileReader(io.BytesIO(data)).embedded_signatures
    if not sigs:
        return False, ["Tanda tangan: tidak ada (berkas tidak ditandatangani)"]
    sig = sigs[-1]
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
    status = validate_pdf_signature(sig, context)
    name = sig.signer_cert.subject.human_friendly
    when = sig.self_reported_timestamp
    whole = status.coverage.name == "ENTIRE_FILE"
    lines = [
        f"Tanda tangan: {name}" + (f", {when.isoformat(timespec='seconds')}" if when else ""),
        f"  utuh (isi yang ditandatangani tidak berubah): {'ya' if status.intact else 'TIDAK'}",
        f"  sah secara kriptografis: {'ya' if status.valid else 'TIDAK'}",
        f"  mencakup seluruh berkas: {'ya' if whole else 'TIDAK (ada perubahan sesudahnya)'}",
    ]
    ok = status.intact and status.valid and whole
    if roots:
        lines.append(f"  tepercaya (akar yang diberikan): {'ya' if status.trusted else 'TIDAK'}")
        ok = ok and status.trusted
    else:
        lines.append("  kepercayaan tidak diperiksa: tidak ada akar tepercaya (--akar)")
    return ok, lines


def pdf_lines(data: bytes) -> list[str]:
    """The text of the PDF line by line as laid out (fragments on one baseline joined by a
    space, left to right), page headers and footers left out."""
    from pypdf import PdfReader

    out: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        top, bottom = float(page.mediabox.top), float(page.mediabox.bottom)
        frags: list[tuple[float, float, str]] = []

        def keep(
            text: str,
            cm: Any,
            tm: Any,
            _f: Any,
            _s: Any,
            frags: list = frags,
            top: float = top,
            bottom: float = bottom,
        ) -> None:
            text = text.strip()
            if not text:
                return
            x, y = cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]
            if bottom + MARGIN_PT < y < top - MARGIN_PT:
                frags.append((round(y), x, text))

        page.extract_text(visitor_text=keep)
        rows: dict[float, list[tuple[float, str]]] = {}
        for y, x, text in frags:
            rows.setdefault(y, []).append((x, text))
        out += [" ".join(t for _, t in sorted(rows[y])) for y in sorted(rows, reverse=True)]
    return out


def _tokens(text: str) -> list[str]:
    return NUMBER.findall(text)


# A word this long, or one holding a path separator or an underscore (a file path, a file name,
# a checksum, an identifier), is not a figure: the layout may cut it anywhere inside its cell
# (lkj.document.table_layout.break_long_words), so the numbers inside it are not compared.
_IDENTIFIER = re.compile(r"\S{25,}|\S*[/\\_]\S*")


def _figures(text: str) -> list[str]:
    """The numbers of a cell's text that are figures (not inside a path or identifier)."""
    return _tokens(_IDENTIFIER.sub(" ", text))


def _cells(table: Any) -> list[tuple[str, str, str]]:
    """(row label, column, number) of every figure a table prints: header, body, foot."""
    out = [
        ("judul kolom", "", tok) for row in table.header for h in row for tok in _figures(h.text)
    ]
    headers = table.headers
    for row in [*table.rows, *table.foot]:
        label = next((c.plain for c in row if c.plain and not _tokens(c.plain)), "")
        full = len(row) == len(headers)
        for j, c in enumerate(row):
            for tok in _figures(c.plain):
                out.append((label, headers[j] if full else "", tok))
    return out


def _title_line(line: str, title: str) -> bool:
    """Whether ``line`` is the printed title of an unnumbered table (or its first line, when
    the title wraps)."""
    return line.startswith(title) or (len(line) >= 20 and title.startswith(line))


def table_starts(lines: list[str], tables: list[Any]) -> list[int | None]:
    """The line where each table begins: a numbered table at its caption ("Tabel 3.4 ..."),
    an unnumbered one at its printed title, looked for after the table before it (so that a
    title is not matched earlier in the text); None when not found."""
    starts: list[int | None] = []
    after = -1
    for t in tables:
        if t.label:
            hit = next((i for i, line in enumerate(lines) if line.startswith(t.label + " ")), None)
        else:
            hit = next(
                (i for i in range(after + 1, len(lines)) if _title_line(lines[i], t.title)), None
            )
        starts.append(hit)
        if hit is not None:
            after = max(after, hit)
    return starts


def compare_tables(lines: list[str], tables: list[Any]) -> list[str]:
    """The figures of the rebuilt tables that the PDF does not print within the table (between
    its caption, or an unnumbered table's title, and the next table's), each named by table,
    row and column."""
    starts = table_starts(lines, tables)
    found = sorted(i for i in starts if i is not None)
    out = []
    for t, start in zip(tables, starts, strict=True):
        name = t.caption if t.label else f"Tabel tanpa nomor '{t.title}'"
        if start is None:
            out.append(f"{name}: tabel tidak ditemukan di PDF")
            continue
        end = next((i for i in found if i > start), len(lines))
        printed = _tokens(" ".join(lines[start + 1 : end]))
        out += _differences(name, printed, _cells(t))
    return out


def _differences(caption: str, printed: list[str], cells: list[tuple[str, str, str]]) -> list[str]:
    """The rebuilt figures ``cells`` the printed numbers lack (as many times as they lack
    them), placed by aligning both sequences: a figure printed in place of another is named
    beside it. Numbers printed after the table (the text that follows it) are not figures of
    it, and a figure printed out of order is not a difference."""
    from collections import Counter

    expected = [tok for _, _, tok in cells]
    missing = Counter(expected) - Counter(printed)
    if not missing:
        return []
    out = []
    matcher = difflib.SequenceMatcher(a=printed, b=expected, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op not in ("replace", "insert"):
            continue
        instead = " ".join(printed[a0:a1]) if op == "replace" else ""
        for label, column, tok in cells[b0:b1]:
            if missing[tok] <= 0:
                continue
            missing[tok] -= 1
            where = ", ".join(
                x
                for x in (
                    f"baris '{label}'" if label else "",
                    f"kolom '{column}'" if column else "",
                )
                if x
            )
            hint = f" (tertulis: {instead})" if instead else ""
            out.append(f"{caption}, {where}: hasil hitung ulang {tok} tidak tertulis{hint}")
    for tok, n in missing.items():  # not placed by the alignment
        out += [f"{caption}: hasil hitung ulang {tok} tidak tertulis"] * max(n, 0)
    return out


def rebuild_tables(book: bytes, name: str, scratch: Path, config: Path | str | None) -> list[Any]:
    """The tables of the report, numbered and unnumbered, rebuilt from the carried workbook in
    ``scratch`` (in document order)."""
    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_tables
    from lkj.document import laporan

    m = re.search(r"(\d{4})", name)
    if m is None:
        raise LkjError(f"{name}: tahun laporan tidak terbaca dari nama buku kerja")
    year = int(m[1])
    raw = scratch / "raw" / str(year)
    raw.mkdir(parents=True)
    (raw / name).write_bytes(book)
    processed = scratch / "processed"
    tables = read_raw(year, scratch / "raw")
    write_tables(tables.tables, processed)
    write_tables(compute_results(tables.tables, year, load_config(config)).tables(), processed)
    d = laporan.load_report_data(year, processed, scratch / "out", config, raw)
    d.figure_links = True
    tables = laporan.report_document(d).tables()
    return [t for t in tables if t.key not in BUILD_TABLES]


def verifikasi(
    pdf: Path | str,
    roots: list[Path | str] = (),  # type: ignore[assignment]
    config: Path | str | None = None,
    log: Callable[[str], None] = print,
) -> Hasil:
    """Check a report PDF: its signature, and its figures against a rebuild from its data.

    Raises:
        LkjError: not a PDF, no data workbook inside, an unreadable trust root.
    """
    from lkj.tandatangan.paket import carried_workbook
    from lkj.tandatangan.verifikasi_lkjip import carried_konsolidasi, rebuild_lkjip_tables

    path = Path(pdf)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LkjError(f"{path}: tidak dapat dibaca ({exc.strerror})") from None
    if not data.startswith(b"%PDF"):
        raise LkjError(f"{path}: bukan berkas PDF")
    out = Hasil()
    out.sah, out.tanda_tangan = check_signature(data, load_roots(list(roots)))
    for line in out.tanda_tangan:
        log(line)
    book = carried_workbook(data)
    lkjip = None if book else carried_konsolidasi(data)
    if book is None and lkjip is None:
        raise LkjError(f"{path}: tidak membawa buku kerja data (.xlsx); tidak dapat dihitung ulang")
    scratch = Path(tempfile.mkdtemp(prefix="lkj-verifikasi-", suffix="x"))
    try:
        if lkjip:  # an LKjIP: the pemda's tables and the OPDs' processed tables
            book = lkjip
            tables = rebuild_lkjip_tables(lkjip[1], f"{path}, lampiran {lkjip[0]}", scratch, config)
        else:
            tables = rebuild_tables(book[1], book[0], scratch, config)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    out.tabel = len(tables)
    out.selisih = compare_tables(pdf_lines(data), tables)
    log(f"Angka: {len(tables)} tabel dihitung ulang dari {book[0]} yang dibawa PDF")
    if out.selisih:
        log(f"  {len(out.selisih)} angka berbeda:")
        for line in out.selisih:
            log(f"  - {line}")
    else:
        log("  tidak ada angka yang berbeda")
    return out
