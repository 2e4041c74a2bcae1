"""What the reviewer notebooks show: formatted tables, aggregation walk-throughs and checks.

Reviewers (Inspektorat, Bappeda, BPK auditors) read the rendered notebooks of
outputs/YEAR/notebooks/ and recompute the figures in Excel. This package turns the computed
tables (``lkj.analysis.capaian.Results``) and the raw rows into what they need:

* display tables formatted as the report formats them (``lkj.core.fmt``), with Indonesian headings
  (``table``: the table and its HTML; ``display``: the tables of the computed figures);
* for every aggregate (kegiatan, program, sasaran, total) the sub kegiatan rows that make it up,
  with their weights, followed by the aggregate line, so the weighted mean can be redone by hand
  (``rincian``), and the method and scales in effect in words (``method``);
* the reconciliations recomputed from the raw rows (``checks.reconcile``), each with what was
  expected, what the pipeline computed and a status: LULUS (equal), GAGAL (an internal total that
  must hold does not: a defect of the pipeline) or BEDA (two sources disagree: a finding about
  the data, shown with its amount, never hidden).

Everything here is plain data in, plain data out; the notebooks only display it
(``from lkj.analysis import audit``; ``audit.reconcile(...)``: the names below). Checks
recompute with Decimal from the raw rows (``numbers``) and do not reuse the pipeline's sums.
"""

from lkj.analysis.audit.checks import (
    INTERNAL,
    SOURCES,
    STATED,
    Check,
    checks_frame,
    reconcile,
    stated,
    stated_counts,
    tabel_angka_tertulis,
    tabel_pemeriksaan,
)
from lkj.analysis.audit.display import (
    LEVELS,
    tabel_agregat,
    tabel_anggaran,
    tabel_indikator,
    tabel_sub_kegiatan,
    tabel_sub_kegiatan_mentah,
    tabel_sumber,
)
from lkj.analysis.audit.method import METHOD_TEXT, method_name, metode
from lkj.analysis.audit.numbers import HUNDRED, round_half_up, to_decimal
from lkj.analysis.audit.rincian import rincian_agregat, weighted_capaian
from lkj.analysis.audit.table import (
    DIFFERS,
    FAILED,
    PASSED,
    STATUS_COLORS,
    WIDE_HEADERS,
    AuditTable,
)

__all__ = [
    "DIFFERS",
    "FAILED",
    "HUNDRED",
    "INTERNAL",
    "LEVELS",
    "METHOD_TEXT",
    "PASSED",
    "SOURCES",
    "STATED",
    "STATUS_COLORS",
    "WIDE_HEADERS",
    "AuditTable",
    "Check",
    "checks_frame",
    "method_name",
    "metode",
    "reconcile",
    "rincian_agregat",
    "round_half_up",
    "stated",
    "stated_counts",
    "tabel_agregat",
    "tabel_anggaran",
    "tabel_angka_tertulis",
    "tabel_indikator",
    "tabel_pemeriksaan",
    "tabel_sub_kegiatan",
    "tabel_sub_kegiatan_mentah",
    "tabel_sumber",
    "to_decimal",
    "weighted_capaian",
]
